"""rai_charts: draw, render and publish Returning.AI chart analyses from Jupyter.

``import rai_charts`` is light: the models load now; plotting, widgets, the HTTP client and the
local API server load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .models import (
    Analysis,
    AnalysisDetail,
    AnalysisMetadata,
    AnalysisSummary,
    Coordinate,
    Drawing,
    DrawingStyle,
    Expiry,
    FibonacciRetracementDrawing,
    HorizontalLineDrawing,
    LevelEntry,
    Levels,
    LineDrawing,
    ParallelDrawing,
    RectangleDrawing,
    UnknownDrawing,
    fibonacci_retracement,
    horizontal_line,
    level,
    parallel_channel,
    point,
    rectangle,
    trend_line,
)

__version__ = "0.1.0"

# Public names of other modules, imported on first attribute access: heavy libraries load only
# when used, and `import rai_charts.models` pulls in nothing else of the package.
_LAZY: dict[str, str] = {
    "CandleDataError": "rai_charts._exceptions",
    "RaiChartsError": "rai_charts._exceptions",
    "RenderError": "rai_charts._exceptions",
    "RenderWarning": "rai_charts._exceptions",
    "read_candles": "rai_charts.candles",
    "resample": "rai_charts.candles",
    "sample_candles": "rai_charts.candles",
}

if TYPE_CHECKING:  # pragma: no cover
    from ._exceptions import CandleDataError, RaiChartsError, RenderError, RenderWarning
    from .candles import read_candles, resample, sample_candles


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'rai_charts' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Analysis",
    "AnalysisDetail",
    "AnalysisMetadata",
    "AnalysisSummary",
    "CandleDataError",
    "Coordinate",
    "Drawing",
    "DrawingStyle",
    "Expiry",
    "FibonacciRetracementDrawing",
    "HorizontalLineDrawing",
    "LevelEntry",
    "Levels",
    "LineDrawing",
    "ParallelDrawing",
    "RaiChartsError",
    "RectangleDrawing",
    "RenderError",
    "RenderWarning",
    "UnknownDrawing",
    "__version__",
    "fibonacci_retracement",
    "horizontal_line",
    "level",
    "parallel_channel",
    "point",
    "read_candles",
    "rectangle",
    "resample",
    "sample_candles",
    "trend_line",
]
