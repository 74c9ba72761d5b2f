"""Gestures to analysis changes: one pure function from (analysis, relayout payload, tool state)
to a new analysis and tool state.

The payloads are plotly.js relayout data as the browser sends them (see ``_relayout``):

- ``{"shapes": [...]}``: the whole shape list after a shape was drawn (or erased) in the
  browser. Shapes whose name the editor did not draw are new; they become drawings according
  to the tool in use. Drawings whose shapes are gone were erased.
- ``{"shapes[3].x0": ..., "shapes[3].y1": ...}``: an existing shape was moved or resized. The
  index names a shape of the figure as the editor last drew it (``ToolState.shape_names``); the
  shape's name (``<clientObjectId>/<role>``, see :mod:`rai_charts.render`) says which points
  of which drawing or level move.
- ``{"xaxis.range[0]": ..., "yaxis.autorange": True, ...}``: zoom and pan, which change the
  pixel size snapping measures with.

Nothing here touches a widget, so every rule is unit-tested with payloads recorded in a real
browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import ValidationError

from rai_charts.models import (
    LINK_TOKEN,
    TEXT_FIELDS,
    Analysis,
    Coordinate,
    DrawingStyle,
    FibonacciRetracementDrawing,
    HorizontalLineDrawing,
    KnownDrawing,
    LevelEntry,
    Levels,
    LineDrawing,
    LineStyle,
    ParallelDrawing,
    RectangleDrawing,
    UnknownDrawing,
    parallel_rail,
)
from rai_charts.render import parse_part_name

from ._snap import DEFAULT_TOLERANCE_PIXELS, CandleGrid, Viewport, from_epoch_seconds, snap

Tool = Literal[
    "select",
    "trend_line",
    "horizontal_line",
    "rectangle",
    "parallel_channel",
    "fibonacci_retracement",
]
"""What a drag on the chart does: move shapes, or draw a drawing of one type."""

TOOLS: dict[Tool, str] = {
    "select": "Select/Move",
    "trend_line": "Trend line",
    "horizontal_line": "Horizontal line",
    "rectangle": "Rectangle",
    "parallel_channel": "Parallel channel",
    "fibonacci_retracement": "Fibonacci retracement",
}
"""Each tool and its label on the tool bar."""

DRAWN_BY: dict[Tool, type[KnownDrawing]] = {
    "trend_line": LineDrawing,
    "horizontal_line": HorizontalLineDrawing,
    "rectangle": RectangleDrawing,
    "fibonacci_retracement": FibonacciRetracementDrawing,
}
"""The drawing each one-gesture tool makes (a parallel channel takes two gestures)."""

ID_PREFIXES: dict[str, str] = {
    "LINE": "line",
    "HORIZONTAL_LINE": "hline",
    "RECTANGLE": "zone",
    "PARALLEL": "channel",
    "FIBONACCI_RETRACEMENT": "fib",
}
"""How the ids of new drawings start, per drawing type (``line-1``, ``zone-2`` ...)."""

LEVEL_NAMES = ("support", "pivot", "resistance")
"""The key levels, low to high."""

_SHAPE_EDIT = re.compile(r"^shapes\[(\d+)\]\.(x0|x1|y0|y1)$")
_AXIS_RANGE = re.compile(r"^([xy])axis\.range(?:\[([01])\])?$")
_AXIS_AUTORANGE = re.compile(r"^([xy])axis\.autorange$")


@dataclass(frozen=True)
class NewDrawingStyle:
    """Color, width and line style given to new drawings."""

    color: str = "#2962FF"
    """``#RRGGBB``; a rectangle uses it for border and fill, a Fibonacci retracement keeps its
    level colors."""
    line_width: int = 2
    """Line width in pixels, 1 to 10."""
    line_style: LineStyle = "SOLID"
    """``SOLID``, ``DASHED`` or ``DOTTED``."""

    def for_type(self, drawing_type: str) -> DrawingStyle:
        """The wire style of a new drawing of ``drawing_type``."""
        if drawing_type == "RECTANGLE":
            return DrawingStyle(
                fill_color=self.color,
                border_color=self.color,
                line_width=self.line_width,
                line_style=self.line_style,
            )
        if drawing_type == "FIBONACCI_RETRACEMENT":
            return DrawingStyle(line_width=self.line_width, line_style=self.line_style)
        return DrawingStyle(
            color=self.color, line_width=self.line_width, line_style=self.line_style
        )


@dataclass(frozen=True)
class ToolState:
    """Everything besides the analysis that decides what a gesture does."""

    tool: Tool = "select"
    """The tool in use."""
    snap: bool = False
    """Whether anchors snap to the nearest candle's open, high, low or close."""
    style: NewDrawingStyle = field(default_factory=NewDrawingStyle)
    """Style of new drawings."""
    selected: str | None = None
    """Id of the selected drawing or level."""
    pending_base: tuple[Coordinate, Coordinate] | None = None
    """A parallel channel's base line, drawn and waiting for its opposite rail."""
    shape_names: tuple[str | None, ...] = ()
    """Names of the figure's shapes, by index, as the editor last drew them."""
    viewport: Viewport | None = None
    """What the chart shows now (for snapping); ``None`` disables snapping."""
    home_viewport: Viewport | None = None
    """What the chart shows when autoscaled (a double click)."""
    candles: CandleGrid | None = None
    """The candles snapping aims at."""
    snap_tolerance: float = DEFAULT_TOLERANCE_PIXELS
    """Snap distance in pixels."""


@dataclass(frozen=True)
class EventResult:
    """What a relayout payload did."""

    analysis: Analysis
    """The analysis afterwards (the same object when nothing changed)."""
    state: ToolState
    """The tool state afterwards (selection, pending channel base, viewport)."""
    message: str | None = None
    """What happened, for the status line; ``None`` when nothing worth saying did."""
    is_error: bool = False
    """Whether the gesture was refused (``message`` says why); the analysis is unchanged."""


def apply_relayout(analysis: Analysis, payload: Mapping[str, Any], state: ToolState) -> EventResult:
    """The analysis and tool state after the browser sent ``payload`` (plotly relayout data)."""
    state = _follow_axes(payload, state)
    shapes = payload.get("shapes")
    if isinstance(shapes, Sequence) and not isinstance(shapes, str):
        return _apply_shape_list(analysis, shapes, state)
    edits = shape_edits(payload)
    if edits:
        return _apply_shape_edits(analysis, edits, state)
    return EventResult(analysis=analysis, state=state)


# --- time and price values of plotly payloads ---------------------------------------------


def plotly_time_to_utc(value: Any) -> datetime:
    """A time on plotly's date axis (``"2026-01-07 01:56:28.2353"``, an ISO string, or
    milliseconds since 1970) as a UTC datetime; naive strings are UTC (the renderer's times)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time")
    if isinstance(value, (int, float)):
        return from_epoch_seconds(value / 1000)
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, str):
        text = value.strip().replace(" ", "T", 1)
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        when = _parse_iso(text, value)
    else:
        raise ValueError(f"{value!r} is not a time")
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def _parse_iso(text: str, original: str) -> datetime:
    # Python 3.10 reads only 3 or 6 fractional digits; plotly sends 4.
    match = re.match(r"^(.*T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(.*)$", text)
    if match is None:
        raise ValueError(f"{original!r} is not a time")
    head, fraction, zone = match.groups()
    try:
        when = datetime.fromisoformat(head + zone) if "T" in head else None
    except ValueError:
        when = None
    if when is None:
        raise ValueError(f"{original!r} is not a time")
    if fraction:
        when += timedelta(microseconds=round(float(f"0.{fraction}") * 1_000_000))
    return when


def _to_whole_second(time: datetime) -> datetime:
    return (time + timedelta(microseconds=500_000)).replace(microsecond=0)


def anchor(x: Any, y: Any) -> Coordinate:
    """A drawing anchor from a shape's x (plotly time) and y (price); time to the second."""
    return Coordinate(time=_to_whole_second(plotly_time_to_utc(x)), price=float(y))


# --- zoom and pan --------------------------------------------------------------------------


def _follow_axes(payload: Mapping[str, Any], state: ToolState) -> ToolState:
    viewport = state.viewport
    if viewport is None:
        return state
    x_range = [viewport.start, viewport.end]
    y_range = [viewport.low, viewport.high]
    home = state.home_viewport or viewport
    for key, value in payload.items():
        if (match := _AXIS_AUTORANGE.match(key)) and value is True:
            if match.group(1) == "x":
                x_range = [home.start, home.end]
            else:
                y_range = [home.low, home.high]
        elif match := _AXIS_RANGE.match(key):
            axis, position = match.groups()
            values = list(value) if position is None else [value]
            slots = [0, 1] if position is None else [int(position)]
            for slot, item in zip(slots, values, strict=False):
                if axis == "x":
                    x_range[slot] = plotly_time_to_utc(item)
                else:
                    y_range[slot] = float(item)
    moved = replace(viewport, start=x_range[0], end=x_range[1], low=y_range[0], high=y_range[1])
    return state if moved == viewport else replace(state, viewport=moved)


def _snapped(point: Coordinate, state: ToolState) -> Coordinate:
    if not state.snap or state.candles is None or state.viewport is None:
        return point
    return snap(point, state.candles, state.viewport, state.snap_tolerance)


# --- rebuilding a valid analysis -----------------------------------------------------------


def rebuild(
    analysis: Analysis,
    *,
    metadata: Any = None,
    levels: Levels | None = None,
    drawings: Sequence[Any] | None = None,
) -> Analysis:
    """A new, validated analysis with the parts given replaced (unknown fields kept).

    Raises pydantic's ``ValidationError`` when the result breaks a rule (duplicate ids,
    dangling links, levels out of order).
    """
    return Analysis(
        metadata=analysis.metadata if metadata is None else metadata,
        levels=analysis.levels if levels is None else levels,
        drawings=list(analysis.drawings if drawings is None else drawings),
        **(analysis.model_extra or {}),
    )


def with_points(drawing: KnownDrawing, points: Sequence[Coordinate]) -> KnownDrawing:
    """``drawing`` with new points, validated (a channel's base must span some time)."""
    moved = type(drawing).model_validate(
        {**drawing.model_dump(exclude={"points"}), "points": list(points)}
    )
    if isinstance(moved, ParallelDrawing):
        parallel_rail(moved)  # raises ValueError for a vertical base
    return moved


def object_ids(analysis: Analysis) -> set[str]:
    """Every id a drawing or level of ``analysis`` goes by (client ids and server ids)."""
    ids = {
        value
        for drawing in analysis.drawings
        for value in (drawing.client_object_id, drawing.id)
        if value
    }
    return ids | {entry.client_object_id for _, entry in analysis.levels.entries()}


def new_object_id(analysis: Analysis, prefix: str) -> str:
    """``<prefix>-<n>`` with the smallest ``n`` not used by a drawing or level."""
    used = object_ids(analysis)
    number = 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"


def error_text(error: Exception) -> str:
    """One readable line from a ValidationError or ValueError (no traceback, no URL)."""
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False)[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        location = ".".join(str(part) for part in first["loc"])
        return f"{location}: {message}" if location and location not in message else message
    return str(error)


# --- drawing new shapes --------------------------------------------------------------------


def _apply_shape_list(
    analysis: Analysis, shapes: Sequence[Mapping[str, Any]], state: ToolState
) -> EventResult:
    known = {name for name in state.shape_names if name}
    present = {shape.get("name") for shape in shapes}
    erased = {
        parsed[0] for name in known - present if (parsed := parse_part_name(name)) is not None
    }
    result = EventResult(analysis=analysis, state=state)
    if erased:
        result = _erase(analysis, erased, state)
    for shape in shapes:
        if shape.get("name") not in known:
            result = _draw(result.analysis, shape, result.state)
    return result


def _erase(analysis: Analysis, removed: set[str], state: ToolState) -> EventResult:
    try:
        updated = without_objects(analysis, removed)
    except (ValidationError, ValueError) as error:
        return EventResult(analysis, state, f"Cannot delete: {error_text(error)}", True)
    selected = None if state.selected in removed else state.selected
    return EventResult(
        updated,
        replace(state, selected=selected),
        f"Deleted {', '.join(sorted(removed))}",
    )


def without_objects(analysis: Analysis, removed: set[str]) -> Analysis:
    """``analysis`` without the drawings and levels named; link tokens naming them become
    their plain label, so the texts stay valid."""
    drawings = [d for d in analysis.drawings if d.client_object_id not in removed]
    levels = Levels.model_validate(
        {
            name: entry
            for name, entry in analysis.levels.entries()
            if entry.client_object_id not in removed
        }
    )
    metadata = analysis.metadata.model_copy(
        update={
            field_name: unlink(getattr(analysis.metadata, field_name), removed)
            for field_name in TEXT_FIELDS
        }
    )
    return rebuild(analysis, metadata=metadata, levels=levels, drawings=drawings)


def unlink(text: str | None, removed: set[str]) -> str | None:
    """``text`` with ``[[id:label]]`` tokens naming ``removed`` replaced by ``label``."""
    if text is None:
        return None
    return LINK_TOKEN.sub(
        lambda match: match.group(2) if match.group(1) in removed else match.group(0), text
    )


def _draw(analysis: Analysis, shape: Mapping[str, Any], state: ToolState) -> EventResult:
    kind = shape.get("type")
    tool = state.tool
    wanted = {"rectangle": "rect"}.get(tool, "line")
    if tool == "select" or kind != wanted:
        return EventResult(
            analysis,
            state,
            f"Ignored a {kind} drawn with the {TOOLS[tool]} tool",
        )
    try:
        start = _snapped(anchor(shape["x0"], shape["y0"]), state)
        end = _snapped(anchor(shape["x1"], shape["y1"]), state)
    except (KeyError, ValueError, TypeError) as error:
        return EventResult(analysis, state, f"Could not read the shape drawn: {error}", True)
    if tool == "parallel_channel" and state.pending_base is None:
        return EventResult(
            analysis,
            replace(state, pending_base=(start, end)),
            "Channel base drawn: now draw a line starting on the opposite rail",
        )
    drawing: KnownDrawing
    try:
        if tool == "parallel_channel":
            assert state.pending_base is not None
            drawing = ParallelDrawing(
                client_object_id=new_object_id(analysis, ID_PREFIXES["PARALLEL"]),
                points=[*state.pending_base, start],
                style=state.style.for_type("PARALLEL"),
            )
            parallel_rail(drawing)
        else:
            drawing = _new_drawing(analysis, tool, start, end, state)
        updated = rebuild(analysis, drawings=[*analysis.drawings, drawing])
    except (ValidationError, ValueError) as error:
        return EventResult(
            analysis, replace(state, pending_base=None), error_text(error), is_error=True
        )
    return EventResult(
        updated,
        replace(state, selected=drawing.client_object_id, pending_base=None),
        f"Added {drawing.client_object_id} ({drawing.type})",
    )


def _new_drawing(
    analysis: Analysis, tool: Tool, start: Coordinate, end: Coordinate, state: ToolState
) -> KnownDrawing:
    kind = DRAWN_BY[tool]
    drawing_type = kind.model_fields["type"].default
    points = [start, end]
    if kind is HorizontalLineDrawing:
        # Drawn across the whole view: its time is the middle of what was shown.
        middle = start.time + (end.time - start.time) / 2
        points = [Coordinate(time=_to_whole_second(middle), price=end.price)]
    return kind(
        client_object_id=new_object_id(analysis, ID_PREFIXES[drawing_type]),
        points=points,
        style=state.style.for_type(drawing_type),
    )


# --- moving existing shapes ----------------------------------------------------------------


def shape_edits(payload: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """``{shape index: {x0/x1/y0/y1: value}}`` of the shapes a payload moves."""
    edits: dict[int, dict[str, Any]] = {}
    for key, value in payload.items():
        match = _SHAPE_EDIT.match(key)
        if match:
            edits.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return edits


def _apply_shape_edits(
    analysis: Analysis, edits: dict[int, dict[str, Any]], state: ToolState
) -> EventResult:
    result = EventResult(analysis=analysis, state=state)
    for index, values in sorted(edits.items()):
        name = state.shape_names[index] if index < len(state.shape_names) else None
        parsed = parse_part_name(name)
        if parsed is None:
            continue
        object_id, role = parsed
        try:
            result = _move(result.analysis, object_id, role, values, result.state)
        except (ValidationError, ValueError, TypeError) as error:
            return EventResult(
                analysis, state, f"Cannot move {object_id}: {error_text(error)}", True
            )
    return result


def _move(
    analysis: Analysis,
    object_id: str,
    role: str,
    values: Mapping[str, Any],
    state: ToolState,
) -> EventResult:
    selected = replace(state, selected=object_id)
    if role == "level":
        return _move_level(analysis, object_id, values, selected)
    position = next(
        (i for i, d in enumerate(analysis.drawings) if d.client_object_id == object_id), None
    )
    if position is None:
        return EventResult(analysis, state)
    drawing = analysis.drawings[position]
    if isinstance(drawing, UnknownDrawing):
        return EventResult(analysis, state)
    points = _moved_points(drawing, role, values, state)
    if points is None or points == drawing.points:
        return EventResult(analysis, selected)
    moved = with_points(drawing, points)
    drawings = list(analysis.drawings)
    drawings[position] = moved
    return EventResult(rebuild(analysis, drawings=drawings), selected, f"Moved {object_id}")


def _segment(
    old: Sequence[Coordinate], values: Mapping[str, Any], state: ToolState
) -> list[Coordinate]:
    """The two ends of a line or box after an edit; ends the payload leaves out stay."""
    ends = []
    for number, point in enumerate(old[:2]):
        x, y = values.get(f"x{number}"), values.get(f"y{number}")
        if x is None and y is None:
            ends.append(point)
            continue
        moved = anchor(point_time_text(point) if x is None else x, point.price if y is None else y)
        ends.append(_snapped(moved, state))
    return ends


def point_time_text(point: Coordinate) -> str:
    """A point's time as plotly writes it (naive UTC)."""
    return point.time.replace(tzinfo=None).isoformat(sep=" ")


def _moved_points(
    drawing: KnownDrawing, role: str, values: Mapping[str, Any], state: ToolState
) -> list[Coordinate] | None:
    points = list(drawing.points)
    if isinstance(drawing, HorizontalLineDrawing) and role == "line":
        price = values.get("y0", values.get("y1"))
        if price is None:
            return None
        moved = Coordinate(time=points[0].time, price=float(price))
        return [moved]
    if isinstance(drawing, ParallelDrawing) and role == "rail":
        rail = parallel_rail(drawing)
        ends = _segment(rail, values, replace(state, snap=False))
        middle = ends[0].time + (ends[1].time - ends[0].time) / 2
        through = Coordinate(
            time=_to_whole_second(middle), price=(ends[0].price + ends[1].price) / 2
        )
        return [points[0], points[1], _snapped(through, state)]
    expected = {
        LineDrawing: "line",
        RectangleDrawing: "box",
        FibonacciRetracementDrawing: "anchor",
        ParallelDrawing: "base",
    }.get(type(drawing))
    if role != expected:
        return None
    ends = _segment(points, values, state)
    if isinstance(drawing, ParallelDrawing):
        third = points[2]
        shift = _common_shift(points[:2], ends, state)
        if shift is not None:
            # The whole base was dragged: the channel moves with it.
            third = Coordinate(time=third.time + shift[0], price=third.price + shift[1])
        return [*ends, third]
    return ends


def _common_shift(
    before: Sequence[Coordinate], after: Sequence[Coordinate], state: ToolState
) -> tuple[timedelta, float] | None:
    """The (time, price) shift every point took, if they all took the same one (a drag rather
    than a resize); equal within a second and half a pixel of price."""
    pairs = zip(before, after, strict=True)
    shifts = [(new.time - old.time, new.price - old.price) for old, new in pairs]
    if state.viewport is not None:
        price_tolerance = state.viewport.price_per_pixel / 2
    else:
        price_tolerance = 1e-6 * max(abs(point.price) for point in before)
    first_time, first_price = shifts[0]
    for time_shift, price_shift in shifts[1:]:
        if abs((time_shift - first_time).total_seconds()) > 1:
            return None
        if abs(price_shift - first_price) > price_tolerance:
            return None
    return first_time, first_price


def _move_level(
    analysis: Analysis, object_id: str, values: Mapping[str, Any], state: ToolState
) -> EventResult:
    price = values.get("y0", values.get("y1"))
    for name, entry in analysis.levels.entries():
        if entry.client_object_id == object_id and price is not None:
            levels = set_level(analysis.levels, name, entry.model_copy(update={"price": price}))
            return EventResult(
                rebuild(analysis, levels=levels), state, f"Moved {name} to {float(price):g}"
            )
    return EventResult(analysis, state)


def set_level(levels: Levels, name: str, entry: LevelEntry | None) -> Levels:
    """``levels`` with ``name`` (support, pivot or resistance) set to ``entry`` (or cleared),
    validated (support < pivot < resistance)."""
    if name not in LEVEL_NAMES:
        raise ValueError(f"level must be one of {', '.join(LEVEL_NAMES)}, got {name!r}")
    current: dict[str, Any] = dict(levels.entries())
    current.pop(name, None)
    if entry is not None:
        current[name] = entry.model_dump()
    return Levels.model_validate(current)
