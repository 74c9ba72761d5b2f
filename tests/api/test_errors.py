"""Every error class the server can produce, through both clients, and what each carries.

422 and APIResponseValidationError need a mock server (see test_mechanics.py).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from api.client_support import Api, logged_routes, publish
from rai_charts.api import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RaiChartsError,
    RateLimitError,
)
from rai_charts.models import Analysis, horizontal_line

MISSING_ID = "0123456789abcdef01234567"

Runnable = tuple[Api, Callable[[Any], Any]]


@dataclass(frozen=True)
class Case:
    error: type[APIError]
    status: int | None
    route: str
    setup: Callable[[Api, Any, Any, Analysis], tuple[Api, Callable[[Any], Any]]]
    """Prepares the server; returns the client to call with and the call."""


def _bad_sender(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    return api, lambda c: c.analyses.create(
        analysis,
        community_id=server.community_id,
        channel_id=server.channel_id,
        sender="stranger@example.com",
    )


def _wrong_key(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    return api.other(api_key="not-a-key-of-this-server"), lambda c: c.analyses.get(MISSING_ID)


def _read_only_key(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    key = admin.create_key(server.community_id, ["readAnalysis"])
    return api.other(api_key=key), lambda c: c.analyses.create(
        analysis,
        community_id=server.community_id,
        channel_id=server.channel_id,
        sender=server.sender,
    )


def _missing(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    return api, lambda c: c.analyses.get(MISSING_ID)


def _duplicate_drawing(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    analysis_id = publish(api, server, analysis).analysis_id
    admin.clear_requests()
    taken = horizontal_line("target", 1.3, time="2026-01-08T12:00:00Z")
    return api, lambda c: c.analyses.append_drawings(analysis_id, [taken], sender=server.sender)


def _rate_limited(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    admin.add_fault("get", retry_after=7, times=1)
    return api.other(max_retries=0), lambda c: c.analyses.get(MISSING_ID)


def _server_error(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    admin.add_fault("get", error_rate=1.0, times=1)
    return api.other(max_retries=0), lambda c: c.analyses.get(MISSING_ID)


def _timeout(api: Api, server: Any, admin: Any, analysis: Analysis) -> Runnable:
    admin.add_fault("get", latency_ms=500, times=1)
    return api.other(max_retries=0, timeout=0.1), lambda c: c.analyses.get(MISSING_ID)


CASES = {
    "400-bad-request": Case(BadRequestError, 400, "create", _bad_sender),
    "401-authentication": Case(AuthenticationError, 401, "get", _wrong_key),
    "403-permission-denied": Case(PermissionDeniedError, 403, "create", _read_only_key),
    "404-not-found": Case(NotFoundError, 404, "get", _missing),
    "409-conflict": Case(ConflictError, 409, "append", _duplicate_drawing),
    "429-rate-limit": Case(RateLimitError, 429, "get", _rate_limited),
    "500-internal-server": Case(InternalServerError, 500, "get", _server_error),
    "timeout": Case(APITimeoutError, None, "get", _timeout),
}


@pytest.mark.parametrize("name", list(CASES))
def test_error_class_and_what_it_carries(
    api: Api, server: Any, admin: Any, analysis: Analysis, name: str
) -> None:
    case = CASES[name]
    client, call = case.setup(api, server, admin, analysis)
    with pytest.raises(case.error) as caught:
        client.run(call)
    error = caught.value
    assert type(error) is case.error
    assert isinstance(error, RaiChartsError)
    assert error.method in {"GET", "POST"}
    assert error.url.startswith(server.url + "/v1/analysis/")
    assert error.method in str(error) and error.url in str(error)
    # One request: refusals are never retried; the retryable ones ran with max_retries=0.
    assert logged_routes(admin) == [case.route]
    if case.status is None:
        return
    assert isinstance(error, APIStatusError)
    assert error.status_code == case.status
    assert error.response.status_code == case.status
    assert error.body["statusCode"] == case.status
    assert error.body["message"] in str(error)
    assert error.text == error.response.text
    assert str(case.status) in str(error)


def test_bad_request_names_the_offending_field(api: Api, server: Any, analysis: Analysis) -> None:
    client, call = _bad_sender(api, server, None, analysis)
    with pytest.raises(BadRequestError) as caught:
        client.run(call)
    assert [item["field"] for item in caught.value.errors] == ["sender"]


def test_conflict_names_the_taken_drawing_id(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    client, call = _duplicate_drawing(api, server, admin, analysis)
    with pytest.raises(ConflictError) as caught:
        client.run(call)
    assert "target" in str(caught.value)
    assert caught.value.errors[0]["field"] == "drawings.0.clientObjectId"


def test_rate_limit_error_keeps_the_retry_after_header(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    client, call = _rate_limited(api, server, admin, analysis)
    with pytest.raises(RateLimitError) as caught:
        client.run(call)
    assert caught.value.response.headers["retry-after"] == "7"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_is_a_connection_error_after_every_retry(api: Api) -> None:
    nowhere = api.other(base_url=f"http://127.0.0.1:{closed_port()}", max_retries=2)
    with pytest.raises(APIConnectionError) as caught:
        nowhere.run(lambda c: c.analyses.get(MISSING_ID))
    error = caught.value
    assert type(error) is APIConnectionError
    assert error.url == f"{nowhere.client.base_url}/v1/analysis/{MISSING_ID}"
    assert "ConnectError" in str(error)
    assert error.__cause__ is not None
