"""The figure around the drawings: candles, levels, expiry, title, resampling, theme, parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from render_helpers import analysis_of, annotation, drawn, shape, values

from rai_charts import AnalysisDetail, Expiry, Levels, level, resample, trend_line
from rai_charts._sample import sample_analysis
from rai_charts.candles import sample_candles
from rai_charts.render import (
    DRAWING_ROLES,
    OVERLAY_META,
    drawing_parts,
    figure,
    parse_part_name,
    part_name,
)

CSV = Path(__file__).parents[1] / "candles" / "data" / "generic.csv"


def levels() -> Levels:
    return Levels(
        support=level("sup_1", 1.20, time="2026-01-05T00:00:00Z"),
        pivot=level("pivot_main", 1.22, time="2026-01-05T00:00:00Z"),
        resistance=level("res_1", 1.25, time="2026-01-05T00:00:00Z"),
    )


@pytest.mark.parametrize(
    ("object_id", "name", "price", "color", "tag"),
    [
        ("sup_1", "Support", 1.20, "#089981", "1.20000"),
        ("pivot_main", "Pivot", 1.22, "#FF9800", "1.22000"),
        ("res_1", "Resistance", 1.25, "#F23645", "1.25000"),
    ],
)
def test_levels_are_labelled_lines_across_the_chart(
    candles: pd.DataFrame, object_id: str, name: str, price: float, color: str, tag: str
) -> None:
    chart = drawn(candles, analysis_of(levels=levels()))

    line = shape(chart, f"{object_id}/level")
    assert (line["xref"], line["x0"], line["x1"]) == ("x domain", 0, 1)
    assert (line["y0"], line["y1"], line["line"]["color"]) == (price, price, color)
    assert annotation(chart, f"{object_id}/label")["text"] == name
    price_tag = annotation(chart, f"{object_id}/price")
    assert (price_tag["text"], price_tag["bgcolor"]) == (tag, color)


def expiry_parts(chart: dict[str, Any]) -> tuple[str, str, str]:
    """(marker time, shaded-from time, label text)."""
    marker, region = shape(chart, "expiry marker"), shape(chart, "expired region")
    assert marker["x0"] == marker["x1"]
    assert region["x1"] == chart["layout"]["xaxis"]["range"][1]
    assert (marker["yref"], region["yref"]) == ("y domain", "y domain")
    return marker["x0"], region["x0"], annotation(chart, "expiry label")["text"]


def test_local_analysis_expires_hours_after_the_last_candle(candles: pd.DataFrame) -> None:
    chart = drawn(candles, analysis_of(expiry=Expiry(hours=24)))

    assert expiry_parts(chart) == (
        "2026-01-10 00:00:00",
        "2026-01-10 00:00:00",
        "expires 2026-01-10 00:00 UTC",
    )


def test_expiry_reference_sets_when_a_local_analysis_counts_from(
    candles: pd.DataFrame,
) -> None:
    chart = drawn(
        candles,
        analysis_of(expiry=Expiry(hours=6)),
        expiry_reference="2026-01-08T03:00:00Z",
    )

    assert expiry_parts(chart)[0] == "2026-01-08 09:00:00"


def published(expires_at: str | None) -> AnalysisDetail:
    wire = analysis_of(expiry=Expiry(hours=48)).to_wire()
    return AnalysisDetail.from_wire(
        {
            **wire,
            "analysisId": "65a1b2c3d4e5f60718293a4b",
            "communityId": "community",
            "channelId": "channel",
            "sender": "trader@example.com",
            "type": "bullish_bounce",
            "createdAt": "2026-01-06T12:00:00Z",
            "updatedAt": "2026-01-06T12:00:00Z",
            **({"expiresAt": expires_at} if expires_at else {}),
        }
    )


@pytest.mark.parametrize(
    ("expires_at", "marker"),
    [
        pytest.param("2026-01-07T18:30:00Z", "2026-01-07 18:30:00", id="expires-at"),
        pytest.param(None, "2026-01-08 12:00:00", id="created-at-plus-hours"),
    ],
)
def test_published_analysis_expires_at_its_expires_at(
    candles: pd.DataFrame, expires_at: str | None, marker: str
) -> None:
    assert expiry_parts(drawn(candles, published(expires_at)))[0] == marker


def test_analysis_without_expiry_has_no_marker(candles: pd.DataFrame) -> None:
    names = [item["name"] for item in drawn(candles, analysis_of())["layout"].get("shapes", [])]

    assert "expiry marker" not in names


def test_title_carries_symbol_timeframe_title_and_type(candles: pd.DataFrame) -> None:
    title = drawn(candles, analysis_of())["layout"]["title"]

    assert title["text"] == "<b>GBP/USD · H1</b>  Test idea"
    assert title["subtitle"]["text"] == "Bullish bounce"


def test_candles_are_the_first_trace(candles: pd.DataFrame) -> None:
    chart = drawn(candles, sample_analysis(candles))

    trace = chart["data"][0]
    assert trace["type"] == "candlestick"
    assert values(trace["close"]) == candles["close"].tolist()
    assert str(values(trace["x"])[0]).startswith("2025-12-31T17:00:00")
    assert {item["meta"] for item in chart["data"][1:]} == {OVERLAY_META}
    assert chart["layout"]["xaxis"]["rangeslider"]["visible"] is False


def test_too_many_candles_are_resampled_and_the_figure_says_so() -> None:
    minutes = sample_candles("GBP/USD", "M1", 600)
    expected = resample(minutes, "M15")

    chart = figure(minutes, max_candles=100).to_dict()

    assert len(values(chart["data"][0]["close"])) == len(expected)
    assert annotation(chart, "notes")["text"] == (
        f"600 candles resampled to M15 ({len(expected)} candles) to stay within max_candles=100"
    )


def test_max_candles_none_draws_every_candle() -> None:
    minutes = sample_candles("GBP/USD", "M1", 6000)

    chart = figure(minutes, max_candles=None).to_dict()

    assert len(values(chart["data"][0]["close"])) == 6000
    assert "annotations" not in chart["layout"]


def test_dark_theme_paints_the_background_dark(candles: pd.DataFrame) -> None:
    chart = drawn(candles, analysis_of(), theme="dark")

    assert chart["layout"]["paper_bgcolor"] == chart["layout"]["plot_bgcolor"] == "#131722"


def test_unknown_theme_is_refused(candles: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="theme must be one of light, dark, got 'sepia'"):
        figure(candles, theme="sepia")  # type: ignore[arg-type]


def test_candles_can_come_from_a_csv_path() -> None:
    chart = figure(CSV).to_dict()

    assert values(chart["data"][0]["close"]) == [1.2725, 1.2738, 1.2715]
    assert "title" not in chart["layout"] or "text" not in chart["layout"]["title"]


def test_plot_is_the_short_form_of_figure(candles: pd.DataFrame) -> None:
    analysis = sample_analysis(candles)

    assert (
        analysis.plot(candles, theme="dark").to_json()
        == figure(candles, analysis, theme="dark").to_json()
    )


def test_drawing_parts_maps_every_drawing_and_level_to_its_shapes(
    candles: pd.DataFrame,
) -> None:
    analysis = sample_analysis(candles)
    chart = figure(candles, analysis)

    parts = drawing_parts(chart)

    assert parts == drawing_parts(chart.to_dict())
    expected = {drawing.client_object_id: drawing.type for drawing in analysis.drawings}
    expected |= {entry.client_object_id: "level" for _, entry in analysis.levels.entries()}
    assert set(parts) == set(expected)
    for object_id, kind in expected.items():
        roles = DRAWING_ROLES[kind]
        assert set(parts[object_id].shapes) == set(roles["shapes"])
        assert set(parts[object_id].annotations) == set(roles["annotations"])
        for role, index in parts[object_id].shapes.items():
            assert chart.layout.shapes[index].name == part_name(object_id, role)


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("trend/line", ("trend", "line")),
        ("zone/2024/box", ("zone/2024", "box")),
        ("expiry marker", None),
        ("/line", None),
        ("trend/", None),
        (None, None),
    ],
)
def test_part_names_read_back(name: str | None, parsed: tuple[str, str] | None) -> None:
    assert parse_part_name(name) == parsed


def test_line_through_a_slash_id_maps_back(candles: pd.DataFrame) -> None:
    line = trend_line("a/b", ("2026-01-05T00:00:00Z", 1.3), ("2026-01-06T00:00:00Z", 1.31))

    assert drawing_parts(figure(candles, analysis_of(line)))["a/b"].shapes == {"line": 0}
