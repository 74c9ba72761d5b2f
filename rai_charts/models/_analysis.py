"""The analysis: metadata, expiry, levels and drawings, with the rules the server enforces."""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails

from ._base import WireModel
from ._drawings import Drawing
from ._errors import error_at, raise_errors, rule_error
from ._types import (
    LINK_TOKEN,
    AnalysisType,
    Direction,
    EntryPlacement,
    Price,
    Timeframe,
    UtcTime,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

ANALYSIS_TYPES: dict[tuple[str, str], AnalysisType] = {
    ("BULLISH", "ABOVE_CURRENT"): "bullish_breakout",
    ("BULLISH", "BELOW_CURRENT"): "bullish_bounce",
    ("BEARISH", "ABOVE_CURRENT"): "bearish_bounce",
    ("BEARISH", "BELOW_CURRENT"): "bearish_breakout",
}
"""(direction, entry placement) to the analysis type the server derives."""

TEXT_FIELDS = ("preference_text", "alternative_text", "comments")
"""Metadata fields that may hold ``[[id:label]]`` link tokens."""


def derive_analysis_type(direction: str, entry_placement: str) -> AnalysisType:
    """The analysis type for a direction and an entry placement (the contract's table)."""
    try:
        return ANALYSIS_TYPES[(direction, entry_placement)]
    except KeyError:
        raise ValueError(
            f"no analysis type for direction={direction!r}, entryPlacement={entry_placement!r}"
        ) from None


class Expiry(WireModel):
    """When the analysis stops being valid. ``HOURS`` is the known type; others are kept."""

    type: str = "HOURS"
    """``HOURS``, or a type from a newer server (kept as given)."""
    hours: int | None = Field(default=None, validate_default=True)
    """Hours after creation; an integer of at least 1 for ``HOURS``."""

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, hours: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("type") == "HOURS" and (hours is None or hours < 1):
            raise rule_error(
                "expiry_hours",
                f"expiry of type HOURS needs hours as a whole number >= 1, got {hours!r}",
            )
        return hours


class _MetadataFields(WireModel):
    title: str | None = None
    """Headline of the analysis."""
    symbol: str | None = None
    """The instrument, e.g. ``GBP/USD``."""
    timeframe: Timeframe | None = None
    """Chart timeframe, ``M1`` to ``MN1``."""
    direction: Direction | None = None
    """``BULLISH`` or ``BEARISH``."""
    entry_placement: EntryPlacement | None = None
    """``ABOVE_CURRENT`` or ``BELOW_CURRENT`` the current price."""
    expiry: Expiry | None = None
    """How long the analysis holds."""
    preference_text: str | None = None
    """The main thesis; may hold ``[[id:label]]`` links."""
    alternative_text: str | None = None
    """The invalidation scenario; may hold links."""
    comments: str | None = None
    """Free text; may hold links."""


class AnalysisMetadata(_MetadataFields):
    """The thesis: what, which way, for how long, and why."""

    title: str = Field(min_length=1)
    """Headline of the analysis."""
    symbol: str = Field(min_length=1)
    """The instrument, e.g. ``GBP/USD``."""
    timeframe: Timeframe
    """Chart timeframe, ``M1`` to ``MN1``."""
    direction: Direction
    """``BULLISH`` or ``BEARISH``."""
    entry_placement: EntryPlacement
    """``ABOVE_CURRENT`` or ``BELOW_CURRENT`` the current price."""


class AnalysisMetadataPatch(_MetadataFields):
    """A partial metadata update: only the fields set are sent."""


class LevelEntry(WireModel):
    """One key level: a price, its id (link tokens may name it) and when it was set."""

    price: Price
    """The level's price."""
    client_object_id: str = Field(min_length=1)
    """The client's id of the level."""
    time: UtcTime | None = None
    """When the level applies from, in UTC."""


class Levels(WireModel):
    """Support, pivot and resistance; those present must satisfy support < pivot < resistance."""

    support: LevelEntry | None = None
    """The support level."""
    pivot: LevelEntry | None = None
    """The pivot level."""
    resistance: LevelEntry | None = None
    """The resistance level."""

    @model_validator(mode="after")
    def _check_order(self) -> Levels:
        present = [
            (name, entry.price)
            for name in ("support", "pivot", "resistance")
            if (entry := getattr(self, name)) is not None
        ]
        raise_errors(
            type(self).__name__,
            [
                error_at(
                    (),
                    "level_order",
                    f"levels must keep support < pivot < resistance: "
                    f"{low_name} {low} is not below {high_name} {high}",
                    dict(present),
                )
                for (low_name, low), (high_name, high) in itertools.pairwise(present)
                if not low < high
            ],
        )
        return self

    def entries(self) -> Iterator[tuple[str, LevelEntry]]:
        """The levels that are set, as (name, entry), low to high."""
        for name in ("support", "pivot", "resistance"):
            entry = getattr(self, name)
            if entry is not None:
                yield name, entry


def link_targets(text: str | None) -> list[str]:
    """The ids named by the ``[[id:label]]`` tokens of a text, in order."""
    return [match.group(1) for match in LINK_TOKEN.finditer(text or "")]


class Analysis(WireModel):
    """A chart analysis as a trader writes it: thesis, levels and drawings.

    Validation runs on construction and on every assignment: drawing ids are unique, every
    link token names a drawing or level of this analysis.
    """

    metadata: AnalysisMetadata
    """The thesis."""
    levels: Levels = Field(default_factory=Levels)
    """Support, pivot and resistance."""
    drawings: list[Drawing] = Field(default_factory=list)
    """The drawings on the chart."""

    @model_validator(mode="after")
    def _check_ids_and_links(self) -> Analysis:
        raise_errors(
            type(self).__name__,
            duplicate_id_errors(self.drawings, self.levels)
            + dangling_link_errors(self.metadata, self.drawings, self.levels),
        )
        return self

    @property
    def analysis_type(self) -> AnalysisType:
        """The type the server derives from direction and entry placement."""
        return derive_analysis_type(self.metadata.direction, self.metadata.entry_placement)

    def drawing(self, client_object_id: str) -> Drawing:
        """The drawing with this client id; ``KeyError`` when there is none."""
        for drawing in self.drawings:
            if drawing.client_object_id == client_object_id:
                return drawing
        raise KeyError(client_object_id)

    def plot(self, candles: Any, **options: Any) -> go.Figure:
        """This analysis drawn over ``candles`` (see :func:`rai_charts.render.figure`)."""
        # Imported by name so the models never depend on the renderer at import time.
        render = importlib.import_module("rai_charts.render")
        result: go.Figure = render.figure(candles, self, **options)
        return result


def duplicate_id_errors(drawings: list[Drawing], levels: Levels | None) -> list[InitErrorDetails]:
    """One error per client id that repeats among drawings and levels, at the repeat."""
    ids = [drawing.client_object_id for drawing in drawings if drawing.client_object_id is not None]
    if levels is not None:
        ids += [entry.client_object_id for _, entry in levels.entries()]
    if len(set(ids)) == len(ids):  # the common case: no repeat, no places to name
        return []
    places: list[tuple[tuple[str | int, ...], str | None]] = [
        (("drawings", index), drawing.client_object_id) for index, drawing in enumerate(drawings)
    ]
    if levels is not None:
        places += [(("levels", name), entry.client_object_id) for name, entry in levels.entries()]
    seen: dict[str, tuple[str | int, ...]] = {}
    errors = []
    for place, object_id in places:
        if object_id is None:
            continue
        if object_id in seen:
            where = ".".join(str(part) for part in seen[object_id])
            errors.append(
                error_at(
                    (*place, "clientObjectId"),
                    "duplicate_id",
                    f"clientObjectId {object_id!r} is already used by {where}; "
                    "ids must be unique within an analysis",
                    object_id,
                )
            )
        else:
            seen[object_id] = place
    return errors


def dangling_link_errors(
    metadata: _MetadataFields, drawings: list[Drawing], levels: Levels | None
) -> list[InitErrorDetails]:
    """One error per ``[[id:label]]`` token whose id names no drawing or level."""
    tokens = [
        (field, token)
        for field in TEXT_FIELDS
        if (text := getattr(metadata, field))
        for token in LINK_TOKEN.finditer(text)
    ]
    if not tokens:  # the known ids are gathered only when some text links to one
        return []
    known = known_link_targets(drawings, levels)
    dangling = [(field, token) for field, token in tokens if token.group(1) not in known]
    if not dangling:
        return []
    listed = ", ".join(sorted(known)) or "none"
    return [
        error_at(
            ("metadata", to_camel(field)),
            "unknown_link_target",
            f"link {token.group(0)} names {token.group(1)!r}, which is no drawing or level "
            f"of this analysis (known ids: {listed})",
            token.group(0),
        )
        for field, token in dangling
    ]


def known_link_targets(drawings: list[Drawing], levels: Levels | None) -> set[str]:
    """Every id a link token may name: drawing client and server ids, and level ids."""
    known = {
        value
        for drawing in drawings
        for value in (drawing.client_object_id, drawing.id)
        if value is not None
    }
    if levels is not None:
        known.update(entry.client_object_id for _, entry in levels.entries())
    return known


class ResolvedLink(WireModel):
    """A link token as the server resolved it to a stored object."""

    field: str
    """The metadata field holding the token."""
    client_object_id: str
    """The id written in the token."""
    label: str
    """The token's display text."""
    target_id: str | None = None
    """The persisted id of the drawing or level it names."""


class AnalysisDetail(Analysis):
    """An analysis as the server stores it."""

    analysis_id: str
    """The server's id (24-hex ObjectId)."""
    community_id: str
    """The community it was published to."""
    channel_id: str
    """The channel it was published to."""
    sender: str
    """The member who published it (an email)."""
    type: AnalysisType
    """The derived analysis type."""
    created_at: UtcTime
    """When it was created."""
    updated_at: UtcTime
    """When it last changed."""
    expires_at: UtcTime | None = None
    """created_at plus the expiry hours."""
    links: list[ResolvedLink] | None = None
    """Link tokens remapped to persisted ids."""

    def to_analysis(self) -> Analysis:
        """The local, editable part: metadata, levels and drawings."""
        return Analysis.model_validate(
            {"metadata": self.metadata, "levels": self.levels, "drawings": self.drawings}
        )


class AnalysisSummary(WireModel):
    """One row of a channel's analysis list."""

    analysis_id: str
    """The server's id."""
    title: str | None = None
    """Headline."""
    symbol: str | None = None
    """Instrument."""
    timeframe: str | None = None
    """Chart timeframe."""
    type: str | None = None
    """Derived analysis type."""
    direction: str | None = None
    """``BULLISH`` or ``BEARISH``."""
    drawing_count: int = 0
    """How many drawings it holds."""
    created_at: UtcTime | None = None
    """When it was created."""
    expires_at: UtcTime | None = None
    """When it expires."""
