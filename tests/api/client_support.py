"""Test support for the client suite: the example analysis, the sandbox admin routes, and one
adapter that runs the same test body through ``Client`` and ``AsyncClient``."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal

from rai_charts.api import AsyncClient, Client
from rai_charts.models import Analysis

DATA = Path(__file__).parents[1] / "models" / "data"

FAST_RETRIES: dict[str, Any] = {"initial_retry_delay": 0.001, "max_retry_delay": 0.01}
"""Client options that keep retry waits in milliseconds (Retry-After still wins up to the cap)."""


def example_analysis() -> Analysis:
    """The documented create example with all five drawing types, as a local analysis."""
    body = json.loads((DATA / "create_example_all_types.json").read_text())
    return Analysis.model_validate({key: body[key] for key in ("metadata", "levels", "drawings")})


class Admin:
    """The sandbox's admin routes (``/_sandbox/...``), called with bare httpx."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def requests(self) -> list[dict[str, Any]]:
        """Every /v1 request the server received since the last clear, in arrival order."""
        response = self.http.get("/_sandbox/requests")
        response.raise_for_status()
        return list(response.json()["data"])

    def routes(self) -> list[str | None]:
        """The route names of :meth:`requests`."""
        return [entry["route"] for entry in self.requests()]

    def clear_requests(self) -> None:
        self.http.delete("/_sandbox/requests").raise_for_status()

    def fault(self, **spec: Any) -> dict[str, Any]:
        """Add a fault (wire keys: route, latencyMs, errorRate, rateLimit, dropAfterCommit,
        times)."""
        response = self.http.post("/_sandbox/faults", json=spec)
        response.raise_for_status()
        return dict(response.json()["data"])

    def clear_faults(self) -> None:
        self.http.delete("/_sandbox/faults").raise_for_status()

    def new_channel(self, community_id: str, name: str = "test channel") -> str:
        response = self.http.post(
            "/_sandbox/channels", json={"communityId": community_id, "name": name}
        )
        response.raise_for_status()
        return str(response.json()["data"]["channelId"])

    def new_community(self, name: str = "other community") -> dict[str, str]:
        response = self.http.post("/_sandbox/communities", json={"name": name})
        response.raise_for_status()
        return dict(response.json()["data"])

    def new_member(self, community_id: str, email: str) -> None:
        response = self.http.post(
            "/_sandbox/members", json={"communityId": community_id, "email": email}
        )
        response.raise_for_status()

    def new_key(self, community_id: str, permissions: list[str]) -> str:
        response = self.http.post(
            "/_sandbox/keys", json={"communityId": community_id, "permissions": permissions}
        )
        response.raise_for_status()
        return str(response.json()["data"]["apiKey"])


async def _call(function: Callable[..., Any], *args: Any) -> Any:
    result = function(*args)
    return await result if inspect.isawaitable(result) else result


async def _collect(function: Callable[..., Any], client: Any) -> list[Any]:
    iterable = function(client)
    if hasattr(iterable, "__aiter__"):
        return [item async for item in iterable]
    return list(iterable)


class Api:
    """Runs one test body through either client: ``api.run(lambda c: c.analyses.get(id))``.

    The async client lives in an event loop of its own thread (an anyio blocking portal), so the
    same sync test body drives real async code: one loop, one connection pool, for the test.
    """

    def __init__(
        self, kind: str, base_url: str, api_key: str, portal: BlockingPortal, **options: Any
    ) -> None:
        self.kind = kind
        self.portal = portal
        self.base_url = base_url
        self.api_key = api_key
        self.options = options
        self.client: Client | AsyncClient
        if kind == "sync":
            self.client = Client(api_key, base_url, **options)
        else:
            self.client = portal.call(self._make_async_client)
        self._children: list[Api] = []

    async def _make_async_client(self) -> AsyncClient:
        return AsyncClient(self.api_key, self.base_url, **self.options)

    def run(self, function: Callable[[Any], Any]) -> Any:
        """``function(client)``, awaited when it returns an awaitable."""
        if isinstance(self.client, Client):
            return function(self.client)
        return self.portal.call(_call, function, self.client)

    def collect(self, function: Callable[[Any], Any]) -> list[Any]:
        """Every item of ``function(client)`` iterated with ``for`` or ``async for``."""
        if isinstance(self.client, Client):
            return list(function(self.client))
        return list(self.portal.call(_collect, function, self.client))

    def other(self, *, api_key: str | None = None, **options: Any) -> Api:
        """Another client of the same kind against the same server (closed with this one)."""
        child = Api(
            self.kind,
            self.base_url,
            api_key or self.api_key,
            self.portal,
            **{**self.options, **options},
        )
        self._children.append(child)
        return child

    def close(self) -> None:
        for child in self._children:
            child.close()
        if isinstance(self.client, Client):
            self.client.close()
        else:
            self.portal.call(self.client.close)
