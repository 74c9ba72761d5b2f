"""Rendering speed at scale: our figure against the cheapest plotly figure of the same size.

(a) ours: ``rai_charts.render.figure`` for 100,000 M1 candles and 1,000 drawings (200 of each
    type), ``max_candles=None``, built and serialized with ``to_json()``;
(b) floor: a bare ``go.Figure`` with the same candlestick data and 1,000 line shapes assigned
    once as a list, built and serialized.

Each is timed REPEATS times, alternating, in one process; the best time of each is compared,
as wall-clock time and as CPU time (steadier when other work shares the machine).
Run: ``.venv/bin/python benchmarks/render.py``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from rai_charts import (
    Analysis,
    AnalysisMetadata,
    Expiry,
    Levels,
    fibonacci_retracement,
    horizontal_line,
    level,
    parallel_channel,
    rectangle,
    trend_line,
)
from rai_charts.candles import sample_candles

CANDLES = 100_000
PER_TYPE = 200
REPEATS = 5
COLORS = ["#2962FF", "#F23645", "#089981", "#FF9800", "#9C27B0"]
STYLES = ["SOLID", "DASHED", "DOTTED"]


def many_drawings(candles: pd.DataFrame) -> Analysis:
    """200 drawings of each type, anchored at random candles around their prices."""
    rng = np.random.default_rng(11)
    times = candles.index
    close = candles["close"].to_numpy()
    span = float(close.max() - close.min())
    drawings = []
    for number in range(PER_TYPE):
        first, second, third = sorted(rng.choice(len(times) - 1, size=3, replace=False))
        start, end, middle = times[first], times[second], times[third]
        low = float(close[first])
        high = low + span * 0.05
        color = COLORS[number % len(COLORS)]
        style = STYLES[number % len(STYLES)]
        drawings += [
            horizontal_line(f"h{number}", high, time=start, color=color, line_style=style),
            trend_line(
                f"l{number}", (start, low), (end, high), end_head="ARROW", color=color, line_width=2
            ),
            rectangle(f"r{number}", (start, low), (end, high), fill_color=color),
            parallel_channel(f"p{number}", (start, low), (middle, high), (end, low), color=color),
            fibonacci_retracement(f"f{number}", (start, low), (end, high)),
        ]
    last = times[-1]
    price = float(close[-1])
    return Analysis(
        metadata=AnalysisMetadata(
            title="Benchmark",
            symbol="GBP/USD",
            timeframe="M1",
            direction="BULLISH",
            entry_placement="ABOVE_CURRENT",
            expiry=Expiry(hours=24),
        ),
        levels=Levels(
            support=level("support", price - span * 0.1, time=last),
            pivot=level("pivot", price, time=last),
            resistance=level("resistance", price + span * 0.1, time=last),
        ),
        drawings=drawings,
    )


def ours(candles: pd.DataFrame, analysis: Analysis) -> str:
    from rai_charts.render import figure

    return str(figure(candles, analysis, max_candles=None).to_json())


def floor(candles: pd.DataFrame, analysis: Analysis) -> str:
    import plotly.graph_objects as go

    chart = go.Figure(
        go.Candlestick(
            x=candles.index.tz_localize(None).to_numpy(),
            open=candles["open"].to_numpy(),
            high=candles["high"].to_numpy(),
            low=candles["low"].to_numpy(),
            close=candles["close"].to_numpy(),
        )
    )
    shapes = []
    for drawing in analysis.drawings:
        start, end = drawing.points[0], drawing.points[-1]
        shapes.append(
            {
                "type": "line",
                "x0": start.time.replace(tzinfo=None).isoformat(sep=" "),
                "y0": start.price,
                "x1": end.time.replace(tzinfo=None).isoformat(sep=" "),
                "y1": end.price,
                "line": {"color": "#2962FF", "width": 2},
            }
        )
    chart.update_layout(shapes=shapes)
    return str(chart.to_json())


def timed(
    build: Callable[[pd.DataFrame, Analysis], str], candles: pd.DataFrame, analysis: Analysis
) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of one build, and its JSON."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = build(candles, analysis)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    candles = sample_candles("GBP/USD", "M1", CANDLES)
    analysis = many_drawings(candles)
    import plotly.graph_objects as go

    go.Figure()  # plotly's one-time import and validator set-up stays out of both timings
    walls: dict[str, list[float]] = {"ours": [], "floor": []}
    cpus: dict[str, list[float]] = {"ours": [], "floor": []}
    sizes: dict[str, int] = {}
    for _ in range(REPEATS):
        for name, build in (("ours", ours), ("floor", floor)):
            wall, cpu, text = timed(build, candles, analysis)
            walls[name].append(wall)
            cpus[name].append(cpu)
            sizes[name] = len(text.encode())
    print(f"{CANDLES:,} candles, {len(analysis.drawings):,} drawings ({PER_TYPE} of each type)")
    print(f"best of {REPEATS} alternating runs; CPU time is the fair one on a shared machine")
    for name, label in (("ours", "(a) ours "), ("floor", "(b) floor")):
        print(
            f"{label}: wall {min(walls[name]):.3f} s (median {statistics.median(walls[name]):.3f}),"
            f" CPU {min(cpus[name]):.3f} s (median {statistics.median(cpus[name]):.3f}),"
            f" JSON {sizes[name] / 1e6:.3f} MB"
        )
    wall_ratio = min(walls["ours"]) / min(walls["floor"])
    cpu_ratio = min(cpus["ours"]) / min(cpus["floor"])
    print(f"time ratio a/b: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f} (target <= 2.0)")
    print(f"JSON ratio a/b: {sizes['ours'] / sizes['floor']:.3f} (target <= 1.2)")


if __name__ == "__main__":
    main()
