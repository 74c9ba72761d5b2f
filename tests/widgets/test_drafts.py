"""Draft files: where they go, what they hold, and that a write never leaves half a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rai_charts._sample import sample_analysis
from rai_charts.candles import sample_candles
from rai_charts.models import Analysis, AnalysisDetail
from rai_charts.widgets._drafts import Draft, default_draft_path, load_draft, save_draft

ANALYSIS = sample_analysis(sample_candles())


def test_draft_round_trips_with_its_server_copy(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "draft.json"
    draft = Draft(ANALYSIS, "65a1b2c3d4e5f60718293a4b", ANALYSIS)
    save_draft(path, draft)
    assert load_draft(path) == draft
    assert [item.name for item in path.parent.iterdir()] == ["draft.json"]


def test_missing_draft_is_none(tmp_path: Path) -> None:
    assert load_draft(tmp_path / "none.json") is None


@pytest.mark.parametrize(
    "text",
    ["{ half", '{"format": 99}', '{"format": 1, "analysis": {"metadata": {}}}'],
    ids=["truncated", "other-format", "invalid-analysis"],
)
def test_unreadable_draft_raises_value_error_naming_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "draft.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=r"draft .*draft\.json cannot be read"):
        load_draft(path)


def test_default_paths_tell_new_given_and_published_analyses_apart() -> None:
    new = default_draft_path(ANALYSIS, given=False)
    given = default_draft_path(ANALYSIS, given=True)
    retitled = ANALYSIS.metadata.model_copy(update={"title": "Another idea"})
    other = default_draft_path(
        Analysis.model_validate({**ANALYSIS.model_dump(), "metadata": retitled}), given=True
    )
    detail = AnalysisDetail.model_validate(
        {
            **ANALYSIS.model_dump(),
            "analysis_id": "65a1b2c3d4e5f60718293a4b",
            "community_id": "65a1b2c3d4e5f60718293a4c",
            "channel_id": "65a1b2c3d4e5f60718293a4d",
            "sender": "trader@example.com",
            "type": "bullish_breakout",
            "created_at": "2026-01-09T00:00:00Z",
            "updated_at": "2026-01-09T00:00:00Z",
        }
    )
    assert new == Path(".rai_drafts/GBP-USD-H1.json")
    assert given.parent == new.parent and given != new and given != other
    assert default_draft_path(detail, given=True).name == "65a1b2c3d4e5f60718293a4b.json"
