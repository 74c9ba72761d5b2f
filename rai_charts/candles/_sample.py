"""Deterministic synthetic candles, so notebooks and tests run offline."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rai_charts.models import TIMEFRAMES, Timeframe, to_utc

if TYPE_CHECKING:
    import pandas as pd

PANDAS_FREQUENCY: dict[str, str] = {
    "M1": "1min",
    "M5": "5min",
    "M15": "15min",
    "M30": "30min",
    "H1": "1h",
    "H4": "4h",
    "D1": "1D",
    "W1": "W-MON",
    "MN1": "MS",
}
"""Our timeframe codes as pandas frequencies (weeks start on Monday, months on the 1st)."""

_START_PRICE = {"GBP/USD": 1.34, "EUR/USD": 1.08, "USD/JPY": 150.0, "XAU/USD": 2300.0}
_FIAT = frozenset(
    ["USD", "EUR", "GBP", "JPY", "CHF", "AUD", "NZD", "CAD", "SEK", "NOK", "DKK", "SGD", "HKD"]
)
_DEFAULT_END = "2026-01-09T00:00:00Z"


def price_decimals(symbol: str, price: float | None = None) -> int:
    """Decimals traders quote ``symbol`` with: 3 for JPY pairs, 5 for other FX, else 2."""
    name = symbol.upper().replace("/", "")
    if len(name) == 6 and name[:3] in _FIAT and name[3:] in _FIAT:
        return 3 if "JPY" in name else 5
    if price is not None and abs(price) < 10:
        return 5
    return 2


def sample_candles(
    symbol: str = "GBP/USD",
    timeframe: Timeframe = "H1",
    periods: int = 500,
    seed: int = 7,
    *,
    end: datetime | str = _DEFAULT_END,
) -> pd.DataFrame:
    """``periods`` candles of a seeded random walk with realistic wicks, ending at ``end``.

    Returns a DataFrame indexed by UTC time with open, high, low, close and volume. The same
    arguments always give the same candles.
    """
    import numpy as np
    import pandas as pd

    if timeframe not in TIMEFRAMES:
        raise ValueError(f"timeframe must be one of {', '.join(TIMEFRAMES)}, got {timeframe!r}")
    if periods < 1:
        raise ValueError(f"periods must be at least 1, got {periods!r}")
    rng = np.random.default_rng(seed)
    start_price = _START_PRICE.get(symbol.upper(), 100.0)
    volatility = 0.0015 * start_price
    steps = rng.normal(0.0, volatility, periods) + rng.normal(0, volatility / 20)
    close = start_price + np.cumsum(steps)
    close = np.maximum(close, start_price * 0.05)
    open_ = np.concatenate(([start_price], close[:-1]))
    body_top = np.maximum(open_, close)
    body_bottom = np.minimum(open_, close)
    high = body_top + np.abs(rng.normal(0, volatility * 0.6, periods))
    low = body_bottom - np.abs(rng.normal(0, volatility * 0.6, periods))
    volume = rng.integers(100, 5000, periods).astype(float)
    decimals = price_decimals(symbol, start_price)
    index = pd.date_range(end=to_utc(end), periods=periods, freq=PANDAS_FREQUENCY[timeframe])
    index.name = "time"
    frame = pd.DataFrame(
        {"open": open_, "high": high, "low": low, "close": close, "volume": volume},
        index=index,
    )
    prices = ["open", "high", "low", "close"]
    frame[prices] = frame[prices].round(decimals)
    return frame  # type: ignore[no-any-return]
