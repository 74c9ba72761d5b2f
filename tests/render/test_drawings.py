"""Each drawing type drawn faithfully: primitives, coordinates, labels and styles."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from render_helpers import (
    all_polylines,
    analysis_of,
    annotation,
    drawn,
    labels,
    overlay_traces,
    shape,
    values,
)

from rai_charts import (
    Analysis,
    RenderWarning,
    fibonacci_retracement,
    horizontal_line,
    parallel_channel,
    rectangle,
    trend_line,
)
from rai_charts.candles import sample_candles

MONDAY, TUESDAY, WEDNESDAY = "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z"
MONDAY_X, TUESDAY_X, WEDNESDAY_X = (
    "2026-01-05 00:00:00",
    "2026-01-06 00:00:00",
    "2026-01-07 00:00:00",
)


def test_horizontal_line_spans_the_plot_with_its_price_tagged_on_the_axis(
    candles: pd.DataFrame,
) -> None:
    line = horizontal_line("target", 1.355, time=MONDAY, color="#FF0000", line_width=3)

    chart = drawn(candles, analysis_of(line))

    assert shape(chart, "target/line") == {
        "type": "line",
        "name": "target/line",
        "xref": "x domain",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": 1.355,
        "y1": 1.355,
        "line": {"color": "#FF0000", "width": 3, "dash": "solid"},
    }
    tag = annotation(chart, "target/price")
    assert (tag["text"], tag["y"], tag["bgcolor"]) == ("1.35500", 1.355, "#FF0000")
    assert (tag["xref"], tag["x"], tag["xanchor"]) == ("paper", 1, "left")


@pytest.mark.parametrize(
    ("start_head", "end_head", "heads"),
    [
        pytest.param(None, None, [], id="no-heads"),
        pytest.param("NONE", "ARROW", [("start", "end")], id="end-arrow"),
        pytest.param("ARROW", "NONE", [("end", "start")], id="start-arrow"),
        pytest.param("ARROW", "ARROW", [("end", "start"), ("start", "end")], id="both"),
    ],
)
def test_line_joins_its_points_with_arrow_heads_as_set(
    candles: pd.DataFrame, start_head: Any, end_head: Any, heads: list[tuple[str, str]]
) -> None:
    line = trend_line(
        "trend", (MONDAY, 1.30), (WEDNESDAY, 1.32), start_head=start_head, end_head=end_head
    )

    chart = drawn(candles, analysis_of(line))

    drawn_line = shape(chart, "trend/line")
    assert (drawn_line["x0"], drawn_line["y0"]) == (MONDAY_X, 1.30)
    assert (drawn_line["x1"], drawn_line["y1"]) == (WEDNESDAY_X, 1.32)
    ends = {"start": (MONDAY_X, 1.30), "end": (WEDNESDAY_X, 1.32)}
    arrows = overlay_traces(chart, "markers")
    assert all_polylines(chart, "markers") == [[ends[tail], ends[tip]] for tail, tip in heads]
    for trace in arrows:
        assert (trace["marker"]["symbol"], trace["marker"]["angleref"]) == ("arrow", "previous")
        sizes = values(trace["marker"]["size"])
        assert sizes[1::3] == [12.0] * len(heads)
        assert set(sizes[0::3]) == {0.0}


def test_rectangle_is_filled_semi_transparent_with_its_border(candles: pd.DataFrame) -> None:
    zone = rectangle(
        "zone",
        (MONDAY, 1.30),
        (WEDNESDAY, 1.31),
        fill_color="#00FF33",
        border_color="#00AA22",
        line_width=2,
        line_style="DASHED",
    )

    chart = drawn(candles, analysis_of(zone))

    assert shape(chart, "zone/box") == {
        "type": "rect",
        "name": "zone/box",
        "x0": MONDAY_X,
        "y0": 1.30,
        "x1": WEDNESDAY_X,
        "y1": 1.31,
        "fillcolor": "rgba(0, 255, 51, 0.25)",
        "line": {"color": "#00AA22", "width": 2, "dash": "dash"},
    }


def test_rectangle_with_only_a_fill_gets_a_border_of_that_color(candles: pd.DataFrame) -> None:
    zone = rectangle("zone", (MONDAY, 1.30), (WEDNESDAY, 1.31), fill_color="#00FF33")

    assert shape(drawn(candles, analysis_of(zone)), "zone/box")["line"]["color"] == "#00FF33"


def test_parallel_draws_both_rails_the_filled_band_and_a_dashed_midline(
    candles: pd.DataFrame,
) -> None:
    # base rises 0.02 over two days; point 3 sits 0.04 above the base's 1.31 on Tuesday
    channel = parallel_channel(
        "channel",
        (MONDAY, 1.30),
        (WEDNESDAY, 1.32),
        (TUESDAY, 1.35),
        color="#8E44AD",
        fill_color="#8E44AD",
    )

    chart = drawn(candles, analysis_of(channel))

    base, rail = shape(chart, "channel/base"), shape(chart, "channel/rail")
    assert [base[key] for key in ("x0", "y0", "x1", "y1")] == [MONDAY_X, 1.30, WEDNESDAY_X, 1.32]
    assert [rail["x0"], rail["x1"]] == [MONDAY_X, WEDNESDAY_X]
    assert [rail["y0"], rail["y1"]] == pytest.approx([1.34, 1.36])
    assert base["line"] == rail["line"] == {"color": "#8E44AD", "width": 2, "dash": "solid"}
    (band,) = all_polylines(chart, "none")
    assert [time for time, _ in band] == [MONDAY_X, WEDNESDAY_X, WEDNESDAY_X, MONDAY_X, MONDAY_X]
    assert [price for _, price in band] == pytest.approx([1.30, 1.32, 1.36, 1.34, 1.30])
    (fill,) = overlay_traces(chart, "none")
    assert (fill["fill"], fill["fillcolor"]) == ("toself", "rgba(142, 68, 173, 0.15)")
    (midline_trace,) = overlay_traces(chart, "lines")
    assert midline_trace["line"] == {"color": "#8E44AD", "width": 1, "dash": "dash"}
    (midline,) = all_polylines(chart, "lines")
    assert [time for time, _ in midline] == [MONDAY_X, WEDNESDAY_X]
    assert [price for _, price in midline] == pytest.approx([1.32, 1.34])


RISING = {
    "0 (1.35000)": 1.35,
    "0.236 (1.33820)": 1.3382,
    "0.382 (1.33090)": 1.3309,
    "0.5 (1.32500)": 1.325,
    "0.618 (1.31910)": 1.3191,
    "0.786 (1.31070)": 1.3107,
    "1 (1.30000)": 1.30,
}
FALLING = {
    "0 (1.30000)": 1.30,
    "0.236 (1.31180)": 1.3118,
    "0.382 (1.31910)": 1.3191,
    "0.5 (1.32500)": 1.325,
    "0.618 (1.33090)": 1.3309,
    "0.786 (1.33930)": 1.3393,
    "1 (1.35000)": 1.35,
}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param((MONDAY, 1.30), (WEDNESDAY, 1.35), RISING, id="swing-up"),
        pytest.param((MONDAY, 1.35), (WEDNESDAY, 1.30), FALLING, id="swing-down"),
        pytest.param((WEDNESDAY, 1.30), (MONDAY, 1.35), RISING, id="drawn-right-to-left"),
    ],
)
def test_fibonacci_draws_one_labelled_line_per_level_across_the_swing(
    candles: pd.DataFrame,
    start: tuple[str, float],
    end: tuple[str, float],
    expected: dict[str, float],
) -> None:
    chart = drawn(candles, analysis_of(fibonacci_retracement("fib", start, end)))

    found = labels(chart)
    assert set(found) == set(expected)
    for text, price in expected.items():
        time, label_price, _ = found[text]
        assert (time, label_price) == (MONDAY_X, pytest.approx(price))
    lines = all_polylines(chart, "lines")
    assert len(lines) == 7
    assert all([time for time, _ in line] == [MONDAY_X, WEDNESDAY_X] for line in lines)
    assert sorted(line[0][1] for line in lines) == pytest.approx(sorted(expected.values()))
    bands = all_polylines(chart, "none")
    assert len(bands) == 6
    anchor = shape(chart, "fib/anchor")
    assert (anchor["y0"], anchor["y1"], anchor["line"]["dash"]) == (start[1], end[1], "dash")


def test_fibonacci_levels_take_their_colors_unless_the_style_sets_one(
    candles: pd.DataFrame,
) -> None:
    default = labels(
        drawn(candles, analysis_of(fibonacci_retracement("fib", (MONDAY, 1.3), (TUESDAY, 1.35))))
    )
    styled = drawn(
        candles,
        analysis_of(
            fibonacci_retracement(
                "fib", (MONDAY, 1.3), (TUESDAY, 1.35), color="#123456", line_style="DOTTED"
            )
        ),
    )

    assert default["0.618 (1.31910)"][2] == "#089981"
    assert default["0.236 (1.33820)"][2] == "#F23645"
    assert {color for _, _, color in labels(styled).values()} == {"#123456"}
    assert [trace["line"] for trace in overlay_traces(styled, "lines")] == [
        {"color": "#123456", "width": 1, "dash": "dot"}
    ]


@pytest.mark.parametrize(
    ("symbol", "start", "end", "label"),
    [
        pytest.param("USD/JPY", 150.0, 152.0, "0.5 (151.000)", id="jpy-3-decimals"),
        pytest.param("EUR/USD", 1.08, 1.09, "0.5 (1.08500)", id="fx-5-decimals"),
        pytest.param("XAU/USD", 2300.0, 2400.0, "0.5 (2350.00)", id="gold-2-decimals"),
    ],
)
def test_fibonacci_prices_use_the_symbols_precision(
    symbol: str, start: float, end: float, label: str
) -> None:
    fib = fibonacci_retracement("fib", (MONDAY, start), (TUESDAY, end), ratios=[0.5])
    candles = sample_candles(symbol, "H1", 200)

    assert set(labels(drawn(candles, analysis_of(fib, symbol=symbol)))) == {label}


def test_custom_fibonacci_ratios_are_drawn(candles: pd.DataFrame) -> None:
    fib = fibonacci_retracement("fib", (MONDAY, 1.3), (TUESDAY, 1.4), ratios=[0, 1, 1.618])

    assert set(labels(drawn(candles, analysis_of(fib)))) == {
        "0 (1.40000)",
        "1 (1.30000)",
        "1.618 (1.23820)",
    }


@pytest.mark.parametrize(
    ("line_style", "dash"),
    [("SOLID", "solid"), ("DASHED", "dash"), ("DOTTED", "dot"), (None, "solid")],
)
def test_line_styles_map_to_plotly_dashes(
    candles: pd.DataFrame, line_style: Any, dash: str
) -> None:
    line = trend_line("trend", (MONDAY, 1.3), (TUESDAY, 1.31), line_style=line_style)

    assert shape(drawn(candles, analysis_of(line)), "trend/line")["line"]["dash"] == dash


def test_unstyled_drawings_take_the_themes_color_and_default_width(
    candles: pd.DataFrame,
) -> None:
    line = trend_line("trend", (MONDAY, 1.3), (TUESDAY, 1.31))

    light = shape(drawn(candles, analysis_of(line)), "trend/line")["line"]
    assert light == {"color": "#2962FF", "width": 2, "dash": "solid"}


def test_unknown_drawing_type_is_skipped_with_a_warning_and_a_note(
    candles: pd.DataFrame,
) -> None:
    analysis = Analysis.from_wire(
        {
            "metadata": analysis_of().metadata.to_wire(),
            "drawings": [
                trend_line("trend", (MONDAY, 1.3), (TUESDAY, 1.31)).to_wire(),
                {"type": "ARC", "clientObjectId": "arc1", "points": [], "radius": 3},
            ],
        }
    )

    with pytest.warns(RenderWarning, match="ARC drawing 'arc1' not drawn"):
        chart = drawn(candles, analysis)

    assert "ARC drawing &#x27;arc1&#x27; not drawn" in annotation(chart, "notes")["text"]
    assert shape(chart, "trend/line")["y1"] == 1.31


def test_drawing_whose_geometry_cannot_be_drawn_is_skipped_with_a_warning(
    candles: pd.DataFrame,
) -> None:
    vertical_base = parallel_channel("channel", (MONDAY, 1.30), (MONDAY, 1.32), (TUESDAY, 1.35))

    with pytest.warns(RenderWarning, match="PARALLEL drawing 'channel' not drawn: vertical"):
        chart = drawn(candles, analysis_of(vertical_base))

    assert "channel/base" not in [item["name"] for item in chart["layout"].get("shapes", [])]
    assert "PARALLEL drawing" in annotation(chart, "notes")["text"]


def test_drawings_outside_the_candles_still_render(candles: pd.DataFrame) -> None:
    line = trend_line("far", ("2025-11-01T00:00:00Z", 1.1), ("2026-03-01T00:00:00Z", 1.6))

    chart = drawn(candles, analysis_of(line))

    drawn_line = shape(chart, "far/line")
    assert (drawn_line["x0"], drawn_line["x1"]) == ("2025-11-01 00:00:00", "2026-03-01 00:00:00")
    left, right = chart["layout"]["xaxis"]["range"]
    assert left < "2025-11-01 00:00:00" and right > "2026-03-01 00:00:00"


def test_a_horizontal_lines_time_does_not_widen_the_chart(candles: pd.DataFrame) -> None:
    line = horizontal_line("h", 1.3, time="2027-06-01T00:00:00Z")

    right = drawn(candles, analysis_of(line))["layout"]["xaxis"]["range"][1]

    assert right < "2026-01-10 00:00:00"


def test_bulk_parts_stay_a_few_traces_whatever_the_drawing_count(
    candles: pd.DataFrame,
) -> None:
    def fibs(count: int) -> Analysis:
        return analysis_of(
            *(
                fibonacci_retracement(f"fib{index}", (MONDAY, 1.3 + index / 1000), (TUESDAY, 1.4))
                for index in range(count)
            )
        )

    few, many = drawn(candles, fibs(2)), drawn(candles, fibs(60))

    # candles, then lines, bands and labels: one trace each per color of the default palette
    # (six colors for seven ratios: 0 and 1 share gray)
    assert len(many["data"]) == len(few["data"]) == 1 + 6 + 6 + 6
    assert len(all_polylines(many, "lines")) == 60 * 7
