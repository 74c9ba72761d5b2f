"""Every validation rule refuses bad input with an error naming the field and the value."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from rai_charts.models import (
    Analysis,
    AppendDrawingsRequest,
    CreateAnalysisRequest,
    UpdateAnalysisRequest,
    error_items,
    horizontal_line,
    level,
    rectangle,
    trend_line,
)

Body = dict[str, Any]
Change = Callable[[Body], None]


def set_at(*path: str | int, to: Any) -> Change:
    """A change that sets the value at ``path`` of the body."""

    def change(body: Body) -> None:
        target: Any = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = to

    return change


def delete_at(*path: str | int) -> Change:
    """A change that removes the key at ``path`` of the body."""

    def change(body: Body) -> None:
        target: Any = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def add_point(drawing: int) -> Change:
    """A change that gives a drawing one point more than its type allows."""

    def change(body: Body) -> None:
        points = body["drawings"][drawing]["points"]
        points.append(copy.deepcopy(points[0]))

    return change


ANALYSIS_KEYS = ("metadata", "levels", "drawings")

# Drawings of create_example_all_types.json, by index.
RECTANGLE, LINE, HORIZONTAL, PARALLEL, FIBONACCI = range(5)

# (change, wire path of the offending field, text that must appear: the value, or the fact).
CASES = [
    pytest.param(
        add_point(HORIZONTAL), "drawings.2.points", "got 2", id="point-count-horizontal-line"
    ),
    pytest.param(
        delete_at("drawings", LINE, "points", 1),
        "drawings.1.points",
        "got 1",
        id="point-count-line",
    ),
    pytest.param(add_point(RECTANGLE), "drawings.0.points", "got 3", id="point-count-rectangle"),
    pytest.param(
        delete_at("drawings", PARALLEL, "points", 2),
        "drawings.3.points",
        "got 2",
        id="point-count-parallel",
    ),
    pytest.param(add_point(FIBONACCI), "drawings.4.points", "got 3", id="point-count-fibonacci"),
    pytest.param(
        set_at("drawings", RECTANGLE, "points", 0, "price", to=float("nan")),
        "drawings.0.points.0.price",
        "nan",
        id="price-nan",
    ),
    pytest.param(
        set_at("drawings", LINE, "points", 1, "price", to="Infinity"),
        "drawings.1.points.1.price",
        "'Infinity'",
        id="price-infinity-text",
    ),
    pytest.param(
        set_at("levels", "pivot", "price", to=float("inf")),
        "levels.pivot.price",
        "inf",
        id="level-price-inf",
    ),
    pytest.param(
        set_at("drawings", FIBONACCI, "levels", 1, to=float("-inf")),
        "drawings.4.levels.1",
        "-inf",
        id="fibonacci-ratio-minus-inf",
    ),
    pytest.param(
        set_at("drawings", LINE, "style", "color", to="blue"),
        "drawings.1.style.color",
        "'blue'",
        id="color-name",
    ),
    pytest.param(
        set_at("drawings", RECTANGLE, "style", "fillColor", to="#00FF3"),
        "drawings.0.style.fillColor",
        "'#00FF3'",
        id="color-five-digits",
    ),
    pytest.param(
        set_at("drawings", RECTANGLE, "style", "borderColor", to="00FF00"),
        "drawings.0.style.borderColor",
        "'00FF00'",
        id="color-without-hash",
    ),
    pytest.param(
        set_at("drawings", LINE, "style", "lineWidth", to=0),
        "drawings.1.style.lineWidth",
        "0",
        id="line-width-zero",
    ),
    pytest.param(
        set_at("drawings", LINE, "style", "lineWidth", to=11),
        "drawings.1.style.lineWidth",
        "11",
        id="line-width-eleven",
    ),
    pytest.param(
        set_at("drawings", LINE, "style", "lineWidth", to=2.5),
        "drawings.1.style.lineWidth",
        "2.5",
        id="line-width-fraction",
    ),
    pytest.param(
        set_at("drawings", LINE, "clientObjectId", to="support_zone"),
        "drawings.1.clientObjectId",
        "'support_zone'",
        id="duplicate-drawing-id",
    ),
    pytest.param(
        set_at("drawings", PARALLEL, "clientObjectId", to="pivot_main"),
        "levels.pivot.clientObjectId",
        "'pivot_main'",
        id="drawing-id-used-by-level",
    ),
    pytest.param(
        set_at("levels", "support", "clientObjectId", to="res_1"),
        "levels.resistance.clientObjectId",
        "'res_1'",
        id="duplicate-level-id",
    ),
    pytest.param(
        set_at("metadata", "preferenceText", to="Break of [[trend:the trend]]."),
        "metadata.preferenceText",
        "'trend'",
        id="link-in-preference-text",
    ),
    pytest.param(
        set_at("metadata", "alternativeText", to="Below [[sup_2:support]] it fails."),
        "metadata.alternativeText",
        "'sup_2'",
        id="link-in-alternative-text",
    ),
    pytest.param(
        set_at("metadata", "comments", to="Watch [[PIVOT_MAIN:pivot]]."),
        "metadata.comments",
        "'PIVOT_MAIN'",
        id="link-in-comments-is-case-sensitive",
    ),
    pytest.param(
        set_at("levels", "pivot", "price", to=1.36),
        "levels",
        "pivot 1.36 is not below resistance 1.35",
        id="pivot-above-resistance",
    ),
    pytest.param(
        set_at("levels", "support", "price", to=1.3455),
        "levels",
        "support 1.3455 is not below pivot 1.345",
        id="support-above-pivot",
    ),
    pytest.param(
        set_at("levels", "support", "price", to=1.345),
        "levels",
        "support 1.345 is not below pivot 1.345",
        id="support-equal-to-pivot",
    ),
    pytest.param(
        set_at("metadata", "expiry", "hours", to=0),
        "metadata.expiry.hours",
        "got 0",
        id="expiry-zero-hours",
    ),
    pytest.param(
        delete_at("metadata", "expiry", "hours"),
        "metadata.expiry.hours",
        "got None",
        id="expiry-hours-missing",
    ),
    pytest.param(
        set_at("metadata", "direction", to="UP"),
        "metadata.direction",
        "'UP'",
        id="direction-enum",
    ),
    pytest.param(
        set_at("metadata", "entryPlacement", to="AT_MARKET"),
        "metadata.entryPlacement",
        "'AT_MARKET'",
        id="entry-placement-enum",
    ),
    pytest.param(
        set_at("metadata", "timeframe", to="H2"),
        "metadata.timeframe",
        "'H2'",
        id="timeframe-enum",
    ),
    pytest.param(
        set_at("drawings", LINE, "style", "lineStyle", to="WAVY"),
        "drawings.1.style.lineStyle",
        "'WAVY'",
        id="line-style-enum",
    ),
    pytest.param(
        set_at("drawings", LINE, "endHead", to="TRIANGLE"),
        "drawings.1.endHead",
        "'TRIANGLE'",
        id="arrow-head-enum",
    ),
    pytest.param(
        set_at("drawings", RECTANGLE, "points", 0, "time", to="2026-01-08T00:00:00"),
        "drawings.0.points.0.time",
        "timezone",
        id="naive-time",
    ),
    pytest.param(
        set_at("levels", "pivot", "time", to="08/01/2026 12:00"),
        "levels.pivot.time",
        "'08/01/2026 12:00'",
        id="time-not-iso",
    ),
]


@pytest.mark.parametrize(("change", "field", "text"), CASES)
def test_bad_input_is_refused_naming_field_and_value(
    create_example_all_types: Body, change: Change, field: str, text: str
) -> None:
    change(create_example_all_types)
    with pytest.raises(ValidationError) as refused:
        CreateAnalysisRequest.from_wire(create_example_all_types)
    named = {item.field: item.message for item in error_items(refused.value)}
    assert field in named, f"no error at {field}: {named}"
    assert text in named[field]
    printed = str(refused.value)
    assert field.rsplit(".", 1)[-1] in printed
    assert text in printed


def test_naive_time_error_says_how_to_fix(create_example: Body) -> None:
    create_example["levels"]["pivot"]["time"] = "2026-01-08T12:00:00"
    with pytest.raises(ValidationError, match=r"tzinfo=timezone\.utc.*tz_localize\('UTC'\)"):
        CreateAnalysisRequest.from_wire(create_example)


def test_every_problem_is_reported_at_once(create_example: Body) -> None:
    create_example["drawings"][1]["clientObjectId"] = "support_zone"
    create_example["metadata"]["comments"] = "[[nowhere:x]]"
    with pytest.raises(ValidationError) as refused:
        CreateAnalysisRequest.from_wire(create_example)
    fields = [item.field for item in error_items(refused.value)]
    # Renaming entry_line also leaves the preference text's link to it dangling.
    assert fields == [
        "drawings.1.clientObjectId",
        "metadata.preferenceText",
        "metadata.comments",
    ]


def test_printed_location_keeps_the_drawing_type(create_example: Body) -> None:
    create_example["drawings"][1]["points"].pop()
    with pytest.raises(ValidationError, match=r"drawings\.1\.LINE\.points\n"):
        CreateAnalysisRequest.from_wire(create_example)


def test_error_items_quote_values_the_message_leaves_out(create_example: Body) -> None:
    create_example["drawings"][1]["style"]["lineWidth"] = 12
    with pytest.raises(ValidationError) as refused:
        CreateAnalysisRequest.from_wire(create_example)
    [item] = error_items(refused.value)
    assert item.to_wire() == {
        "field": "drawings.1.style.lineWidth",
        "message": "Input should be less than or equal to 10, got 12",
    }


def test_refused_assignment_changes_nothing(create_example: Body) -> None:
    request = CreateAnalysisRequest.from_wire(create_example)
    with pytest.raises(ValidationError, match="support_zone"):
        request.drawings = [*request.drawings, horizontal_line("support_zone", 1.3)]
    with pytest.raises(ValidationError, match="resistance"):
        request.levels.pivot = level("pivot_main", 1.4)
    assert request.to_wire() == create_example


def test_sending_rechecks_rules_an_edit_inside_metadata_skipped(create_example: Body) -> None:
    analysis = Analysis.from_wire({key: create_example[key] for key in ANALYSIS_KEYS})
    analysis.metadata.comments = "[[gone:x]]"  # the metadata alone cannot know the drawings
    with pytest.raises(ValidationError, match=r"metadata\.comments"):
        CreateAnalysisRequest.from_analysis(analysis, sender="trader@example.com")


def test_update_body_checks_ids_and_links_it_holds_in_full() -> None:
    levels = {"pivot": {"price": 1.0, "clientObjectId": "p"}}
    drawing = horizontal_line("p", 1.2, time="2026-01-08T00:00:00Z").to_wire()
    with pytest.raises(ValidationError, match=r"levels\.pivot\.clientObjectId"):
        UpdateAnalysisRequest.from_wire(
            {"sender": "a@b.c", "levels": levels, "drawings": [drawing]}
        )
    body = {
        "sender": "a@b.c",
        "metadata": {"comments": "[[q:x]]"},
        "levels": levels,
        "drawings": [horizontal_line("h", 1.2, time="2026-01-08T00:00:00Z").to_wire()],
    }
    with pytest.raises(ValidationError, match=r"metadata\.comments"):
        UpdateAnalysisRequest.from_wire(body)
    # Without drawings and levels in the body, the ids a link names are on the server.
    UpdateAnalysisRequest.from_wire({"sender": "a@b.c", "metadata": {"comments": "[[q:x]]"}})


def test_append_body_refuses_repeated_ids() -> None:
    line = trend_line("t", ("2026-01-08T00:00:00Z", 1.0), ("2026-01-08T01:00:00Z", 1.1))
    with pytest.raises(ValidationError, match=r"drawings\.1\.clientObjectId"):
        AppendDrawingsRequest(sender="a@b.c", drawings=[line, line])


@pytest.mark.parametrize(
    ("build", "text"),
    [
        pytest.param(lambda: horizontal_line("h", float("nan")), "nan", id="horizontal-nan"),
        pytest.param(
            lambda: horizontal_line("h", 1.0, color="red"), "'red'", id="horizontal-color"
        ),
        pytest.param(
            lambda: trend_line("t", ("2026-01-08", 1.0), ("2026-01-09T00:00:00Z", 1.1)),
            "timezone",
            id="trend-naive-start",
        ),
        pytest.param(
            lambda: rectangle(
                "r",
                ("2026-01-08T00:00:00Z", 1.0),
                ("2026-01-09T00:00:00Z", 1.1),
                line_width=20,
            ),
            "20",
            id="rectangle-width",
        ),
        pytest.param(lambda: level("s", float("inf")), "inf", id="level-inf"),
    ],
)
def test_constructors_refuse_bad_input(build: Callable[[], object], text: str) -> None:
    with pytest.raises(ValidationError, match=text):
        build()


def test_anchor_must_be_a_pair() -> None:
    with pytest.raises(TypeError, match="anchor"):
        trend_line("t", ("2026-01-08T00:00:00Z", 1.0, 2.0), ("2026-01-09T00:00:00Z", 1.1))


def test_analysis_without_metadata_names_it() -> None:
    with pytest.raises(ValidationError, match="metadata"):
        Analysis.from_wire(json.dumps({"drawings": []}))


def test_constructor_errors_name_the_drawing_and_the_point() -> None:
    with pytest.raises(ValidationError) as refused:
        trend_line(
            "t",
            ("2026-01-08T00:00:00Z", 1.0),
            ("2026-01-08T05:00:00", float("nan")),
            line_width=20,
        )
    assert refused.value.title == "LineDrawing"
    assert [".".join(map(str, error["loc"])) for error in refused.value.errors()] == [
        "points.1.time",
        "points.1.price",
        "style.lineWidth",
    ]
