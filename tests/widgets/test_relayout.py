"""The plotly behaviour the editor works around, checked with messages a real browser sent.

These tests fail loudly when plotly changes: either the workaround stops working, or plotly no
longer needs it (then ``rai_charts/widgets/_relayout.py`` can shrink).
"""

from __future__ import annotations

import copy
from typing import Any

import plotly
import plotly.graph_objects as go
import pytest
from conftest import message
from plotly.basedatatypes import Undefined

from rai_charts.widgets._relayout import (
    RELAYOUT_TRAIT,
    clean_shapes,
    observe_relayout,
)


def capture_figure(recorded: dict[str, Any]) -> go.FigureWidget:
    """A FigureWidget holding the shapes the recorded messages were made against."""
    widget = go.FigureWidget()
    widget.layout.shapes = recorded["shapes"]
    return widget


def receive(widget: go.FigureWidget, browser_message: dict[str, Any]) -> None:
    """Deliver a message the way ipywidgets does: through the trait's JSON deserializer."""
    widget.set_state({RELAYOUT_TRAIT: copy.deepcopy(browser_message)})


def test_plotly_still_leaves_drawn_shapes_out_of_layout_shapes(recorded: dict[str, Any]) -> None:
    widget = capture_figure(recorded)
    drawn = message(recorded, "draw_line")
    receive(widget, drawn)
    assert len(drawn["relayout_data"]["shapes"]) == len(recorded["shapes"]) + 1
    if len(widget.layout.shapes) == len(recorded["shapes"]) + 1:
        pytest.fail(
            f"plotly {plotly.__version__} now puts shapes drawn in the browser into "
            "FigureWidget.layout.shapes: rai_charts/widgets/_relayout.py may be simplified"
        )
    with pytest.raises((TypeError, ValueError)):
        # The browser's nulls arrive as plotly's Undefined, which JSON cannot hold.
        widget.to_json()


def test_drawn_shape_reaches_handler_and_layout_after_workaround(
    recorded: dict[str, Any],
) -> None:
    widget = capture_figure(recorded)
    payloads: list[dict[str, Any]] = []

    def handler(payload: dict[str, Any]) -> bool:
        payloads.append(payload)
        return False

    observe_relayout(widget, handler)
    receive(widget, message(recorded, "draw_line"))
    assert len(payloads) == 1
    shapes = payloads[0]["shapes"]
    assert [shape.get("name") for shape in shapes] == [
        *(shape["name"] for shape in recorded["shapes"]),
        None,
    ]
    new = shapes[-1]
    assert new["type"] == "line"
    assert new["x0"] == "2026-01-06 18:30"
    assert isinstance(new["y0"], float)
    assert len(widget.layout.shapes) == len(recorded["shapes"]) + 1
    assert widget.layout.shapes[-1].x1 == new["x1"]
    widget.to_json()


def test_handler_that_assigns_shapes_is_not_overwritten(recorded: dict[str, Any]) -> None:
    widget = capture_figure(recorded)
    mine = [{"type": "line", "name": "mine/line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}]

    def handler(payload: dict[str, Any]) -> bool:
        widget.layout.shapes = mine
        return True

    observe_relayout(widget, handler)
    receive(widget, message(recorded, "draw_rectangle"))
    assert [shape.name for shape in widget.layout.shapes] == ["mine/line"]


@pytest.mark.parametrize(
    ("gesture", "index", "keys"),
    [
        ("move_line", 0, {"x0", "x1", "y0", "y1"}),
        ("resize_line", 0, {"x0", "x1", "y0", "y1"}),
        ("move_rectangle", 1, {"x0", "x1", "y0", "y1"}),
        ("move_level", 2, {"x0", "x1", "y0", "y1"}),
    ],
    ids=["move-line", "resize-line", "move-rectangle", "move-level"],
)
def test_edits_of_existing_shapes_still_arrive_as_indexed_paths(
    recorded: dict[str, Any], gesture: str, index: int, keys: set[str]
) -> None:
    widget = capture_figure(recorded)
    payloads: list[dict[str, Any]] = []
    observe_relayout(widget, lambda payload: payloads.append(payload) is not None)
    browser_message = message(recorded, gesture)
    receive(widget, browser_message)
    assert payloads == [browser_message["relayout_data"]]
    assert set(payloads[0]) == {f"shapes[{index}].{key}" for key in keys}
    # plotly applies these itself: layout.shapes follows without the workaround.
    assert widget.layout.shapes[index].y0 == payloads[0][f"shapes[{index}].y0"]


def test_observing_stops_when_asked(recorded: dict[str, Any]) -> None:
    widget = capture_figure(recorded)
    payloads: list[dict[str, Any]] = []
    stop = observe_relayout(widget, lambda payload: payloads.append(payload) is not None)
    stop()
    receive(widget, message(recorded, "zoom"))
    assert payloads == []


def test_clean_shapes_drops_unset_values_and_plotly_defaults() -> None:
    raw = {
        "type": "rect",
        "name": Undefined,
        "legendwidth": Undefined,
        "visible": True,
        "x0": "2026-01-07 18:30",
        "y0": 1.3,
        "line": {"color": "#444", "dash": None, "width": 4},
    }
    assert clean_shapes([raw]) == [
        {
            "type": "rect",
            "x0": "2026-01-07 18:30",
            "y0": 1.3,
            "line": {"color": "#444", "width": 4},
        }
    ]
