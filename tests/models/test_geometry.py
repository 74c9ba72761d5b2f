"""Geometry helpers: Fibonacci prices, channel rails, a line's price at a time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from rai_charts.models import (
    DEFAULT_FIBONACCI_RATIOS,
    Coordinate,
    fibonacci_levels,
    fibonacci_retracement,
    parallel_channel,
    parallel_midline,
    parallel_rail,
    point,
    price_at,
    shift,
    time_span,
)

T0 = datetime(2026, 1, 8, tzinfo=timezone.utc)


def hours(count: float) -> datetime:
    return T0 + timedelta(hours=count)


def prices(anchors: tuple[Coordinate, ...] | list[Coordinate]) -> list[float]:
    return [anchor.price for anchor in anchors]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(
            1.0,
            2.0,
            [2.0, 1.764, 1.618, 1.5, 1.382, 1.214, 1.0],
            id="up-swing-retraces-down-from-the-high",
        ),
        pytest.param(
            2.0,
            1.0,
            [1.0, 1.236, 1.382, 1.5, 1.618, 1.786, 2.0],
            id="down-swing-retraces-up-from-the-low",
        ),
    ],
)
def test_fibonacci_levels_for_both_swing_directions(
    start: float, end: float, expected: list[float]
) -> None:
    drawing = fibonacci_retracement("fib", (hours(0), start), (hours(5), end))
    levels = fibonacci_levels(drawing)
    assert [ratio for ratio, _ in levels] == list(DEFAULT_FIBONACCI_RATIOS)
    assert [price for _, price in levels] == pytest.approx(expected)


def test_fibonacci_levels_use_the_drawing_ratios() -> None:
    drawing = fibonacci_retracement(
        "fib", (hours(0), 100.0), (hours(5), 200.0), ratios=[0.5, 1.618]
    )
    assert fibonacci_levels(drawing) == [(0.5, 150.0), (1.618, pytest.approx(38.2))]


def test_parallel_rail_passes_through_the_third_point() -> None:
    channel = parallel_channel("c", (hours(0), 1.0), (hours(10), 2.0), (hours(5), 1.8))
    rail = parallel_rail(channel)
    assert [anchor.time for anchor in rail] == [hours(0), hours(10)]
    assert prices(rail) == pytest.approx([1.3, 2.3])
    assert price_at(rail, hours(5)) == pytest.approx(1.8)


def test_parallel_rail_with_third_point_outside_the_base_span() -> None:
    channel = parallel_channel("c", (hours(0), 1.0), (hours(10), 2.0), (hours(20), 2.5))
    assert prices(parallel_rail(channel)) == pytest.approx([0.5, 1.5])


def test_parallel_midline_is_halfway() -> None:
    channel = parallel_channel("c", (hours(0), 1.0), (hours(10), 2.0), (hours(5), 1.8))
    midline = parallel_midline(channel)
    assert [anchor.time for anchor in midline] == [hours(0), hours(10)]
    assert prices(midline) == pytest.approx([1.15, 2.15])


def test_parallel_rail_of_a_vertical_base_is_refused() -> None:
    channel = parallel_channel("c", (hours(0), 1.0), (hours(0), 2.0), (hours(5), 1.8))
    with pytest.raises(ValueError, match="vertical"):
        parallel_rail(channel)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(hours(0), 1.0, id="first-point"),
        pytest.param(hours(5), 1.5, id="between"),
        pytest.param(hours(10), 2.0, id="second-point"),
        pytest.param(hours(20), 3.0, id="extrapolated-after"),
        pytest.param(hours(-10), 0.0, id="extrapolated-before"),
        pytest.param("2026-01-08T07:30:00+02:00", 1.55, id="iso-string-with-offset"),
    ],
)
def test_price_at(at: datetime | str, expected: float) -> None:
    line = [point(hours(0), 1.0), point(hours(10), 2.0)]
    assert price_at(line, at) == pytest.approx(expected)


def test_price_at_follows_a_falling_line_given_right_to_left() -> None:
    line = [point(hours(10), 1.0), point(hours(0), 2.0)]
    assert price_at(line, hours(2.5)) == pytest.approx(1.75)


@pytest.mark.parametrize(
    ("line", "at", "message"),
    [
        pytest.param(
            [point(hours(3), 1.0), point(hours(3), 2.0)], hours(3), "vertical", id="vertical"
        ),
        pytest.param([point(hours(3), 1.0)], hours(3), "two points", id="one-point"),
        pytest.param(
            [point(hours(0), 1.0), point(hours(1), 2.0)],
            datetime(2026, 1, 8),
            "no timezone",
            id="naive-time",
        ),
    ],
)
def test_price_at_refuses(line: list[Coordinate], at: datetime, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        price_at(line, at)


def test_time_span_and_shift() -> None:
    anchors = [point(hours(4), 1.0), point(hours(1), 2.0), point(hours(2), 1.5)]
    assert time_span(anchors) == (hours(1), hours(4))
    moved = shift(anchors, by_time=timedelta(hours=1), by_price=-0.5)
    assert [(anchor.time, anchor.price) for anchor in moved] == [
        (hours(5), 0.5),
        (hours(2), 1.5),
        (hours(3), 1.0),
    ]
