"""AnalysisEditor: draw, edit and publish an analysis on a candle chart inside a notebook."""

from __future__ import annotations

import contextlib
import functools
import html
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import ValidationError

from rai_charts._exceptions import APIError, APIStatusError
from rai_charts.candles import (
    CandleInput,
    infer_timeframe,
    normalize_candles,
    price_decimals,
    resample_to_fit,
)
from rai_charts.models import (
    TIMEFRAMES,
    Analysis,
    AnalysisDetail,
    AnalysisMetadata,
    Direction,
    EntryPlacement,
    HorizontalLineDrawing,
    LevelEntry,
    LineStyle,
    UnknownDrawing,
)
from rai_charts.render import DASHES, DEFAULT_MAX_CANDLES, ThemeName

from ._canvas import LiveFigure
from ._drafts import Draft, default_draft_path, load_draft, save_draft, set_aside
from ._events import (
    LEVEL_NAMES,
    TOOLS,
    NewDrawingStyle,
    Tool,
    ToolState,
    apply_relayout,
    error_text,
    new_object_id,
    object_ids,
    rebuild,
    set_level,
    shape_edits,
    without_objects,
)
from ._relayout import observe_relayout
from ._snap import CandleGrid

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd
    import plotly.graph_objects as go

    from rai_charts.api import AnalysisSync, Client

DRAGMODES: dict[Tool, str] = {
    "select": "pan",
    "trend_line": "drawline",
    "horizontal_line": "drawline",
    "rectangle": "drawrect",
    "parallel_channel": "drawline",
    "fibonacci_retracement": "drawline",
}
"""plotly's drag mode for each tool (Select/Move pans; a click activates a shape to move it)."""

TEXT_FIELDS: dict[str, str] = {
    "preference_text": "Preference",
    "alternative_text": "Alternative",
    "comments": "Comments",
}
"""Metadata fields that may hold ``[[id:label]]`` links, with their form labels."""

UNTITLED = "Untitled analysis"
"""Title of a new analysis until one is typed."""


def _describe(error: Exception) -> str:
    """One line for the status or a field: the server's message for API errors."""
    if isinstance(error, APIStatusError):
        body = error.body if isinstance(error.body, dict) else {}
        message = str(body.get("message") or error.message)
        fields = "; ".join(f"{item.get('field')}: {item.get('message')}" for item in error.errors)
        return f"{message} ({fields})" if fields else message
    if isinstance(error, APIError):
        return error.message
    if isinstance(error, (ValidationError, ValueError, TypeError, KeyError)):
        return error_text(error)
    return f"{type(error).__name__}: {error}"


class AnalysisEditor:
    """A chart editor for one analysis: tool bar, chart, drawing list, metadata form and
    Publish button, in one ipywidgets layout. Display it as the last line of a cell.

    ``candles``: a DataFrame or list of dicts of OHLC candles (see
    :func:`rai_charts.candles.normalize_candles`). ``analysis``: the analysis to edit (an
    :class:`~rai_charts.AnalysisDetail` from the server continues that one); ``None`` starts a
    new one. ``client``, ``community_id``, ``channel_id``, ``sender``: where Publish sends it
    (taken from an ``AnalysisDetail`` when not given); without a client the editor only drafts.
    ``draft_path``: where every change is saved (default: a file under ``.rai_drafts/``); an
    editor opened on the same draft path continues from it. ``theme`` (``"light"`` or
    ``"dark"``) and ``max_candles`` are the renderer's (see :func:`rai_charts.render.figure`).

    :attr:`analysis` is always the current, valid analysis.
    """

    def __init__(
        self,
        candles: CandleInput,
        analysis: Analysis | None = None,
        *,
        client: Client | None = None,
        community_id: str | None = None,
        channel_id: str | None = None,
        sender: str | None = None,
        draft_path: str | Path | None = None,
        theme: ThemeName = "light",
        max_candles: int | None = DEFAULT_MAX_CANDLES,
    ) -> None:
        if analysis is not None and not isinstance(analysis, Analysis):
            raise TypeError(f"analysis must be an Analysis or None, got {type(analysis).__name__}")
        frame = normalize_candles(candles)
        shown, resampled_to = (
            resample_to_fit(frame, max_candles) if max_candles is not None else (frame, None)
        )
        self._candles: pd.DataFrame = shown
        self._decimals = price_decimals(
            analysis.metadata.symbol if analysis else "", float(shown["close"].iloc[-1])
        )
        start = analysis if analysis is not None else self._new_analysis(frame)
        detail = analysis if isinstance(analysis, AnalysisDetail) else None
        self._draft_path = (
            Path(draft_path)
            if draft_path is not None
            else (default_draft_path(start, given=analysis is not None))
        )
        self._analysis: Analysis = detail.to_analysis() if detail else start
        analysis_id = detail.analysis_id if detail else None
        acknowledged = detail.to_analysis() if detail else None
        notes: list[str] = []
        if resampled_to is not None:
            notes.append(f"{len(frame):,} candles shown as {len(shown):,} {resampled_to} candles")
        try:
            draft = load_draft(self._draft_path)
        except ValueError as error:
            kept = set_aside(self._draft_path)
            notes.append(f"{error}; it was kept as {kept.name}")
            draft = None
        if draft is not None:
            self._analysis = draft.analysis
            analysis_id = draft.analysis_id or analysis_id
            acknowledged = draft.acknowledged or acknowledged
            notes.append(f"Restored the draft saved in {self._draft_path}")
        self._analysis_id = analysis_id
        self._acknowledged = acknowledged
        self._session = self._open_session(
            client,
            community_id or (detail.community_id if detail else None),
            channel_id or (detail.channel_id if detail else None),
            sender or (detail.sender if detail else None),
        )
        self._last_error: str | None = None
        self._canvas = LiveFigure(self._candles, self._analysis, theme=theme)
        home = self._canvas.home_viewport()
        self._state = ToolState(
            shape_names=self._canvas.shape_names,
            viewport=home,
            home_viewport=home,
            candles=CandleGrid.from_candles(self._candles),
        )
        self._updating_form = False
        self._build_widgets()
        observe_relayout(self._canvas.widget, self._on_relayout)
        self._refresh()
        self._say(" · ".join(notes) if notes else "Pick a tool and drag on the chart")

    # --- public API ------------------------------------------------------------------------

    @property
    def analysis(self) -> Analysis:
        """The analysis as edited so far; always valid."""
        return self._analysis

    @analysis.setter
    def analysis(self, value: Analysis) -> None:
        if not isinstance(value, Analysis):
            raise TypeError(f"analysis must be an Analysis, got {type(value).__name__}")
        self._change(rebuild(value))

    @property
    def figure(self) -> go.FigureWidget:
        """The chart: a plotly ``FigureWidget``."""
        return self._canvas.widget

    @property
    def widget(self) -> ipywidgets.VBox:
        """The whole editor as one ipywidgets box."""
        return self._root

    @property
    def draft_path(self) -> Path:
        """Where every change is saved."""
        return self._draft_path

    @property
    def analysis_id(self) -> str | None:
        """The server's id once published."""
        return self._session.analysis_id if self._session else self._analysis_id

    @property
    def status(self) -> str:
        """``Draft``, ``Synced``, ``Changes pending`` or ``Error: <the server's message>``."""
        if self._last_error is not None:
            return f"Error: {self._last_error}"
        if self.analysis_id is None:
            return "Draft"
        if self._session is not None:
            return "Changes pending" if self._session.has_changes(self._analysis) else "Synced"
        same = self._acknowledged is not None and (
            self._acknowledged.to_wire() == self._analysis.to_wire()
        )
        return "Synced" if same else "Changes pending"

    @property
    def tool(self) -> Tool:
        """The tool in use."""
        return self._state.tool

    @tool.setter
    def tool(self, value: Tool) -> None:
        if value not in TOOLS:
            raise ValueError(f"tool must be one of {', '.join(TOOLS)}, got {value!r}")
        self._tools.value = value

    @property
    def selected(self) -> str | None:
        """Id of the selected drawing or level."""
        return self._state.selected

    def select(self, object_id: str | None) -> None:
        """Select a drawing or level by id (``None``: nothing)."""
        if object_id is not None and object_id not in self._object_ids():
            raise KeyError(f"no drawing or level has the id {object_id!r}")
        self._state = replace(self._state, selected=object_id)
        self._refresh_list()

    def delete(self, object_id: str | None = None) -> None:
        """Delete a drawing or level (default: the selected one); links to it become text."""
        target = object_id or self._state.selected
        if target is None:
            raise ValueError("nothing selected to delete: select a drawing first")
        if target not in self._object_ids():
            raise KeyError(f"no drawing or level has the id {target!r}")
        self._state = replace(self._state, selected=None)
        self._change(without_objects(self._analysis, {target}))
        self._say(f"Deleted {target}")

    def rename(self, object_id: str, new_id: str) -> None:
        """Give a drawing or level a new clientObjectId; links naming it follow."""
        new_id = new_id.strip()
        if object_id not in self._object_ids():
            raise KeyError(f"no drawing or level has the id {object_id!r}")
        if not new_id or any(mark in new_id for mark in "[]:/"):
            raise ValueError(f"new id {new_id!r} must be non-empty, without [ ] : or /")
        if new_id != object_id and new_id in self._object_ids():
            raise ValueError(f"id {new_id!r} is already used in this analysis")
        analysis = self._analysis
        drawings = [
            type(drawing).model_validate({**drawing.model_dump(), "client_object_id": new_id})
            if drawing.client_object_id == object_id
            else drawing
            for drawing in analysis.drawings
        ]
        levels = analysis.levels.model_validate(
            {
                name: entry.model_copy(update={"client_object_id": new_id})
                if entry.client_object_id == object_id
                else entry
                for name, entry in analysis.levels.entries()
            }
        )
        token = f"[[{object_id}:"
        metadata = analysis.metadata.model_copy(
            update={
                name: text.replace(token, f"[[{new_id}:")
                for name in TEXT_FIELDS
                if (text := getattr(analysis.metadata, name))
            }
        )
        if self._state.selected == object_id:
            self._state = replace(self._state, selected=new_id)
        self._change(rebuild(analysis, metadata=metadata, levels=levels, drawings=drawings))
        self._say(f"Renamed {object_id} to {new_id}")

    def update_metadata(self, **fields: Any) -> None:
        """Change metadata fields (snake_case names, e.g. ``title="..."``,
        ``expiry_hours=24``); raises pydantic's ``ValidationError`` for invalid values."""
        values = self._analysis.metadata.model_dump()
        for name, value in fields.items():
            if name == "expiry_hours":
                values["expiry"] = None if value in (None, "") else {"hours": value}
            elif name in AnalysisMetadata.model_fields:
                values[name] = value
            else:
                raise TypeError(f"unknown metadata field {name!r}")
        metadata = AnalysisMetadata.model_validate(values)
        self._change(rebuild(self._analysis, metadata=metadata))

    def insert_link(self, field: str, object_id: str, label: str | None = None) -> None:
        """Append a ``[[object_id:label]]`` link to the text ``field`` (``preference_text``,
        ``alternative_text`` or ``comments``)."""
        if field not in TEXT_FIELDS:
            raise ValueError(f"field must be one of {', '.join(TEXT_FIELDS)}, got {field!r}")
        if object_id not in self._object_ids():
            raise KeyError(f"no drawing or level has the id {object_id!r}")
        text = getattr(self._analysis.metadata, field) or ""
        token = f"[[{object_id}:{label or object_id}]]"
        self.update_metadata(**{field: f"{text} {token}".strip()})

    def set_level(
        self, name: str, price: float | None = None, *, from_drawing: str | None = None
    ) -> None:
        """Set support, pivot or resistance at ``price``, or at the price of the horizontal
        line ``from_drawing``; ``price=None`` without a drawing clears it."""
        time: datetime | None = None
        if from_drawing is not None:
            drawing = self._analysis.drawing(from_drawing)
            if not isinstance(drawing, HorizontalLineDrawing):
                raise ValueError(
                    f"{from_drawing!r} is a {drawing.type}, not a horizontal line: pick a "
                    "horizontal line or type a price"
                )
            price, time = drawing.price, drawing.points[0].time
        levels = self._analysis.levels
        entry = None
        if price is not None:
            current = getattr(levels, name, None) if name in LEVEL_NAMES else None
            if current is not None:
                object_id = current.client_object_id
            elif name not in self._object_ids():
                object_id = name
            else:
                object_id = new_object_id(self._analysis, name)
            entry = LevelEntry.model_validate(
                {
                    "price": price,
                    "client_object_id": object_id,
                    "time": time or self._candles.index[-1].to_pydatetime(),
                }
            )
        self._change(rebuild(self._analysis, levels=set_level(levels, name, entry)))
        self._say(f"{name.capitalize()} {'cleared' if entry is None else f'set at {price:g}'}")

    def publish(self) -> None:
        """Send the analysis to the server (first time: create; then only what changed).

        Raises ``ValueError`` when the editor has no client, and the client's ``APIError``
        when the server refuses (the status line shows the server's message either way).
        """
        if self._session is None:
            raise ValueError(
                "no client to publish with: pass client=, community_id=, channel_id= and "
                "sender= to AnalysisEditor"
            )
        try:
            self._session.sync(self._analysis)
        except Exception as error:
            self._last_error = _describe(error)
            self._refresh_status()
            raise
        self._last_error = None
        self._analysis_id = self._session.analysis_id
        self._acknowledged = self._session.acknowledged
        self._save()
        self._refresh_status()
        self._say(f"Published as {self._session.analysis_id}")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self._root._repr_mimebundle_(**kwargs)

    # --- state -------------------------------------------------------------------------------

    @staticmethod
    def _new_analysis(candles: pd.DataFrame) -> Analysis:
        symbol = str(candles.attrs.get("symbol") or "SYMBOL")
        timeframe = infer_timeframe(candles) or "H1"
        return Analysis(
            metadata=AnalysisMetadata(
                title=UNTITLED,
                symbol=symbol,
                timeframe=timeframe,
                direction="BULLISH",
                entry_placement="ABOVE_CURRENT",
            )
        )

    def _open_session(
        self,
        client: Client | None,
        community_id: str | None,
        channel_id: str | None,
        sender: str | None,
    ) -> AnalysisSync | None:
        if client is None:
            return None
        missing = [
            name
            for name, value in (
                ("community_id", community_id),
                ("channel_id", channel_id),
                ("sender", sender),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"publishing with a client needs {', '.join(missing)}")
        from rai_charts.api import AnalysisSync

        assert community_id and channel_id and sender
        return AnalysisSync(
            client,
            community_id=community_id,
            channel_id=channel_id,
            sender=sender,
            analysis_id=self._analysis_id if self._acknowledged is not None else None,
            acknowledged=self._acknowledged if self._analysis_id is not None else None,
        )

    def _object_ids(self) -> set[str]:
        return object_ids(self._analysis)

    def _change(self, analysis: Analysis) -> None:
        """Make ``analysis`` current: redraw, save the draft, refresh the panels."""
        self._analysis = analysis
        self._redraw()
        self._after_change()

    def _redraw(self, *, moved_shapes: tuple[int, ...] = ()) -> None:
        self._canvas.show(
            self._analysis,
            pending_base=self._state.pending_base,
            pending_color=self._state.style.color,
            moved_shapes=moved_shapes,
        )
        self._state = replace(self._state, shape_names=self._canvas.shape_names)

    def _after_change(self) -> None:
        self._last_error = None
        self._save()
        self._refresh()

    def _save(self) -> None:
        try:
            save_draft(
                self._draft_path,
                Draft(self._analysis, self.analysis_id, self._acknowledged),
            )
        except OSError as error:
            self._say(f"Could not save the draft to {self._draft_path}: {error}", error=True)

    def _on_relayout(self, payload: dict[str, Any]) -> None:
        try:
            drawn = "shapes" in payload
            if drawn:
                self._canvas.adopted(payload["shapes"])
            result = apply_relayout(self._analysis, payload, self._state)
            pending_before = self._state.pending_base
            self._state = result.state
            moved = tuple(sorted(shape_edits(payload)))
            changed = result.analysis is not self._analysis
            self._analysis = result.analysis
            if changed or drawn or moved or pending_before != result.state.pending_base:
                self._redraw(moved_shapes=moved)
            if changed:
                self._after_change()
            if result.message:
                self._say(result.message, error=result.is_error)
        except Exception as error:  # never a traceback in the notebook
            self._say(f"Could not apply that gesture: {_describe(error)}", error=True)

    # --- widgets -----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        import ipywidgets as w

        state = self._state
        self._tools = w.ToggleButtons(
            options=[(label, name) for name, label in TOOLS.items()],
            value=state.tool,
            style={"button_width": "auto"},
        )
        self._tools.add_class("rai-tools")
        self._tools.observe(self._guard(self._on_tool), names="value")
        self._delete_button = self._button("Delete", "rai-delete", self._on_delete, "danger")
        self._snap = w.ToggleButton(value=state.snap, description="Snap to OHLC", icon="magnet")
        self._snap.add_class("rai-snap")
        self._snap.observe(self._guard(self._on_style), names="value")
        self._color = w.ColorPicker(value=state.style.color, concise=True, description="Color")
        self._width = w.BoundedIntText(
            value=state.style.line_width, min=1, max=10, description="Width"
        )
        self._line_style = w.Dropdown(
            options=list(get_args(LineStyle)), value=state.style.line_style, description="Style"
        )
        for control in (self._color, self._width, self._line_style):
            control.layout = w.Layout(width="170px")
            control.observe(self._guard(self._on_style), names="value")
        toolbar = w.VBox(
            [
                self._tools,
                w.HBox(
                    [self._delete_button, self._snap, self._color, self._width, self._line_style]
                ),
            ]
        )

        self._hint = w.HTML()
        self._hint.add_class("rai-hint")
        self._status_line = w.HTML()
        self._status_line.add_class("rai-status")
        self._publish_button = self._button("Publish", "rai-publish", self._on_publish, "primary")
        self._publish_button.disabled = self._session is None
        if self._session is None:
            self._publish_button.tooltip = "Pass client=, community_id=, channel_id=, sender="
        publish_row = w.HBox([self._publish_button, self._status_line])

        self._list = w.Select(options=[], rows=8, layout=w.Layout(width="100%"))
        self._list.add_class("rai-drawings")
        self._list.observe(self._guard(self._on_list_select), names="value")
        self._new_id = w.Text(placeholder="new id", layout=w.Layout(width="140px"))
        self._new_id.add_class("rai-new-id")
        self._list_error = w.HTML()
        drawings_box = w.VBox(
            [
                w.HTML("<b>Drawings</b>"),
                self._list,
                w.HBox(
                    [
                        self._new_id,
                        self._button("Rename", "rai-rename", self._on_rename),
                        self._button("Delete", "rai-list-delete", self._on_delete),
                    ]
                ),
                self._list_error,
                *self._levels_form(w),
            ],
            layout=w.Layout(width="40%"),
        )
        form = self._metadata_form(w)
        self._root = w.VBox(
            [
                toolbar,
                self._canvas.widget,
                self._hint,
                publish_row,
                w.HBox([drawings_box, form], layout=w.Layout(width="100%")),
            ]
        )
        self._root.add_class("rai-editor")

    def _button(
        self, label: str, css: str, action: Callable[[], None], style: str = ""
    ) -> ipywidgets.Button:
        import ipywidgets as w

        button = w.Button(description=label, button_style=style)
        button.add_class(css)
        button.on_click(self._guard(lambda _button: action()))
        return button

    def _metadata_form(self, w: Any) -> ipywidgets.VBox:
        self._fields: dict[str, Any] = {
            "title": w.Text(description="Title"),
            "symbol": w.Text(description="Symbol"),
            "timeframe": w.Dropdown(options=list(TIMEFRAMES), description="Timeframe"),
            "direction": w.Dropdown(options=list(get_args(Direction)), description="Direction"),
            "entry_placement": w.Dropdown(
                options=list(get_args(EntryPlacement)), description="Entry"
            ),
            "expiry_hours": w.Text(description="Expiry (h)", placeholder="none"),
            **{
                name: w.Textarea(description=label, layout=w.Layout(width="95%", height="60px"))
                for name, label in TEXT_FIELDS.items()
            },
        }
        self._field_errors = {name: w.HTML() for name in self._fields}
        rows = []
        for name, control in self._fields.items():
            control.continuous_update = False
            control.add_class(f"rai-field-{name.replace('_', '-')}")
            control.observe(self._guard(functools.partial(self._on_field, name)), names="value")
            self._field_errors[name].add_class(f"rai-error-{name.replace('_', '-')}")
            rows.append(w.HBox([control, self._field_errors[name]]))
        self._link_field = w.Dropdown(
            options=[(label, name) for name, label in TEXT_FIELDS.items()],
            description="Link in",
            layout=w.Layout(width="200px"),
        )
        self._link_label = w.Text(placeholder="label", layout=w.Layout(width="140px"))
        link_row = w.HBox(
            [
                self._link_field,
                self._link_label,
                self._button("Insert link to selected", "rai-insert-link", self._on_link),
            ]
        )
        return w.VBox([w.HTML("<b>Analysis</b>"), *rows, link_row], layout=w.Layout(width="60%"))

    def _levels_form(self, w: Any) -> Iterator[Any]:
        self._level_name = w.Dropdown(options=list(LEVEL_NAMES), layout=w.Layout(width="120px"))
        self._level_price = w.Text(placeholder="price", layout=w.Layout(width="110px"))
        self._level_price.add_class("rai-level-price")
        self._level_error = w.HTML()
        yield w.HTML("<b>Levels</b>")
        yield w.HBox([self._level_name, self._level_price])
        yield w.HBox(
            [
                self._button("Set at price", "rai-level-price-set", self._on_level_price),
                self._button("Set from selected line", "rai-level-line", self._on_level_line),
                self._button("Clear", "rai-level-clear", self._on_level_clear),
            ]
        )
        yield self._level_error

    def _guard(self, handler: Callable[..., None]) -> Callable[..., None]:
        """Run a widget callback; any error is shown in the editor, never as a traceback."""

        @functools.wraps(handler)
        def guarded(*args: Any, **kwargs: Any) -> None:
            try:
                handler(*args, **kwargs)
            except Exception as error:
                self._say(_describe(error), error=True)

        return guarded

    def _say(self, text: str, *, error: bool = False) -> None:
        color = "#F23645" if error else "#555"
        self._hint.value = f'<span style="color:{color}">{html.escape(text)}</span>'

    # --- widget callbacks --------------------------------------------------------------------

    def _on_tool(self, change: dict[str, Any]) -> None:
        tool: Tool = change["new"]
        pending = self._state.pending_base if tool == "parallel_channel" else None
        redraw = pending != self._state.pending_base
        self._state = replace(self._state, tool=tool, pending_base=pending)
        self._apply_drag_settings()
        if redraw:
            self._redraw()
        hints = {
            "select": "Click a shape to activate it, then drag it or its ends",
            "parallel_channel": "Draw the base line, then a line starting on the opposite rail",
        }
        self._say(hints.get(tool, f"Drag on the chart to draw a {TOOLS[tool].lower()}"))

    def _on_style(self, change: dict[str, Any]) -> None:
        self._state = replace(
            self._state,
            snap=self._snap.value,
            style=NewDrawingStyle(
                color=self._color.value,
                line_width=self._width.value,
                line_style=self._line_style.value,
            ),
        )
        self._apply_drag_settings()

    def _apply_drag_settings(self) -> None:
        state = self._state
        self._canvas.widget.plotly_relayout(
            {
                "dragmode": DRAGMODES[state.tool],
                "newshape.drawdirection": (
                    "horizontal" if state.tool == "horizontal_line" else "diagonal"
                ),
                "newshape.line.color": state.style.color,
                "newshape.line.width": state.style.line_width,
                "newshape.line.dash": DASHES[state.style.line_style],
                "newshape.fillcolor": state.style.color,
                "newshape.opacity": 0.4,
            }
        )

    def _on_delete(self) -> None:
        self.delete()

    def _on_publish(self) -> None:
        # publish() has put the server's message in the status line.
        with contextlib.suppress(APIError, ValueError):
            self.publish()

    def _on_list_select(self, change: dict[str, Any]) -> None:
        if not self._updating_form:
            self.select(change["new"])
            self._link_label.placeholder = change["new"] or "label"

    def _on_rename(self) -> None:
        if self._state.selected is None:
            raise ValueError("select a drawing to rename")
        self.rename(self._state.selected, self._new_id.value)
        self._new_id.value = ""

    def _on_link(self) -> None:
        if self._state.selected is None:
            raise ValueError("select a drawing to link to")
        self.insert_link(
            self._link_field.value, self._state.selected, self._link_label.value or None
        )

    def _on_level_price(self) -> None:
        self._level_error.value = ""
        text = self._level_price.value.strip()
        try:
            price = float(text)
        except ValueError:
            self._show_error(self._level_error, f"price {text!r} is not a number")
            return
        self._run_showing_errors(self._level_error, self.set_level, self._level_name.value, price)

    def _on_level_line(self) -> None:
        self._level_error.value = ""
        if self._state.selected is None:
            self._show_error(self._level_error, "select a horizontal line in the list first")
            return
        self._run_showing_errors(
            self._level_error,
            self.set_level,
            self._level_name.value,
            from_drawing=self._state.selected,
        )

    def _on_level_clear(self) -> None:
        self._run_showing_errors(self._level_error, self.set_level, self._level_name.value)

    def _on_field(self, name: str, change: dict[str, Any]) -> None:
        if self._updating_form:
            return
        value = change["new"]
        if isinstance(value, str):
            value = value.strip()
        if name == "expiry_hours" and value:
            try:
                value = int(value)
            except ValueError:
                self._show_error(self._field_errors[name], f"{value!r} is not a whole number")
                return
        elif name in TEXT_FIELDS and value == "":
            value = None
        self._field_errors[name].value = ""
        self._run_showing_errors(self._field_errors[name], self.update_metadata, **{name: value})

    def _run_showing_errors(
        self, place: ipywidgets.HTML, action: Callable[..., None], *args: Any, **kwargs: Any
    ) -> None:
        try:
            action(*args, **kwargs)
        except (ValidationError, ValueError, KeyError, TypeError) as error:
            self._show_error(place, _describe(error))

    def _show_error(self, place: ipywidgets.HTML, text: str) -> None:
        place.value = f'<span style="color:#F23645">{html.escape(text)}</span>'

    # --- refreshing the panels ---------------------------------------------------------------

    def _refresh(self) -> None:
        self._refresh_list()
        self._refresh_form()
        self._refresh_status()

    def _refresh_status(self) -> None:
        status = self.status
        color = "#F23645" if status.startswith("Error") else "#555"
        self._status_line.value = f'<span style="color:{color}"><b>{html.escape(status)}</b></span>'
        self._publish_button.description = "Publish" if self.analysis_id is None else "Sync"

    def _refresh_list(self) -> None:
        decimals = self._decimals
        rows = [
            (self._row_label(drawing, decimals), drawing.client_object_id)
            for drawing in self._analysis.drawings
            if drawing.client_object_id
        ]
        rows += [
            (f"{entry.client_object_id} · {name} level · {entry.price:.{decimals}f}", object_id)
            for name, entry in self._analysis.levels.entries()
            if (object_id := entry.client_object_id)
        ]
        self._updating_form = True
        try:
            if list(self._list.options) != rows:
                self._list.options = rows
            ids = [object_id for _, object_id in rows]
            self._list.value = self._state.selected if self._state.selected in ids else None
        finally:
            self._updating_form = False

    @staticmethod
    def _row_label(drawing: Any, decimals: int) -> str:
        if isinstance(drawing, UnknownDrawing):
            return f"{drawing.client_object_id} · {drawing.type} (kept as is)"
        prices = " → ".join(f"{point.price:.{decimals}f}" for point in drawing.points)
        return f"{drawing.client_object_id} · {drawing.type} · {prices}"

    def _refresh_form(self) -> None:
        metadata = self._analysis.metadata
        values = {
            name: getattr(metadata, name) or "" for name in self._fields if name != "expiry_hours"
        }
        expiry = metadata.expiry
        values["expiry_hours"] = str(expiry.hours) if expiry and expiry.hours else ""
        self._updating_form = True
        try:
            for name, value in values.items():
                control = self._fields[name]
                if control.value != value and not self._field_errors[name].value:
                    control.value = value
        finally:
            self._updating_form = False
