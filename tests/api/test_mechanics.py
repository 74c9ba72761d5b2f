"""Client mechanics the local server cannot produce, on httpx's MockTransport.

Each test says which mechanic it needs the mock for; everything the server can produce is tested
against it over real HTTP in the other files.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from api.client_support import example_analysis
from rai_charts.api import (
    APIResponseValidationError,
    APIStatusError,
    AsyncClient,
    Client,
    InternalServerError,
    UnprocessableEntityError,
)
from rai_charts.api._base import parse_retry_after, retry_delay

ANALYSIS_ID = "6960eaf9294dfdd00c5875bf"
COMMUNITY_ID = "6502c9e514a3e564c5c09c0a"
CHANNEL_ID = "656966caae59563fb291b324"
KEY = "sk-mock-0123456789abcdef"


def detail_wire(**extra: Any) -> dict[str, Any]:
    return {
        **example_analysis().to_wire(),
        "analysisId": ANALYSIS_ID,
        "communityId": COMMUNITY_ID,
        "channelId": CHANNEL_ID,
        "sender": "trader@example.com",
        "type": "bullish_bounce",
        "createdAt": "2026-01-09T10:00:00Z",
        "updatedAt": "2026-01-09T10:00:00Z",
        **extra,
    }


def scripted(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering each request with the next scripted response."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(handle), seen


def mock_client(transport: httpx.MockTransport, **options: Any) -> Client:
    return Client(KEY, "http://mock.test", http_client=httpx.Client(transport=transport), **options)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the sync client asks for, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    return recorded


def http_date(seconds_from_now: float) -> str:
    when = datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("2", 2.0, id="seconds"),
        pytest.param("0.25", 0.25, id="fractional-seconds"),
        pytest.param("-3", 0.0, id="negative-seconds-mean-now"),
        pytest.param("Wed, 21 Oct 2015 07:28:00 GMT", 0.0, id="date-in-the-past"),
        pytest.param("soon", None, id="unreadable"),
    ],
)
def test_retry_after_header_is_read_as_seconds_or_http_date(
    header: str, expected: float | None
) -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": header})) == expected


def test_retry_after_http_date_counts_from_now() -> None:
    now = datetime(2026, 1, 9, 12, 0, 0, tzinfo=timezone.utc)
    header = email.utils.format_datetime(now + timedelta(seconds=42), usegmt=True)
    headers = httpx.Headers({"Retry-After": header})
    assert parse_retry_after(headers, now=now.timestamp()) == 42.0


def test_backoff_doubles_with_jitter_and_stops_at_the_cap() -> None:
    delays = [retry_delay(attempt, None, initial_delay=0.5, max_delay=3.0) for attempt in range(5)]
    for attempt, delay in enumerate(delays):
        ceiling = min(0.5 * 2**attempt, 3.0)
        assert 0.75 * ceiling <= delay <= ceiling


def test_http_date_retry_after_is_honoured(sleeps: list[float]) -> None:
    # Mock needed: the sandbox sends Retry-After in seconds only.
    transport, seen = scripted(
        httpx.Response(503, headers={"Retry-After": http_date(3)}, json={"message": "busy"}),
        httpx.Response(200, json={"status": "success", "data": detail_wire()}),
    )
    with mock_client(transport, initial_retry_delay=0.001, max_retry_delay=30) as client:
        detail = client.analyses.get(ANALYSIS_ID)
    assert detail.analysis_id == ANALYSIS_ID
    assert len(seen) == 2
    assert len(sleeps) == 1 and 1.5 < sleeps[0] <= 3.0


def test_retry_after_longer_than_the_cap_waits_the_cap(sleeps: list[float]) -> None:
    # Mock needed: an HTTP-date Retry-After far in the future.
    transport, _ = scripted(
        httpx.Response(429, headers={"Retry-After": http_date(600)}),
        httpx.Response(200, json={"status": "success", "data": detail_wire()}),
    )
    with mock_client(transport, max_retry_delay=5) as client:
        client.analyses.get(ANALYSIS_ID)
    assert sleeps == [5]


def test_408_is_retried_and_422_is_not(sleeps: list[float]) -> None:
    # Mock needed: the sandbox never answers 408 or 422.
    transport, seen = scripted(
        httpx.Response(408, json={"message": "slow"}),
        httpx.Response(200, json={"status": "success", "data": detail_wire()}),
        httpx.Response(422, json={"status": "error", "statusCode": 422, "message": "nope"}),
    )
    with mock_client(transport) as client:
        client.analyses.get(ANALYSIS_ID)
        assert len(seen) == 2
        with pytest.raises(UnprocessableEntityError) as caught:
            client.analyses.get(ANALYSIS_ID)
    assert len(seen) == 3
    assert caught.value.status_code == 422
    assert caught.value.body == {"status": "error", "statusCode": 422, "message": "nope"}


def test_non_json_error_body_is_kept_as_raw_text() -> None:
    # Mock needed: the sandbox always answers JSON.
    page = "<html><body>502 Bad Gateway</body></html>"
    transport, _ = scripted(httpx.Response(502, text=page, headers={"content-type": "text/html"}))
    with (
        mock_client(transport, max_retries=0) as client,
        pytest.raises(InternalServerError) as caught,
    ):
        client.analyses.get(ANALYSIS_ID)
    error = caught.value
    assert (error.status_code, error.body, error.text) == (502, None, page)
    assert error.method == "GET"
    assert error.url == f"http://mock.test/v1/analysis/{ANALYSIS_ID}"
    assert "502 Bad Gateway" in str(error)


def test_status_without_its_own_class_is_a_plain_api_status_error() -> None:
    # Mock needed: the sandbox has no route answering 418.
    transport, _ = scripted(httpx.Response(418, json={"message": "teapot"}))
    with mock_client(transport) as client, pytest.raises(APIStatusError) as caught:
        client.analyses.get(ANALYSIS_ID)
    assert type(caught.value) is APIStatusError
    assert caught.value.status_code == 418


def test_api_key_echoed_by_a_server_is_masked_in_the_error() -> None:
    # Mock needed: the sandbox never echoes a key back.
    transport, _ = scripted(
        httpx.Response(401, json={"message": f"unknown key {KEY}", "statusCode": 401})
    )
    with mock_client(transport) as client, pytest.raises(APIStatusError) as caught:
        client.analyses.get(ANALYSIS_ID)
    error = caught.value
    for text in (str(error), repr(error), error.text, error.message):
        assert KEY not in text
    assert "unknown key ***" in str(error)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"status": "success", "data": detail_wire()}, id="style-a"),
        pytest.param(
            {
                "meta": {"status": "success", "statusCode": 200},
                "message": "ok",
                "data": detail_wire(),
            },
            id="style-b",
        ),
        pytest.param(detail_wire(), id="bare-payload"),
    ],
)
def test_get_accepts_every_envelope_style(document: dict[str, Any]) -> None:
    # Mock needed: the sandbox answers get in style A only.
    transport, _ = scripted(httpx.Response(200, json=document))
    with mock_client(transport) as client:
        assert client.analyses.get(ANALYSIS_ID).analysis_id == ANALYSIS_ID


def test_unknown_fields_are_kept() -> None:
    # Mock needed: the sandbox answers exactly the contract's fields.
    document = {
        "status": "success",
        "requestId": "r-1",
        "data": detail_wire(riskScore=7, metadata={**detail_wire()["metadata"], "mood": "calm"}),
    }
    transport, _ = scripted(httpx.Response(200, json=document))
    with mock_client(transport) as client:
        raw = client.analyses.with_raw_response.get(ANALYSIS_ID)
    detail = raw.parse()
    assert detail.model_extra == {"riskScore": 7}
    assert detail.metadata.model_extra == {"mood": "calm"}
    assert raw.json()["requestId"] == "r-1"
    assert detail.to_wire()["riskScore"] == 7


def style_a_pages(total: int, per_page: int) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        pages = -(-total // per_page)
        first = (page - 1) * per_page
        rows = [
            {"analysisId": f"{index:024x}", "title": f"analysis {index}"}
            for index in range(first, min(first + per_page, total))
        ]
        return httpx.Response(
            200,
            json={
                "status": "success",
                "data": rows,
                "pagination": {
                    "total": total,
                    "currentPage": page,
                    "totalPages": pages,
                    "hasNextPage": page < pages,
                    "hasPrevPage": page > 1,
                },
            },
        )

    return handle


def test_list_walks_style_a_pagination() -> None:
    # Mock needed: the sandbox lists in the meta envelope (style B) only.
    transport = httpx.MockTransport(style_a_pages(total=11, per_page=3))
    with mock_client(transport) as client:
        first = client.analyses.list(community_id=COMMUNITY_ID, channel_id=CHANNEL_ID)
        titles = [summary.title for summary in first]
        pages = [len(page) for page in first.iter_pages()]
    assert titles == [f"analysis {index}" for index in range(11)]
    assert pages == [3, 3, 3, 2]
    assert first.info.total == 11


@pytest.mark.anyio
async def test_async_list_walks_style_a_pagination() -> None:
    # Mock needed: as above, for AsyncClient.
    transport = httpx.MockTransport(style_a_pages(total=7, per_page=2))
    async with AsyncClient(
        KEY, "http://mock.test", http_client=httpx.AsyncClient(transport=transport)
    ) as client:
        titles = [
            summary.title
            async for summary in client.analyses.list(
                community_id=COMMUNITY_ID, channel_id=CHANNEL_ID
            )
        ]
    assert titles == [f"analysis {index}" for index in range(7)]


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(httpx.Response(200, text="<html>ok</html>"), id="not-json"),
        pytest.param(
            httpx.Response(200, json={"status": "success", "data": {"x": 1}}), id="wrong-shape"
        ),
    ],
)
def test_malformed_success_response_is_a_response_validation_error(
    response: httpx.Response,
) -> None:
    # Mock needed: the sandbox always answers the contract's shapes.
    transport, _ = scripted(response)
    with mock_client(transport) as client, pytest.raises(APIResponseValidationError) as caught:
        client.analyses.get(ANALYSIS_ID)
    assert caught.value.method == "GET"
    assert ANALYSIS_ID in caught.value.url


def test_debug_log_line_has_method_url_status_and_timing(
    debug_log: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    # Mock needed only to keep this a unit test; the real-server variant checks the key.
    transport, _ = scripted(httpx.Response(200, json={"status": "success", "data": detail_wire()}))
    with mock_client(transport) as client:
        assert debug_log.level == logging.DEBUG
        client.analyses.get(ANALYSIS_ID)
    lines = [record.getMessage() for record in caplog.records if record.name == "rai_charts.api"]
    assert len(lines) == 1
    method_url, _, outcome = lines[0].partition(" -> ")
    assert method_url == f"GET http://mock.test/v1/analysis/{ANALYSIS_ID}"
    assert outcome.startswith("200 in ") and outcome.endswith(" ms")


def test_request_body_is_the_wire_json_of_the_analysis() -> None:
    # Mock needed: to read the exact bytes the client sends.
    transport, seen = scripted(
        httpx.Response(201, json={"status": "success", "data": detail_wire()})
    )
    analysis = example_analysis()
    with mock_client(transport) as client:
        client.analyses.create(
            analysis,
            community_id=COMMUNITY_ID,
            channel_id=CHANNEL_ID,
            sender="trader@example.com",
            idempotency_key="key-1",
        )
    body = json.loads(seen[0].content)
    assert body == {
        **analysis.to_wire(),
        "sender": "trader@example.com",
        "idempotencyKey": "key-1",
    }
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"
    assert seen[0].headers["content-type"] == "application/json"


def test_sync_resends_a_create_whose_success_was_unreadable_with_the_same_key() -> None:
    # Mock needed: the sandbox never answers a 2xx the client cannot read.
    transport, seen = scripted(
        httpx.Response(201, text="<html>created</html>"),
        httpx.Response(201, json={"status": "success", "data": detail_wire()}),
    )
    with mock_client(transport) as client:
        session = client.analyses.sync_session(
            community_id=COMMUNITY_ID, channel_id=CHANNEL_ID, sender="trader@example.com"
        )
        analysis = example_analysis()
        with pytest.raises(APIResponseValidationError):
            session.sync(analysis)
        assert session.status == "error"
        result = session.sync(analysis)
    assert (result.operations, result.analysis_id) == (("create",), ANALYSIS_ID)
    first, second = (json.loads(request.content) for request in seen)
    assert first == second
    assert first["idempotencyKey"].startswith("rai-charts-")
