"""Each fault mode, as a plain HTTP client observes it."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest


def test_latency_delays_the_matching_route_only(
    server: Any, client: httpx.Client, created: dict[str, Any], channel_path: str
) -> None:
    server.admin.add_fault("get", latency_ms=300)
    started = time.perf_counter()
    assert client.get(f"/v1/analysis/{created['analysisId']}").status_code == 200
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    assert client.get(channel_path).status_code == 200
    assert time.perf_counter() - started < 0.3


def test_error_rate_one_answers_500_and_stores_nothing(
    server: Any, client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    server.admin.add_fault("create", error_rate=1.0)
    response = client.post(channel_path, json=create_body)
    assert response.status_code == 500
    assert response.json()["statusCode"] == 500
    server.admin.clear_faults()
    assert client.get(channel_path).json()["meta"]["total"] == 0


def test_error_rate_zero_never_fails(
    server: Any, client: httpx.Client, created: dict[str, Any]
) -> None:
    server.admin.add_fault("get", error_rate=0.0)
    statuses = {client.get(f"/v1/analysis/{created['analysisId']}").status_code for _ in range(10)}
    assert statuses == {200}


def test_rate_limit_answers_429_with_retry_after(
    server: Any, client: httpx.Client, channel_path: str
) -> None:
    server.admin.add_fault("list", retry_after=7)
    response = client.get(channel_path)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json()["statusCode"] == 429


def test_drop_after_commit_stores_the_analysis_but_the_client_sees_a_protocol_error(
    server: Any, client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    server.admin.add_fault("create", drop_after_commit=True, times=1)
    create_body["idempotencyKey"] = "dropped-then-retried"
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(channel_path, json=create_body)
    listed = client.get(channel_path).json()
    assert listed["meta"]["total"] == 1
    # The retry a careful client makes, with the same key, gets the committed result.
    retry = client.post(channel_path, json=create_body)
    assert retry.status_code == 201
    assert retry.json()["data"]["analysisId"] == listed["data"][0]["analysisId"]
    assert client.get(channel_path).json()["meta"]["total"] == 1
    dropped = [entry for entry in server.admin.requests() if entry.get("dropped")]
    assert dropped[-1]["route"] == "create"
    assert dropped[-1]["status"] == 201


def test_times_limits_a_fault_to_the_next_n_requests(
    server: Any, client: httpx.Client, channel_path: str
) -> None:
    fault = server.admin.add_fault("*", error_rate=1.0, times=2)
    assert fault["remaining"] == 2 and isinstance(fault["faultId"], int)
    assert [client.get(channel_path).status_code for _ in range(3)] == [500, 500, 200]
    assert server.admin.requests()[-1]["status"] == 200


def test_a_wildcard_fault_hits_every_route_until_cleared(
    server: Any, client: httpx.Client, created: dict[str, Any], channel_path: str
) -> None:
    server.admin.add_fault("*", retry_after=1)
    assert client.get(channel_path).status_code == 429
    assert client.get(f"/v1/analysis/{created['analysisId']}").status_code == 429
    server.admin.clear_faults()
    assert client.get(channel_path).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"route": "everything"}, "route"),
        ({"route": "get", "errorRate": 1.5}, "errorRate"),
        ({"route": "get", "latencyMs": -1}, "latencyMs"),
        ({"route": "get", "times": 0}, "times"),
        ({"route": "get", "rateLimit": {}}, "rateLimit.retryAfter"),
    ],
    ids=["unknown-route", "rate-above-one", "negative-latency", "zero-times", "no-retry-after"],
)
def test_a_malformed_fault_is_a_400_naming_the_field(
    server: Any, body: dict[str, Any], field: str
) -> None:
    response = httpx.post(f"{server.url}/_sandbox/faults", json=body)
    assert response.status_code == 400
    assert [item["field"] for item in response.json()["errors"]] == [field]
