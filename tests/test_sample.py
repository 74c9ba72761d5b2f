"""The sample analysis `make demo` prints."""

from __future__ import annotations

from rai_charts._sample import sample_analysis
from rai_charts.candles import sample_candles
from rai_charts.models import Analysis


def test_sample_analysis_holds_every_drawing_type_and_three_levels() -> None:
    analysis = sample_analysis(sample_candles("GBP/USD", "H1", 300, seed=1))
    assert sorted(drawing.type for drawing in analysis.drawings) == [
        "FIBONACCI_RETRACEMENT",
        "HORIZONTAL_LINE",
        "LINE",
        "PARALLEL",
        "RECTANGLE",
    ]
    assert [name for name, _ in analysis.levels.entries()] == ["support", "pivot", "resistance"]
    assert Analysis.from_wire(analysis.to_json()) == analysis
