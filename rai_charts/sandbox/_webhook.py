"""Outgoing events POSTed to the configured webhook URL, off the request path.

Each committed event becomes one delivery task on the server's event loop; the outcome (status
or error) is written back on the event, so a test can poll ``/_sandbox/events`` for it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ._store import Store, dumps

if TYPE_CHECKING:
    import httpx

DELIVERY_TIMEOUT_SECONDS = 5.0
"""How long one delivery may take."""


class Webhook:
    """Delivers events to one URL (or nowhere, when none is set)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.url: str | None = store.setting("webhook_url")
        """Where events go; ``None`` keeps them local."""
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def set_url(self, url: str | None) -> None:
        """Deliver future events to ``url`` (``None`` stops delivery)."""
        with self._store.transaction():
            self._store.set_setting("webhook_url", url)
        self.url = url

    def deliver(self, events: list[dict[str, Any]]) -> None:
        """Schedule delivery of committed events, in order."""
        if self.url is None or not events:
            return
        task = asyncio.get_running_loop().create_task(self._post(self.url, events))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, url: str, events: list[dict[str, Any]]) -> None:
        import httpx

        if self._client is None:
            self._client = httpx.AsyncClient(timeout=DELIVERY_TIMEOUT_SECONDS)
        for event in events:
            envelope = dumps({name: event[name] for name in ("event", "analysisId", "at")})
            body = f'{envelope[:-1]},"payload":{event["payload"]}}}'
            delivery: dict[str, Any] = {"url": url}
            try:
                response = await self._client.post(
                    url,
                    content=body,
                    headers={"content-type": "application/json", "x-rai-event": event["event"]},
                )
                delivery["status"] = response.status_code
            except httpx.HTTPError as error:
                delivery["error"] = f"{type(error).__name__}: {error}"
            with self._store.transaction():
                self._store.set_delivery(event["eventId"], delivery)

    async def close(self) -> None:
        """Finish (within the timeout) or cancel pending deliveries, then close the client."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=DELIVERY_TIMEOUT_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
