"""Text summaries change exactly when a reviewer-visible fact changes."""

from __future__ import annotations

from typing import Any

import pytest

import rai_charts
from rai_charts.models import CreateAnalysisRequest


def test_summary_lists_every_drawing_and_level(create_example_all_types: dict[str, Any]) -> None:
    text = rai_charts.summary(CreateAnalysisRequest.from_wire(create_example_all_types))
    assert text.splitlines()[:6] == [
        "GBP/USD H1 bullish_bounce: GBPUSD Bullish Bounce from Support",
        "expiry: 24 hours",
        "level support sup_1: 1.34100",
        "level pivot pivot_main: 1.34500",
        "level resistance res_1: 1.35000",
        "drawings: 5",
    ]
    assert "  FIBONACCI_RETRACEMENT swing_fib: 2026-01-08T02:00:00Z 1.33800" in text
    assert "0.5=1.34425" in text


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param(("drawings", 1, "points", 0, "price"), 1.3486, id="drawing-price"),
        pytest.param(("levels", "pivot", "price"), 1.3452, id="level-price"),
        pytest.param(("metadata", "expiry", "hours"), 48, id="expiry"),
    ],
)
def test_summary_changes_when_a_value_moves(
    create_example_all_types: dict[str, Any], path: tuple[Any, ...], value: Any
) -> None:
    before = rai_charts.summary(CreateAnalysisRequest.from_wire(create_example_all_types))
    target = create_example_all_types
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    after = rai_charts.summary(CreateAnalysisRequest.from_wire(create_example_all_types))
    assert before != after


def test_summary_of_a_figure_counts_shapes_and_labels() -> None:
    figure = {
        "data": [{"type": "candlestick", "name": "GBP/USD"}],
        "layout": {
            "title": {"text": "GBP/USD H1"},
            "shapes": [{"type": "line", "name": "a"}, {"type": "line", "name": "a"}],
            "annotations": [{"text": "1.35500"}],
        },
    }
    assert rai_charts.summary(figure) == (
        "title: GBP/USD H1\ntrace candlestick:GBP/USD x1\nshape line:a x2\nannotation 1.35500"
    )


def test_summary_refuses_other_objects() -> None:
    with pytest.raises(TypeError, match="takes an Analysis or a plotly figure"):
        rai_charts.summary(42)
