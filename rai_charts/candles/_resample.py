"""Timeframes of candles: recognising them and aggregating to coarser ones."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rai_charts.models import TIMEFRAMES, Timeframe

from ._normalize import CandleInput, normalize_candles
from ._sample import PANDAS_FREQUENCY

if TYPE_CHECKING:
    import pandas as pd

TIMEFRAME_LENGTH: dict[Timeframe, timedelta] = {
    "M1": timedelta(minutes=1),
    "M5": timedelta(minutes=5),
    "M15": timedelta(minutes=15),
    "M30": timedelta(minutes=30),
    "H1": timedelta(hours=1),
    "H4": timedelta(hours=4),
    "D1": timedelta(days=1),
    "W1": timedelta(weeks=1),
    "MN1": timedelta(days=30),
}
"""The nominal length of one candle of each timeframe (a month counts as 30 days)."""

_AGGREGATION = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}


def median_spacing(candles: pd.DataFrame) -> timedelta | None:
    """The usual time between two normalized candles; ``None`` for a single candle."""
    import pandas as pd

    if len(candles) < 2:
        return None
    gaps = candles.index[1:] - candles.index[:-1]
    spacing: timedelta = pd.Timedelta(gaps.median()).to_pytimedelta()
    return spacing


def infer_timeframe(candles: pd.DataFrame) -> Timeframe | None:
    """The standard timeframe of normalized candles, from their usual (median) spacing.

    ``None`` when there is a single candle or the spacing matches no timeframe.
    """
    spacing = median_spacing(candles)
    if spacing is None:
        return None
    if timedelta(days=28) <= spacing <= timedelta(days=31):
        return "MN1"
    return next((name for name, length in TIMEFRAME_LENGTH.items() if length == spacing), None)


def resample(candles: CandleInput, timeframe: Timeframe) -> pd.DataFrame:
    """Candles aggregated to ``timeframe``: first open, max high, min low, last close, summed
    volume; each candle labelled with the start of its period; periods with no candle left out.

    Periods start on the minute, hour or UTC midnight; weeks on Monday; months on the 1st.
    Accepts whatever :func:`normalize_candles` accepts. Raises ``ValueError`` for an unknown
    timeframe or one finer than the candles'.
    """
    if timeframe not in TIMEFRAMES:
        raise ValueError(f"timeframe must be one of {', '.join(TIMEFRAMES)}, got {timeframe!r}")
    frame = normalize_candles(candles)
    source = infer_timeframe(frame)
    if source is not None and TIMEFRAMES.index(timeframe) < TIMEFRAMES.index(source):
        raise ValueError(
            f"cannot resample {source} candles to the finer timeframe {timeframe}; "
            f"choose {', '.join(TIMEFRAMES[TIMEFRAMES.index(source) :])}"
        )
    return _aggregate(frame, timeframe)


def _aggregate(frame: pd.DataFrame, timeframe: Timeframe) -> pd.DataFrame:
    rule = {name: how for name, how in _AGGREGATION.items() if name in frame}
    bins = frame.resample(PANDAS_FREQUENCY[timeframe], closed="left", label="left")
    result: pd.DataFrame = bins.agg(rule).dropna(subset=["open"])
    result.index.name = "time"
    return result


def resample_to_fit(
    candles: pd.DataFrame, max_candles: int
) -> tuple[pd.DataFrame, Timeframe | None]:
    """Normalized candles at the finest standard timeframe with at most ``max_candles``.

    Returns the candles unchanged and ``None`` when they already fit; otherwise the resampled
    candles and their timeframe (``MN1`` when even monthly candles are too many).
    """
    if max_candles < 1:
        raise ValueError(f"max_candles must be at least 1, got {max_candles!r}")
    if len(candles) <= max_candles:
        return candles, None
    source = infer_timeframe(candles)
    spacing = median_spacing(candles) or timedelta(0)
    coarser = [
        name
        for name in TIMEFRAMES
        if (source is None and TIMEFRAME_LENGTH[name] > spacing)
        or (source is not None and TIMEFRAMES.index(name) > TIMEFRAMES.index(source))
    ] or ["MN1"]
    close = candles["close"]
    for name in coarser[:-1]:
        periods = close.resample(PANDAS_FREQUENCY[name], closed="left", label="left").count()
        if int((periods > 0).sum()) <= max_candles:
            return _aggregate(candles, name), name
    return _aggregate(candles, coarser[-1]), coarser[-1]
