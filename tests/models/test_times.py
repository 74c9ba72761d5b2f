"""Times: datetime, pandas Timestamp and ISO strings in; UTC stored; ISO-8601 with Z out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from rai_charts.models import Coordinate, format_utc, point, to_utc

NOON_UTC = datetime(2026, 1, 8, 12, 0, tzinfo=timezone.utc)
PLUS_TWO = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(NOON_UTC, id="datetime-utc"),
        pytest.param(datetime(2026, 1, 8, 14, 0, tzinfo=PLUS_TWO), id="datetime-offset"),
        pytest.param(pd.Timestamp("2026-01-08 12:00", tz="UTC"), id="timestamp-utc"),
        pytest.param(pd.Timestamp("2026-01-08 07:00", tz="America/New_York"), id="timestamp-zone"),
        pytest.param("2026-01-08T12:00:00Z", id="iso-z"),
        pytest.param("2026-01-08T12:00:00z", id="iso-lowercase-z"),
        pytest.param("2026-01-08T14:00:00+02:00", id="iso-offset"),
        pytest.param("2026-01-08T12:00:00+00:00", id="iso-zero-offset"),
        pytest.param(" 2026-01-08T12:00:00Z ", id="iso-with-spaces"),
    ],
)
def test_times_are_stored_in_utc_and_written_with_z(given: Any) -> None:
    anchor = point(given, 1.345)
    assert anchor.time == NOON_UTC
    assert anchor.time.utcoffset() == timedelta(0)
    assert type(anchor.time) is datetime
    assert anchor.to_wire() == {"time": "2026-01-08T12:00:00Z", "price": 1.345}


def test_fractional_seconds_are_kept() -> None:
    anchor = point("2026-01-08T12:00:00.250Z", 1.0)
    assert anchor.to_wire()["time"] == "2026-01-08T12:00:00.250000Z"
    assert Coordinate.from_wire(anchor.to_wire()) == anchor


@pytest.mark.parametrize(
    "naive",
    [
        pytest.param(datetime(2026, 1, 8, 12, 0), id="datetime"),
        pytest.param(pd.Timestamp("2026-01-08 12:00"), id="timestamp"),
        pytest.param("2026-01-08T12:00:00", id="iso-without-zone"),
        pytest.param("2026-01-08", id="iso-date"),
    ],
)
def test_naive_times_are_refused_with_the_fix(naive: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        point(naive, 1.0)
    [error] = refused.value.errors()
    assert error["loc"] == ("time",)
    assert error["type"] == "naive_time"
    assert "2026-01-08" in error["msg"]
    assert "tzinfo=timezone.utc" in error["msg"]
    assert "tz_localize('UTC')" in error["msg"]
    assert "ending in 'Z'" in error["msg"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        pytest.param("tomorrow", "time_format", id="word"),
        pytest.param(1767873600, "time_type", id="unix-seconds"),
        pytest.param(pd.NaT, "time_type", id="not-a-time"),
        pytest.param(None, "time_type", id="none"),
    ],
)
def test_non_times_are_refused(value: Any, kind: str) -> None:
    with pytest.raises(ValidationError) as refused:
        point(value, 1.0)
    [error] = refused.value.errors()
    assert error["type"] == kind
    assert repr(value) in error["msg"]


def test_to_utc_is_a_plain_value_error_outside_models() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        to_utc(datetime(2026, 1, 8))


def test_format_utc_converts_offsets() -> None:
    assert format_utc(datetime(2026, 1, 8, 14, 30, tzinfo=PLUS_TWO)) == "2026-01-08T12:30:00Z"
