"""Pure geometry on drawings, shared by the renderer and the editor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ._drawings import Coordinate, FibonacciRetracementDrawing, ParallelDrawing
from ._types import to_utc


def price_at(points: Sequence[Coordinate], time: datetime | str) -> float:
    """The price of the line through the first two points at ``time`` (extended both ways).

    Raises ``ValueError`` when both points share a time (a vertical line has no single price).
    """
    if len(points) < 2:
        raise ValueError(f"a line needs two points, got {len(points)}")
    start, end = points[0], points[1]
    span = (end.time - start.time).total_seconds()
    if span == 0:
        raise ValueError(f"vertical line at {start.time.isoformat()}: no single price at a time")
    elapsed = (to_utc(time) - start.time).total_seconds()
    return start.price + (end.price - start.price) * elapsed / span


def fibonacci_levels(drawing: FibonacciRetracementDrawing) -> list[tuple[float, float]]:
    """(ratio, price) for each ratio: ratio 0 sits at the swing end, ratio 1 at the swing start.

    That is TradingView's convention, and it holds for both swing directions.
    """
    start, end = drawing.points[0].price, drawing.points[1].price
    return [(ratio, end - (end - start) * ratio) for ratio in drawing.ratios]


def parallel_rail(drawing: ParallelDrawing) -> tuple[Coordinate, Coordinate]:
    """The opposite rail: the base line shifted to pass through the third point."""
    base = drawing.points[:2]
    third = drawing.points[2]
    offset = third.price - price_at(base, third.time)
    return (
        Coordinate(time=base[0].time, price=base[0].price + offset),
        Coordinate(time=base[1].time, price=base[1].price + offset),
    )


def parallel_midline(drawing: ParallelDrawing) -> tuple[Coordinate, Coordinate]:
    """The line halfway between the base and the opposite rail."""
    rail = parallel_rail(drawing)
    return (
        Coordinate(time=rail[0].time, price=(drawing.points[0].price + rail[0].price) / 2),
        Coordinate(time=rail[1].time, price=(drawing.points[1].price + rail[1].price) / 2),
    )


def time_span(points: Sequence[Coordinate]) -> tuple[datetime, datetime]:
    """Earliest and latest time among the points."""
    times = [point.time for point in points]
    return min(times), max(times)


def shift(points: Sequence[Coordinate], *, by_time: timedelta, by_price: float) -> list[Coordinate]:
    """The points moved by a time and a price offset (a drag of the whole drawing)."""
    return [Coordinate(time=p.time + by_time, price=p.price + by_price) for p in points]
