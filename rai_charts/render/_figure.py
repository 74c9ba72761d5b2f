"""Candles plus an analysis as one plotly figure, built in a single pass."""

from __future__ import annotations

import html
import os
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rai_charts.candles import (
    CandleInput,
    normalize_candles,
    price_decimals,
    read_candles,
    resample_to_fit,
)
from rai_charts.models import (
    Analysis,
    AnalysisDetail,
    HorizontalLineDrawing,
    UnknownDrawing,
    to_utc,
)

from ._drawings import (
    DrawContext,
    Overlay,
    draw_drawings,
    draw_expiry,
    draw_levels,
    plotly_time,
)
from ._theme import Theme, ThemeName, base_layout, get_theme

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

DEFAULT_MAX_CANDLES = 5000
"""Candles drawn at most unless told otherwise; more are resampled to a coarser timeframe."""

RIGHT_MARGIN = 0.05
"""Empty space right of the last candle or drawing, as a share of the time shown."""


def figure(
    candles: CandleInput | str | os.PathLike[str],
    analysis: Analysis | None = None,
    *,
    theme: ThemeName = "light",
    max_candles: int | None = DEFAULT_MAX_CANDLES,
    expiry_reference: datetime | str | None = None,
) -> go.Figure:
    """The candles as a candlestick chart with ``analysis`` drawn over it.

    ``candles``: a DataFrame or list of dicts (see :func:`rai_charts.candles.normalize_candles`)
    or the path of a CSV export (see :func:`rai_charts.read_candles`). ``theme``: ``"light"`` or
    ``"dark"``. ``max_candles``: more candles than this are resampled to the finest standard
    timeframe that fits, and the figure says so; ``None`` draws every candle.

    Drawn: every drawing with its style, support/pivot/resistance as labelled lines, the
    expiry as a dotted line with the region after it shaded, and a title with symbol,
    timeframe, title and the derived analysis type. The expiry is ``expiresAt`` for an
    :class:`~rai_charts.AnalysisDetail`; for a local :class:`~rai_charts.Analysis`, which has
    not been published yet, it is ``expiry.hours`` after ``expiry_reference`` (default: the
    last candle's time, i.e. as if it were published now). A drawing the renderer cannot draw
    is left out with a :class:`~rai_charts.RenderWarning` and a note on the figure.

    Shapes and annotations drawn for a drawing are named ``"<clientObjectId>/<role>"``; see
    :func:`rai_charts.render.drawing_parts`.
    """
    import plotly.graph_objects as go

    parts = figure_dict(
        candles, analysis, theme=theme, max_candles=max_candles, expiry_reference=expiry_reference
    )
    layout = parts["layout"]
    shapes, annotations = layout.pop("shapes"), layout.pop("annotations")
    chart = go.Figure(data=parts["data"], layout=layout)
    # One assignment of the whole lists; through update_layout rather than the constructor,
    # which copies every shape once more (an eighth of the build time at 1,000 drawings).
    chart.update_layout(shapes=shapes, annotations=annotations)
    return chart


def figure_dict(
    candles: CandleInput | str | os.PathLike[str],
    analysis: Analysis | None = None,
    *,
    theme: ThemeName = "light",
    max_candles: int | None = DEFAULT_MAX_CANDLES,
    expiry_reference: datetime | str | None = None,
) -> dict[str, Any]:
    """The figure of :func:`figure` as plain ``{"data": [...], "layout": {...}}`` dicts, before
    plotly checks them: for an editor that updates a live figure part by part (checking a few
    hundred shapes again costs far more than building them)."""
    palette = get_theme(theme)
    if isinstance(candles, (str, os.PathLike)):
        frame = read_candles(candles)
    else:
        frame = normalize_candles(candles)
    overlay = Overlay()
    shown = frame
    if max_candles is not None:
        shown, timeframe = resample_to_fit(frame, max_candles)
        if timeframe is not None:
            overlay.notes.append(
                f"{len(frame):,} candles resampled to {timeframe} ({len(shown):,} candles) "
                f"to stay within max_candles={max_candles:,}"
            )
    symbol = analysis.metadata.symbol if analysis is not None else ""
    context = DrawContext(
        theme=palette, decimals=price_decimals(symbol, float(shown["close"].iloc[-1]))
    )
    layout = base_layout(palette)
    expires_at = None
    if analysis is not None:
        expires_at = _expiry(analysis, expiry_reference, frame, overlay)
        layout["title"] = _title(analysis, palette)
        draw_levels(analysis.levels, context, overlay)
        draw_drawings(analysis.drawings, context, overlay)
    left, right = _time_range(shown, analysis, expires_at)
    if expires_at is not None:
        draw_expiry(expires_at, right, palette, overlay)
    if overlay.notes:
        overlay.annotations.append(_notes(overlay.notes, palette))
    layout["xaxis"]["range"] = [plotly_time(left), plotly_time(right)]
    layout["shapes"] = overlay.shapes
    layout["annotations"] = overlay.annotations
    return {"data": [_candle_trace(shown, symbol, palette), *overlay.traces()], "layout": layout}


def _candle_trace(candles: pd.DataFrame, symbol: str, theme: Theme) -> dict[str, Any]:
    times: pd.DatetimeIndex = candles.index  # type: ignore[assignment]
    return {
        "type": "candlestick",
        "name": symbol or "candles",
        # naive UTC: plotly converts zone-aware times one by one (a second per 100k candles)
        "x": times.tz_localize(None).to_numpy(),
        "open": candles["open"].to_numpy(),
        "high": candles["high"].to_numpy(),
        "low": candles["low"].to_numpy(),
        "close": candles["close"].to_numpy(),
        "increasing": {"line": {"color": theme.rising, "width": 1}, "fillcolor": theme.rising},
        "decreasing": {"line": {"color": theme.falling, "width": 1}, "fillcolor": theme.falling},
        "whiskerwidth": 0,
    }


def _expiry(
    analysis: Analysis,
    reference: datetime | str | None,
    candles: pd.DataFrame,
    overlay: Overlay,
) -> datetime | None:
    if isinstance(analysis, AnalysisDetail):
        if analysis.expires_at is not None:
            return analysis.expires_at
        start = analysis.created_at
    else:
        start = to_utc(reference) if reference is not None else candles.index[-1].to_pydatetime()
    expiry = analysis.metadata.expiry
    if expiry is None:
        return None
    if expiry.type != "HOURS" or expiry.hours is None:
        overlay.notes.append(f"expiry of type {expiry.type!r} not shown")
        return None
    return start + timedelta(hours=expiry.hours)


def _title(analysis: Analysis, theme: Theme) -> dict[str, Any]:
    metadata = analysis.metadata
    kind = analysis.analysis_type.replace("_", " ").capitalize()
    return {
        "text": (
            f"<b>{html.escape(metadata.symbol)} · {metadata.timeframe}</b>"
            f"  {html.escape(metadata.title)}"
        ),
        "subtitle": {"text": kind, "font": {"color": theme.muted}},
        "x": 0.01,
        "xanchor": "left",
    }


def _notes(notes: list[str], theme: Theme) -> dict[str, Any]:
    return {
        "name": "notes",
        "text": "<br>".join(html.escape(note) for note in notes),
        "xref": "paper",
        "x": 0,
        "xanchor": "left",
        "yref": "paper",
        "y": 0,
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "bgcolor": theme.background,
        "font": {"color": theme.muted, "size": 11},
    }


def _time_range(
    candles: pd.DataFrame, analysis: Analysis | None, expires_at: datetime | None
) -> tuple[datetime, datetime]:
    """The x range: every candle, every drawing anchor and the expiry, with room on the right."""
    times = [candles.index[0].to_pydatetime(), candles.index[-1].to_pydatetime()]
    if analysis is not None:
        # a horizontal line spans the chart whatever its time, so its time widens nothing
        times += [
            point.time
            for drawing in analysis.drawings
            if not isinstance(drawing, (UnknownDrawing, HorizontalLineDrawing))
            for point in drawing.points
        ]
    if expires_at is not None:
        times.append(expires_at)
    left, right = min(times), max(times)
    spacing = timedelta(minutes=1)
    if len(candles) > 1:
        spacing = (candles.index[-1] - candles.index[-2]).to_pytimedelta()
    room = max((right - left) * RIGHT_MARGIN, spacing)
    return left - spacing, right + room
