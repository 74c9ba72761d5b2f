"""A sample analysis with every drawing type, anchored on given candles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import (
    Analysis,
    AnalysisMetadata,
    Expiry,
    Levels,
    Timeframe,
    fibonacci_retracement,
    horizontal_line,
    level,
    parallel_channel,
    rectangle,
    trend_line,
)

if TYPE_CHECKING:
    import pandas as pd


def sample_analysis(
    candles: pd.DataFrame, *, symbol: str = "GBP/USD", timeframe: Timeframe = "H1"
) -> Analysis:
    """A bullish-bounce analysis on ``candles`` with all five drawing types and three levels.

    Anchors are taken from the candles themselves (swing low and high of the last stretch), so
    the drawings sit on the chart whatever the data.
    """
    from .candles import price_decimals

    recent = candles.iloc[-min(len(candles), 120) :]
    times = recent.index
    low_at = recent["low"].idxmin()
    high_at = recent["high"].idxmax()
    low, high = float(recent["low"].min()), float(recent["high"].max())
    span = high - low or abs(high) * 0.01 or 1.0
    digits = price_decimals(symbol, high)

    def price(value: float) -> float:
        return round(value, digits)

    first, middle, last = times[0], times[len(times) // 2], times[-1]
    swing_start, swing_end = (low_at, high_at) if low_at <= high_at else (high_at, low_at)
    start_price = low if swing_start == low_at else high
    end_price = high if swing_start == low_at else low
    support, pivot, resistance = price(low + span * 0.1), price(low + span * 0.5), price(high)
    return Analysis(
        metadata=AnalysisMetadata(
            title=f"{symbol} bounce from the demand zone",
            symbol=symbol,
            timeframe=timeframe,
            direction="BULLISH",
            entry_placement="BELOW_CURRENT",
            expiry=Expiry(type="HOURS", hours=24),
            preference_text=(
                "Buyers defended [[demand_zone:the demand zone]]; a close above "
                "[[trend:the trend line]] targets [[target:the target]]."
            ),
            alternative_text="A close below [[support:support]] invalidates the idea.",
            comments="Watch [[fib:the 0.618 retracement]] and [[channel:the channel]].",
        ),
        levels=Levels(
            support=level("support", support, time=first),
            pivot=level("pivot", pivot, time=first),
            resistance=level("resistance", resistance, time=first),
        ),
        drawings=[
            rectangle(
                "demand_zone",
                (first, price(low)),
                (middle, price(low + span * 0.15)),
                fill_color="#00FF33",
                border_color="#00AA22",
                line_width=1,
            ),
            trend_line(
                "trend",
                (first, price(low + span * 0.2)),
                (last, price(low + span * 0.6)),
                end_head="ARROW",
                color="#0000FF",
                line_width=2,
                line_style="DASHED",
            ),
            horizontal_line(
                "target", price(high + span * 0.1), time=last, color="#FF0000", line_width=2
            ),
            parallel_channel(
                "channel",
                (first, price(low + span * 0.05)),
                (last, price(low + span * 0.45)),
                (middle, price(low + span * 0.55)),
                color="#8E44AD",
                fill_color="#8E44AD",
            ),
            fibonacci_retracement(
                "fib", (swing_start, price(start_price)), (swing_end, price(end_price))
            ),
        ],
    )
