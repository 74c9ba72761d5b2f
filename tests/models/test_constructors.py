"""One short call per drawing gives the documented wire shape."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from rai_charts.models import (
    DEFAULT_FIBONACCI_RATIOS,
    fibonacci_retracement,
    horizontal_line,
    level,
    parallel_channel,
    rectangle,
    trend_line,
)


def test_constructors_give_the_documented_drawings(create_example: dict[str, Any]) -> None:
    built = [
        rectangle(
            "support_zone",
            ("2026-01-08T00:00:00Z", 1.338),
            ("2026-01-09T00:00:00Z", 1.347),
            fill_color="#00FF33",
            border_color="#00FF00",
            line_width=2,
        ),
        trend_line(
            "entry_line",
            ("2026-01-08T06:00:00Z", 1.3485),
            ("2026-01-08T18:00:00Z", 1.3505),
            start_head="NONE",
            end_head="ARROW",
            color="#0000FF",
            line_width=2,
            line_style="DASHED",
        ),
        horizontal_line(
            "target",
            1.355,
            time="2026-01-08T12:00:00Z",
            color="#FF0000",
            line_width=2,
            line_style="SOLID",
        ),
    ]
    assert [drawing.to_wire() for drawing in built] == create_example["drawings"]


def test_constructors_give_the_assumed_drawings(create_example_all_types: dict[str, Any]) -> None:
    channel = parallel_channel(
        "up_channel",
        ("2026-01-08T00:00:00Z", 1.339),
        ("2026-01-09T00:00:00Z", 1.349),
        ("2026-01-08T12:00:00Z", 1.3475),
        color="#8E44AD",
        fill_color="#8E44AD",
        line_width=1,
        line_style="SOLID",
    )
    fibonacci = fibonacci_retracement(
        "swing_fib",
        ("2026-01-08T02:00:00Z", 1.338),
        ("2026-01-08T20:00:00Z", 1.3505),
        ratios=DEFAULT_FIBONACCI_RATIOS,
        color="#F39C12",
        line_width=1,
        line_style="DOTTED",
    )
    assert [channel.to_wire(), fibonacci.to_wire()] == create_example_all_types["drawings"][3:]


def test_unstyled_drawing_sends_no_style_and_default_ratios_send_no_levels() -> None:
    fibonacci = fibonacci_retracement(
        "f", ("2026-01-08T00:00:00Z", 1.0), ("2026-01-08T05:00:00Z", 2.0)
    )
    assert set(fibonacci.to_wire()) == {"type", "clientObjectId", "points"}
    assert fibonacci.ratios == list(DEFAULT_FIBONACCI_RATIOS)


def test_level_entry() -> None:
    assert level("pivot_main", 1.345, time="2026-01-08T12:00:00Z").to_wire() == {
        "price": 1.345,
        "clientObjectId": "pivot_main",
        "time": "2026-01-08T12:00:00Z",
    }
    assert level("pivot_main", 1.345).to_wire() == {"price": 1.345, "clientObjectId": "pivot_main"}


def test_horizontal_line_defaults_to_the_current_minute_in_utc() -> None:
    before = datetime.now(timezone.utc)
    when = horizontal_line("h", 1.0).points[0].time
    assert when.tzinfo is not None and when.utcoffset() == timedelta(0)
    assert (when.second, when.microsecond) == (0, 0)
    assert before - timedelta(minutes=1) <= when <= datetime.now(timezone.utc)
