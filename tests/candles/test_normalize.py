"""normalize_candles: every accepted input comes out as one UTC-indexed float frame."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from rai_charts import CandleDataError
from rai_charts.candles import normalize_candles

TIMES = ["2024-01-02T00:00:00Z", "2024-01-02T01:00:00Z"]
ROWS = [
    {"time": TIMES[0], "open": 1.0, "high": 1.5, "low": 0.9, "close": 1.2},
    {"time": TIMES[1], "open": 1.2, "high": 1.3, "low": 1.1, "close": 1.1},
]


def expected() -> pd.DataFrame:
    frame = pd.DataFrame(
        {"open": [1.0, 1.2], "high": [1.5, 1.3], "low": [0.9, 1.1], "close": [1.2, 1.1]},
        index=pd.DatetimeIndex(TIMES, name="time"),
    )
    return frame


def frame_with_index(**changes: Any) -> pd.DataFrame:
    frame = pd.DataFrame(ROWS).set_index("time")
    frame.index = pd.DatetimeIndex(frame.index)
    for name, value in changes.items():
        setattr(frame, name, value)
    return frame


@pytest.mark.parametrize(
    "candles",
    [
        pytest.param(ROWS, id="list-of-dicts"),
        pytest.param(pd.DataFrame(ROWS), id="time-column-iso"),
        pytest.param(
            pd.DataFrame(ROWS).rename(columns=str.upper).rename(columns={"TIME": "Date"}),
            id="upper-case-columns-date-column",
        ),
        pytest.param(pd.DataFrame(ROWS).assign(time=[1704153600, 1704157200]), id="unix-seconds"),
        pytest.param(
            pd.DataFrame(ROWS).assign(time=[1704153600000, 1704157200000]),
            id="unix-milliseconds",
        ),
        pytest.param(frame_with_index(), id="datetime-index"),
        pytest.param(frame_with_index().tz_convert("America/New_York"), id="index-in-another-zone"),
        pytest.param(frame_with_index().tz_localize(None), id="naive-index-taken-as-utc"),
        pytest.param(frame_with_index().iloc[::-1], id="unsorted"),
        pytest.param(frame_with_index().assign(note=["a", "b"]), id="extra-column-dropped"),
    ],
)
def test_accepted_inputs_become_the_same_frame(candles: Any) -> None:
    pd.testing.assert_frame_equal(normalize_candles(candles), expected(), check_freq=False)


def test_volume_is_kept_as_float() -> None:
    candles = normalize_candles([{**row, "Volume": 10} for row in ROWS])

    assert candles["volume"].tolist() == [10.0, 10.0]


def test_naive_times_are_taken_in_the_given_timezone() -> None:
    candles = normalize_candles(frame_with_index().tz_localize(None), timezone="Asia/Tokyo")

    assert candles.index[0] == pd.Timestamp("2024-01-01T15:00:00Z")


@pytest.mark.parametrize(
    ("candles", "message"),
    [
        pytest.param(
            [{**ROWS[0], "close": "abc"}, ROWS[1]],
            "row 0, column close: 'abc' is not a number",
            id="not-a-number",
        ),
        pytest.param(
            [ROWS[0], {**ROWS[1], "low": 1.15}],
            "row 1, column low: low 1.15 is above open/close 1.1",
            id="low-above-body",
        ),
        pytest.param(
            [ROWS[0], {**ROWS[1], "time": TIMES[0]}],
            "row 0, row 1: the time 2024-01-02T00:00:00+00:00 is repeated",
            id="repeated-time",
        ),
        pytest.param(
            [{key: value for key, value in row.items() if key != "high"} for row in ROWS],
            "candles lack the column high",
            id="missing-column",
        ),
        pytest.param(
            [{key: value for key, value in row.items() if key != "time"} for row in ROWS],
            "candles need a time",
            id="no-time",
        ),
        pytest.param(
            [{**ROWS[0], "time": "soon"}, ROWS[1]],
            "row 0, column time: 'soon' is not a time",
            id="not-a-time",
        ),
        pytest.param([], "no candles", id="empty"),
    ],
)
def test_bad_candles_are_named_by_row_and_column(candles: Any, message: str) -> None:
    with pytest.raises(CandleDataError) as raised:
        normalize_candles(candles)

    assert message in str(raised.value)


def test_candle_data_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no candles"):
        normalize_candles([])


@pytest.mark.parametrize("candles", ["prices.csv", 42, [1, 2]], ids=["string", "number", "ints"])
def test_anything_but_a_table_is_a_type_error(candles: Any) -> None:
    with pytest.raises(TypeError):
        normalize_candles(candles)
