"""The plotly behaviour the editor works around, checked with messages a real browser sent.

These tests fail loudly when plotly changes: either the workaround stops working, or plotly no
longer needs it (then ``rai_charts/widgets/_relayout.py`` can shrink).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import plotly
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import Undefined
from recorded_payloads import message

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
    observe_relayout(widget, payloads.append)
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
    assert widget.layout.shapes[0].name == recorded["shapes"][0]["name"]
    widget.to_json()


def test_plotly_still_keeps_raw_layout_and_cached_shapes_where_adoption_expects(
    recorded: dict[str, Any],
) -> None:
    widget = capture_figure(recorded)
    widget.layout.shapes  # noqa: B018 (reading builds plotly's cached shape objects)
    cached = getattr(widget.layout, "_compound_array_props", None)
    if not (isinstance(cached, dict) and "shapes" in cached):
        pytest.fail(
            f"plotly {plotly.__version__} no longer caches shape objects in "
            "layout._compound_array_props: adopt_shapes falls back to the checked (slow) "
            "assignment; rework rai_charts/widgets/_relayout.py"
        )
    assert widget.layout._props is widget._layout


def test_adopted_shapes_take_later_edits_from_python_and_the_browser(
    recorded: dict[str, Any],
) -> None:
    widget = capture_figure(recorded)
    observe_relayout(widget, lambda payload: None)
    receive(widget, message(recorded, "draw_line"))
    new = len(recorded["shapes"])
    styled = {**widget.layout.shapes[new].to_plotly_json(), "name": "line-1/line"}
    widget.plotly_relayout({f"shapes[{new}]": styled})
    assert widget.layout.shapes[new].name == "line-1/line"
    receive(
        widget,
        {
            "relayout_data": {f"shapes[{new}].x0": "2026-01-06 20:00", f"shapes[{new}].y0": 1.2},
            "source_view_id": "browser",
        },
    )
    assert (widget.layout.shapes[new].x0, widget.layout.shapes[new].y0) == (
        "2026-01-06 20:00",
        1.2,
    )
    widget.layout.shapes = widget.layout.shapes[:2]
    assert [shape["name"] for shape in json.loads(widget.to_json())["layout"]["shapes"]] == [
        shape["name"] for shape in recorded["shapes"][:2]
    ]


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
    observe_relayout(widget, payloads.append)
    browser_message = message(recorded, gesture)
    receive(widget, browser_message)
    assert payloads == [browser_message["relayout_data"]]
    assert set(payloads[0]) == {f"shapes[{index}].{key}" for key in keys}
    # plotly applies these itself: layout.shapes follows without the workaround.
    assert widget.layout.shapes[index].y0 == payloads[0][f"shapes[{index}].y0"]


def test_observing_stops_when_asked(recorded: dict[str, Any]) -> None:
    widget = capture_figure(recorded)
    payloads: list[dict[str, Any]] = []
    stop = observe_relayout(widget, payloads.append)
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
