"""What each analyses call sends and how its answer is read, shared by both clients and sync.

Every builder validates its arguments before anything is sent (``TypeError``/``ValueError`` naming
the argument) and encodes the body once, so retries resend the very same bytes, idempotency key
included.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from ...models import (
    Analysis,
    AnalysisDetail,
    AnalysisMetadataPatch,
    AppendDrawingsRequest,
    AppendDrawingsResult,
    CreateAnalysisRequest,
    DeleteAnalysisResult,
    Drawing,
    Levels,
    UpdateAnalysisRequest,
    UpdateAnalysisResult,
    WireModel,
)
from .._base import Call
from .._response import APIResponse, model_reader
from .._routes import ROUTES, check_object_id

__all__ = [
    "append_drawings_call",
    "create_call",
    "delete_call",
    "get_call",
    "list_call",
    "new_idempotency_key",
    "update_call",
]

ModelT = TypeVar("ModelT", bound=BaseModel)
PageT = TypeVar("PageT")

MAX_PAGE_SIZE = 100
"""The largest ``limit`` a list call may ask for (wire notes, section 4)."""
SORT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*:(asc|desc)")


DETAIL_READER = model_reader(AnalysisDetail)
UPDATE_READER = model_reader(UpdateAnalysisResult)
APPEND_READER = model_reader(AppendDrawingsResult)
DELETE_READER = model_reader(DeleteAnalysisResult)


def new_idempotency_key() -> str:
    """A fresh key for one logical create or append."""
    return f"rai-charts-{uuid.uuid4().hex}"


def _encode(model: WireModel) -> bytes:
    return model.model_dump_json(by_alias=True, exclude_none=True).encode()


def _check_type(name: str, value: object, expected: type[Any]) -> None:
    if not isinstance(value, expected):
        raise TypeError(f"{name} must be {expected.__name__}, got {type(value).__name__}")


def _check_key(idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return new_idempotency_key()
    if not isinstance(idempotency_key, str) or not idempotency_key:
        raise ValueError(f"idempotency_key must be a non-empty str, got {idempotency_key!r}")
    return idempotency_key


def create_call(
    analysis: Analysis,
    *,
    community_id: str,
    channel_id: str,
    sender: str,
    idempotency_key: str | None = None,
) -> Call[AnalysisDetail]:
    """``POST /v1/analysis/{communityId}/channels/{channelId}``."""
    _check_type("analysis", analysis, Analysis)
    body = CreateAnalysisRequest.from_analysis(
        analysis, sender=sender, idempotency_key=_check_key(idempotency_key)
    )
    return Call(
        ROUTES["analyses.create"],
        {
            "communityId": check_object_id("community_id", community_id),
            "channelId": check_object_id("channel_id", channel_id),
        },
        DETAIL_READER,
        body=_encode(body),
    )


def get_call(analysis_id: str) -> Call[AnalysisDetail]:
    """``GET /v1/analysis/{analysisId}``."""
    return Call(
        ROUTES["analyses.get"],
        {"analysisId": check_object_id("analysis_id", analysis_id)},
        DETAIL_READER,
    )


def update_call(
    analysis_id: str,
    *,
    sender: str,
    metadata: AnalysisMetadataPatch | Mapping[str, Any] | None = None,
    levels: Levels | None = None,
    drawings: Sequence[Drawing] | None = None,
) -> Call[UpdateAnalysisResult]:
    """``PATCH /v1/analysis/{analysisId}``; a ``None`` value in a metadata mapping clears it."""
    if metadata is None and levels is None and drawings is None:
        raise ValueError("update needs at least one of metadata, levels or drawings")
    cleared: list[str] = []
    if isinstance(metadata, Mapping):
        cleared = [name for name, value in metadata.items() if value is None]
        metadata = AnalysisMetadataPatch.model_validate(
            {name: value for name, value in metadata.items() if value is not None}
        )
    if levels is not None:
        _check_type("levels", levels, Levels)
    request = UpdateAnalysisRequest(
        sender=sender,
        metadata=metadata,
        levels=levels,
        drawings=list(drawings) if drawings is not None else None,
    )
    wire = request.to_wire()
    if cleared:
        wire.setdefault("metadata", {}).update({to_camel(name): None for name in cleared})
    return Call(
        ROUTES["analyses.update"],
        {"analysisId": check_object_id("analysis_id", analysis_id)},
        UPDATE_READER,
        body=json.dumps(wire, ensure_ascii=False).encode(),
    )


def delete_call(analysis_id: str) -> Call[DeleteAnalysisResult]:
    """``DELETE /v1/analysis/{analysisId}``."""
    return Call(
        ROUTES["analyses.delete"],
        {"analysisId": check_object_id("analysis_id", analysis_id)},
        DELETE_READER,
    )


def append_drawings_call(
    analysis_id: str,
    drawings: Sequence[Drawing],
    *,
    sender: str,
    idempotency_key: str | None = None,
) -> Call[AppendDrawingsResult]:
    """``POST /v1/analysis/{analysisId}/drawings``."""
    if isinstance(drawings, (str, bytes, Mapping)) or not isinstance(drawings, Sequence):
        raise TypeError(f"drawings must be a sequence of drawings, got {type(drawings).__name__}")
    body = AppendDrawingsRequest(
        sender=sender, drawings=list(drawings), idempotency_key=_check_key(idempotency_key)
    )
    return Call(
        ROUTES["analyses.append_drawings"],
        {"analysisId": check_object_id("analysis_id", analysis_id)},
        APPEND_READER,
        body=_encode(body),
    )


def list_call(
    read_page: Callable[[APIResponse[PageT]], PageT],
    *,
    community_id: str,
    channel_id: str,
    page: int = 1,
    limit: int | None = None,
    sort: str | None = None,
) -> Call[PageT]:
    """``GET /v1/analysis/{communityId}/channels/{channelId}?page=&limit=&sort=``."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(f"page must be an integer >= 1, got {page!r}")
    query: dict[str, str | int] = {"page": page}
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be an integer from 1 to {MAX_PAGE_SIZE}, got {limit!r}")
        query["limit"] = limit
    if sort is not None:
        if not isinstance(sort, str) or not SORT.fullmatch(sort):
            raise ValueError(f"sort must look like 'createdAt:desc' (field:asc|desc), got {sort!r}")
        query["sort"] = sort
    return Call(
        ROUTES["analyses.list"],
        {
            "communityId": check_object_id("community_id", community_id),
            "channelId": check_object_id("channel_id", channel_id),
        },
        read_page,
        query=query,
    )
