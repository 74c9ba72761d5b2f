"""AnalysisEditor in-process: gestures arrive as browser messages (recorded shapes delivered
through the widget's own deserializer), form fields are set like a user types, and Publish
talks to the local API server over loopback HTTP."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from recorded_payloads import message

import rai_charts
from rai_charts import AnalysisEditor, Client, horizontal_line, trend_line
from rai_charts.candles import sample_candles
from rai_charts.models import HorizontalLineDrawing, LineDrawing, RectangleDrawing
from rai_charts.sandbox import SandboxServer, start

CANDLES = sample_candles("GBP/USD", "H1", 120)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with start() as running:
        yield running


@pytest.fixture
def client(server: SandboxServer) -> Iterator[Client]:
    with Client(api_key=server.api_key, base_url=server.url) as api:
        yield api


@pytest.fixture
def editor(tmp_path: Path) -> AnalysisEditor:
    return AnalysisEditor(CANDLES, draft_path=tmp_path / "draft.json")


def deliver(editor: AnalysisEditor, relayout_data: dict[str, Any]) -> None:
    """A relayout message from the browser, through the widget's JSON deserializer."""
    editor.figure.set_state(
        {"_js2py_relayout": {"relayout_data": relayout_data, "source_view_id": "test"}}
    )


def browser_shapes(editor: AnalysisEditor) -> list[dict[str, Any]]:
    return [shape.to_plotly_json() for shape in editor.figure.layout.shapes]


def draw(editor: AnalysisEditor, recorded: dict[str, Any], gesture: str) -> None:
    """The shape drawn in ``gesture`` (recorded in a real browser) appended to the editor's
    shapes, as the browser would send them."""
    new = copy.deepcopy(message(recorded, gesture)["relayout_data"]["shapes"][-1])
    deliver(editor, {"shapes": [*browser_shapes(editor), new]})


def shape_index(editor: AnalysisEditor, name: str) -> int:
    return [shape.name for shape in editor.figure.layout.shapes].index(name)


def type_into(editor: AnalysisEditor, field: str, value: str) -> None:
    editor._fields[field].value = value


def test_new_editor_holds_a_valid_untitled_draft(editor: AnalysisEditor) -> None:
    assert editor.analysis.metadata.title == "Untitled analysis"
    assert editor.analysis.metadata.timeframe == "H1"
    assert editor.analysis.drawings == []
    assert editor.status == "Draft"
    assert editor._publish_button.disabled


def test_top_level_name_is_the_editor() -> None:
    assert rai_charts.AnalysisEditor is AnalysisEditor


@pytest.mark.parametrize(
    ("tool", "gesture", "kind"),
    [
        ("trend_line", "draw_line", LineDrawing),
        ("rectangle", "draw_rectangle", RectangleDrawing),
        ("horizontal_line", "draw_horizontal_line", HorizontalLineDrawing),
    ],
    ids=["trend-line", "rectangle", "horizontal-line"],
)
def test_drawing_in_the_browser_adds_a_drawing_shown_and_saved(
    editor: AnalysisEditor, recorded: dict[str, Any], tool: Any, gesture: str, kind: type
) -> None:
    editor.tool = tool
    assert editor.figure.layout.dragmode == ("drawrect" if tool == "rectangle" else "drawline")
    draw(editor, recorded, gesture)
    (drawing,) = editor.analysis.drawings
    assert isinstance(drawing, kind)
    names = [shape.name for shape in editor.figure.layout.shapes]
    assert f"{drawing.client_object_id}/{'box' if kind is RectangleDrawing else 'line'}" in names
    assert None not in names  # the browser's raw shape was replaced by the rendered one
    editor.figure.to_json()
    saved = json.loads(editor.draft_path.read_text())
    assert saved["analysis"]["drawings"][0]["clientObjectId"] == drawing.client_object_id
    assert [value for _, value in editor._list.options] == [drawing.client_object_id]
    assert editor.selected == drawing.client_object_id


def test_dragging_a_line_moves_its_points_and_the_shape(
    editor: AnalysisEditor, recorded: dict[str, Any]
) -> None:
    editor.tool = "trend_line"
    draw(editor, recorded, "draw_line")
    index = shape_index(editor, "line-1/line")
    moved = {
        f"shapes[{index}].x0": "2026-01-07 01:56:28.2353",
        f"shapes[{index}].y0": 1.3323425290519877,
        f"shapes[{index}].x1": "2026-01-07 11:56:28.2353",
        f"shapes[{index}].y1": 1.3251923180428133,
    }
    deliver(editor, moved)
    line = editor.analysis.drawing("line-1")
    assert [point.price for point in line.points] == [1.3323425290519877, 1.3251923180428133]  # type: ignore[union-attr]
    assert str(line.points[0].time) == "2026-01-07 01:56:28+00:00"  # type: ignore[union-attr]
    assert editor.figure.layout.shapes[index].x0 == "2026-01-07 01:56:28"


def test_refused_move_puts_the_shape_back(editor: AnalysisEditor) -> None:
    editor.analysis = editor.analysis.model_copy(
        update={
            "drawings": [trend_line("t", ("2026-01-12T00:00Z", 1.3), ("2026-01-12T05:00Z", 1.31))]
        }
    )
    index = shape_index(editor, "t/line")
    before = editor.figure.layout.shapes[index].to_plotly_json()
    deliver(editor, {f"shapes[{index}].x0": "not a time", f"shapes[{index}].y0": 1.2})
    assert "Cannot move t" in editor._hint.value
    assert editor.figure.layout.shapes[index].to_plotly_json() == before
    assert editor.analysis.drawing("t").points[0].price == 1.3  # type: ignore[union-attr]


def test_invalid_field_shows_its_error_beside_it_and_keeps_the_analysis(
    editor: AnalysisEditor,
) -> None:
    type_into(editor, "expiry_hours", "soon")
    assert "not a whole number" in editor._field_errors["expiry_hours"].value
    type_into(editor, "expiry_hours", "-3")
    assert "-3" in editor._field_errors["expiry_hours"].value
    assert "&gt;= 1" in editor._field_errors["expiry_hours"].value
    assert editor.analysis.metadata.expiry is None
    type_into(editor, "title", "")
    assert "at least 1 character" in editor._field_errors["title"].value
    assert editor.analysis.metadata.title == "Untitled analysis"
    type_into(editor, "expiry_hours", "48")
    assert editor._field_errors["expiry_hours"].value == ""
    assert editor.analysis.metadata.expiry is not None
    assert editor.analysis.metadata.expiry.hours == 48


def test_dangling_link_is_refused_beside_the_text_field(editor: AnalysisEditor) -> None:
    type_into(editor, "preference_text", "Buy above [[ghost:the line]]")
    assert "ghost" in editor._field_errors["preference_text"].value
    assert "no drawing or level" in editor._field_errors["preference_text"].value
    assert editor.analysis.metadata.preference_text is None


def with_line(editor: AnalysisEditor) -> None:
    editor.analysis = editor.analysis.model_copy(
        update={
            "drawings": [
                trend_line("t", ("2026-01-12T00:00Z", 1.3), ("2026-01-12T05:00Z", 1.31)),
                horizontal_line("h", 1.32, time="2026-01-12T00:00Z"),
            ]
        }
    )


def test_inserted_link_survives_a_rename_and_becomes_text_on_delete(
    editor: AnalysisEditor,
) -> None:
    with_line(editor)
    editor._list.value = "t"
    editor._link_label.value = "the trend"
    editor._link_field.value = "comments"
    click(editor, "rai-insert-link")
    assert editor.analysis.metadata.comments == "[[t:the trend]]"
    editor._new_id.value = "trend"
    click(editor, "rai-rename")
    assert editor.analysis.metadata.comments == "[[trend:the trend]]"
    assert editor._fields["comments"].value == "[[trend:the trend]]"
    assert "trend/line" in [shape.name for shape in editor.figure.layout.shapes]
    click(editor, "rai-delete")
    assert [d.client_object_id for d in editor.analysis.drawings] == ["h"]
    assert editor.analysis.metadata.comments == "the trend"


def test_rename_to_an_id_in_use_is_refused(editor: AnalysisEditor) -> None:
    with_line(editor)
    editor._list.value = "t"
    editor._new_id.value = "h"
    click(editor, "rai-rename")
    assert "already used" in editor._hint.value
    assert {d.client_object_id for d in editor.analysis.drawings} == {"t", "h"}


def test_levels_from_a_selected_line_or_a_typed_price(editor: AnalysisEditor) -> None:
    with_line(editor)
    editor._list.value = "h"
    editor._level_name.value = "resistance"
    click(editor, "rai-level-line")
    assert editor.analysis.levels.resistance is not None
    assert editor.analysis.levels.resistance.price == 1.32
    editor._level_name.value = "support"
    editor._level_price.value = "1.33"
    click(editor, "rai-level-price-set")
    assert "support &lt; pivot &lt; resistance" in editor._level_error.value
    assert editor.analysis.levels.support is None
    editor._level_price.value = "1.29"
    click(editor, "rai-level-price-set")
    assert editor.analysis.levels.support is not None
    assert editor.analysis.levels.support.price == 1.29
    assert "support/level" in [shape.name for shape in editor.figure.layout.shapes]
    editor._list.value = "t"
    click(editor, "rai-level-line")
    assert "not a horizontal line" in editor._level_error.value


def click(editor: AnalysisEditor, css_class: str) -> None:
    """Click the editor's button carrying ``css_class``."""
    buttons = [widget for widget in walk(editor.widget) if css_class in widget._dom_classes]
    assert len(buttons) == 1, css_class
    buttons[0].click()


def walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_reopening_on_the_same_draft_restores_it(tmp_path: Path) -> None:
    first = AnalysisEditor(CANDLES, draft_path=tmp_path / "draft.json")
    with_line(first)
    first.update_metadata(title="Kernel died here")
    second = AnalysisEditor(CANDLES, draft_path=tmp_path / "draft.json")
    assert second.analysis == first.analysis
    assert "Restored the draft" in second._hint.value


def test_unreadable_draft_is_set_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    path.write_text("{ half a draft")
    editor = AnalysisEditor(CANDLES, draft_path=path)
    assert editor.analysis.drawings == []
    assert "cannot be read" in editor._hint.value
    (kept,) = tmp_path.glob("draft.json.unreadable-*")
    assert kept.read_text() == "{ half a draft"


def test_default_draft_lives_under_rai_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    editor = AnalysisEditor(CANDLES)
    assert editor.draft_path == Path(".rai_drafts") / "SYMBOL-H1.json"
    editor.update_metadata(title="Saved by default")
    assert (tmp_path / ".rai_drafts" / "SYMBOL-H1.json").exists()


def connected(
    folder: Path, server: SandboxServer, client: Client, sender: str | None = None
) -> AnalysisEditor:
    """An editor publishing to the local server's seeded channel, drafting in ``folder``."""
    return AnalysisEditor(
        CANDLES,
        client=client,
        community_id=server.community_id,
        channel_id=server.channel_id,
        sender=sender or server.sender,
        draft_path=folder / "draft.json",
    )


def test_publish_syncs_then_tracks_pending_changes(
    tmp_path: Path, server: SandboxServer, client: Client
) -> None:
    editor = connected(tmp_path, server, client)
    with_line(editor)
    editor.update_metadata(title="Breakout watch", symbol="GBP/USD")
    click(editor, "rai-publish")
    assert editor.status == "Synced"
    assert editor.analysis_id is not None
    stored = client.analyses.get(editor.analysis_id)
    assert [d.client_object_id for d in stored.drawings] == ["t", "h"]
    assert stored.metadata.title == "Breakout watch"
    editor.update_metadata(title="Breakout confirmed")
    assert editor.status == "Changes pending"
    assert editor._publish_button.description == "Sync"
    click(editor, "rai-publish")
    assert editor.status == "Synced"
    assert client.analyses.get(editor.analysis_id).metadata.title == "Breakout confirmed"
    reopened = connected(tmp_path, server, client)
    assert reopened.analysis_id == editor.analysis_id
    assert reopened.status == "Synced"


def test_refused_publish_shows_the_servers_message(
    tmp_path: Path, server: SandboxServer, client: Client
) -> None:
    editor = connected(tmp_path, server, client, sender="stranger@example.com")
    click(editor, "rai-publish")
    assert editor.status.startswith("Error: ")
    assert "sender" in editor.status
    assert "Traceback" not in editor._status_line.value
    assert editor.analysis_id is None


def test_editor_without_ids_for_its_client_is_misuse(client: Client) -> None:
    with pytest.raises(ValueError, match="community_id, channel_id, sender"):
        AnalysisEditor(CANDLES, client=client)


def test_metadata_edit_after_replacing_the_drawings_redraws_without_error(
    editor: AnalysisEditor,
) -> None:
    # Overlay traces nest numpy arrays inside dicts; comparing them must not raise.
    times = CANDLES.index
    editor.analysis = rai_charts.Analysis(
        metadata=editor.analysis.metadata,
        drawings=[
            rai_charts.rectangle("zone", (times[4], 1.0), (times[9], 1.1), fill_color="#2ECC71"),
            trend_line("trend", (times[2], 1.0), (times[20], 1.2), end_head="ARROW"),
        ],
    )
    editor.update_metadata(title="Edited after the drawings", expiry_hours=24)
    assert editor.analysis.metadata.title == "Edited after the drawings"
    assert [part for part in rai_charts.render.drawing_parts(editor.figure)] == ["zone", "trend"]
