"""The ASGI application of the sandbox.

Why Starlette and not FastAPI: the request and response bodies are already described by the
pydantic models of ``rai_charts.models``, and the sandbox must answer *exactly* the project's
error envelope (``StandardApiError`` listing every field) for every refusal, which FastAPI's
automatic validation and 422 bodies would have to be switched off route by route. Starlette
gives routing and request/response objects and nothing else, adds a few microseconds per request
instead of FastAPI's dependency-injection layer, and its routes are built here from the same
route table that ``/openapi.json`` is generated from, so the description cannot drift from what
is served.

Handlers are ``async`` and call SQLite directly on the event-loop thread: each request's
transaction is short and synchronous (no ``await`` inside), so requests are serialised exactly
where SQLite would serialise writers anyway, with no thread pool and no locks.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rai_charts.models import error_items

from ._admin import ADMIN_ROUTES, AdminRoute
from ._faults import Faults
from ._openapi import openapi_document
from ._routes import OPERATIONS, Call, Operation, Reply
from ._store import ApiKey, Store, dumps, iso, now
from ._validation import ApiError, validation_failed
from ._webhook import Webhook

REQUEST_LOG_SIZE = 100_000
"""Entries the request log keeps (oldest dropped first), so a long benchmark cannot exhaust
memory."""

_JSON = "application/json"
_DROPPING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "rai_sandbox_dropping", default=False
)


class _QuietDeliberateDrops(logging.Filter):
    """uvicorn logs an error when a response is left incomplete; a dropAfterCommit fault does
    that on purpose, so that one record is not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _DROPPING.get()


_uvicorn_error = logging.getLogger("uvicorn.error")
if not any(isinstance(existing, _QuietDeliberateDrops) for existing in _uvicorn_error.filters):
    _uvicorn_error.addFilter(_QuietDeliberateDrops())


class SandboxState:
    """Everything one running sandbox holds: the store and the admin-controlled parts."""

    def __init__(self, store: Store) -> None:
        self.store = store
        """The database."""
        self.faults = Faults()
        """Active fault injections."""
        self.webhook = Webhook(store)
        """Outgoing event delivery."""
        self.request_log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        """Every ``/v1`` request, in arrival order."""


def _json_response(
    status: int, body: str | bytes, headers: dict[str, str] | None = None
) -> Response:
    return Response(body, status_code=status, media_type=_JSON, headers=headers)


def _error_response(error: ApiError) -> Response:
    headers = dict(error.headers)
    if error.status_code == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return _json_response(error.status_code, error.body(), headers)


class _DroppedResponse(Response):
    """Sends the status line, headers and half the body, then leaves the response unfinished,
    so the server closes the connection: the client sees a protocol error, not a status."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _DROPPING.set(True)
        scope.get("state", {}).get("request_log_entry", {})["dropped"] = True
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": [
                    (b"content-type", _JSON.encode()),
                    (b"content-length", str(len(self.body)).encode()),
                ],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": self.body[: len(self.body) // 2],
                "more_body": True,
            }
        )


def _authenticate(store: Store, request: Request, operation: Operation) -> ApiKey:
    header = request.headers.get("authorization")
    if header is None:
        raise ApiError(401, "missing Authorization: Bearer <apiKey> header")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "the Authorization header must be 'Bearer <apiKey>'")
    key = store.api_key(token.strip())
    if key is None:
        raise ApiError(401, "unknown API key")
    if operation.permission not in key.permissions:
        raise ApiError(403, f"this API key lacks the {operation.permission} permission")
    return key


def _operation_endpoint(
    state: SandboxState, operation: Operation
) -> Callable[[Request], Awaitable[Response]]:
    read_only = operation.method == "GET"

    async def endpoint(request: Request) -> Response:
        entry = request.scope.get("state", {}).get("request_log_entry")
        if entry is not None:
            entry["route"] = operation.name
        effect = state.faults.effect(operation.name)
        if effect.latency_seconds:
            await asyncio.sleep(effect.latency_seconds)
        if effect.retry_after is not None:
            return _error_response(
                ApiError(
                    429,
                    "rate limited (injected fault)",
                    headers={"Retry-After": str(effect.retry_after)},
                )
            )
        if effect.fail:
            return _error_response(ApiError(500, "internal error (injected fault)"))
        try:
            key = _authenticate(state.store, request, operation)
            call = Call(key, request.path_params, request.query_params, await request.body())
            with state.store.transaction(write=not read_only):
                reply: Reply = operation.handler(state.store, call)
        except ApiError as error:
            response = _error_response(error)
        else:
            state.webhook.deliver(call.events)
            response = _json_response(reply.status, reply.body)
        if effect.drop_after_commit:
            return _DroppedResponse(response.body, status_code=response.status_code)
        return response

    return endpoint


def _admin_endpoint(
    state: SandboxState, route: AdminRoute
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        body = None
        try:
            if route.request_model is not None:
                try:
                    body = route.request_model.model_validate_json(await request.body())
                except ValidationError as error:
                    raise validation_failed(error_items(error)) from None
            data = await route.handler(state, body)
        except ApiError as error:
            return _error_response(error)
        return _json_response(200, dumps({"data": data}))

    return endpoint


class _RequestLog:
    """Records every ``/v1`` request on arrival, and its status and duration when answered."""

    def __init__(self, app: ASGIApp, log: deque[dict[str, Any]]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/v1" or path.startswith("/v1/")):
            await self.app(scope, receive, send)
            return
        entry: dict[str, Any] = {
            "method": scope["method"],
            "path": path,
            "route": None,
            "status": None,
            "durationMs": None,
            "at": iso(now()),
        }
        self.log.append(entry)
        scope.setdefault("state", {})["request_log_entry"] = entry
        started = time.perf_counter()

        async def send_and_log(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_log)
        finally:
            entry["durationMs"] = round((time.perf_counter() - started) * 1000, 3)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: "no such route", 405: "method not allowed on this route"}.get(
        exc.status_code, str(exc.detail)
    )
    return _error_response(
        ApiError(
            exc.status_code,
            f"{message}: {request.method} {request.url.path}",
            headers=dict(exc.headers or {}),
        )
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    return _error_response(ApiError(500, f"internal error: {type(exc).__name__}"))


def create_app(store: Store) -> Starlette:
    """The sandbox ASGI app over ``store`` (which the caller opens, seeds and closes)."""
    state = SandboxState(store)
    document = dumps(openapi_document()).encode()

    async def openapi(_: Request) -> Response:
        return _json_response(200, document)

    routes = [
        Route(op.path, _operation_endpoint(state, op), methods=[op.method]) for op in OPERATIONS
    ]
    routes += [
        Route(route.path, _admin_endpoint(state, route), methods=[route.method])
        for route in ADMIN_ROUTES
    ]
    routes.append(Route("/openapi.json", openapi, methods=["GET"]))

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await state.webhook.close()

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.sandbox = state
    app.add_middleware(_RequestLog, log=state.request_log)
    return app
