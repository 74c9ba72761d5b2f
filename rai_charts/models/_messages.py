"""Request bodies and response envelopes of the Chart Analysis routes."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import Field, ValidationError, model_validator

from ._analysis import (
    Analysis,
    AnalysisDetail,
    AnalysisMetadataPatch,
    AnalysisSummary,
    Levels,
    dangling_link_errors,
    duplicate_id_errors,
)
from ._base import WireModel
from ._drawings import KNOWN_DRAWING_TYPES, UNKNOWN_DRAWING_TAG, Drawing
from ._errors import raise_errors

DataT = TypeVar("DataT")


class CreateAnalysisRequest(Analysis):
    """Body of ``POST /v1/analysis/{communityId}/channels/{channelId}``."""

    sender: str = Field(min_length=1)
    """Email of the community member who publishes it."""
    idempotency_key: str | None = None
    """A replay with the same key returns the first result and creates nothing."""

    @classmethod
    def from_analysis(
        cls, analysis: Analysis, *, sender: str, idempotency_key: str | None = None
    ) -> CreateAnalysisRequest:
        """The create body for a local analysis."""
        return cls.model_validate(
            {
                "sender": sender,
                "metadata": analysis.metadata,
                "levels": analysis.levels,
                "drawings": analysis.drawings,
                "idempotency_key": idempotency_key,
            }
        )


class UpdateAnalysisRequest(WireModel):
    """Body of ``PATCH /v1/analysis/{analysisId}``: only the parts to change."""

    sender: str = Field(min_length=1)
    """Email of the member making the change."""
    metadata: AnalysisMetadataPatch | None = None
    """Metadata fields to change; others stay."""
    levels: Levels | None = None
    """New levels."""
    drawings: list[Drawing] | None = None
    """New drawings: replaces the whole list."""

    @model_validator(mode="after")
    def _check_ids_and_links(self) -> UpdateAnalysisRequest:
        # Only what the body itself holds can be checked here; the server checks the rest
        # against the stored analysis. Links are checked when the body replaces both drawings
        # and levels, so every id they may name is in the body.
        errors = duplicate_id_errors(self.drawings or [], self.levels)
        if self.metadata is not None and self.drawings is not None and self.levels is not None:
            errors += dangling_link_errors(self.metadata, self.drawings, self.levels)
        raise_errors(type(self).__name__, errors)
        return self


class AppendDrawingsRequest(WireModel):
    """Body of ``POST /v1/analysis/{analysisId}/drawings``: drawings added to the rest."""

    sender: str = Field(min_length=1)
    """Email of the member making the change."""
    drawings: list[Drawing] = Field(min_length=1)
    """Drawings to add; their ids must be new to the analysis."""
    idempotency_key: str | None = None
    """A replay with the same key returns the first result and appends nothing."""

    @model_validator(mode="after")
    def _check_ids(self) -> AppendDrawingsRequest:
        raise_errors(type(self).__name__, duplicate_id_errors(self.drawings, None))
        return self


class StandardSuccessEnvelope(WireModel, Generic[DataT]):
    """``{status, message, data}``: the success envelope of the analysis routes."""

    status: Literal["success"] = "success"
    """Always ``success``."""
    message: str | None = None
    """Human-readable outcome."""
    data: DataT
    """The payload."""


class UpdateAnalysisResult(WireModel):
    """What an update changed."""

    analysis_id: str
    """The analysis updated."""
    updated_fields: list[str] = Field(default_factory=list)
    """Bare names of the fields that changed (``title``, ``levels``, ``drawings`` ...)."""


class AppendDrawingsResult(WireModel):
    """What an append added."""

    analysis_id: str
    """The analysis appended to."""
    appended: list[str] = Field(default_factory=list)
    """Client ids of the drawings added."""
    drawing_count: int
    """How many drawings the analysis holds now."""


class DeleteAnalysisResult(WireModel):
    """What a delete removed."""

    analysis_id: str
    """The analysis removed."""
    deleted: bool = True
    """Always true on success."""


class CreateAnalysisResponse(StandardSuccessEnvelope[AnalysisDetail]):
    """Response of create: the stored analysis."""


class GetAnalysisResponse(StandardSuccessEnvelope[AnalysisDetail]):
    """Response of get: the stored analysis."""


class UpdateAnalysisResponse(StandardSuccessEnvelope[UpdateAnalysisResult]):
    """Response of update: which fields changed."""


class AppendDrawingsResponse(StandardSuccessEnvelope[AppendDrawingsResult]):
    """Response of append: which drawings were added."""


class DeleteAnalysisResponse(StandardSuccessEnvelope[DeleteAnalysisResult]):
    """Response of delete."""


class ListMeta(WireModel):
    """The ``meta`` block of a paginated list."""

    status: str = "success"
    """Always ``success`` on a 2xx."""
    status_code: int = 200
    """HTTP status, repeated."""
    page: int = 1
    """This page, from 1."""
    limit: int = 20
    """Page size asked for."""
    total: int = 0
    """Rows across all pages."""


class ListAnalysesResponse(WireModel):
    """Response of list: one page of summaries in the ``meta`` envelope."""

    meta: ListMeta
    """Page, limit and total."""
    message: str | None = None
    """Human-readable outcome."""
    data: list[AnalysisSummary]
    """This page's analyses."""


class ApiErrorItem(WireModel):
    """One offending field of a refused request."""

    field: str
    """Dotted path of the field, wire names (``drawings.0.points``)."""
    message: str
    """What is wrong with it."""


class StandardApiError(WireModel):
    """``{status:"error", statusCode, message, errors?}``: the error body."""

    status: str = "error"
    """Always ``error``."""
    status_code: int
    """HTTP status, repeated."""
    message: str
    """What went wrong."""
    errors: list[ApiErrorItem] | None = None
    """Every offending field, for validation errors."""


def error_items(exc: ValidationError) -> list[ApiErrorItem]:
    """The offending fields of a pydantic ``ValidationError``, with wire paths and values.

    The path leaves out the drawing type pydantic adds after a drawing's index
    (``drawings.0.LINE.points`` becomes ``drawings.0.points``); a message that does not quote
    the offending scalar value gets it appended.
    """
    items = []
    for error in exc.errors(include_url=False):
        location = error["loc"]
        path = ".".join(
            str(part)
            for index, part in enumerate(location)
            if not _is_union_tag(location[:index], part)
        )
        message = error["msg"]
        value = error.get("input")
        if isinstance(value, (str, int, float, bool)) and repr(value) not in message:
            message = f"{message}, got {value!r}"
        items.append(ApiErrorItem(field=path or "body", message=message))
    return items


def _is_union_tag(before: tuple[int | str, ...], part: int | str) -> bool:
    """Whether ``part`` is the tag pydantic inserts after a drawing's list index."""
    return (
        len(before) >= 2
        and isinstance(before[-1], int)
        and before[-2] == "drawings"
        and (part in KNOWN_DRAWING_TYPES or part == UNKNOWN_DRAWING_TAG)
    ) or (isinstance(part, str) and part.startswith("function-"))
