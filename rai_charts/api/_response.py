"""Responses: envelope reading, the raw response of any call, and ``with_raw_response``."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx
import pydantic
from pydantic import BaseModel, ConfigDict

from .._exceptions import APIResponseValidationError

if TYPE_CHECKING:
    from ._base import Call

__all__ = ["APIResponse", "envelope_data", "model_reader"]

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=BaseModel)
P = ParamSpec("P")

ENVELOPE_MARKERS = frozenset({"status", "meta", "message", "pagination"})
"""Keys that, next to ``data``, mark a JSON object as an envelope rather than a payload."""


def envelope_data(document: Any) -> Any:
    """The payload of a response in either envelope style, or the document itself.

    Style A is ``{status, message, data, pagination?}``, style B ``{meta, message, data}``; a
    legacy route may answer with the bare payload.
    """
    if isinstance(document, Mapping) and "data" in document and ENVELOPE_MARKERS & document.keys():
        return document["data"]
    return document


class Enveloped(BaseModel, Generic[T]):
    """Any envelope with a ``data`` payload; the rest of it stays on the raw response."""

    model_config = ConfigDict(extra="ignore")

    data: T
    """The payload."""


def model_reader(model: type[ModelT]) -> Callable[[APIResponse[ModelT]], ModelT]:
    """Reads a response whose payload is one ``model``, in any envelope style.

    The common case (an envelope with ``data``) is validated straight from the JSON bytes; a bare
    payload falls back to decoding first.
    """
    enveloped = Enveloped[model]  # type: ignore[valid-type]

    def read(response: APIResponse[ModelT]) -> ModelT:
        try:
            payload: ModelT = enveloped.model_validate_json(response.content).data
        except pydantic.ValidationError:
            return model.model_validate(envelope_data(response.json()))
        return payload

    return read


class APIResponse(Generic[T]):
    """The raw response of one call: status, headers and body, plus ``parse()`` for the result.

    ``client.analyses.with_raw_response.get(analysis_id)`` returns one; so does every other method
    of ``with_raw_response``.
    """

    http_response: httpx.Response
    """The final httpx response (after any retries)."""
    retries_taken: int
    """How many times the request was retried before this response."""
    elapsed: float
    """Seconds from the first attempt to this response, retry waits included."""

    def __init__(
        self, http_response: httpx.Response, call: Call[T], *, retries_taken: int, elapsed: float
    ) -> None:
        self.http_response = http_response
        self.call = call
        self.retries_taken = retries_taken
        self.elapsed = elapsed
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        """HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.http_response.headers

    @property
    def text(self) -> str:
        """The body as text."""
        return self.http_response.text

    @property
    def content(self) -> bytes:
        """The body as bytes."""
        return self.http_response.content

    @property
    def method(self) -> str:
        """HTTP method of the request."""
        return self.http_response.request.method

    @property
    def url(self) -> httpx.URL:
        """Full URL of the request."""
        return self.http_response.request.url

    def json(self) -> Any:
        """The body decoded as JSON (``None`` for an empty body)."""
        if not self.http_response.content:
            return None
        return self.http_response.json()

    def parse(self) -> T:
        """The typed result of the call (what the plain method returns); parsed once."""
        if not self._parsed:
            try:
                self._parsed.append(self.call.parse(self))
            except (ValueError, pydantic.ValidationError) as error:
                # json.JSONDecodeError is a ValueError too.
                raise APIResponseValidationError(
                    f"unexpected response to {self.method} {self.url} "
                    f"(status {self.status_code}): {error}",
                    method=self.method,
                    url=str(self.url),
                    body=self.text,
                ) from error
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.method} {self.url}>"


RAW_RESPONSE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "rai_charts_raw_response", default=False
)
"""Set for the duration of one ``with_raw_response`` call; the client clears it when read."""


def take_raw_response_flag() -> bool:
    """Whether the call now starting should return its raw response (clears the flag)."""
    if RAW_RESPONSE.get():
        RAW_RESPONSE.set(False)
        return True
    return False


def to_raw_response(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """``method``, returning the raw :class:`APIResponse` instead of the parsed result."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast("APIResponse[T]", method(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapped


def async_to_raw_response(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Async twin of :func:`to_raw_response`."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast("APIResponse[T]", await method(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapped
