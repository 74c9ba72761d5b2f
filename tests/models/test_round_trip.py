"""The documented examples parse and serialize back to an equal JSON object."""

from __future__ import annotations

import json
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


def test_unknown_drawing_built_in_python_is_written_with_wire_names() -> None:
    drawing = UnknownDrawing(type="ELLIPSE", client_object_id="e1", radius=3)
    assert drawing.to_wire() == {"type": "ELLIPSE", "clientObjectId": "e1", "radius": 3}


def test_unknown_expiry_type_is_kept(create_example: dict[str, Any]) -> None:
    create_example["metadata"]["expiry"] = {"type": "UNTIL", "until": "2026-02-01T00:00:00Z"}
    assert CreateAnalysisRequest.from_wire(create_example).to_wire() == create_example


def test_wire_json_is_compact_and_keeps_non_ascii(create_example: dict[str, Any]) -> None:
    create_example["metadata"]["title"] = "Câble: rebond sur le support"
    text = CreateAnalysisRequest.from_wire(create_example).to_json()
    assert "Câble" in text
    assert json.loads(text) == create_example
