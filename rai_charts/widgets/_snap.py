"""Snap to OHLC: move an anchor onto the nearest candle's open, high, low or close.

Distances are measured in screen pixels, so the tolerance feels the same at every zoom level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import numpy as np

from rai_charts.models import Coordinate

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_TOLERANCE_PIXELS = 12.0
"""How close, in pixels, an anchor must be to a candle's price to snap onto it."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def epoch_seconds(time: datetime) -> float:
    """Seconds since 1970-01-01 UTC."""
    return (time - _EPOCH).total_seconds()


def from_epoch_seconds(seconds: float) -> datetime:
    """The UTC time ``seconds`` after 1970-01-01, to the microsecond."""
    return _EPOCH + timedelta(microseconds=round(seconds * 1_000_000))


@dataclass(frozen=True)
class Viewport:
    """What the chart shows and how big it is on screen: turns pixels into time and price."""

    start: datetime
    """Time at the left edge of the plot area."""
    end: datetime
    """Time at the right edge."""
    low: float
    """Price at the bottom edge."""
    high: float
    """Price at the top edge."""
    width: float = 800.0
    """Plot area width in pixels."""
    height: float = 400.0
    """Plot area height in pixels."""

    @property
    def seconds_per_pixel(self) -> float:
        """Time across one pixel."""
        return max((self.end - self.start).total_seconds(), 1e-9) / max(self.width, 1.0)

    @property
    def price_per_pixel(self) -> float:
        """Price across one pixel."""
        return max(abs(self.high - self.low), 1e-12) / max(self.height, 1.0)

    def with_price_range(self, low: float, high: float) -> Viewport:
        """The same viewport showing ``low`` to ``high``."""
        return replace(self, low=low, high=high)


@dataclass(frozen=True, eq=False)
class CandleGrid:
    """Candle times and prices as arrays, for fast nearest-candle look-ups."""

    times: np.ndarray
    """Candle times as float seconds since 1970 UTC, ascending."""
    prices: np.ndarray
    """One row per candle: open, high, low, close."""

    @classmethod
    def from_candles(cls, candles: pd.DataFrame) -> CandleGrid:
        """From a frame indexed by UTC time with open, high, low and close columns."""
        import pandas as pd

        index = pd.DatetimeIndex(candles.index)
        if index.tz is not None:
            index = index.tz_convert("UTC").tz_localize(None)
        return cls(
            times=index.to_numpy(dtype="datetime64[ns]").astype(np.int64) / 1e9,
            prices=candles[["open", "high", "low", "close"]].to_numpy(dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.times)


def snap(
    anchor: Coordinate,
    candles: CandleGrid,
    viewport: Viewport,
    tolerance: float = DEFAULT_TOLERANCE_PIXELS,
) -> Coordinate:
    """``anchor`` moved onto the nearest open, high, low or close (as seen on screen) when
    one lies within ``tolerance`` pixels; otherwise ``anchor`` unchanged."""
    if not len(candles):
        return anchor
    seconds = epoch_seconds(anchor.time)
    reach = tolerance * viewport.seconds_per_pixel
    first = int(np.searchsorted(candles.times, seconds - reach, side="left"))
    last = int(np.searchsorted(candles.times, seconds + reach, side="right"))
    if first >= last:
        return anchor
    dx = (candles.times[first:last] - seconds) / viewport.seconds_per_pixel
    dy = (candles.prices[first:last] - anchor.price) / viewport.price_per_pixel
    distance = np.hypot(dx[:, None], dy)
    row, column = np.unravel_index(int(np.argmin(distance)), distance.shape)
    if distance[row, column] > tolerance:
        return anchor
    return Coordinate(
        time=from_epoch_seconds(float(candles.times[first + row])),
        price=float(candles.prices[first + row, column]),
    )
