"""The editor's live plotly figure, redrawn from the analysis by patching only what changed.

The renderer builds the whole figure as plain dicts (:func:`rai_charts.render.figure_dict`);
this module compares them with what the widget shows and sends the difference. A drag changes
one drawing, so it costs a few shapes and the overlay traces, not the few hundred shapes plotly
would check again if they were all assigned (that takes ~0.1 s).

Shape order: the figure's own shapes (expiry), then levels, then drawings in analysis order, so
a new drawing appends at the end, where plotly.js puts a shape drawn in the browser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rai_charts.models import Analysis, Coordinate
from rai_charts.render import ThemeName, figure_dict, parse_part_name

from ._events import plotly_time_to_utc
from ._snap import Viewport

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

PENDING_BASE_NAME = "channel base, waiting for the opposite rail"
"""Name of the provisional shape showing a parallel channel's base before its rail is drawn."""

FIGURE_HEIGHT = 560
"""Height of the editor's chart in pixels."""


def editable_shapes(shapes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The renderer's shapes in editor order, drawing parts editable, the rest not."""
    own = [dict(shape) for shape in shapes if parse_part_name(shape.get("name")) is None]
    parts = [
        {**shape, "editable": True}
        for shape in shapes
        if parse_part_name(shape.get("name")) is not None
    ]
    levels = [shape for shape in parts if str(shape.get("name", "")).endswith("/level")]
    drawings = [shape for shape in parts if not str(shape.get("name", "")).endswith("/level")]
    return [*own, *levels, *drawings]


def pending_base_shape(base: tuple[Coordinate, Coordinate], color: str) -> dict[str, Any]:
    """The provisional base line of a parallel channel being drawn."""
    start, end = base
    return {
        "type": "line",
        "name": PENDING_BASE_NAME,
        "xref": "x",
        "yref": "y",
        "x0": start.time.replace(tzinfo=None).isoformat(sep=" "),
        "y0": start.price,
        "x1": end.time.replace(tzinfo=None).isoformat(sep=" "),
        "y1": end.price,
        "line": {"color": color, "width": 2, "dash": "dot"},
    }


def _changed_items(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> dict[int, Mapping[str, Any]]:
    pairs = enumerate(zip(old, new, strict=True))
    return {index: item for index, (before, item) in pairs if before != item}


def _same_arrays(left: Any, right: Any) -> bool:
    """Deep equality of trace properties, which nest numpy arrays inside dicts and lists."""
    import numpy as np

    if isinstance(left, np.ndarray) or isinstance(right, np.ndarray):
        return bool(np.array_equal(np.asarray(left), np.asarray(right)))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(
            _same_arrays(left[key], right[key]) for key in left
        )
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(
            _same_arrays(a, b) for a, b in zip(left, right, strict=True)
        )
    return bool(left == right)


class LiveFigure:
    """A ``FigureWidget`` showing candles and an analysis, kept in step by :meth:`show`."""

    def __init__(self, candles: pd.DataFrame, analysis: Analysis, *, theme: ThemeName) -> None:
        import plotly.graph_objects as go

        self._candles = candles
        self._theme = theme
        parts = self._parts(analysis, None)
        layout = {**parts["layout"], "height": FIGURE_HEIGHT}
        self.widget: go.FigureWidget = go.FigureWidget(data=parts["data"], layout=layout)
        self._shapes: list[dict[str, Any]] = parts["layout"]["shapes"]
        self._annotations: list[dict[str, Any]] = parts["layout"]["annotations"]
        self._overlay: list[dict[str, Any]] = parts["data"][1:]
        self._title: Any = parts["layout"].get("title")

    def _parts(
        self, analysis: Analysis, pending: tuple[tuple[Coordinate, Coordinate], str] | None
    ) -> dict[str, Any]:
        parts = figure_dict(self._candles, analysis, theme=self._theme, max_candles=None)
        shapes = editable_shapes(parts["layout"]["shapes"])
        if pending is not None:
            shapes.append(pending_base_shape(*pending))
        parts["layout"]["shapes"] = shapes
        return parts

    @property
    def shape_names(self) -> tuple[str | None, ...]:
        """Names of the shapes shown, by index."""
        return tuple(shape.get("name") for shape in self._shapes)

    def adopted(self, shapes: list[dict[str, Any]]) -> None:
        """The browser's shape list (a shape was drawn or erased there) is what the widget
        holds now: compare the next :meth:`show` with it."""
        self._shapes = shapes

    def show(
        self,
        analysis: Analysis,
        *,
        pending_base: tuple[Coordinate, Coordinate] | None = None,
        pending_color: str = "#2962FF",
        moved_shapes: Sequence[int] = (),
    ) -> None:
        """Make the widget show ``analysis``. ``moved_shapes``: indexes of shapes the browser
        moved; they are sent again even if the analysis did not follow (a refused or snapped
        move)."""
        pending = (pending_base, pending_color) if pending_base is not None else None
        parts = self._parts(analysis, pending)
        layout = parts["layout"]
        self._show_shapes(layout["shapes"], moved=moved_shapes)
        self._show_annotations(layout["annotations"])
        self._show_overlay(parts["data"][1:])
        if layout.get("title") != self._title:
            self.widget.layout.title = layout.get("title")
            self._title = layout.get("title")

    def _show_shapes(self, shapes: list[dict[str, Any]], *, moved: Sequence[int]) -> None:
        if len(shapes) != len(self._shapes):
            # plotly.js cannot insert or remove one shape by relayout: assign them all.
            self.widget.layout.shapes = shapes
        else:
            changed = _changed_items(self._shapes, shapes)
            changed.update({index: shapes[index] for index in moved if index < len(shapes)})
            if changed:
                self.widget.plotly_relayout(
                    {f"shapes[{index}]": shape for index, shape in changed.items()}
                )
        self._shapes = shapes

    def _show_annotations(self, annotations: list[dict[str, Any]]) -> None:
        if len(annotations) != len(self._annotations):
            self.widget.layout.annotations = annotations
        else:
            changed = _changed_items(self._annotations, annotations)
            if changed:
                self.widget.plotly_relayout(
                    {f"annotations[{index}]": item for index, item in changed.items()}
                )
        self._annotations = annotations

    def _show_overlay(self, traces: list[dict[str, Any]]) -> None:
        old = self._overlay
        same_layout = len(traces) == len(old) and all(
            set(new) == set(before) for new, before in zip(traces, old, strict=False)
        )
        if not same_layout:
            self.widget.data = self.widget.data[:1]
            if traces:
                self.widget.add_traces(traces)
        else:
            for index, (before, new) in enumerate(zip(old, traces, strict=True), start=1):
                changed = {
                    key: [value]
                    for key, value in new.items()
                    if not _same_arrays(before.get(key), value)
                }
                if changed:
                    self.widget.plotly_restyle(changed, trace_indexes=[index])
        self._overlay = traces

    def home_viewport(self) -> Viewport:
        """What the chart shows before any zoom: the renderer's time range and the candles'
        price range (plus the 5% plotly pads it with)."""
        layout = self.widget.layout
        start, end = (plotly_time_to_utc(value) for value in layout.xaxis.range)
        shown = self._candles[
            (self._candles.index >= _naive_or_aware(start, self._candles))
            & (self._candles.index <= _naive_or_aware(end, self._candles))
        ]
        frame = shown if len(shown) else self._candles
        low, high = float(frame["low"].min()), float(frame["high"].max())
        pad = (high - low) * 0.05 or abs(high) * 0.01 or 1.0
        margin = layout.margin
        width = (layout.width or 900) - (margin.l or 0) - (margin.r or 0)
        height = (layout.height or FIGURE_HEIGHT) - (margin.t or 0) - (margin.b or 0)
        return Viewport(start, end, low - pad, high + pad, width=width, height=height)


def _naive_or_aware(time: datetime, candles: pd.DataFrame) -> Any:
    import pandas as pd

    stamp = pd.Timestamp(time)
    index_tz = getattr(candles.index, "tz", None)
    return stamp.tz_convert(index_tz) if index_tz is not None else stamp.tz_localize(None)
