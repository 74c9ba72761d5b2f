"""Test support for the client suite: the example analysis, and one adapter that runs the same
test body through ``Client`` and ``AsyncClient``."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def publish(api: Api, server: Any, analysis: Analysis | None = None, **overrides: Any) -> Any:
    """Create ``analysis`` (the example by default) in the seeded channel; its AnalysisDetail."""
    local = analysis if analysis is not None else example_analysis()
    arguments = {
        "community_id": server.community_id,
        "channel_id": server.channel_id,
        "sender": server.sender,
        **overrides,
    }
    return api.run(lambda c: c.analyses.create(local, **arguments))


def logged_routes(admin: Any) -> list[str | None]:
    """The route names of every /v1 request in the sandbox's log, in arrival order."""
    return [entry["route"] for entry in admin.requests()]


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

    def other(
        self, *, api_key: str | None = None, base_url: str | None = None, **options: Any
    ) -> Api:
        """Another client of the same kind, by default against the same server, with other
        options (closed at the end of the test)."""
        child = Api(
            self.kind,
            base_url or self.base_url,
            api_key or self.api_key,
            self.portal,
            **{**self.options, **options},
        )
        self._children.append(child)
        return child

    def close_others(self) -> None:
        """Close the clients made by :meth:`other`."""
        while self._children:
            self._children.pop().close()

    def close(self) -> None:
        self.close_others()
        if isinstance(self.client, Client):
            self.client.close()
        else:
            self.portal.call(self.client.close)
