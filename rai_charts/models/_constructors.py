"""One short call per drawing or level."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from pydantic.alias_generators import to_camel

from ._analysis import LevelEntry
from ._drawings import (
    Coordinate,
    FibonacciRetracementDrawing,
    HorizontalLineDrawing,
    LineDrawing,
    ParallelDrawing,
    RectangleDrawing,
)
from ._types import ArrowHead, LineStyle

TimeLike = datetime | str | Any
"""A ``datetime``, pandas ``Timestamp`` or ISO-8601 string, with a timezone."""
Anchor = tuple[TimeLike, float] | Coordinate
"""A ``(time, price)`` pair or a :class:`Coordinate`."""


def point(time: TimeLike, price: float) -> Coordinate:
    """One anchor."""
    return Coordinate.model_validate({"time": time, "price": price})


def _anchor(value: Anchor) -> Coordinate | dict[str, Any]:
    # Left for the drawing to validate, so an error names the drawing and the point.
    if isinstance(value, Coordinate):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return {"time": value[0], "price": value[1]}
    raise TypeError(f"an anchor is a (time, price) pair or a Coordinate, got {value!r}")


def _style(**options: Any) -> dict[str, Any] | None:
    # Wire names, so an error's location reads as on the wire (style.lineWidth).
    chosen = {to_camel(name): value for name, value in options.items() if value is not None}
    return chosen or None


def horizontal_line(
    client_object_id: str,
    price: float,
    *,
    time: TimeLike | None = None,
    color: str | None = None,
    line_width: int | None = None,
    line_style: LineStyle | None = None,
) -> HorizontalLineDrawing:
    """A horizontal line at ``price``; ``time`` defaults to now (UTC, whole minute)."""
    when = time if time is not None else datetime.now(timezone.utc).replace(second=0, microsecond=0)
    return HorizontalLineDrawing.model_validate(
        {
            "clientObjectId": client_object_id,
            "points": [_anchor((when, price))],
            "style": _style(color=color, line_width=line_width, line_style=line_style),
        }
    )


def trend_line(
    client_object_id: str,
    start: Anchor,
    end: Anchor,
    *,
    start_head: ArrowHead | None = None,
    end_head: ArrowHead | None = None,
    color: str | None = None,
    line_width: int | None = None,
    line_style: LineStyle | None = None,
) -> LineDrawing:
    """A line from ``start`` to ``end``, each a ``(time, price)`` pair."""
    return LineDrawing.model_validate(
        {
            "clientObjectId": client_object_id,
            "points": [_anchor(start), _anchor(end)],
            "startHead": start_head,
            "endHead": end_head,
            "style": _style(color=color, line_width=line_width, line_style=line_style),
        }
    )


def rectangle(
    client_object_id: str,
    corner: Anchor,
    opposite_corner: Anchor,
    *,
    fill_color: str | None = None,
    border_color: str | None = None,
    line_width: int | None = None,
    line_style: LineStyle | None = None,
) -> RectangleDrawing:
    """A zone between two opposite corners."""
    return RectangleDrawing.model_validate(
        {
            "clientObjectId": client_object_id,
            "points": [_anchor(corner), _anchor(opposite_corner)],
            "style": _style(
                fill_color=fill_color,
                border_color=border_color,
                line_width=line_width,
                line_style=line_style,
            ),
        }
    )


def parallel_channel(
    client_object_id: str,
    start: Anchor,
    end: Anchor,
    through: Anchor,
    *,
    color: str | None = None,
    fill_color: str | None = None,
    line_width: int | None = None,
    line_style: LineStyle | None = None,
) -> ParallelDrawing:
    """A channel: base line ``start``-``end``, opposite rail through ``through``."""
    return ParallelDrawing.model_validate(
        {
            "clientObjectId": client_object_id,
            "points": [_anchor(start), _anchor(end), _anchor(through)],
            "style": _style(
                color=color, fill_color=fill_color, line_width=line_width, line_style=line_style
            ),
        }
    )


def fibonacci_retracement(
    client_object_id: str,
    swing_start: Anchor,
    swing_end: Anchor,
    *,
    ratios: Sequence[float] | None = None,
    color: str | None = None,
    line_width: int | None = None,
    line_style: LineStyle | None = None,
) -> FibonacciRetracementDrawing:
    """A retracement of the swing; ``ratios`` default to 0, .236, .382, .5, .618, .786, 1."""
    return FibonacciRetracementDrawing.model_validate(
        {
            "clientObjectId": client_object_id,
            "points": [_anchor(swing_start), _anchor(swing_end)],
            "levels": list(ratios) if ratios is not None else None,
            "style": _style(color=color, line_width=line_width, line_style=line_style),
        }
    )


def level(client_object_id: str, price: float, *, time: TimeLike | None = None) -> LevelEntry:
    """A support, pivot or resistance entry."""
    return LevelEntry.model_validate(
        {"clientObjectId": client_object_id, "price": price, "time": time}
    )
