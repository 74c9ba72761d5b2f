"""Snap to OHLC: the nearest open, high, low or close on screen, within a pixel tolerance."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from rai_charts.models import Coordinate
from rai_charts.widgets._snap import CandleGrid, Viewport, snap

START = datetime(2026, 1, 5, tzinfo=timezone.utc)
# Four hourly candles; 100 px per hour and 1000 px per price unit.
CANDLES = pd.DataFrame(
    {
        "open": [1.000, 1.010, 1.020, 1.030],
        "high": [1.015, 1.025, 1.035, 1.045],
        "low": [0.995, 1.005, 1.015, 1.025],
        "close": [1.010, 1.020, 1.030, 1.040],
    },
    index=pd.date_range(START, periods=4, freq="1h"),
)
VIEW = Viewport(START, START + timedelta(hours=4), 0.9, 1.1, width=400, height=200)
GRID = CandleGrid.from_candles(CANDLES)


def at(hours: float, price: float) -> Coordinate:
    return Coordinate(time=START + timedelta(hours=hours), price=price)


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (at(1.02, 1.0255), at(1, 1.025)),  # 2 px right of, 0.5 px above candle 1's high
        (at(2.0, 1.0158), at(2, 1.015)),  # 0.8 px above candle 2's low
        (at(2.95, 1.0302), at(3, 1.030)),  # nearer candle 3's open than candle 2's close
        (at(1.5, 1.0200), at(1.5, 1.0200)),  # 50 px from any candle: stays
        (at(1.0, 1.0400), at(1.0, 1.0400)),  # 15 px above candle 1's high: stays
    ],
    ids=["high", "low", "nearest-candle", "between-candles", "too-far-in-price"],
)
def test_snap_moves_only_within_tolerance(anchor: Coordinate, expected: Coordinate) -> None:
    assert snap(anchor, GRID, VIEW, tolerance=12) == expected


def test_tolerance_is_in_pixels_so_zooming_out_snaps_from_farther() -> None:
    anchor = at(1.0, 1.0400)
    zoomed_out = VIEW.with_price_range(0.0, 2.0)  # 100 px per price unit
    assert snap(anchor, GRID, zoomed_out, tolerance=12) == at(1, 1.025)


def test_no_candles_leaves_anchor_alone() -> None:
    empty = CandleGrid.from_candles(CANDLES.iloc[:0])
    assert snap(at(1, 1.0), empty, VIEW) == at(1, 1.0)


def test_grid_reads_timezone_aware_and_naive_indexes_alike() -> None:
    naive = CANDLES.copy()
    naive.index = naive.index.tz_localize(None)
    assert (CandleGrid.from_candles(naive).times == GRID.times).all()
