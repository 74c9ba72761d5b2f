"""Resampling on hand-checked cases: first open, max high, min low, last close, summed volume."""

from __future__ import annotations

import pandas as pd
import pytest

from rai_charts import resample
from rai_charts.candles import infer_timeframe, resample_to_fit, sample_candles


def candles(rows: list[tuple[str, float, float, float, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["time", "open", "high", "low", "close", "volume"])
    return frame


def test_m1_to_m5_aggregates_each_five_minutes() -> None:
    minutes = candles(
        [
            ("2024-01-02T00:00:00Z", 10, 12, 9, 11, 1),
            ("2024-01-02T00:01:00Z", 11, 15, 10, 14, 2),
            ("2024-01-02T00:02:00Z", 14, 14, 8, 9, 3),
            ("2024-01-02T00:04:00Z", 9, 10, 9, 10, 4),
            ("2024-01-02T00:05:00Z", 10, 11, 7, 8, 5),
            ("2024-01-02T00:09:00Z", 8, 9, 8, 9, 6),
        ]
    )

    result = resample(minutes, "M5")

    assert result.index.tolist() == [
        pd.Timestamp("2024-01-02T00:00:00Z"),
        pd.Timestamp("2024-01-02T00:05:00Z"),
    ]
    assert result.to_dict("list") == {
        "open": [10, 10],
        "high": [15, 11],
        "low": [8, 7],
        "close": [10, 9],
        "volume": [10, 11],
    }


def test_h1_to_d1_cuts_at_utc_midnight_and_leaves_out_empty_days() -> None:
    hours = candles(
        [
            ("2024-01-04T22:00:00Z", 1.0, 1.2, 0.9, 1.1, 5),
            ("2024-01-04T23:00:00Z", 1.1, 1.3, 1.0, 1.2, 5),
            ("2024-01-05T00:00:00Z", 1.2, 1.25, 1.15, 1.16, 7),
            ("2024-01-08T00:00:00Z", 1.3, 1.4, 1.28, 1.35, 9),
        ]
    )

    result = resample(hours, "D1")

    assert [time.date().isoformat() for time in result.index] == [
        "2024-01-04",
        "2024-01-05",
        "2024-01-08",
    ]
    assert result.iloc[0].tolist() == [1.0, 1.3, 0.9, 1.2, 10]


def test_d1_to_w1_weeks_start_on_monday() -> None:
    days = candles(
        [
            ("2024-01-05T00:00:00Z", 1, 2, 0.5, 1.5, 1),  # Friday
            ("2024-01-07T00:00:00Z", 1.5, 3, 1.4, 2.5, 1),  # Sunday, same week
            ("2024-01-08T00:00:00Z", 2.5, 2.6, 2.0, 2.1, 1),  # Monday, next week
        ]
    )

    result = resample(days, "W1")

    assert result.index.tolist() == [
        pd.Timestamp("2024-01-01T00:00:00Z"),
        pd.Timestamp("2024-01-08T00:00:00Z"),
    ]
    assert result["high"].tolist() == [3, 2.6]
    assert result["close"].tolist() == [2.5, 2.1]


def test_d1_to_mn1_months_start_on_the_first() -> None:
    days = candles(
        [
            ("2024-01-30T00:00:00Z", 1, 2, 0.5, 1.5, 1),
            ("2024-01-31T00:00:00Z", 1.5, 1.6, 1.0, 1.1, 2),
            ("2024-02-01T00:00:00Z", 1.1, 1.2, 1.0, 1.05, 3),
        ]
    )

    result = resample(days, "MN1")

    assert result.index.tolist() == [
        pd.Timestamp("2024-01-01T00:00:00Z"),
        pd.Timestamp("2024-02-01T00:00:00Z"),
    ]
    assert result.iloc[0].tolist() == [1, 2, 0.5, 1.1, 3]


def test_candles_without_volume_resample_without_volume() -> None:
    result = resample(sample_candles("GBP/USD", "M1", 10).drop(columns="volume"), "M5")

    assert list(result.columns) == ["open", "high", "low", "close"]


@pytest.mark.parametrize(
    ("timeframe", "message"),
    [
        pytest.param("M5", "cannot resample H1 candles to the finer timeframe M5", id="finer"),
        pytest.param("H2", "timeframe must be one of M1, M5", id="unknown"),
    ],
)
def test_impossible_timeframes_are_refused(timeframe: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resample(sample_candles("GBP/USD", "H1", 10), timeframe)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("timeframe", "periods"),
    [("M1", 30), ("M15", 30), ("H4", 30), ("D1", 30), ("W1", 30), ("MN1", 30)],
)
def test_timeframe_is_recognised_from_the_spacing(timeframe: str, periods: int) -> None:
    assert infer_timeframe(sample_candles("GBP/USD", timeframe, periods)) == timeframe  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("max_candles", "timeframe", "count"),
    [
        pytest.param(100, None, 100, id="fits-as-is"),
        pytest.param(30, "M5", 20, id="m5"),
        pytest.param(19, "M15", 7, id="m15"),
        pytest.param(5, "M30", 4, id="m30"),
        pytest.param(1, "H4", 1, id="coarsest-needed"),
    ],
)
def test_resample_to_fit_picks_the_finest_timeframe_that_fits(
    max_candles: int, timeframe: str | None, count: int
) -> None:
    minutes = sample_candles("GBP/USD", "M1", 100, end="2024-01-02T01:39:00Z")

    result, chosen = resample_to_fit(minutes, max_candles)

    assert (chosen, len(result)) == (timeframe, count)
