"""Property tests: any valid analysis built from the constructors survives the wire."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from rai_charts.models import (
    TIMEFRAMES,
    Analysis,
    AnalysisMetadata,
    CreateAnalysisRequest,
    Drawing,
    Expiry,
    Levels,
    error_items,
    fibonacci_retracement,
    horizontal_line,
    level,
    parallel_channel,
    rectangle,
    trend_line,
)

# Sized so the whole models suite stays well under 20 s on a busy two-core machine.
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REFUSAL_SETTINGS = settings(SETTINGS, max_examples=40)

offsets = st.sampled_from([timedelta(0), timedelta(hours=2), timedelta(hours=-5, minutes=-30)])
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(timezone.utc)
)


@st.composite
def times(draw: st.DrawFn) -> Any:
    """An aware time as a datetime, a pandas Timestamp or an ISO string, in any offset."""
    moment = draw(moments).astimezone(timezone(draw(offsets)))
    form = draw(st.sampled_from(["datetime", "timestamp", "iso"]))
    if form == "timestamp":
        return pd.Timestamp(moment)
    if form == "iso":
        return moment.isoformat()
    return moment


prices = st.floats(allow_nan=False, allow_infinity=False)
anchors = st.tuples(times(), prices)
colors = st.builds(
    lambda red, green, blue, lower: (
        (f"#{red:02X}{green:02X}{blue:02X}").lower()
        if lower
        else f"#{red:02X}{green:02X}{blue:02X}"
    ),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.booleans(),
)
line_styles = st.sampled_from(["SOLID", "DASHED", "DOTTED"])
line_options = st.fixed_dictionaries(
    {},
    optional={
        "color": colors,
        "line_width": st.integers(1, 10),
        "line_style": line_styles,
    },
)
heads = st.sampled_from(["NONE", "ARROW"])
identifiers = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
plain_text = st.text(st.characters(exclude_characters="[]", codec="utf-8"), max_size=40)


@st.composite
def drawings(draw: st.DrawFn, client_object_id: str) -> Drawing:
    """One drawing of any type, made with its one-line constructor."""
    kind = draw(st.sampled_from(["horizontal", "line", "rectangle", "channel", "fibonacci"]))
    options = draw(line_options)
    if kind == "horizontal":
        return horizontal_line(client_object_id, draw(prices), time=draw(times()), **options)
    if kind == "line":
        return trend_line(
            client_object_id,
            draw(anchors),
            draw(anchors),
            start_head=draw(st.none() | heads),
            end_head=draw(st.none() | heads),
            **options,
        )
    if kind == "rectangle":
        return rectangle(
            client_object_id,
            draw(anchors),
            draw(anchors),
            fill_color=draw(st.none() | colors),
            border_color=draw(st.none() | colors),
            line_width=options.get("line_width"),
        )
    if kind == "channel":
        return parallel_channel(
            client_object_id,
            draw(anchors),
            draw(anchors),
            draw(anchors),
            fill_color=draw(st.none() | colors),
            **options,
        )
    ratios = draw(st.none() | st.lists(prices, min_size=1, max_size=8))
    return fibonacci_retracement(
        client_object_id, draw(anchors), draw(anchors), ratios=ratios, **options
    )


@st.composite
def text_with_links(draw: st.DrawFn, ids: list[str]) -> str | None:
    """Free text with ``[[id:label]]`` tokens naming some of ``ids``."""
    if draw(st.booleans()):
        return None
    parts = [draw(plain_text)]
    if ids:
        for target in draw(st.lists(st.sampled_from(ids), max_size=3)):
            parts += [f"[[{target}:{draw(plain_text.filter(lambda t: ':' not in t))}]]"]
            parts += [draw(plain_text)]
    return "".join(parts)


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    """A valid analysis: unique ids, ordered levels, links naming what exists."""
    ids = draw(st.lists(identifiers, unique=True, min_size=3, max_size=9))
    level_ids, drawing_ids = ids[:3], ids[3:]
    low, middle, high = sorted(draw(st.sets(prices, min_size=3, max_size=3)))
    present = draw(st.sets(st.sampled_from(["support", "pivot", "resistance"])))
    entries = {
        name: level(object_id, price, time=draw(st.none() | times()))
        for name, object_id, price in zip(
            ("support", "pivot", "resistance"), level_ids, (low, middle, high), strict=True
        )
        if name in present
    }
    linkable = [entry.client_object_id for entry in entries.values()] + drawing_ids
    metadata = AnalysisMetadata(
        title=draw(plain_text.filter(bool)),
        symbol=draw(st.sampled_from(["GBP/USD", "XAU/USD", "BTC/USDT", "AAPL"])),
        timeframe=draw(st.sampled_from(TIMEFRAMES)),
        direction=draw(st.sampled_from(["BULLISH", "BEARISH"])),
        entry_placement=draw(st.sampled_from(["ABOVE_CURRENT", "BELOW_CURRENT"])),
        expiry=draw(st.none() | st.builds(Expiry, hours=st.integers(1, 24 * 365))),
        preference_text=draw(text_with_links(linkable)),
        alternative_text=draw(text_with_links(linkable)),
        comments=draw(text_with_links(linkable)),
    )
    return Analysis(
        metadata=metadata,
        levels=Levels(**entries),
        drawings=[draw(drawings(object_id)) for object_id in drawing_ids],
    )


@SETTINGS
@given(analyses())
def test_any_valid_analysis_survives_the_wire(analysis: Analysis) -> None:
    text = analysis.to_json()
    assert json.loads(text) == analysis.to_wire()
    again = Analysis.from_wire(text)
    assert again == analysis
    assert again.to_json() == text


@SETTINGS
@given(analyses(), identifiers, st.sampled_from(["alice@example.com", "bob@example.org"]))
def test_any_create_body_survives_the_wire(analysis: Analysis, key: str, sender: str) -> None:
    request = CreateAnalysisRequest.from_analysis(analysis, sender=sender, idempotency_key=key)
    wire = request.to_wire()
    assert wire["sender"] == sender
    assert wire["idempotencyKey"] == key
    assert CreateAnalysisRequest.from_wire(json.dumps(wire)) == request


@REFUSAL_SETTINGS
@given(analyses(), st.data())
def test_a_repeated_id_is_always_refused_at_the_repeat(analysis: Analysis, data: Any) -> None:
    existing = [drawing.client_object_id for drawing in analysis.drawings] + [
        entry.client_object_id for _, entry in analysis.levels.entries()
    ]
    assume(existing)
    repeated = data.draw(st.sampled_from(existing))
    body = analysis.to_wire()
    body["drawings"].append(horizontal_line(repeated, 1.0, time="2026-01-08T00:00:00Z").to_wire())
    with pytest.raises(ValidationError) as refused:
        Analysis.from_wire(body)
    fields = {item.field: item.message for item in error_items(refused.value)}
    # The first drawing or level holding the id keeps it; the later one is named.
    assert any(
        field.endswith("clientObjectId") and repr(repeated) in message
        for field, message in fields.items()
    )


@REFUSAL_SETTINGS
@given(analyses(), identifiers)
def test_a_link_to_a_missing_id_is_always_refused(analysis: Analysis, target: str) -> None:
    body = analysis.to_wire()
    known = {drawing["clientObjectId"] for drawing in body["drawings"]}
    known |= {entry["clientObjectId"] for entry in body["levels"].values()}
    assume(target not in known)
    body["metadata"]["comments"] = f"see [[{target}:there]]"
    with pytest.raises(ValidationError) as refused:
        Analysis.from_wire(body)
    [item] = error_items(refused.value)
    assert item.field == "metadata.comments"
    assert repr(target) in item.message
