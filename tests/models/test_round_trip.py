"""The documented examples parse and serialize back to an equal JSON object."""

from __future__ import annotations

from typing import Any

from rai_charts.models import CreateAnalysisRequest, UnknownDrawing


def test_documented_create_example_round_trips(create_example: dict[str, Any]) -> None:
    request = CreateAnalysisRequest.from_wire(create_example)
    assert request.to_wire() == create_example


def test_example_with_every_drawing_type_round_trips(
    create_example_all_types: dict[str, Any],
) -> None:
    request = CreateAnalysisRequest.from_wire(create_example_all_types)
    assert [drawing.type for drawing in request.drawings] == [
        "RECTANGLE",
        "LINE",
        "HORIZONTAL_LINE",
        "PARALLEL",
        "FIBONACCI_RETRACEMENT",
    ]
    assert request.to_wire() == create_example_all_types


def test_unknown_drawing_type_is_kept_and_written_back_unchanged(
    create_example: dict[str, Any],
) -> None:
    odd = {"type": "ELLIPSE", "clientObjectId": "e1", "center": [1, 2], "note": None}
    create_example["drawings"].append(odd)
    request = CreateAnalysisRequest.from_wire(create_example)
    assert isinstance(request.drawings[-1], UnknownDrawing)
    assert request.to_wire()["drawings"][-1] == odd


def test_unknown_fields_are_kept(create_example: dict[str, Any]) -> None:
    create_example["metadata"]["sentiment"] = 0.7
    create_example["drawings"][0]["zIndex"] = 3
    assert CreateAnalysisRequest.from_wire(create_example).to_wire() == create_example
