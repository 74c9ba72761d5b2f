"""Every error rai_charts raises on purpose, in one hierarchy.

::

    RaiChartsError
    ├── APIError                        a call to the Returning.AI API failed
    │   ├── APIStatusError              the server answered with a non-2xx status
    │   │   ├── BadRequestError             400
    │   │   ├── AuthenticationError         401
    │   │   ├── PermissionDeniedError       403
    │   │   ├── NotFoundError               404
    │   │   ├── ConflictError               409
    │   │   ├── UnprocessableEntityError    422
    │   │   ├── RateLimitError              429
    │   │   └── InternalServerError         500 and above
    │   ├── APIConnectionError          no complete response arrived (refused, reset, dropped)
    │   │   └── APITimeoutError         ... because the request timed out
    │   └── APIResponseValidationError  a 2xx response did not have the expected shape
    ├── RenderError                     an analysis could not be drawn or exported (no browser
    │                                   for PNG/SVG, the image library missing, the browser failing)
    └── CandleDataError                 candle data that cannot be used (also a ValueError); the
                                        message names the file, line and column and the value

    RenderWarning (a UserWarning)       part of an analysis was left off its figure (a drawing
                                        type this version does not know); the figure says so too

Caller misuse (a malformed id, a missing API key, a wrong argument type) raises the builtin
``ValueError`` or ``TypeError`` before any request is sent. Model validation errors are pydantic's
``ValidationError``, passed through unwrapped.

No message built here ever holds the API key: the key travels only in the ``Authorization`` header,
and any echo of it in a server's error text is masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CandleDataError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RaiChartsError",
    "RateLimitError",
    "RenderError",
    "RenderWarning",
    "UnprocessableEntityError",
    "status_error_class",
]


class RaiChartsError(Exception):
    """Base of every error rai_charts raises on purpose."""


class RenderError(RaiChartsError):
    """An analysis could not be drawn or exported."""


class CandleDataError(RaiChartsError, ValueError):
    """Candle data that cannot be used; the message names where and what."""


class RenderWarning(UserWarning):
    """Part of an analysis was left off its figure; the figure carries a note saying so."""


class APIError(RaiChartsError):
    """A call to the Returning.AI API failed."""

    message: str
    """What went wrong, in one line."""
    method: str
    """HTTP method of the failed request."""
    url: str
    """Full URL of the failed request."""
    body: Any
    """The parsed JSON error body, or ``None`` when there was none (or it was not JSON)."""

    def __init__(self, message: str, *, method: str, url: str, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.body = body


class APIStatusError(APIError):
    """The server answered with a non-2xx status."""

    status_code: int
    """HTTP status of the response."""
    text: str
    """The raw response body, whatever its content type."""
    response: httpx.Response
    """The response itself (status, headers, body)."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        text: str,
    ) -> None:
        super().__init__(
            message, method=response.request.method, url=str(response.request.url), body=body
        )
        self.status_code = response.status_code
        self.text = text
        self.response = response

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The offending fields of a validation error (``[{field, message}]``), else empty."""
        items = self.body.get("errors") if isinstance(self.body, dict) else None
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, unknown or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this (other community, missing permission)."""


class NotFoundError(APIStatusError):
    """404: no such resource (or route) for this key's community."""


class ConflictError(APIStatusError):
    """409: the request conflicts with what is stored (e.g. a drawing id already used)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but semantically refused."""


class RateLimitError(APIStatusError):
    """429: too many requests; see the ``Retry-After`` response header."""


class InternalServerError(APIStatusError):
    """500 and above: the server or an upstream service failed."""


class APIConnectionError(APIError):
    """No complete response arrived: connection refused, reset or dropped mid-response."""

    def __init__(self, *, method: str, url: str, message: str | None = None) -> None:
        super().__init__(message or f"connection error on {method} {url}", method=method, url=url)


class APITimeoutError(APIConnectionError):
    """The request timed out before a complete response arrived."""

    def __init__(self, *, method: str, url: str) -> None:
        super().__init__(method=method, url=url, message=f"request timed out: {method} {url}")


class APIResponseValidationError(APIError):
    """A 2xx response did not have the shape the route promises."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
"""The one map from HTTP status to error class (5xx handled by :func:`status_error_class`)."""


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The error class raised for a non-2xx ``status_code``."""
    if status_code >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status_code, APIStatusError)
