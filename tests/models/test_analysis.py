"""The analysis: derived type, lookups, and the stored form the server returns."""

from __future__ import annotations

from typing import Any

import pytest

from rai_charts.models import (
    Analysis,
    AnalysisDetail,
    AnalysisMetadata,
    GetAnalysisResponse,
    derive_analysis_type,
)


@pytest.mark.parametrize(
    ("direction", "entry_placement", "expected"),
    [
        pytest.param("BULLISH", "ABOVE_CURRENT", "bullish_breakout", id="bullish-above"),
        pytest.param("BULLISH", "BELOW_CURRENT", "bullish_bounce", id="bullish-below"),
        pytest.param("BEARISH", "ABOVE_CURRENT", "bearish_bounce", id="bearish-above"),
        pytest.param("BEARISH", "BELOW_CURRENT", "bearish_breakout", id="bearish-below"),
    ],
)
def test_analysis_type_is_derived_from_direction_and_entry(
    direction: str, entry_placement: str, expected: str
) -> None:
    metadata = AnalysisMetadata.from_wire(
        {
            "title": "t",
            "symbol": "GBP/USD",
            "timeframe": "H1",
            "direction": direction,
            "entryPlacement": entry_placement,
        }
    )
    assert Analysis(metadata=metadata).analysis_type == expected
    assert derive_analysis_type(direction, entry_placement) == expected


def test_derive_analysis_type_refuses_unknown_pairs() -> None:
    with pytest.raises(ValueError, match="'SIDEWAYS'"):
        derive_analysis_type("SIDEWAYS", "ABOVE_CURRENT")


def test_drawing_lookup_by_client_id(create_example: dict[str, Any]) -> None:
    analysis = Analysis.from_wire(
        {key: create_example[key] for key in ("metadata", "levels", "drawings")}
    )
    assert analysis.drawing("entry_line").type == "LINE"
    with pytest.raises(KeyError):
        analysis.drawing("nowhere")


def test_detail_parses_and_gives_back_the_editable_analysis(create_example: dict[str, Any]) -> None:
    stored = {
        "analysisId": "6960eaf9294dfdd00c5875bf",
        "communityId": "6502c9e514a3e564c5c09c0a",
        "channelId": "656966caae59563fb291b324",
        "sender": create_example["sender"],
        "type": "bullish_bounce",
        "metadata": create_example["metadata"],
        "levels": create_example["levels"],
        "drawings": [
            {**drawing, "id": f"69600000000000000000000{index}"}
            for index, drawing in enumerate(create_example["drawings"])
        ],
        "links": [
            {
                "field": "comments",
                "clientObjectId": "pivot_main",
                "label": "pivot",
                "targetId": "6960000000000000000000aa",
            }
        ],
        "createdAt": "2026-01-09T08:00:00Z",
        "updatedAt": "2026-01-09T08:00:00Z",
        "expiresAt": "2026-01-10T08:00:00Z",
        "viewCount": 4,
    }
    response = {"status": "success", "message": "ok", "data": stored}
    detail = GetAnalysisResponse.from_wire(response).data
    assert isinstance(detail, AnalysisDetail)
    assert detail.analysis_type == detail.type == "bullish_bounce"
    assert GetAnalysisResponse.from_wire(response).to_wire() == response
    editable = detail.to_analysis()
    assert type(editable) is Analysis
    assert editable.drawings[0].id == "696000000000000000000000"
    assert editable.to_wire()["metadata"] == create_example["metadata"]
