"""``Client`` and ``AsyncClient``: the same resource tree, name for name, over httpx."""

from __future__ import annotations

import time
from functools import cached_property
from types import TracebackType
from typing import Generic, TypeVar, cast

import anyio
import httpx
from typing_extensions import Self

from .._closing import ClosesOnExit
from ._base import (
    DEFAULT_INITIAL_RETRY_DELAY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_DELAY,
    DEFAULT_TIMEOUT,
    BaseClient,
    Call,
    Send,
)
from ._response import APIResponse, take_raw_response_flag
from ._sync import AnalysisSync, AsyncAnalysisSync, SessionRegistry
from .resources.analyses import Analyses, AsyncAnalyses

__all__ = ["AsyncClient", "Client"]

T = TypeVar("T")


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
SessionT = TypeVar("SessionT", AnalysisSync, AsyncAnalysisSync)


class _ClientBase(BaseClient, Generic[HttpT, SessionT]):
    """What both clients hold beyond configuration: the pool and the sync sessions."""

    _http: HttpT
    _http_class: type[HttpT]
    _sync_sessions: SessionRegistry[SessionT]

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        initial_retry_delay: float = DEFAULT_INITIAL_RETRY_DELAY,
        max_retry_delay: float = DEFAULT_MAX_RETRY_DELAY,
        http_client: HttpT | None = None,
    ) -> None:
        http_class = self._http_class
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            initial_retry_delay=initial_retry_delay,
            max_retry_delay=max_retry_delay,
        )
        if http_client is not None and not isinstance(http_client, http_class):
            raise TypeError(
                f"http_client must be an httpx.{http_class.__name__}, "
                f"got {type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else http_class(timeout=self.timeout)
        self._sync_sessions = SessionRegistry()

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        initial_retry_delay: float | None = None,
        max_retry_delay: float | None = None,
    ) -> Self:
        """A client with some options changed, sharing this one's connection pool.

        ``client.with_options(max_retries=5).analyses.create(...)`` changes one call only. The
        copy also shares the sync sessions of ``analyses.sync``, so an analysis synced through
        one is known to the other.
        """
        given = {
            "api_key": api_key,
            "base_url": base_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "initial_retry_delay": initial_retry_delay,
            "max_retry_delay": max_retry_delay,
        }
        options = {**self._options(), **{k: v for k, v in given.items() if v is not None}}
        copy = type(self)(**options, http_client=self._http)
        copy._sync_sessions = self._sync_sessions
        return copy


class Client(ClosesOnExit, _ClientBase[httpx.Client, AnalysisSync]):
    """Blocking client of the Returning.AI API.

    A real synchronous httpx client underneath (no event loop involved), so it works in a
    notebook whose loop is already running. Use it as a context manager, or call :meth:`close`.

    Args:
        api_key: The community API key; ``RAI_API_KEY`` when omitted. Never shown in any repr,
            log line or error message.
        base_url: Scheme and host of the API; ``RAI_BASE_URL``, else ``https://api.returning.ai``.
        timeout: Seconds per request, or an ``httpx.Timeout``.
        max_retries: Retries of connection errors, timeouts, 408, 429 and 5xx; 0 disables them.
        initial_retry_delay: Seconds before the first retry, doubled for each further one.
        max_retry_delay: The longest single wait, whether from backoff or ``Retry-After``.
        http_client: An ``httpx.Client`` to send through (proxies, transports); the caller
            closes it.
    """

    _http_class = httpx.Client

    @cached_property
    def analyses(self) -> Analyses:
        """Chart analyses: create, get, update, delete, list, append drawings, sync."""
        return Analyses(self)

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_http:
            self._http.close()

    def _execute(self, call: Call[T]) -> T:
        """Run ``call``: its parsed result, or its raw response under ``with_raw_response``."""
        if take_raw_response_flag():
            return cast("T", self._execute_raw(call))
        return self._execute_raw(call).parse()

    def _execute_raw(self, call: Call[T]) -> APIResponse[T]:
        flow = self._request_flow(self._http, call)
        step = next(flow)
        while True:
            outcome: httpx.Response | httpx.TransportError | None = None
            if isinstance(step, Send):
                try:
                    outcome = self._http.send(step.request)
                except httpx.TransportError as error:
                    outcome = error
            else:
                time.sleep(step.seconds)
            try:
                step = flow.send(outcome)
            except StopIteration as done:
                response: APIResponse[T] = done.value
                return response


class AsyncClient(_ClientBase[httpx.AsyncClient, AsyncAnalysisSync]):
    """Async client of the Returning.AI API: :class:`Client`'s twin, name for name.

    Use it as an async context manager, or ``await client.close()``. Arguments as for
    :class:`Client`, with an ``httpx.AsyncClient`` as ``http_client``.
    """

    _http_class = httpx.AsyncClient

    @cached_property
    def analyses(self) -> AsyncAnalyses:
        """Chart analyses: create, get, update, delete, list, append drawings, sync."""
        return AsyncAnalyses(self)

    async def close(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _execute(self, call: Call[T]) -> T:
        """Run ``call``: its parsed result, or its raw response under ``with_raw_response``."""
        if take_raw_response_flag():
            return cast("T", await self._execute_raw(call))
        return (await self._execute_raw(call)).parse()

    async def _execute_raw(self, call: Call[T]) -> APIResponse[T]:
        flow = self._request_flow(self._http, call)
        step = next(flow)
        while True:
            outcome: httpx.Response | httpx.TransportError | None = None
            if isinstance(step, Send):
                try:
                    outcome = await self._http.send(step.request)
                except httpx.TransportError as error:
                    outcome = error
            else:
                await anyio.sleep(step.seconds)
            try:
                step = flow.send(outcome)
            except StopIteration as done:
                response: APIResponse[T] = done.value
                return response
