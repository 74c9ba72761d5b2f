"""Drawings as plotly primitives: one drawer per drawing type, chosen by a dispatch table.

Drawers append plain dicts to an :class:`Overlay`; nothing touches a plotly object until the
figure is built once from the finished lists (adding shapes one by one is quadratic).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rai_charts._exceptions import RenderWarning
from rai_charts.models import (
    Coordinate,
    Drawing,
    DrawingStyle,
    FibonacciRetracementDrawing,
    HorizontalLineDrawing,
    Levels,
    LineDrawing,
    ParallelDrawing,
    RectangleDrawing,
    fibonacci_levels,
    parallel_midline,
    parallel_rail,
)

from ._parts import part_name
from ._theme import FIBONACCI_COLORS, LEVEL_COLORS, Theme, translucent

DASHES: dict[str, str] = {"SOLID": "solid", "DASHED": "dash", "DOTTED": "dot"}
"""Wire ``lineStyle`` to plotly's ``line.dash``."""

DEFAULT_LINE_WIDTH: dict[str, int] = {
    "HORIZONTAL_LINE": 2,
    "LINE": 2,
    "RECTANGLE": 1,
    "PARALLEL": 2,
    "FIBONACCI_RETRACEMENT": 1,
}
"""Line width of each drawing type whose style sets none."""

RECTANGLE_OPACITY = 0.25
"""Opacity of a rectangle's fill."""
CHANNEL_OPACITY = 0.15
"""Opacity of a parallel channel's band."""
FIBONACCI_BAND_OPACITY = 0.08
"""Opacity of the bands between Fibonacci levels."""

OVERLAY_META = "overlay"
"""``meta`` of every trace drawn from drawings (not the candles)."""


def plotly_time(time: datetime) -> str:
    """A UTC time as the x axis holds it: ``YYYY-MM-DD HH:MM:SS``, no zone."""
    return time.replace(tzinfo=None).isoformat(sep=" ")


@dataclass(frozen=True)
class DrawContext:
    """What every drawer needs besides the drawing."""

    theme: Theme
    """The colors of the figure."""
    decimals: int
    """Decimals prices are labelled with (the symbol's quote precision)."""


_GAP_TIME = ""
"""x of the point between two polylines of one trace; with a NaN price it breaks the line."""


@dataclass
class _Polyline:
    """Many polylines in one trace, separated by gaps (the cheapest way to draw them)."""

    x: list[str] = field(default_factory=list)
    y: list[float] = field(default_factory=list)

    def add(self, times: Sequence[str], prices: Sequence[float]) -> None:
        self.x += times
        self.x.append(_GAP_TIME)
        self.y += prices
        self.y.append(math.nan)

    def coordinates(self) -> dict[str, Any]:
        """``x`` and ``y`` as numpy arrays, which plotly checks and copies in one step each
        (item by item for lists: ten times slower on long overlay traces)."""
        import numpy as np

        return {"x": np.array(self.x), "y": np.array(self.y, dtype=float)}


@dataclass
class _Labels:
    """Text labels of one color."""

    x: list[str] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


@dataclass
class _Arrows:
    """Arrow heads of one color: each a gap-separated (tail, tip) pair, sized only at the tip."""

    path: _Polyline = field(default_factory=_Polyline)
    size: list[float] = field(default_factory=list)


@dataclass
class Overlay:
    """Everything drawn over the candles, collected before plotly sees any of it.

    ``shapes`` and ``annotations`` go to the layout (named per :mod:`._parts`); bulk lines,
    fills, labels and arrow heads become a few traces, one per style, via :meth:`traces`.
    """

    shapes: list[dict[str, Any]] = field(default_factory=list)
    """Layout shapes, in drawing order."""
    annotations: list[dict[str, Any]] = field(default_factory=list)
    """Layout annotations."""
    notes: list[str] = field(default_factory=list)
    """Things the figure must say (what was skipped or resampled)."""
    _lines: dict[tuple[str, float, str], _Polyline] = field(default_factory=dict)
    _fills: dict[str, _Polyline] = field(default_factory=dict)
    _labels: dict[str, _Labels] = field(default_factory=dict)
    _arrows: dict[str, _Arrows] = field(default_factory=dict)

    def segment(
        self, object_id: str, role: str, start: Coordinate, end: Coordinate, line: dict[str, Any]
    ) -> None:
        """A line shape from ``start`` to ``end`` (on the x and y axes, plotly's default)."""
        self.shapes.append(
            {
                "type": "line",
                "name": part_name(object_id, role),
                "x0": plotly_time(start.time),
                "y0": start.price,
                "x1": plotly_time(end.time),
                "y1": end.price,
                "line": line,
            }
        )

    def across(self, object_id: str, role: str, price: float, line: dict[str, Any]) -> None:
        """A horizontal line shape at ``price`` across the whole width of the plot."""
        self.shapes.append(
            {
                "type": "line",
                "name": part_name(object_id, role),
                "xref": "x domain",
                "yref": "y",
                "x0": 0,
                "y0": price,
                "x1": 1,
                "y1": price,
                "line": line,
            }
        )

    def price_tag(self, object_id: str, price: float, color: str, context: DrawContext) -> None:
        """The price in a colored tag on the price axis, like TradingView's."""
        self.annotations.append(
            {
                "name": part_name(object_id, "price"),
                "text": f"{price:.{context.decimals}f}",
                "xref": "paper",
                "x": 1,
                "xanchor": "left",
                "yref": "y",
                "y": price,
                "showarrow": False,
                "bgcolor": color,
                "borderpad": 2,
                "font": {"color": context.theme.tag_text, "size": 11},
            }
        )

    def polyline(self, times: Sequence[str], prices: Sequence[float], line: dict[str, Any]) -> None:
        """A line drawn in bulk with every other line of the same style."""
        key = (line["color"], line["width"], line["dash"])
        self._lines.setdefault(key, _Polyline()).add(times, prices)

    def polygon(self, times: Sequence[str], prices: Sequence[float], fill: str) -> None:
        """A filled polygon drawn in bulk with every other one of the same fill."""
        self._fills.setdefault(fill, _Polyline()).add([*times, times[0]], [*prices, prices[0]])

    def label(self, time: str, price: float, text: str, color: str) -> None:
        """Text just above and right of ``(time, price)``, drawn in bulk."""
        labels = self._labels.setdefault(color, _Labels())
        labels.x.append(time)
        labels.y.append(price)
        labels.text.append(text)

    def arrow(self, tail: Coordinate, tip: Coordinate, color: str, size: float) -> None:
        """An arrow head at ``tip`` pointing away from ``tail``, drawn in bulk."""
        arrows = self._arrows.setdefault(color, _Arrows())
        arrows.path.add([plotly_time(tail.time), plotly_time(tip.time)], [tail.price, tip.price])
        arrows.size += [0, size, 0]

    def traces(self) -> list[dict[str, Any]]:
        """The bulk parts as scatter traces: fills, then lines, labels and arrow heads."""
        import numpy as np

        common = {"type": "scatter", "hoverinfo": "skip", "showlegend": False, "meta": OVERLAY_META}
        traces = [
            {**common, "mode": "none", "fill": "toself", "fillcolor": fill, **path.coordinates()}
            for fill, path in self._fills.items()
        ]
        traces += [
            {
                **common,
                "mode": "lines",
                "line": {"color": color, "width": width, "dash": dash},
                **path.coordinates(),
            }
            for (color, width, dash), path in self._lines.items()
        ]
        traces += [
            {
                **common,
                "mode": "text",
                "x": np.array(labels.x),
                "y": np.array(labels.y, dtype=float),
                "text": np.array(labels.text),
                "textposition": "top right",
                "textfont": {"color": color, "size": 10},
            }
            for color, labels in self._labels.items()
        ]
        traces += [
            {
                **common,
                "mode": "markers",
                **arrows.path.coordinates(),
                "marker": {
                    "symbol": "arrow",
                    "angleref": "previous",
                    "size": np.array(arrows.size, dtype=float),
                    "color": color,
                    "line": {"width": 0},
                },
            }
            for color, arrows in self._arrows.items()
        ]
        return traces


def line_style(style: DrawingStyle | None, color: str, width: int) -> dict[str, Any]:
    """plotly ``line`` dict from a drawing style, with defaults for the keys it leaves out."""
    style = style or DrawingStyle()
    return {
        "color": style.color or color,
        "width": style.line_width or width,
        "dash": DASHES[style.line_style or "SOLID"],
    }


def _draw_horizontal_line(
    drawing: HorizontalLineDrawing, context: DrawContext, overlay: Overlay
) -> None:
    line = line_style(drawing.style, context.theme.drawing, DEFAULT_LINE_WIDTH[drawing.type])
    overlay.across(drawing.client_object_id, "line", drawing.price, line)
    overlay.price_tag(drawing.client_object_id, drawing.price, line["color"], context)


def _draw_line(drawing: LineDrawing, context: DrawContext, overlay: Overlay) -> None:
    line = line_style(drawing.style, context.theme.drawing, DEFAULT_LINE_WIDTH[drawing.type])
    start, end = drawing.points
    overlay.segment(drawing.client_object_id, "line", start, end, line)
    size = 8 + 2 * line["width"]
    if drawing.start_head == "ARROW":
        overlay.arrow(end, start, line["color"], size)
    if drawing.end_head == "ARROW":
        overlay.arrow(start, end, line["color"], size)


def _draw_rectangle(drawing: RectangleDrawing, context: DrawContext, overlay: Overlay) -> None:
    style = drawing.style or DrawingStyle()
    fill = style.fill_color or style.color or style.border_color or context.theme.area
    line = line_style(style, fill, DEFAULT_LINE_WIDTH[drawing.type])
    line["color"] = style.border_color or line["color"]
    first, second = drawing.points
    overlay.shapes.append(
        {
            "type": "rect",
            "name": part_name(drawing.client_object_id, "box"),
            "x0": plotly_time(first.time),
            "y0": first.price,
            "x1": plotly_time(second.time),
            "y1": second.price,
            "fillcolor": translucent(fill, RECTANGLE_OPACITY),
            "line": line,
        }
    )


def _draw_parallel(drawing: ParallelDrawing, context: DrawContext, overlay: Overlay) -> None:
    rail = parallel_rail(drawing)
    middle = parallel_midline(drawing)
    base = drawing.points[:2]
    line = line_style(drawing.style, context.theme.drawing, DEFAULT_LINE_WIDTH[drawing.type])
    fill = (drawing.style and drawing.style.fill_color) or line["color"]
    corners = [base[0], base[1], rail[1], rail[0]]
    overlay.polygon(
        [plotly_time(corner.time) for corner in corners],
        [corner.price for corner in corners],
        translucent(fill, CHANNEL_OPACITY),
    )
    overlay.segment(drawing.client_object_id, "base", base[0], base[1], line)
    overlay.segment(drawing.client_object_id, "rail", rail[0], rail[1], line)
    overlay.polyline(
        [plotly_time(point.time) for point in middle],
        [point.price for point in middle],
        {"color": line["color"], "width": 1, "dash": "dash"},
    )


def _draw_fibonacci(
    drawing: FibonacciRetracementDrawing, context: DrawContext, overlay: Overlay
) -> None:
    start, end = drawing.points
    left, right = sorted((start.time, end.time))
    style = drawing.style or DrawingStyle()
    line = line_style(style, context.theme.muted, DEFAULT_LINE_WIDTH[drawing.type])
    anchor = {"color": style.color or context.theme.muted, "width": 1, "dash": "dash"}
    overlay.segment(drawing.client_object_id, "anchor", start, end, anchor)
    levels = fibonacci_levels(drawing)
    colors = {
        ratio: style.color or FIBONACCI_COLORS.get(round(ratio, 3), context.theme.drawing)
        for ratio, _ in levels
    }
    span = [plotly_time(left), plotly_time(right)]
    for ratio, price in levels:
        overlay.polyline(span, [price, price], {**line, "color": colors[ratio]})
        overlay.label(span[0], price, f"{ratio:g} ({price:.{context.decimals}f})", colors[ratio])
    for (_, low), (high_ratio, high) in itertools.pairwise(sorted(levels)):
        overlay.polygon(
            [*span, *reversed(span)],
            [low, low, high, high],
            translucent(colors[high_ratio], FIBONACCI_BAND_OPACITY),
        )


Drawer = Callable[[Any, DrawContext, Overlay], None]

DRAWERS: dict[str, Drawer] = {
    "HORIZONTAL_LINE": _draw_horizontal_line,
    "LINE": _draw_line,
    "RECTANGLE": _draw_rectangle,
    "PARALLEL": _draw_parallel,
    "FIBONACCI_RETRACEMENT": _draw_fibonacci,
}
"""Wire drawing type to the function that draws it."""


def draw_drawings(drawings: Iterable[Drawing], context: DrawContext, overlay: Overlay) -> None:
    """Each drawing into ``overlay``. A drawing of an unknown type, or one whose geometry
    cannot be drawn, is left out with a :class:`~rai_charts.RenderWarning` and a note."""
    for drawing in drawings:
        drawer = DRAWERS.get(drawing.type)
        name = f"{drawing.type} drawing" + (
            f" {drawing.client_object_id!r}" if drawing.client_object_id else ""
        )
        if drawer is None:
            _skip(overlay, f"{name} not drawn: this version does not know that drawing type")
            continue
        try:
            drawer(drawing, context, overlay)
        except ValueError as error:
            _skip(overlay, f"{name} not drawn: {error}")


def _skip(overlay: Overlay, message: str) -> None:
    warnings.warn(message, RenderWarning, stacklevel=4)
    overlay.notes.append(message)


def draw_levels(levels: Levels, context: DrawContext, overlay: Overlay) -> None:
    """Support, pivot and resistance as labelled lines across the chart."""
    for name, entry in levels.entries():
        color = LEVEL_COLORS[name]
        object_id = entry.client_object_id
        overlay.across(
            object_id, "level", entry.price, {"color": color, "width": 1, "dash": "dash"}
        )
        overlay.price_tag(object_id, entry.price, color, context)
        overlay.annotations.append(
            {
                "name": part_name(object_id, "label"),
                "text": name.capitalize(),
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": entry.price,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": color, "size": 11},
            }
        )


def draw_expiry(expires_at: datetime, right_edge: datetime, theme: Theme, overlay: Overlay) -> None:
    """A dotted vertical line at ``expires_at``, labelled, and the region after it shaded."""
    at = plotly_time(expires_at)
    overlay.shapes += [
        {
            "type": "rect",
            "name": "expired region",
            "xref": "x",
            "yref": "y domain",
            "x0": at,
            "y0": 0,
            "x1": plotly_time(max(right_edge, expires_at)),
            "y1": 1,
            "fillcolor": theme.expired,
            "line": {"width": 0},
            "layer": "below",
        },
        {
            "type": "line",
            "name": "expiry marker",
            "xref": "x",
            "yref": "y domain",
            "x0": at,
            "y0": 0,
            "x1": at,
            "y1": 1,
            "line": {"color": theme.muted, "width": 1, "dash": "dot"},
        },
    ]
    overlay.annotations.append(
        {
            "name": "expiry label",
            "text": f"expires {expires_at:%Y-%m-%d %H:%M} UTC",
            "xref": "x",
            "x": at,
            "xanchor": "right",
            "yref": "y domain",
            "y": 1,
            "yanchor": "top",
            "showarrow": False,
            "font": {"color": theme.muted, "size": 10},
        }
    )
