"""Running the sandbox: in a background thread (:func:`start`) or in the foreground (:func:`serve`).

Both bind the listening socket themselves, so port 0 gives a free port known before the server
runs, and open the database in the caller's thread, so a bad path fails there with a clear
error. Everything opened is closed by :meth:`SandboxServer.stop`: no thread, socket or file
handle outlives it.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from rai_charts._closing import ClosesOnExit

from ._app import create_app
from ._store import Store

if TYPE_CHECKING:
    import httpx
    import uvicorn

STARTUP_TIMEOUT_SECONDS = 30.0
"""How long :func:`start` waits for the server to listen."""


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it small responses wait ~40 ms for delayed ACKs (Nagle).
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as error:
        listener.close()
        raise OSError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener


def _base_url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class _Prepared:
    listener: socket.socket
    store: Store
    server: uvicorn.Server
    url: str
    seeded: bool


def _prepare(
    host: str,
    port: int,
    db: str | os.PathLike[str] | None,
    seed: bool,
    on_started: Callable[[], None] | None = None,
) -> _Prepared:
    import uvicorn

    listener = _bind(host, port)
    try:
        store = Store(db)
    except OSError:
        listener.close()
        raise
    if seed:
        store.seed()
    config = uvicorn.Config(
        create_app(store),
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="on",
        loop="asyncio",
        # Drop idle keep-alive connections promptly on shutdown, and on their own after a while.
        timeout_keep_alive=5,
        timeout_graceful_shutdown=5,
    )

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if on_started is not None and self.started:
                on_started()

    return _Prepared(listener, store, Server(config), _base_url(listener), seed)


class SandboxServer(ClosesOnExit):
    """A sandbox running in a background thread. Also a context manager that stops it."""

    def __init__(self, prepared: _Prepared, started: threading.Event) -> None:
        from ._store import SEED

        self._prepared = prepared
        self.url: str = prepared.url
        """Base URL, e.g. ``http://127.0.0.1:54321`` (API routes are under ``/v1``)."""
        self.db_path: Path = prepared.store.path
        """The SQLite database file."""
        self.api_key: str | None = SEED.api_key if prepared.seeded else None
        """The seeded key, holding every analysis permission."""
        self.community_id: str | None = SEED.community_id if prepared.seeded else None
        """The seeded community."""
        self.channel_id: str | None = SEED.channel_id if prepared.seeded else None
        """The seeded channel of that community."""
        self.sender: str | None = SEED.sender if prepared.seeded else None
        """The seeded member, ``trader@example.com``."""
        self.admin = Admin(self.url)
        """Calls the ``/_sandbox`` admin routes."""
        self._started = started
        self._thread = threading.Thread(
            target=self._run, name=f"rai-sandbox {self.url}", daemon=True
        )
        self._stopped = False

    def _run(self) -> None:
        try:
            self._prepared.server.run(sockets=[self._prepared.listener])
        finally:
            self._started.set()

    def _start(self) -> None:
        self._thread.start()
        if not self._started.wait(STARTUP_TIMEOUT_SECONDS) or not self._prepared.server.started:
            self.stop()
            raise RuntimeError(f"the sandbox server did not start on {self.url}")

    def stop(self) -> None:
        """Stop serving, wait for the thread, close the socket and the database."""
        if self._stopped:
            return
        self._stopped = True
        self.admin.close()
        self._prepared.server.should_exit = True
        if self._thread.is_alive():
            self._thread.join()
        self._prepared.listener.close()
        self._prepared.store.close()

    def close(self) -> None:
        """The same as :meth:`stop`, so ``with start() as server:`` stops it on the way out."""
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<SandboxServer {self.url} {state}>"


def start(
    port: int = 0,
    db: str | os.PathLike[str] | None = None,
    *,
    seed: bool = True,
    host: str = "127.0.0.1",
) -> SandboxServer:
    """Start a sandbox in a background thread and return once it accepts requests.

    ``port=0`` picks a free port; ``db=None`` uses a temporary database removed on stop, a path
    keeps the data across restarts. ``seed`` creates the seeded community, channel, member and
    key (see :data:`SEED`) unless they exist.
    """
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise ValueError(f"port must be an integer from 0 to 65535, got {port!r}")
    started = threading.Event()
    server = SandboxServer(_prepare(host, port, db, seed, started.set), started)
    server._start()
    return server


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    db: str | os.PathLike[str] | None = None,
    seed: bool = True,
    on_started: Callable[[str, Path], None] | None = None,
) -> None:
    """Run a sandbox in the foreground until interrupted (Ctrl+C or SIGTERM).

    ``on_started(url, db_path)`` is called once it accepts requests.
    """
    holder: list[_Prepared] = []

    def announce() -> None:
        if on_started is not None:
            on_started(holder[0].url, holder[0].store.path)

    prepared = _prepare(host, port, db, seed, announce)
    holder.append(prepared)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal with the
    # handler found before it ran: make SIGTERM end in the same clean path as Ctrl+C.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        prepared.server.run(sockets=[prepared.listener])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        prepared.listener.close()
        prepared.store.close()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class Admin:
    """The ``/_sandbox`` admin routes of one server, as methods. Refusals raise ``ValueError``."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._client: httpx.Client | None = None

    def close(self) -> None:
        """Close the HTTP connection (the server's stop() does it)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        import httpx

        if self._client is None:
            self._client = httpx.Client(base_url=self._url, timeout=10)
        response = self._client.request(method, f"/_sandbox/{path}", json=body)
        if response.status_code >= 400:
            raise ValueError(f"{method} /_sandbox/{path}: {response.status_code} {response.text}")
        return response.json()["data"]

    def requests(self) -> list[dict[str, Any]]:
        """Every ``/v1`` request so far, in arrival order."""
        result: list[dict[str, Any]] = self._call("GET", "requests")
        return result

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("DELETE", "requests")

    def add_fault(
        self,
        route: str,
        *,
        latency_ms: int | None = None,
        error_rate: float | None = None,
        retry_after: int | None = None,
        drop_after_commit: bool | None = None,
        times: int | None = None,
    ) -> dict[str, Any]:
        """Inject a fault on ``route`` (an operation name or ``*``); returns it with its id."""
        body: dict[str, Any] = {"route": route}
        for name, value in (
            ("latencyMs", latency_ms),
            ("errorRate", error_rate),
            ("dropAfterCommit", drop_after_commit),
            ("times", times),
        ):
            if value is not None:
                body[name] = value
        if retry_after is not None:
            body["rateLimit"] = {"retryAfter": retry_after}
        result: dict[str, Any] = self._call("POST", "faults", body)
        return result

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._call("DELETE", "faults")

    def events(self) -> list[dict[str, Any]]:
        """Every outgoing event, oldest first."""
        result: list[dict[str, Any]] = self._call("GET", "events")
        return result

    def set_webhook(self, url: str | None) -> None:
        """POST future events to ``url`` (``None`` stops)."""
        self._call("POST", "webhook", {"url": url})

    def create_community(self, name: str) -> dict[str, str]:
        """A new community with a channel: ``{"communityId", "channelId"}``."""
        result: dict[str, str] = self._call("POST", "communities", {"name": name})
        return result

    def create_channel(self, community_id: str, name: str) -> str:
        """A new channel's id."""
        body = {"communityId": community_id, "name": name}
        return str(self._call("POST", "channels", body)["channelId"])

    def add_member(self, community_id: str, email: str) -> dict[str, str]:
        """Make ``email`` a member of the community."""
        result: dict[str, str] = self._call(
            "POST", "members", {"communityId": community_id, "email": email}
        )
        return result

    def create_key(self, community_id: str, permissions: list[str]) -> str:
        """A new API key of the community with these permissions."""
        body = {"communityId": community_id, "permissions": permissions}
        return str(self._call("POST", "keys", body)["apiKey"])
