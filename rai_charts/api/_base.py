"""The request machinery both clients share: configuration, retries, errors and logging.

One call runs as a generator (:meth:`BaseClient._request_flow`) that yields what it needs done:
send this request, or wait this long. ``Client`` drives it with a blocking httpx client and
``time.sleep``; ``AsyncClient`` with an async httpx client and ``anyio.sleep``. Every decision
(which errors retry, how long to wait, which exception to raise, what to log) lives in the flow,
so both clients behave identically by construction.
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import sys
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

import httpx

from .._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
)
from ._response import APIResponse
from ._routes import Route

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "BaseClient", "Call", "retry_delay"]

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.returning.ai"
"""The partner gateway; routes carry their own ``/v1`` prefix."""
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""30 s per request, 5 s to connect."""
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt, for the retryable failures only."""
DEFAULT_INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; doubled for each further one."""
DEFAULT_MAX_RETRY_DELAY = 60.0
"""The longest single wait, whether from backoff or from ``Retry-After``."""

RETRYABLE_STATUSES = frozenset({408, 429})
"""Statuses retried besides every 5xx. Other 4xx mean the server refused: never retried."""

API_KEY_ENV = "RAI_API_KEY"
BASE_URL_ENV = "RAI_BASE_URL"
LOG_ENV = "RAI_LOG"

logger = logging.getLogger("rai_charts.api")


def configure_logging() -> None:
    """Honour ``RAI_LOG=debug|info``: one line per request (debug) or per retry (info)."""
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(os.environ.get(LOG_ENV, "").lower())
    if level is None:
        return
    logger.setLevel(level)
    if not any(getattr(handler, "_rai_charts", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        handler._rai_charts = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One logical API call: a route, its arguments, and how to read its answer.

    A call is built once and sent as many times as retries need, so an ``idempotencyKey`` in its
    body is the same on every attempt.
    """

    route: Route
    """The route table row."""
    path_params: Mapping[str, str]
    """Path parameters by wire name; checked as ObjectIds when the request is built."""
    parse: Callable[[APIResponse[T]], T]
    """Builds the typed result from the response."""
    query: Mapping[str, str | int] | None = None
    """Query parameters."""
    body: bytes | None = None
    """The JSON body, already encoded."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Extra request headers."""


class Secret:
    """A string that never shows itself in a repr, str or log line."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value itself, for the one place that must send it."""
        return self._value

    def mask(self, text: str) -> str:
        """``text`` with every occurrence of the value replaced by ``***``."""
        return text.replace(self._value, "***") if self._value else text

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def parse_retry_after(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: ``Retry-After`` as seconds or an HTTP date."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now if now is not None else datetime.now(timezone.utc).timestamp()
    return max(0.0, when.timestamp() - current)


def retry_delay(
    retries_taken: int,
    headers: httpx.Headers | None,
    *,
    initial_delay: float,
    max_delay: float,
) -> float:
    """Seconds to wait before retry number ``retries_taken + 1``.

    ``Retry-After`` wins when the server sends it; otherwise exponential backoff from
    ``initial_delay`` with up to 25 % jitter downwards, so clients that failed together do not
    retry together. Either way no wait exceeds ``max_delay``.
    """
    asked = parse_retry_after(headers) if headers is not None else None
    if asked is not None:
        return min(asked, max_delay)
    backoff: float = min(initial_delay * 2.0**retries_taken, max_delay)
    return backoff * (1 - 0.25 * random.random())


def is_retryable(error: APIError) -> bool:
    """Connection errors, timeouts, 408, 429 and every 5xx; nothing else."""
    if isinstance(error, APIConnectionError):
        return True
    if isinstance(error, APIStatusError):
        return error.status_code in RETRYABLE_STATUSES or error.status_code >= 500
    return False


@dataclass(frozen=True)
class Send:
    """Flow step: send this request; the driver answers with a response or a transport error."""

    request: httpx.Request


@dataclass(frozen=True)
class Sleep:
    """Flow step: wait this many seconds before the next attempt."""

    seconds: float


RequestFlow = Generator["Send | Sleep", "httpx.Response | httpx.TransportError | None", T]


class BaseClient:
    """Configuration and the request flow shared by :class:`Client` and :class:`AsyncClient`."""

    base_url: str
    """Scheme and host (plus any path prefix) the route paths are appended to."""
    timeout: httpx.Timeout
    """Per-request timeout."""
    max_retries: int
    """Retries after the first attempt, for retryable failures only."""
    initial_retry_delay: float
    """Seconds before the first retry; doubled for each further one (with jitter)."""
    max_retry_delay: float
    """The longest single wait, whether from backoff or from ``Retry-After``."""

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        initial_retry_delay: float,
        max_retry_delay: float,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        if not api_key:
            raise ValueError(
                f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
            )
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        for name, delay in (
            ("initial_retry_delay", initial_retry_delay),
            ("max_retry_delay", max_retry_delay),
        ):
            if not delay >= 0:
                raise ValueError(f"{name} must be a number of seconds >= 0, got {delay!r}")
        self._api_key = Secret(api_key)
        base_url = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self.initial_retry_delay = initial_retry_delay
        self.max_retry_delay = max_retry_delay
        from .. import __version__

        # The key is added per request, so no attribute of the client holds it in clear.
        self._headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": f"rai-charts/{__version__}",
        }
        configure_logging()

    def _options(self) -> dict[str, Any]:
        """The constructor arguments that reproduce this client's configuration."""
        return {
            "api_key": self._api_key.reveal(),
            "base_url": self.base_url,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "initial_retry_delay": self.initial_retry_delay,
            "max_retry_delay": self.max_retry_delay,
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries}, "
            f"timeout={self.timeout.read!r})"
        )

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[Any]
    ) -> httpx.Request:
        path = call.route.build_path(call.path_params)
        headers = {
            **self._headers,
            **call.headers,
            "Authorization": f"Bearer {self._api_key.reveal()}",
        }
        return http.build_request(
            call.route.method,
            self.base_url + path,
            params=dict(call.query) if call.query else None,
            content=call.body,
            headers=headers,
            timeout=self.timeout,
        )

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        text = self._api_key.mask(response.text)
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        detail = body.get("message") if isinstance(body, dict) else None
        if not isinstance(detail, str) or not detail:
            detail = text.strip()[:200] or response.reason_phrase
        request = response.request
        message = (
            f"{response.status_code} {response.reason_phrase} for {request.method} "
            f"{request.url}: {self._api_key.mask(detail)}"
        )
        return status_error_class(response.status_code)(
            message, response=response, body=body, text=text
        )

    def _request_flow(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[T]
    ) -> RequestFlow[APIResponse[T]]:
        """Send ``call`` until it succeeds, fails for good, or runs out of retries."""
        request = self._build_request(http, call)
        method, url = request.method, str(request.url)
        started = time.perf_counter()
        retries_taken = 0
        while True:
            sent = time.perf_counter()
            outcome = yield Send(request)
            milliseconds = (time.perf_counter() - sent) * 1000
            error: APIError
            headers: httpx.Headers | None = None
            if isinstance(outcome, httpx.Response):
                logger.debug(
                    "%s %s -> %d in %.1f ms", method, url, outcome.status_code, milliseconds
                )
                if outcome.is_success:
                    return APIResponse(
                        outcome,
                        call,
                        retries_taken=retries_taken,
                        elapsed=time.perf_counter() - started,
                    )
                error = self._status_error(outcome)
                headers = outcome.headers
            else:
                kind = type(outcome).__name__
                logger.debug("%s %s -> %s in %.1f ms", method, url, kind, milliseconds)
                if isinstance(outcome, httpx.TimeoutException):
                    error = APITimeoutError(method=method, url=url)
                else:
                    error = APIConnectionError(
                        method=method, url=url, message=f"{kind} on {method} {url}: {outcome}"
                    )
                error.__cause__ = outcome
            if retries_taken >= self.max_retries or not is_retryable(error):
                raise error
            delay = retry_delay(
                retries_taken,
                headers,
                initial_delay=self.initial_retry_delay,
                max_delay=self.max_retry_delay,
            )
            logger.info(
                "retrying %s %s in %.2f s (retry %d of %d) after: %s",
                method,
                url,
                delay,
                retries_taken + 1,
                self.max_retries,
                error.message,
            )
            yield Sleep(delay)
            retries_taken += 1
