"""Helpers to build small analyses and read figures back as plain dicts."""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
import pandas as pd

from rai_charts import Analysis, AnalysisMetadata, Drawing, Expiry, Levels
from rai_charts.render import OVERLAY_META, figure


def analysis_of(
    *drawings: Drawing,
    symbol: str = "GBP/USD",
    levels: Levels | None = None,
    expiry: Expiry | None = None,
) -> Analysis:
    """An analysis holding just these drawings."""
    return Analysis(
        metadata=AnalysisMetadata(
            title="Test idea",
            symbol=symbol,
            timeframe="H1",
            direction="BULLISH",
            entry_placement="BELOW_CURRENT",
            expiry=expiry,
        ),
        levels=levels or Levels(),
        drawings=list(drawings),
    )


def drawn(candles: pd.DataFrame, analysis: Analysis, **options: Any) -> dict[str, Any]:
    """The figure of ``analysis`` over ``candles`` as ``to_dict()``."""
    return dict(figure(candles, analysis, **options).to_dict())


def shape(chart: dict[str, Any], name: str) -> dict[str, Any]:
    """The one layout shape called ``name``."""
    found = [item for item in chart["layout"].get("shapes", []) if item.get("name") == name]
    assert len(found) == 1, f"{len(found)} shapes named {name!r}"
    return found[0]


def annotation(chart: dict[str, Any], name: str) -> dict[str, Any]:
    """The one layout annotation called ``name``."""
    found = [item for item in chart["layout"].get("annotations", []) if item.get("name") == name]
    assert len(found) == 1, f"{len(found)} annotations named {name!r}"
    return found[0]


def overlay_traces(chart: dict[str, Any], mode: str) -> list[dict[str, Any]]:
    """The overlay traces drawn in ``mode`` (``lines``, ``none`` for fills, ``text``, ...)."""
    return [
        trace
        for trace in chart["data"]
        if trace.get("meta") == OVERLAY_META and trace.get("mode") == mode
    ]


def values(array: Any) -> list[Any]:
    """An array of ``to_dict()`` as a list; numeric arrays come base64-encoded (``bdata``)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def polylines(trace: dict[str, Any]) -> list[list[tuple[str, float]]]:
    """The gap-separated polylines of a bulk trace, as lists of (time, price)."""
    lines: list[list[tuple[str, float]]] = [[]]
    for time, price in zip(values(trace["x"]), values(trace["y"]), strict=True):
        if time == "" or math.isnan(price):
            lines.append([])
        else:
            lines[-1].append((str(time), float(price)))
    return [line for line in lines if line]


def all_polylines(chart: dict[str, Any], mode: str) -> list[list[tuple[str, float]]]:
    """Every polyline of every overlay trace in ``mode``."""
    return [line for trace in overlay_traces(chart, mode) for line in polylines(trace)]


def labels(chart: dict[str, Any]) -> dict[str, tuple[str, float, str]]:
    """Every overlay text label: text to (time, price, color)."""
    return {
        str(text): (str(time), float(price), trace["textfont"]["color"])
        for trace in overlay_traces(chart, "text")
        for time, price, text in zip(
            values(trace["x"]), values(trace["y"]), values(trace["text"]), strict=True
        )
    }
