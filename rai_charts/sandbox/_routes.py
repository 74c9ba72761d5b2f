"""The six Chart Analysis operations: one route table, one plain function per operation.

The table drives both the ASGI routing (``_app``) and ``/openapi.json`` (``_openapi``), so the
two cannot disagree. Handlers are synchronous and run inside one store transaction; they raise
:class:`ApiError` to refuse a request, which rolls everything back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rai_charts.models import (
    LINK_TOKEN,
    Analysis,
    ApiErrorItem,
    AppendDrawingsRequest,
    AppendDrawingsResponse,
    CreateAnalysisRequest,
    CreateAnalysisResponse,
    DeleteAnalysisResponse,
    Drawing,
    GetAnalysisResponse,
    ListAnalysesResponse,
    UnknownDrawing,
    UpdateAnalysisRequest,
    UpdateAnalysisResponse,
    WireModel,
    derive_analysis_type,
)

from ._store import (
    OBJECT_ID,
    ApiKey,
    Store,
    StoredAnalysis,
    StoredDrawing,
    dumps,
    expires_at,
    iso,
    now,
    object_id,
    parse_iso,
)
from ._validation import ApiError, validate, validation_failed

TEXT_FIELDS = ("preferenceText", "alternativeText", "comments")
"""Metadata fields (wire names) that may hold ``[[id:label]]`` link tokens."""


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


def _own_channel(store: Store, call: Call) -> tuple[str, str]:
    """The path's community and channel ids; 403 for another community, 404 for a channel
    not in it."""
    community_id, channel_id = _object_id_parameter(call, "communityId", "channelId")
    if community_id != call.key.community_id:
        raise ApiError(403, f"this API key does not act for community {community_id}")
    if store.channel_community(channel_id) != community_id:
        raise ApiError(404, f"channel {channel_id} not found in community {community_id}")
    return community_id, channel_id


def _visible_analysis(store: Store, call: Call) -> StoredAnalysis:
    """The path's analysis; 404 when it does not exist or belongs to another community."""
    (analysis_id,) = _object_id_parameter(call, "analysisId")
    analysis = store.analysis(analysis_id)
    if analysis is None or analysis.community_id != call.key.community_id:
        raise ApiError(404, f"analysis {analysis_id} not found")
    return analysis


def _checked_body(store: Store, call: Call, model: type[Any]) -> Any:
    """The validated request model; a 400 listing every offending field, sender included."""
    request, errors, raw = validate(model, call.body)
    if request is not None:
        sender = request.sender
    else:
        sender = raw.get("sender") if isinstance(raw, dict) else None
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
    drawings: list[Drawing], existing: Mapping[str, str] | None = None
) -> list[StoredDrawing]:
    """Drawings as stored, each with a server id: kept for a client id already stored (so links
    stay put), new otherwise. An id sent by the client is ignored."""
    stored = []
    for drawing in drawings:
        client_id = drawing.client_object_id
        server_id = (existing or {}).get(client_id or "") or object_id()
        if isinstance(drawing, UnknownDrawing):
            wire = {name: value for name, value in drawing.to_wire().items() if name != "id"}
            body = dumps({"id": server_id, **wire})
        else:
            # Serialised by pydantic in one call: the hot path of create and append.
            rest = drawing.model_dump_json(by_alias=True, exclude_none=True, exclude={"id"})
            body = f'{{"id":"{server_id}",{rest[1:]}'
        stored.append(StoredDrawing(server_id, client_id, body))
    return stored


def resolved_links(
    metadata: Mapping[str, Any], drawings: list[StoredDrawing], levels: Mapping[str, Any]
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
        if drawing.client_object_id is not None:
            targets[drawing.client_object_id] = drawing.id
        targets[drawing.id] = drawing.id
    links = []
    for field_name in TEXT_FIELDS:
        text = metadata.get(field_name)
        if not isinstance(text, str) or "[[" not in text:
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


def _json_array(texts: list[str]) -> str:
    return "[" + ",".join(texts) + "]"


def detail_json(analysis: StoredAnalysis, drawings: list[StoredDrawing]) -> str:
    """The AnalysisDetail wire JSON (stored drawing texts spliced in, not re-encoded)."""
    head = dumps(
        {
            "analysisId": analysis.analysis_id,
            "communityId": analysis.community_id,
            "channelId": analysis.channel_id,
            "sender": analysis.sender,
            "type": analysis.type,
            "metadata": analysis.metadata,
            "levels": analysis.levels,
        }
    )
    tail: dict[str, Any] = {"createdAt": analysis.created_at, "updatedAt": analysis.updated_at}
    if analysis.expires_at is not None:
        tail["expiresAt"] = analysis.expires_at
    tail["links"] = resolved_links(analysis.metadata, drawings, analysis.levels)
    drawings_json = _json_array([drawing.body for drawing in drawings])
    return f'{head[:-1]},"drawings":{drawings_json},{dumps(tail)[1:]}'


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


def _success(message: str, data_json: str) -> str:
    """The success envelope around ``data`` given as JSON text."""
    return f'{{"status":"success","message":{dumps(message)},"data":{data_json}}}'


def _record(store: Store, call: Call, event: str, analysis_id: str, payload_json: str) -> None:
    call.events.append(store.record_event(event, analysis_id, payload_json))


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
    community_id, channel_id = _own_channel(store, call)
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
    stored = detail_json(analysis, drawings)
    _record(store, call, "create_analysis", analysis.analysis_id, stored)
    reply = Reply(201, _success("Analysis created successfully", stored))
    return _remember(store, call, "create", request.idempotency_key, reply)


def get_analysis(store: Store, call: Call) -> Reply:
    """GET /v1/analysis/{analysisId}."""
    analysis = _visible_analysis(store, call)
    stored = detail_json(analysis, store.drawings(analysis))
    return Reply(200, _success("Analysis fetched successfully", stored))


def _without_ids(drawings: list[StoredDrawing]) -> list[dict[str, Any]]:
    wire = [json.loads(drawing.body) for drawing in drawings]
    return [{name: value for name, value in item.items() if name != "id"} for item in wire]


def update_analysis(store: Store, call: Call) -> Reply:
    """PATCH /v1/analysis/{analysisId}.

    Metadata is merged field by field (an explicit null removes an optional field); levels and
    drawings, when sent, replace the stored ones. The merged analysis must pass every rule a new
    one passes (required fields, level ordering, unique ids, link tokens).
    """
    analysis = _visible_analysis(store, call)
    request: UpdateAnalysisRequest = _checked_body(store, call, UpdateAnalysisRequest)
    old_drawings = store.drawings(analysis)
    sent_metadata = (
        request.metadata.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if request.metadata is not None
        else {}
    )
    metadata = {**analysis.metadata, **sent_metadata}
    metadata = {name: value for name, value in metadata.items() if value is not None}
    levels = request.levels.to_wire() if request.levels is not None else analysis.levels
    drawings = old_drawings
    if request.drawings is not None:
        kept_ids = {d.client_object_id: d.id for d in old_drawings if d.client_object_id}
        drawings = _with_server_ids(request.drawings, kept_ids)
    merged = {
        "metadata": metadata,
        "levels": levels,
        "drawings": [json.loads(drawing.body) for drawing in drawings],
    }
    checked, errors, _ = validate(Analysis, merged)
    if checked is None:
        raise validation_failed(errors)
    metadata = checked.metadata.to_wire()
    updated_fields = [
        name for name in sent_metadata if metadata.get(name) != analysis.metadata.get(name)
    ]
    if levels != analysis.levels:
        updated_fields.append("levels")
    drawings_changed = request.drawings is not None and _without_ids(drawings) != _without_ids(
        old_drawings
    )
    if drawings_changed:
        updated_fields.append("drawings")
    if updated_fields:
        analysis.metadata = metadata
        analysis.levels = levels
        analysis.type = derive_analysis_type(metadata["direction"], metadata["entryPlacement"])
        analysis.expires_at = expires_at(parse_iso(analysis.created_at), metadata)
        analysis.updated_at = iso(now())
        if drawings_changed:
            store.replace_drawings(analysis, drawings)
        else:
            drawings = old_drawings
        store.save_analysis(analysis)
    else:
        drawings = old_drawings
    result = dumps({"analysisId": analysis.analysis_id, "updatedFields": updated_fields})
    payload = f'{result[:-1]},"analysis":{detail_json(analysis, drawings)}}}'
    _record(store, call, "update_analysis", analysis.analysis_id, payload)
    return Reply(200, _success("Analysis updated successfully", result))


def delete_analysis(store: Store, call: Call) -> Reply:
    """DELETE /v1/analysis/{analysisId}."""
    analysis = _visible_analysis(store, call)
    store.delete_analysis(analysis)
    result = {"analysisId": analysis.analysis_id, "deleted": True}
    payload = {**result, "communityId": analysis.community_id, "channelId": analysis.channel_id}
    _record(store, call, "delete_analysis", analysis.analysis_id, dumps(payload))
    return Reply(200, _success("Analysis deleted successfully", dumps(result)))


SORTABLE = {"createdAt": "created_at", "updatedAt": "updated_at", "title": "title"}
"""Sort keys of the list (wire name to column)."""
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def list_analyses(store: Store, call: Call) -> Reply:
    """GET /v1/analysis/{communityId}/channels/{channelId}?page=&limit=&sort=."""
    _, channel_id = _own_channel(store, call)
    errors: list[ApiErrorItem] = []
    page = _positive_integer(call.query, "page", 1, None, errors)
    limit = _positive_integer(call.query, "limit", DEFAULT_LIMIT, MAX_LIMIT, errors)
    sort = call.query.get("sort", "createdAt:desc")
    sort_field, _, direction = sort.partition(":")
    direction = direction or "asc"
    if sort_field not in SORTABLE or direction not in ("asc", "desc"):
        errors.append(
            ApiErrorItem(
                field="sort",
                message=f"{sort!r} is not <field>:asc|desc with field one of {', '.join(SORTABLE)}",
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
    drawings = _with_server_ids(request.drawings)
    level_ids = {entry.get("clientObjectId") for entry in analysis.levels.values()}
    try:
        if level_ids.intersection(client_ids):
            raise sqlite3.IntegrityError("a level uses the id")
        # The unique index refuses a taken id; looking them up only then keeps appends cheap.
        store.append_drawings(analysis, drawings)
    except sqlite3.IntegrityError:
        taken = store.taken_client_ids(analysis, client_ids)
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
        ) from None
    result = dumps(
        {
            "analysisId": analysis.analysis_id,
            "appended": client_ids,
            "drawingCount": analysis.drawing_count,
        }
    )
    drawings_json = _json_array([drawing.body for drawing in drawings])
    _record(
        store,
        call,
        "append_drawings",
        analysis.analysis_id,
        f'{result[:-1]},"drawings":{drawings_json}}}',
    )
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
            QueryParameter(
                "page", {"type": "integer", "minimum": 1, "default": 1}, "Page, from 1."
            ),
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
