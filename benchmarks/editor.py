"""Editor latency: from a relayout message to a validated ``editor.analysis`` and patched figure.

10,000 H1 candles and 200 drawings, 40 of each type; run twice: with the editor's default
``max_candles`` (the candles shown resampled to H4) and with ``max_candles=None`` (all 10,000).
Each message goes in the way ipywidgets delivers one from the browser (``FigureWidget.set_state``
on the relayout trait, so plotly's own handler runs too) and the clock stops when the editor has
validated the new analysis, patched the figure and saved the draft. Measured in-process, no
browser.

Two kinds of message, as a drag in the browser sends them:
- move: ``{"shapes[i].x0": ..., "shapes[i].y1": ...}``, one existing drawing dragged;
- draw: ``{"shapes": [every shape + a new line]}``, a trend line drawn with the Trend line tool.

Run: ``.venv/bin/python benchmarks/editor.py``.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from rai_charts import (
    Analysis,
    AnalysisEditor,
    AnalysisMetadata,
    fibonacci_retracement,
    horizontal_line,
    parallel_channel,
    rectangle,
    trend_line,
)
from rai_charts.candles import sample_candles
from rai_charts.render import DEFAULT_MAX_CANDLES

CANDLES = 10_000
PER_TYPE = 40
MOVES = 60
DRAWS = 20
TARGET_MS = 50.0


def many_drawings(candles: Any) -> Analysis:
    """40 drawings of each type anchored at random candles."""
    rng = np.random.default_rng(5)
    times = candles.index
    close = candles["close"].to_numpy()
    drawings: list[Any] = []
    for number in range(PER_TYPE):
        a, b, c = sorted(int(i) for i in rng.choice(len(times), size=3, replace=False))
        t1, t2, t3 = times[a], times[b], times[c]
        p1, p2, p3 = float(close[a]), float(close[b]), float(close[c])
        drawings += [
            trend_line(f"line-{number}", (t1, p1), (t2, p2)),
            horizontal_line(f"level-{number}", p3, time=t3),
            rectangle(f"zone-{number}", (t1, p1), (t2, p2 + 0.002)),
            parallel_channel(f"channel-{number}", (t1, p1), (t3, p3), (t2, p2 + 0.003)),
            fibonacci_retracement(f"fib-{number}", (t1, p1), (t2, p2)),
        ]
    return Analysis(
        metadata=AnalysisMetadata(
            title="Benchmark",
            symbol="GBP/USD",
            timeframe="H1",
            direction="BULLISH",
            entry_placement="ABOVE_CURRENT",
        ),
        drawings=drawings,
    )


def deliver(editor: AnalysisEditor, relayout_data: dict[str, Any]) -> float:
    """Seconds from the browser's message arriving to the editor being done with it."""
    message = {"relayout_data": relayout_data, "source_view_id": "benchmark"}
    start = time.perf_counter()
    editor.figure.set_state({"_js2py_relayout": message})
    return time.perf_counter() - start


def move_message(editor: AnalysisEditor, rng: random.Random) -> dict[str, Any]:
    """One drawing's line or box dragged by a few candles and a few pips."""
    shapes = editor.figure.layout.shapes
    movable = [
        index
        for index, shape in enumerate(shapes)
        if shape.name
        and shape.name.endswith(("/line", "/box", "/anchor", "/base"))
        and shape.xref != "x domain"
    ]
    index = rng.choice(movable)
    shape = shapes[index]
    hours = np.timedelta64(rng.randint(1, 5), "h")
    pips = rng.uniform(-0.002, 0.002)
    return {
        f"shapes[{index}].x0": str(np.datetime64(shape.x0) + hours).replace("T", " "),
        f"shapes[{index}].x1": str(np.datetime64(shape.x1) + hours).replace("T", " "),
        f"shapes[{index}].y0": shape.y0 + pips,
        f"shapes[{index}].y1": shape.y1 + pips,
    }


def draw_message(editor: AnalysisEditor, rng: random.Random) -> dict[str, Any]:
    """The browser's whole shape list after a trend line was drawn."""
    current = [shape.to_plotly_json() for shape in editor.figure.layout.shapes]
    x0, x1 = sorted(rng.sample(range(len(editor.figure.data[0].x)), 2))
    times = editor.figure.data[0].x
    new = {
        "type": "line",
        "editable": True,
        "xref": "x",
        "yref": "y",
        "x0": str(times[x0]).replace("T", " ")[:16],
        "x1": str(times[x1]).replace("T", " ")[:16],
        "y0": 1.30 + rng.uniform(0, 0.02),
        "y1": 1.30 + rng.uniform(0, 0.02),
        "line": {"color": "#444", "width": 4, "dash": "solid"},
    }
    return {"shapes": [*current, new]}


def report(name: str, seconds: list[float]) -> float:
    milliseconds = sorted(value * 1000 for value in seconds)
    median = statistics.median(milliseconds)
    print(
        f"{name:<5} n={len(milliseconds):>3}  median {median:7.1f} ms  "
        f"p90 {milliseconds[int(len(milliseconds) * 0.9) - 1]:7.1f} ms  "
        f"min {milliseconds[0]:6.1f} ms  max {milliseconds[-1]:7.1f} ms  "
        f"({median / TARGET_MS:.2f} x the {TARGET_MS:.0f} ms target)"
    )
    return median


def measure(candles: Any, analysis: Analysis, max_candles: int | None) -> None:
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        editor = AnalysisEditor(
            candles, analysis, draft_path=Path(folder) / "draft.json", max_candles=max_candles
        )
        print(
            f"\nmax_candles={max_candles}: editor built in {time.perf_counter() - start:.2f} s, "
            f"{len(candles):,} candles shown as {len(editor.figure.data[0].x):,}, "
            f"{len(analysis.drawings)} drawings, {len(editor.figure.layout.shapes)} shapes, "
            f"{len(editor.figure.data)} traces"
        )
        deliver(editor, move_message(editor, rng))  # first use warms plotly's validators
        moves = []
        for _ in range(MOVES):
            before = editor.analysis
            moves.append(deliver(editor, move_message(editor, rng)))
            assert editor.analysis is not before, "a move must change the analysis"
        editor.tool = "trend_line"
        draws = []
        for _ in range(DRAWS):
            count = len(editor.analysis.drawings)
            draws.append(deliver(editor, draw_message(editor, rng)))
            assert len(editor.analysis.drawings) == count + 1, "a draw must add a drawing"
    print("relayout message -> validated editor.analysis + patched figure (+ draft saved):")
    report("move", moves)
    report("draw", draws)
    report("all", moves + draws)


def main() -> None:
    candles = sample_candles("GBP/USD", "H1", CANDLES)
    analysis = many_drawings(candles)
    for max_candles in (DEFAULT_MAX_CANDLES, None):
        measure(candles, analysis, max_candles)


if __name__ == "__main__":
    main()
