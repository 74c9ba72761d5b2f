"""Deterministic text summaries of analyses and figures, for notebook regression checks.

The text holds what a reviewer cares about (types, ids, rounded prices, levels, expiry) and
nothing that changes between runs (server ids, creation times), so nbval can compare it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .models import (
    Analysis,
    AnalysisDetail,
    Coordinate,
    FibonacciRetracementDrawing,
    LineDrawing,
    UnknownDrawing,
    fibonacci_levels,
    format_utc,
)


def _decimals(analysis: Analysis) -> int:
    from .candles import price_decimals

    prices = [
        point.price
        for d in analysis.drawings
        if not isinstance(d, UnknownDrawing)
        for point in d.points
    ]
    return price_decimals(analysis.metadata.symbol, prices[0] if prices else None)


def _point(point: Coordinate, decimals: int) -> str:
    return f"{format_utc(point.time)} {point.price:.{decimals}f}"


def summarize_analysis(analysis: Analysis, *, decimals: int | None = None) -> str:
    """One line per fact of ``analysis``: header, expiry, levels, then each drawing."""
    digits = _decimals(analysis) if decimals is None else decimals
    meta = analysis.metadata
    lines = [
        f"{meta.symbol} {meta.timeframe} {analysis.analysis_type}: {meta.title}",
    ]
    if meta.expiry is not None:
        expiry = meta.expiry
        lines.append(
            f"expiry: {expiry.hours} hours" if expiry.type == "HOURS" else f"expiry: {expiry.type}"
        )
    for name, entry in analysis.levels.entries():
        lines.append(f"level {name} {entry.client_object_id}: {entry.price:.{digits}f}")
    lines.append(f"drawings: {len(analysis.drawings)}")
    for drawing in analysis.drawings:
        if isinstance(drawing, UnknownDrawing):
            lines.append(f"  {drawing.type} {drawing.client_object_id} (unknown type, kept)")
            continue
        anchors = " -> ".join(_point(point, digits) for point in drawing.points)
        extra = ""
        if isinstance(drawing, LineDrawing) and (drawing.start_head or drawing.end_head):
            extra = f" heads {drawing.start_head or 'NONE'}/{drawing.end_head or 'NONE'}"
        lines.append(f"  {drawing.type} {drawing.client_object_id}: {anchors}{extra}")
        if isinstance(drawing, FibonacciRetracementDrawing):
            levels = ", ".join(
                f"{ratio:g}={price:.{digits}f}" for ratio, price in fibonacci_levels(drawing)
            )
            lines.append(f"    levels {levels}")
    return "\n".join(lines)


def summarize_figure(figure: Any) -> str:
    """Counts of a plotly figure's traces, shapes and annotation texts, sorted."""
    data = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
    layout = data.get("layout", {})
    traces = Counter(
        f"{trace.get('type', 'scatter')}:{trace.get('name', '')}" for trace in data.get("data", [])
    )
    shapes = Counter(
        f"{shape.get('type', '?')}:{shape.get('name', '')}" for shape in layout.get("shapes", [])
    )
    annotations = sorted(str(note.get("text", "")) for note in layout.get("annotations", []))
    labels = sorted(
        str(text)
        for trace in data.get("data", [])
        if "text" in str(trace.get("mode", ""))
        for text in _as_list(trace.get("text"))
    )
    title = layout.get("title", {})
    lines = [f"title: {title.get('text', '') if isinstance(title, dict) else title}"]
    lines += [f"trace {name} x{count}" for name, count in sorted(traces.items())]
    lines += [f"shape {name} x{count}" for name, count in sorted(shapes.items())]
    lines += [f"annotation {text}" for text in annotations]
    lines += [f"label {text}" for text in labels]
    return "\n".join(lines)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def summary(subject: Analysis | AnalysisDetail | Any, *, decimals: int | None = None) -> str:
    """A deterministic text summary of an analysis or of a plotly figure.

    Print it in a notebook cell and nbval compares it on every run: a moved drawing, a changed
    level price or a missing label changes the text.
    """
    if isinstance(subject, Analysis):
        return summarize_analysis(subject, decimals=decimals)
    if hasattr(subject, "to_dict") or isinstance(subject, dict):
        return summarize_figure(subject)
    raise TypeError(f"summary() takes an Analysis or a plotly figure, got {type(subject).__name__}")
