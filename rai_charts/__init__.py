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

# Public names served by heavier subpackages, imported on first attribute access.
_LAZY: dict[str, str] = {
    "Client": "rai_charts.api",
    "AsyncClient": "rai_charts.api",
    "AnalysisSync": "rai_charts.api",
    "AsyncAnalysisSync": "rai_charts.api",
    "SyncResult": "rai_charts.api",
    "RaiChartsError": "rai_charts._exceptions",
    "RenderError": "rai_charts._exceptions",
    "APIError": "rai_charts._exceptions",
    "APIStatusError": "rai_charts._exceptions",
    "BadRequestError": "rai_charts._exceptions",
    "AuthenticationError": "rai_charts._exceptions",
    "PermissionDeniedError": "rai_charts._exceptions",
    "NotFoundError": "rai_charts._exceptions",
    "ConflictError": "rai_charts._exceptions",
    "UnprocessableEntityError": "rai_charts._exceptions",
    "RateLimitError": "rai_charts._exceptions",
    "InternalServerError": "rai_charts._exceptions",
    "APIConnectionError": "rai_charts._exceptions",
    "APITimeoutError": "rai_charts._exceptions",
    "APIResponseValidationError": "rai_charts._exceptions",
    "CandleDataError": "rai_charts._exceptions",
    "RenderWarning": "rai_charts._exceptions",
    "AnalysisEditor": "rai_charts.widgets",
    "read_candles": "rai_charts.candles",
    "resample": "rai_charts.candles",
    "sample_candles": "rai_charts.candles",
    "summary": "rai_charts._summary",
    "connect": "rai_charts._connect",
    "Connection": "rai_charts._connect",
}

if TYPE_CHECKING:  # pragma: no cover
    from ._connect import Connection, connect
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        CandleDataError,
        ConflictError,
        InternalServerError,
        NotFoundError,
        PermissionDeniedError,
        RaiChartsError,
        RateLimitError,
        RenderError,
        RenderWarning,
        UnprocessableEntityError,
    )
    from .api import AnalysisSync, AsyncAnalysisSync, AsyncClient, Client, SyncResult
    from .candles import read_candles, resample, sample_candles
    from .widgets import AnalysisEditor


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
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Analysis",
    "AnalysisDetail",
    "AnalysisEditor",
    "AnalysisMetadata",
    "AnalysisSummary",
    "AnalysisSync",
    "AsyncAnalysisSync",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "CandleDataError",
    "Client",
    "ConflictError",
    "Connection",
    "Coordinate",
    "Drawing",
    "DrawingStyle",
    "Expiry",
    "FibonacciRetracementDrawing",
    "HorizontalLineDrawing",
    "InternalServerError",
    "LevelEntry",
    "Levels",
    "LineDrawing",
    "NotFoundError",
    "ParallelDrawing",
    "PermissionDeniedError",
    "RaiChartsError",
    "RateLimitError",
    "RectangleDrawing",
    "RenderError",
    "RenderWarning",
    "SyncResult",
    "UnknownDrawing",
    "UnprocessableEntityError",
    "__version__",
    "connect",
    "fibonacci_retracement",
    "horizontal_line",
    "level",
    "parallel_channel",
    "point",
    "read_candles",
    "rectangle",
    "resample",
    "sample_candles",
    "summary",
    "trend_line",
]
