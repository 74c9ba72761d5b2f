"""How long validating, writing and parsing an analysis takes, by drawing count.

Run: .venv/bin/python benchmarks/models_wire.py
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial

from rai_charts.models import (
    Analysis,
    AnalysisMetadata,
    CreateAnalysisRequest,
    trend_line,
)

START = datetime(2026, 1, 8, tzinfo=timezone.utc)


def analysis_with(count: int) -> Analysis:
    """An analysis of ``count`` trend lines, each named by a link token."""
    lines = [
        trend_line(
            f"line_{index}",
            (START + timedelta(hours=index), 1.30 + index * 1e-4),
            (START + timedelta(hours=index + 5), 1.31 + index * 1e-4),
            color="#0000FF",
            line_width=2,
        )
        for index in range(count)
    ]
    metadata = AnalysisMetadata(
        title="benchmark",
        symbol="GBP/USD",
        timeframe="H1",
        direction="BULLISH",
        entry_placement="BELOW_CURRENT",
        comments=" ".join(f"[[line_{index}:line {index}]]" for index in range(count)),
    )
    return Analysis(metadata=metadata, drawings=lines)


def best_ms(call: Callable[[], object], repeat: int = 20) -> float:
    """Best time of one call, in milliseconds."""
    return min(timeit.repeat(call, number=1, repeat=repeat)) * 1000


def main() -> None:
    columns = ("drawings", "validate ms", "to_json ms", "parse ms", "parse us/drawing")
    print("  ".join(f"{column:>16}" for column in columns))
    for count in (5, 50, 500):
        analysis = analysis_with(count)
        wire = analysis.to_wire()
        text = CreateAnalysisRequest.from_analysis(analysis, sender="a@example.com").to_json()
        validate = best_ms(partial(Analysis.model_validate, wire))
        write = best_ms(analysis.to_json)
        parse = best_ms(partial(CreateAnalysisRequest.from_wire, text))
        row = (
            f"{count}",
            f"{validate:.2f}",
            f"{write:.2f}",
            f"{parse:.2f}",
            f"{parse / count * 1000:.1f}",
        )
        print("  ".join(f"{cell:>16}" for cell in row))


if __name__ == "__main__":
    main()
