"""The six Chart Analysis operations: one route table, one plain function per operation.

The table drives both the ASGI routing (``_app``) and ``/openapi.json`` (``_openapi``), so the
two cannot disagree. Handlers are synchronous and run inside one store transaction; they raise
:class:`ApiError` to refuse a request, which rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rai_charts.models import (
    Analysis,
    ApiErrorItem,
    AppendDrawingsRequest,
    AppendDrawingsResponse,
    CreateAnalysisRequest,
    CreateAnalysisResponse,
    DeleteAnalysisResponse,
    GetAnalysisResponse,
    ListAnalysesResponse,
    UpdateAnalysisRequest,
    UpdateAnalysisResponse,
    LINK_TOKEN,
    WireModel,
    derive_analysis_type,
)

from ._store import (
    OBJECT_ID,
    ApiKey,
    Store,
    StoredAnalysis,
    dumps,
    expires_at,
    iso,
    now,
    object_id,
    parse_iso,
)
from ._validation import TEXT_FIELDS, ApiError, validate, validation_failed


@dataclass
class Call:
    """One authenticated request, as a handler sees it."""

    key: ApiKey
    """The caller's API key."""
    path: Mapping[str, str]
    """Path parameters."""
    query: Mapping[str, str]
    """Query parameters."""
    body: bytes
    """The raw request body."""
    events: list[dict[str, Any]] = field(default_factory=list)
    """Events recorded by the handler, delivered to the webhook once the transaction commits."""


@dataclass(frozen=True)
class Reply:
    """A handler's answer."""

    status: int
    """HTTP status."""
    body: str
    """JSON text."""


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter, as documented in the OpenAPI description."""

    name: str
    """Its name."""
    schema: dict[str, Any]
    """Its JSON schema."""
    description: str
    """One line on what it does."""


@dataclass(frozen=True)
class Operation:
    """One route of the API, everything the app and the OpenAPI description need."""

    name: Literal["create", "get", "update", "delete", "list", "append"]
    """The operation's short name (also the fault-injection route name)."""
    method: str
    """HTTP method."""
    path: str
    """Path template with ``{parameters}``."""
    summary: str
    """One line on what it does."""
    contract: Literal["confirmed", "assumed"]
    """Whether the Returning.AI docs show this route, or the project assumed it."""
    permission: str
    """The API-key permission it needs."""
    handler: Callable[[Store, Call], Reply]
    """The function serving it."""
    success_status: int
    """Status of a success."""
    response_model: type[WireModel]
    """Body of a success."""
    request_model: type[WireModel] | None = None
    """Body it takes, if any."""
    query: tuple[QueryParameter, ...] = ()
    """Query parameters it reads."""
    error_statuses: tuple[int, ...] = (400, 401, 403, 404)
    """Refusals it may answer (besides injected faults)."""


# Shared steps --------------------------------------------------------------------------------


def _object_id_parameter(call: Call, *names: str) -> list[str]:
    """The named path ids, lower-cased; a 400 naming each one that is not an ObjectId."""
    errors = [
        ApiErrorItem(field=name, message=f"{call.path[name]!r} is not a 24-hex ObjectId")
        for name in names
        if not OBJECT_ID.match(call.path[name])
    ]
    if errors:
        raise validation_failed(errors)
    return [call.path[name].lower() for name in names]


def _own_community(call: Call, community_id: str) -> None:
    if community_id != call.key.community_id:
        raise ApiError(403, f"this API key does not act for community {community_id}")


def _channel(store: Store, community_id: str, channel_id: str) -> None:
    if store.channel_community(channel_id) != community_id:
        raise ApiError(404, f"channel {channel_id} not found in community {community_id}")


def _visible_analysis(store: Store, call: Call) -> StoredAnalysis:
    """The path's analysis; 404 when it does not exist or belongs to another community."""
    (analysis_id,) = _object_id_parameter(call, "analysisId")
    analysis = store.analysis(analysis_id)
    if analysis is None or analysis.community_id != call.key.community_id:
        raise ApiError(404, f"analysis {analysis_id} not found")
    return analysis


def _checked_body(
    store: Store, call: Call, model: type[Any], body: bytes | dict[str, Any] | None = None
) -> Any:
    """The validated request model; a 400 listing every offending field, sender included."""
    request, errors, raw = validate(model, call.body if body is None else body)
    sender = request.sender if request is not None else (raw or {}).get("sender")
    if (
        isinstance(sender, str)
        and sender
        and not store.is_member(call.key.community_id, sender)
        and not any(item.field == "sender" for item in errors)
    ):
        errors.append(
            ApiErrorItem(
                field="sender",
                message=f"{sender!r} is not a member of community {call.key.community_id}",
            )
        )
    if errors:
        raise validation_failed(errors)
    return request


def _with_server_ids(
    drawings: list[Any], existing: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Wire drawings carrying server ids: kept for a client id already stored, new otherwise."""
    stored = []
    for drawing in drawings:
        wire = drawing.to_wire()
        client_id = wire.get("clientObjectId")
        wire["id"] = (existing or {}).get(client_id) or object_id()
        stored.append(wire)
    return stored


def resolved_links(
    metadata: Mapping[str, Any], drawings: list[dict[str, Any]], levels: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every link token of the texts, with the persisted id it names.

    A drawing's persisted id is its server ``id`` (a token may name either id); levels have no
    server id, so a level's persisted id is its clientObjectId.
    """
    targets: dict[str, str] = {}
    for entry in levels.values():
        if isinstance(entry, dict) and "clientObjectId" in entry:
            targets[entry["clientObjectId"]] = entry["clientObjectId"]
    for drawing in drawings:
        if "clientObjectId" in drawing:
            targets[drawing["clientObjectId"]] = drawing["id"]
        targets[drawing["id"]] = drawing["id"]
    links = []
    for field_name in TEXT_FIELDS:
        text = metadata.get(field_name)
        if not isinstance(text, str):
            continue
        for match in LINK_TOKEN.finditer(text):
            links.append(
                {
                    "field": field_name,
                    "clientObjectId": match.group(1),
                    "label": match.group(2),
                    "targetId": targets.get(match.group(1)),
                }
            )
    return links


def detail(analysis: StoredAnalysis, drawings: list[dict[str, Any]]) -> dict[str, Any]:
    """The AnalysisDetail wire object."""
    wire: dict[str, Any] = {
        "analysisId": analysis.analysis_id,
        "communityId": analysis.community_id,
        "channelId": analysis.channel_id,
        "sender": analysis.sender,
        "type": analysis.type,
        "metadata": analysis.metadata,
        "levels": analysis.levels,
        "drawings": drawings,
        "createdAt": analysis.created_at,
        "updatedAt": analysis.updated_at,
    }
    if analysis.expires_at is not None:
        wire["expiresAt"] = analysis.expires_at
    wire["links"] = resolved_links(analysis.metadata, drawings, analysis.levels)
    return wire


def _without_ids(drawings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{name: value for name, value in drawing.items() if name != "id"} for drawing in drawings]


def _summary(analysis: StoredAnalysis) -> dict[str, Any]:
    """The AnalysisSummary wire object."""
    metadata = analysis.metadata
    summary = {
        "analysisId": analysis.analysis_id,
        "title": metadata.get("title"),
        "symbol": metadata.get("symbol"),
        "timeframe": metadata.get("timeframe"),
        "type": analysis.type,
        "direction": metadata.get("direction"),
        "drawingCount": analysis.drawing_count,
        "createdAt": analysis.created_at,
    }
    if analysis.expires_at is not None:
        summary["expiresAt"] = analysis.expires_at
    return summary


def _positive_integer(
    query: Mapping[str, str],
    name: str,
    default: int,
    maximum: int | None,
    errors: list[ApiErrorItem],
) -> int:
    """A query integer >= 1 (and <= maximum); a missing one is the default."""
    text = query.get(name)
    if text is None:
        return default
    bounds = f"between 1 and {maximum}" if maximum is not None else "1 or more"
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum) or not text.strip().isdigit():
        errors.append(ApiErrorItem(field=name, message=f"{text!r} is not an integer {bounds}"))
        return default
    return value


def _success(message: str, data: Any) -> str:
    return dumps({"status": "success", "message": message, "data": data})


def _record(store: Store, call: Call, event: str, analysis_id: str, payload: Any) -> None:
    call.events.append(store.record_event(event, analysis_id, payload))


def _replay(store: Store, call: Call, scope: str, key: str | None) -> Reply | None:
    if key is None:
        return None
    remembered = store.idempotent_response(call.key.community_id, scope, key)
    return None if remembered is None else Reply(*remembered)


def _remember(store: Store, call: Call, scope: str, key: str | None, reply: Reply) -> Reply:
    if key is not None:
        store.remember_response(call.key.community_id, scope, key, reply.status, reply.body)
    return reply


# The six operations ----------------------------------------------------------------------------


def create_analysis(store: Store, call: Call) -> Reply:
    """POST /v1/analysis/{communityId}/channels/{channelId}."""
    community_id, channel_id = _object_id_parameter(call, "communityId", "channelId")
    _own_community(call, community_id)
    _channel(store, community_id, channel_id)
    request: CreateAnalysisRequest = _checked_body(store, call, CreateAnalysisRequest)
    replay = _replay(store, call, "create", request.idempotency_key)
    if replay is not None:
        return replay
    drawings = _with_server_ids(request.drawings)
    analysis = store.insert_analysis(
        community_id=community_id,
        channel_id=channel_id,
        sender=request.sender,
        analysis_type=request.analysis_type,
        metadata=request.metadata.to_wire(),
        levels=request.levels.to_wire(),
        drawings=drawings,
    )
    stored = detail(analysis, drawings)
    _record(store, call, "create_analysis", analysis.analysis_id, stored)
    reply = Reply(201, _success("Analysis created successfully", stored))
    return _remember(store, call, "create", request.idempotency_key, reply)


def get_analysis(store: Store, call: Call) -> Reply:
    """GET /v1/analysis/{analysisId}."""
    analysis = _visible_analysis(store, call)
    return Reply(
        200, _success("Analysis fetched successfully", detail(analysis, store.drawings(analysis)))
    )


def update_analysis(store: Store, call: Call) -> Reply:
    """PATCH /v1/analysis/{analysisId}: metadata merged field by field; levels and drawings
    replaced whole; the merged analysis must pass every rule of a new one."""
    analysis = _visible_analysis(store, call)
    request: UpdateAnalysisRequest = _checked_body(store, call, UpdateAnalysisRequest)
    old_drawings = store.drawings(analysis)
    metadata = dict(analysis.metadata)
    sent_metadata = (
        request.metadata.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if request.metadata is not None
        else {}
    )
    for name, value in sent_metadata.items():
        if value is None:
            metadata.pop(name, None)
        else:
            metadata[name] = value
    levels = request.levels.to_wire() if request.levels is not None else analysis.levels
    drawings = (
        _with_server_ids(request.drawings, store.drawing_ids(analysis))
        if request.drawings is not None
        else old_drawings
    )
    merged = {"metadata": metadata, "levels": levels, "drawings": drawings}
    checked, errors, _ = validate(Analysis, merged)
    if checked is None:
        raise validation_failed(errors)
    metadata = checked.metadata.to_wire()
    updated_fields = [
        name for name in sent_metadata if metadata.get(name) != analysis.metadata.get(name)
    ]
    if levels != analysis.levels:
        updated_fields.append("levels")
    if request.drawings is not None and _without_ids(drawings) != _without_ids(old_drawings):
        updated_fields.append("drawings")
    if updated_fields:
        analysis.metadata = metadata
        analysis.levels = levels
        analysis.type = derive_analysis_type(metadata["direction"], metadata["entryPlacement"])
        analysis.expires_at = expires_at(parse_iso(analysis.created_at), metadata)
        analysis.updated_at = iso(now())
        if "drawings" in updated_fields:
            store.replace_drawings(analysis, drawings)
        store.save_analysis(analysis)
    result = {"analysisId": analysis.analysis_id, "updatedFields": updated_fields}
    _record(
        store,
        call,
        "update_analysis",
        analysis.analysis_id,
        {**result, "analysis": detail(analysis, store.drawings(analysis))},
    )
    return Reply(200, _success("Analysis updated successfully", result))


def delete_analysis(store: Store, call: Call) -> Reply:
    """DELETE /v1/analysis/{analysisId}."""
    analysis = _visible_analysis(store, call)
    store.delete_analysis(analysis)
    result = {"analysisId": analysis.analysis_id, "deleted": True}
    _record(
        store,
        call,
        "delete_analysis",
        analysis.analysis_id,
        {**result, "communityId": analysis.community_id, "channelId": analysis.channel_id},
    )
    return Reply(200, _success("Analysis deleted successfully", result))


SORTABLE = {"createdAt": "created_at", "updatedAt": "updated_at", "title": "title"}
"""Sort keys of the list (wire name to column)."""
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def list_analyses(store: Store, call: Call) -> Reply:
    """GET /v1/analysis/{communityId}/channels/{channelId}?page=&limit=&sort=."""
    community_id, channel_id = _object_id_parameter(call, "communityId", "channelId")
    _own_community(call, community_id)
    _channel(store, community_id, channel_id)
    errors = []
    page = _positive_integer(call.query, "page", 1, None, errors)
    limit = _positive_integer(call.query, "limit", DEFAULT_LIMIT, MAX_LIMIT, errors)
    sort = call.query.get("sort", "createdAt:desc")
    sort_field, _, direction = sort.partition(":")
    direction = direction or "asc"
    if sort_field not in SORTABLE or direction not in ("asc", "desc"):
        errors.append(
            ApiErrorItem(
                field="sort",
                message=f"{sort!r} is not <field>:asc|desc with field one of "
                f"{', '.join(SORTABLE)}",
            )
        )
    if errors:
        raise validation_failed(errors)
    column = SORTABLE[sort_field]
    if column == "title":
        column = "json_extract(metadata, '$.title')"
    order = "DESC" if direction == "desc" else "ASC"
    total, rows = store.list_analyses(
        channel_id, order_by=f"{column} {order}, seq {order}", page=page, limit=limit
    )
    summaries = [_summary(analysis) for analysis in rows]
    return Reply(
        200,
        dumps(
            {
                "meta": {
                    "status": "success",
                    "statusCode": 200,
                    "page": page,
                    "limit": limit,
                    "total": total,
                },
                "message": "Analyses fetched successfully",
                "data": summaries,
            }
        ),
    )


def append_drawings(store: Store, call: Call) -> Reply:
    """POST /v1/analysis/{analysisId}/drawings."""
    analysis = _visible_analysis(store, call)
    request: AppendDrawingsRequest = _checked_body(store, call, AppendDrawingsRequest)
    scope = f"append:{analysis.analysis_id}"
    replay = _replay(store, call, scope, request.idempotency_key)
    if replay is not None:
        return replay
    client_ids = [d.client_object_id for d in request.drawings if d.client_object_id is not None]
    taken = store.existing_client_ids(analysis, client_ids)
    taken.update(
        entry["clientObjectId"]
        for entry in analysis.levels.values()
        if entry.get("clientObjectId") in client_ids
    )
    if taken:
        raise ApiError(
            409,
            f"clientObjectId already used in analysis {analysis.analysis_id}: "
            f"{', '.join(sorted(taken))}",
            [
                ApiErrorItem(
                    field=f"drawings.{index}.clientObjectId",
                    message=f"{drawing.client_object_id!r} already exists in this analysis",
                )
                for index, drawing in enumerate(request.drawings)
                if drawing.client_object_id in taken
            ],
        )
    drawings = _with_server_ids(request.drawings)
    store.append_drawings(analysis, drawings)
    result = {
        "analysisId": analysis.analysis_id,
        "appended": [drawing["clientObjectId"] for drawing in drawings if "clientObjectId" in drawing],
        "drawingCount": analysis.drawing_count,
    }
    _record(store, call, "append_drawings", analysis.analysis_id, {**result, "drawings": drawings})
    reply = Reply(200, _success("Drawings appended successfully", result))
    return _remember(store, call, scope, request.idempotency_key, reply)


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        name="create",
        method="POST",
        path="/v1/analysis/{communityId}/channels/{channelId}",
        summary="Create an analysis in a channel (replays an idempotencyKey already used).",
        contract="confirmed",
        permission="createAnalysis",
        handler=create_analysis,
        success_status=201,
        request_model=CreateAnalysisRequest,
        response_model=CreateAnalysisResponse,
    ),
    Operation(
        name="list",
        method="GET",
        path="/v1/analysis/{communityId}/channels/{channelId}",
        summary="One page of a channel's analyses, newest first by default.",
        contract="assumed",
        permission="readAnalysis",
        handler=list_analyses,
        success_status=200,
        response_model=ListAnalysesResponse,
        query=(
            QueryParameter("page", {"type": "integer", "minimum": 1, "default": 1}, "Page, from 1."),
            QueryParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                "Page size.",
            ),
            QueryParameter(
                "sort",
                {
                    "type": "string",
                    "enum": [f"{name}:{order}" for name in SORTABLE for order in ("desc", "asc")],
                    "default": "createdAt:desc",
                },
                "<field>:asc|desc.",
            ),
        ),
    ),
    Operation(
        name="get",
        method="GET",
        path="/v1/analysis/{analysisId}",
        summary="One analysis with its drawings and resolved links.",
        contract="assumed",
        permission="readAnalysis",
        handler=get_analysis,
        success_status=200,
        response_model=GetAnalysisResponse,
    ),
    Operation(
        name="update",
        method="PATCH",
        path="/v1/analysis/{analysisId}",
        summary="Change metadata fields; levels and drawings, when sent, replace the stored ones.",
        contract="confirmed",
        permission="updateAnalysis",
        handler=update_analysis,
        success_status=200,
        request_model=UpdateAnalysisRequest,
        response_model=UpdateAnalysisResponse,
    ),
    Operation(
        name="delete",
        method="DELETE",
        path="/v1/analysis/{analysisId}",
        summary="Delete an analysis and its drawings.",
        contract="assumed",
        permission="deleteAnalysis",
        handler=delete_analysis,
        success_status=200,
        response_model=DeleteAnalysisResponse,
    ),
    Operation(
        name="append",
        method="POST",
        path="/v1/analysis/{analysisId}/drawings",
        summary="Add drawings after the existing ones (replays an idempotencyKey already used).",
        contract="assumed",
        permission="updateAnalysis",
        handler=append_drawings,
        success_status=200,
        request_model=AppendDrawingsRequest,
        response_model=AppendDrawingsResponse,
        error_statuses=(400, 401, 403, 404, 409),
    ),
)
"""Every Chart Analysis route the sandbox serves."""
