"""Retries per fault mode, injected by the local server: 429 with Retry-After, 500s, timeouts,
and "commit, then drop the connection" (which must never duplicate anything)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from api.client_support import Api, publish
from rai_charts.api import InternalServerError
from rai_charts.models import Analysis, horizontal_line


def arrivals(admin: Any, route: str) -> list[tuple[int, datetime]]:
    return [
        (entry["status"], datetime.fromisoformat(entry["at"].replace("Z", "+00:00")))
        for entry in admin.requests()
        if entry["route"] == route
    ]


@pytest.mark.parametrize(
    ("max_retry_delay", "waited_at_least", "waited_under"),
    [
        pytest.param(5.0, 0.95, None, id="honoured"),
        pytest.param(0.05, 0.0, 0.9, id="capped-by-max-retry-delay"),
    ],
)
def test_429_waits_for_retry_after_then_succeeds(
    api: Api,
    server: Any,
    admin: Any,
    analysis: Analysis,
    max_retry_delay: float,
    waited_at_least: float,
    waited_under: float | None,
) -> None:
    analysis_id = publish(api, server, analysis).analysis_id
    admin.add_fault("get", retry_after=1, times=1)
    patient = api.other(max_retry_delay=max_retry_delay)
    raw = patient.run(lambda c: c.analyses.with_raw_response.get(analysis_id))
    assert (raw.status_code, raw.retries_taken) == (200, 1)
    (first_status, first_at), (second_status, second_at) = arrivals(admin, "get")
    assert (first_status, second_status) == (429, 200)
    gap = (second_at - first_at).total_seconds()
    assert gap >= waited_at_least
    if waited_under is not None:
        assert gap < waited_under


def test_500_then_success(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    analysis_id = publish(api, server, analysis).analysis_id
    admin.add_fault("get", error_rate=1.0, times=1)
    raw = api.run(lambda c: c.analyses.with_raw_response.get(analysis_id))
    assert (raw.status_code, raw.retries_taken) == (200, 1)
    assert raw.parse().analysis_id == analysis_id
    assert [status for status, _ in arrivals(admin, "get")] == [500, 200]


def test_every_5xx_exhausts_the_retries_then_raises(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    analysis_id = publish(api, server, analysis).analysis_id
    admin.add_fault("get", error_rate=1.0, times=3)
    with pytest.raises(InternalServerError):
        api.run(lambda c: c.analyses.get(analysis_id))
    assert [status for status, _ in arrivals(admin, "get")] == [500, 500, 500]


def test_timeout_then_success(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    analysis_id = publish(api, server, analysis).analysis_id
    admin.add_fault("get", latency_ms=400, times=1)
    hasty = api.other(timeout=0.15)
    raw = hasty.run(lambda c: c.analyses.with_raw_response.get(analysis_id))
    assert (raw.status_code, raw.retries_taken) == (200, 1)


def test_with_options_changes_retries_for_one_call_only(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    analysis_id = publish(api, server, analysis).analysis_id
    admin.add_fault("get", error_rate=1.0, times=1)
    with pytest.raises(InternalServerError):
        api.run(lambda c: c.with_options(max_retries=0).analyses.get(analysis_id))
    admin.add_fault("get", error_rate=1.0, times=1)
    assert api.run(lambda c: c.analyses.get(analysis_id)).analysis_id == analysis_id
    assert [status for status, _ in arrivals(admin, "get")] == [500, 500, 200]


LOGICAL_CALLS = 100
"""Creates, and as many appends: 200 calls, each first attempt committed then dropped."""


def test_commit_then_drop_never_duplicates_an_analysis_or_a_drawing(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    channel_id = admin.create_channel(server.community_id, f"commit-then-drop {api.kind}")
    created = []
    for _ in range(LOGICAL_CALLS):
        admin.add_fault("create", drop_after_commit=True, times=1)
        created.append(publish(api, server, analysis, channel_id=channel_id).analysis_id)
    target = created[0]
    for index in range(LOGICAL_CALLS):
        admin.add_fault("append", drop_after_commit=True, times=1)
        line = horizontal_line(f"line_{index}", 1.3 + index / 10_000, time="2026-01-08T12:00:00Z")
        result = api.run(
            lambda c, line=line: c.analyses.append_drawings(target, [line], sender=server.sender)
        )
        assert result.appended == [f"line_{index}"]

    routes = [entry["route"] for entry in admin.requests()]
    # Every logical call went out twice: the committed-then-dropped attempt and its retry.
    assert routes.count("create") == routes.count("append") == 2 * LOGICAL_CALLS
    listed = api.collect(
        lambda c: c.analyses.list(
            community_id=server.community_id, channel_id=channel_id, limit=100
        )
    )
    assert sorted(summary.analysis_id for summary in listed) == sorted(created)
    assert len(set(created)) == LOGICAL_CALLS
    stored = api.run(lambda c: c.analyses.get(target))
    assert [drawing.client_object_id for drawing in stored.drawings] == [
        *(drawing.client_object_id for drawing in analysis.drawings),
        *(f"line_{index}" for index in range(LOGICAL_CALLS)),
    ]
