"""Gestures to analysis changes, driven by relayout payloads recorded in a real browser."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from recorded_payloads import message

from rai_charts.candles import sample_candles
from rai_charts.models import (
    Analysis,
    Coordinate,
    FibonacciRetracementDrawing,
    HorizontalLineDrawing,
    LineDrawing,
    ParallelDrawing,
    RectangleDrawing,
    fibonacci_retracement,
    level,
    parallel_channel,
    parallel_rail,
    price_at,
    rectangle,
    trend_line,
)
from rai_charts.widgets._events import (
    NewDrawingStyle,
    Tool,
    ToolState,
    apply_relayout,
    new_object_id,
    plotly_time_to_utc,
)
from rai_charts.widgets._snap import CandleGrid, Viewport

CANDLES = sample_candles("GBP/USD", "H1", 60)


def utc(text: str) -> datetime:
    return plotly_time_to_utc(text)


def shape_points(shape: dict[str, Any]) -> tuple[tuple[str, float], tuple[str, float]]:
    return (shape["x0"], shape["y0"]), (shape["x1"], shape["y1"])


@pytest.fixture
def analysis(recorded: dict[str, Any]) -> Analysis:
    """The analysis the capture figure's shapes stand for (same ids, same points)."""
    trend, zone, support, fib = recorded["shapes"]
    return Analysis.model_validate(
        {
            "metadata": {
                "title": "Capture",
                "symbol": "GBP/USD",
                "timeframe": "H1",
                "direction": "BULLISH",
                "entry_placement": "ABOVE_CURRENT",
                "preference_text": "Hold above [[zone:the zone]]",
            },
            "levels": {"support": level("support", support["y0"], time="2026-01-07T00:00:00Z")},
            "drawings": [
                trend_line("trend", *[(utc(x), y) for x, y in shape_points(trend)]),
                rectangle("zone", *[(utc(x), y) for x, y in shape_points(zone)]),
                fibonacci_retracement("fib", *[(utc(x), y) for x, y in shape_points(fib)]),
            ],
        }
    )


def viewport(recorded: dict[str, Any], gesture: str) -> Viewport:
    """What the chart showed during ``gesture``, from the geometry read in the browser."""
    geometry = recorded["gestures"][gesture]["geometry"]
    start, end = geometry["xRange"]
    low, high = geometry["yRange"]
    return Viewport(utc(start), utc(end), low, high, geometry["width"], geometry["height"])


@pytest.fixture
def state(recorded: dict[str, Any]) -> ToolState:
    view = viewport(recorded, "draw_line")
    return ToolState(
        shape_names=tuple(shape["name"] for shape in recorded["shapes"]),
        viewport=view,
        home_viewport=view,
        candles=CandleGrid.from_candles(CANDLES),
    )


def drawn(recorded: dict[str, Any], gesture: str) -> dict[str, Any]:
    """The payload of ``gesture`` as the editor sees it: its own shapes plus the one drawn.

    The capture figure never redrew, so each recorded list also holds the shapes of earlier
    gestures; the editor redraws after every gesture, so it never sees those.
    """
    shapes = message(recorded, gesture)["relayout_data"]["shapes"]
    kept = copy.deepcopy([*shapes[: len(recorded["shapes"])], shapes[-1]])
    for shape in kept:
        for key, value in list(shape.items()):
            if value == "_undefined_":
                del shape[key]
    return {"shapes": kept}


def edited(recorded: dict[str, Any], gesture: str) -> dict[str, Any]:
    payload: dict[str, Any] = message(recorded, gesture)["relayout_data"]
    return payload


def near_mouse(point: Coordinate, mouse: list[Any], view: Viewport) -> bool:
    """Within two pixels of where the mouse was."""
    seconds = abs((point.time - utc(mouse[0])).total_seconds())
    return (
        seconds <= 2 * view.seconds_per_pixel
        and abs(point.price - mouse[1]) <= 2 * view.price_per_pixel
    )


@pytest.mark.parametrize(
    ("tool", "gesture", "kind", "object_id"),
    [
        ("trend_line", "draw_line", LineDrawing, "line-1"),
        ("fibonacci_retracement", "draw_line", FibonacciRetracementDrawing, "fib-1"),
        ("rectangle", "draw_rectangle", RectangleDrawing, "zone-1"),
    ],
    ids=["trend-line", "fibonacci", "rectangle"],
)
def test_drawn_shape_becomes_drawing_where_the_mouse_went(
    recorded: dict[str, Any],
    analysis: Analysis,
    state: ToolState,
    tool: Tool,
    gesture: str,
    kind: type,
    object_id: str,
) -> None:
    result = apply_relayout(analysis, drawn(recorded, gesture), replace(state, tool=tool))
    assert not result.is_error
    new = result.analysis.drawings[-1]
    assert isinstance(new, kind)
    assert new.client_object_id == object_id
    assert result.state.selected == object_id
    mouse = recorded["gestures"][gesture]["mouse"]
    view = viewport(recorded, gesture)
    for point, where in zip(new.points, mouse, strict=True):
        assert near_mouse(point, where, view), (point, where)
    assert result.analysis.drawings[:-1] == analysis.drawings


def test_new_drawings_get_the_chosen_style(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    style = NewDrawingStyle(color="#F23645", line_width=4, line_style="DASHED")
    line = apply_relayout(
        analysis, drawn(recorded, "draw_line"), replace(state, tool="trend_line", style=style)
    ).analysis.drawings[-1]
    zone = apply_relayout(
        analysis, drawn(recorded, "draw_rectangle"), replace(state, tool="rectangle", style=style)
    ).analysis.drawings[-1]
    assert line.style is not None and zone.style is not None
    assert (line.style.color, line.style.line_width, line.style.line_style) == (
        "#F23645",
        4,
        "DASHED",
    )
    assert (zone.style.fill_color, zone.style.border_color) == ("#F23645", "#F23645")


def test_horizontal_tool_makes_horizontal_line_at_the_dragged_price(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    payload = drawn(recorded, "draw_horizontal_line")
    result = apply_relayout(analysis, payload, replace(state, tool="horizontal_line"))
    new = result.analysis.drawings[-1]
    assert isinstance(new, HorizontalLineDrawing)
    assert new.client_object_id == "hline-1"
    assert new.price == pytest.approx(payload["shapes"][-1]["y0"])
    mouse_end_price = recorded["gestures"]["draw_horizontal_line"]["mouse"][1][1]
    assert new.price == pytest.approx(mouse_end_price, abs=2 * state.viewport.price_per_pixel)  # type: ignore[union-attr]


def test_parallel_channel_takes_a_base_then_a_line_on_the_opposite_rail(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    channel_tool = replace(state, tool="parallel_channel")
    first = apply_relayout(analysis, drawn(recorded, "draw_line"), channel_tool)
    assert first.analysis is analysis
    assert first.state.pending_base is not None
    assert "opposite rail" in (first.message or "")
    second = apply_relayout(analysis, drawn(recorded, "draw_horizontal_line"), first.state)
    channel = second.analysis.drawings[-1]
    assert isinstance(channel, ParallelDrawing)
    assert channel.points[:2] == list(first.state.pending_base)
    rail_start = drawn(recorded, "draw_horizontal_line")["shapes"][-1]
    assert channel.points[2].price == pytest.approx(rail_start["y0"])
    assert second.state.pending_base is None
    parallel_rail(channel)


def test_channel_with_a_vertical_base_is_refused_and_the_base_dropped(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    base = Coordinate(time=utc("2026-01-07 00:00"), price=1.31)
    waiting = replace(state, tool="parallel_channel", pending_base=(base, base))
    result = apply_relayout(analysis, drawn(recorded, "draw_line"), waiting)
    assert result.is_error
    assert "vertical" in (result.message or "")
    assert result.analysis is analysis
    assert result.state.pending_base is None


@pytest.mark.parametrize("tool", ["select", "rectangle"], ids=["select", "rectangle"])
def test_line_drawn_with_another_tool_is_ignored(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState, tool: Tool
) -> None:
    result = apply_relayout(analysis, drawn(recorded, "draw_line"), replace(state, tool=tool))
    assert result.analysis is analysis
    assert "Ignored" in (result.message or "")


@pytest.mark.parametrize(
    ("gesture", "object_id"),
    [("move_line", "trend"), ("resize_line", "trend"), ("move_rectangle", "zone")],
    ids=["move-line", "resize-line", "move-rectangle"],
)
def test_moved_shape_moves_its_drawing_points(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState, gesture: str, object_id: str
) -> None:
    payload = edited(recorded, gesture)
    result = apply_relayout(analysis, payload, state)
    moved = result.analysis.drawing(object_id)
    index = [shape["name"] for shape in recorded["shapes"]].index(
        f"{object_id}/{'line' if object_id == 'trend' else 'box'}"
    )
    for number, point in enumerate(moved.points):  # type: ignore[union-attr]
        assert abs(point.time - utc(payload[f"shapes[{index}].x{number}"])) <= timedelta(seconds=1)
        assert point.price == pytest.approx(payload[f"shapes[{index}].y{number}"])
    assert result.state.selected == object_id
    assert result.analysis.metadata == analysis.metadata


def test_moved_level_line_moves_the_level(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    payload = edited(recorded, "move_level")
    result = apply_relayout(analysis, payload, state)
    assert result.analysis.levels.support is not None
    assert result.analysis.levels.support.price == pytest.approx(payload["shapes[2].y0"])
    assert result.state.selected == "support"


@pytest.fixture
def with_channel(analysis: Analysis) -> Analysis:
    channel = parallel_channel(
        "chan",
        (utc("2026-01-06 23:00"), 1.3352),
        (utc("2026-01-07 09:00"), 1.32805),
        (utc("2026-01-07 04:00"), 1.3200),
    )
    return analysis.model_copy(update={"drawings": [channel, *analysis.drawings[1:]]})


@pytest.mark.parametrize(
    ("name", "moves_third"),
    [("chan/base", True), ("chan/rail", False)],
    ids=["base-dragged", "rail-dragged"],
)
def test_dragging_a_channel_line_keeps_it_a_channel(
    recorded: dict[str, Any],
    with_channel: Analysis,
    state: ToolState,
    name: str,
    moves_third: bool,
) -> None:
    payload = edited(recorded, "move_line")
    names = (name, *state.shape_names[1:])
    result = apply_relayout(with_channel, payload, replace(state, shape_names=names))
    before = with_channel.drawing("chan")
    after = result.analysis.drawing("chan")
    assert isinstance(after, ParallelDrawing) and isinstance(before, ParallelDrawing)
    if moves_third:
        assert after.points[0].price == pytest.approx(payload["shapes[0].y0"])
        shift = after.points[0].price - before.points[0].price
        assert after.points[2].price == pytest.approx(before.points[2].price + shift, abs=1e-4)
    else:
        assert after.points[:2] == before.points[:2]
        # The rail now passes through the middle of where it was dropped.
        start, end = utc(payload["shapes[0].x0"]), utc(payload["shapes[0].x1"])
        middle_price = (payload["shapes[0].y0"] + payload["shapes[0].y1"]) / 2
        rail_price = price_at(parallel_rail(after), start + (end - start) / 2)
        assert rail_price == pytest.approx(middle_price, abs=1e-6)


def test_dragging_a_fibonacci_anchor_moves_the_swing(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    payload = edited(recorded, "move_line")
    names = ("fib/anchor", *state.shape_names[1:])
    result = apply_relayout(analysis, payload, replace(state, shape_names=names))
    fib = result.analysis.drawing("fib")
    assert fib.points[1].price == pytest.approx(payload["shapes[0].y1"])  # type: ignore[union-attr]


def test_moving_a_shape_the_editor_did_not_draw_changes_nothing(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    names = ("expiry marker", *state.shape_names[1:])
    result = apply_relayout(
        analysis, edited(recorded, "move_line"), replace(state, shape_names=names)
    )
    assert result.analysis is analysis


def test_erased_drawing_is_deleted_and_links_to_it_become_text(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    shapes = [shape for shape in drawn(recorded, "draw_line")["shapes"][:4]]
    without_zone = [shape for shape in shapes if shape["name"] != "zone/box"]
    result = apply_relayout(analysis, {"shapes": without_zone}, state)
    assert [d.client_object_id for d in result.analysis.drawings] == ["trend", "fib"]
    assert result.analysis.metadata.preference_text == "Hold above the zone"


def test_zoom_and_autoscale_follow_the_view(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState
) -> None:
    zoomed = apply_relayout(analysis, edited(recorded, "zoom"), state)
    payload = edited(recorded, "zoom")
    assert zoomed.analysis is analysis
    assert zoomed.state.viewport is not None
    assert zoomed.state.viewport.start == utc(payload["xaxis.range[0]"])
    assert zoomed.state.viewport.high == payload["yaxis.range[1]"]
    home = apply_relayout(analysis, edited(recorded, "autoscale"), zoomed.state)
    assert home.state.viewport == state.home_viewport


@pytest.mark.parametrize(
    ("tolerance", "snaps"), [(1000.0, True), (0.01, False)], ids=["wide", "tiny"]
)
def test_snap_puts_drawn_anchors_on_candle_prices_within_tolerance(
    recorded: dict[str, Any], analysis: Analysis, state: ToolState, tolerance: float, snaps: bool
) -> None:
    drawing = replace(state, tool="trend_line")
    plain = apply_relayout(analysis, drawn(recorded, "draw_line"), drawing).analysis.drawings[-1]
    snapping = replace(drawing, snap=True, snap_tolerance=tolerance)
    line = apply_relayout(analysis, drawn(recorded, "draw_line"), snapping).analysis.drawings[-1]
    if not snaps:
        assert line.points == plain.points  # type: ignore[union-attr]
        return
    for point in line.points:  # type: ignore[union-attr]
        candle = CANDLES.loc[point.time]
        assert point.price in {candle.open, candle.high, candle.low, candle.close}


def test_new_ids_skip_those_in_use(analysis: Analysis) -> None:
    taken = analysis.model_copy(
        update={
            "drawings": [
                *analysis.drawings,
                trend_line("line-1", ("2026-01-07T00:00Z", 1), ("2026-01-07T01:00Z", 2)),
            ]
        }
    )
    assert new_object_id(taken, "line") == "line-2"
    assert new_object_id(taken, "zone") == "zone-1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-07 01:56:28.2353", datetime(2026, 1, 7, 1, 56, 28, 235300, tzinfo=timezone.utc)),
        ("2026-01-06 18:30", datetime(2026, 1, 6, 18, 30, tzinfo=timezone.utc)),
        ("2026-01-06T23:00:00Z", datetime(2026, 1, 6, 23, tzinfo=timezone.utc)),
        ("2026-01-06T23:00:00+02:00", datetime(2026, 1, 6, 21, tzinfo=timezone.utc)),
        (1767657600000, datetime(2026, 1, 6, tzinfo=timezone.utc)),
    ],
    ids=["plotly-fraction", "plotly-minutes", "iso-z", "iso-offset", "milliseconds"],
)
def test_plotly_times_read_as_utc(value: Any, expected: datetime) -> None:
    assert plotly_time_to_utc(value) == expected


@pytest.mark.parametrize(
    "value", ["yesterday", "", None, True], ids=["word", "empty", "none", "bool"]
)
def test_bad_plotly_times_raise_value_error(value: Any) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        plotly_time_to_utc(value)
