"""Admin routes under ``/_sandbox``: request log, faults, events, webhook, and reference data.

They need no key: the sandbox serves loopback by default, and these routes exist only here,
never on the real API. One table drives routing and the OpenAPI description.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator

from rai_charts.models import WireModel

from ._faults import Fault, FaultSpec
from ._store import OBJECT_ID
from ._validation import ApiError

if TYPE_CHECKING:
    from ._app import SandboxState

Permission = Literal["createAnalysis", "readAnalysis", "updateAnalysis", "deleteAnalysis"]


class Cleared(WireModel):
    """What a clearing route removed."""

    cleared: int
    """How many entries were removed."""


class RequestRecord(WireModel):
    """One ``/v1`` request, as the request log shows it."""

    method: str
    """HTTP method."""
    path: str
    """Request path (no query)."""
    route: str | None = None
    """``create``, ``get``, ``update``, ``delete``, ``list``, ``append``; null if unmatched."""
    status: int | None = None
    """Status sent (null while in flight)."""
    duration_ms: float | None = None
    """Time spent in the server, milliseconds."""
    at: str
    """Arrival time, ISO-8601 UTC."""
    dropped: bool | None = None
    """True when a dropAfterCommit fault cut the response."""


class Delivery(WireModel):
    """How the webhook POST of an event went."""

    url: str
    """Where it was sent."""
    status: int | None = None
    """The webhook's HTTP status."""
    error: str | None = None
    """Why it failed to arrive."""


class EventRecord(WireModel):
    """One outgoing event."""

    event_id: int
    """Its sequence number."""
    event: Literal["create_analysis", "update_analysis", "append_drawings", "delete_analysis"]
    """What happened."""
    analysis_id: str
    """The analysis concerned."""
    at: str
    """When, ISO-8601 UTC."""
    payload: dict[str, Any]
    """What the webhook receives as ``payload``."""
    delivery: Delivery | None = None
    """The webhook delivery, once attempted."""


class WebhookSetting(WireModel):
    """Where events are POSTed."""

    url: str | None = None
    """An http(s) URL, or null to stop delivery."""

    @field_validator("url")
    @classmethod
    def _check_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
        return url


def _object_id(value: str) -> str:
    if not OBJECT_ID.match(value):
        raise ValueError(f"{value!r} is not a 24-hex ObjectId")
    return value.lower()


ObjectIdText = Annotated[str, AfterValidator(_object_id)]
"""A 24-hex ObjectId, lower-cased."""


class NewCommunity(WireModel):
    """Body of ``POST /_sandbox/communities``."""

    name: str = Field(min_length=1)
    """Its display name."""


class CommunityCreated(WireModel):
    """A new community and its first channel."""

    community_id: str
    """The community's id."""
    channel_id: str
    """Its channel ``general``."""


class NewChannel(WireModel):
    """Body of ``POST /_sandbox/channels``."""

    community_id: ObjectIdText
    """The community it belongs to."""
    name: str = Field(min_length=1)
    """Its display name."""


class ChannelCreated(WireModel):
    """A new channel."""

    channel_id: str
    """The channel's id."""
    community_id: str
    """Its community."""


class NewMember(WireModel):
    """Body of ``POST /_sandbox/members``."""

    community_id: ObjectIdText
    """The community joined."""
    email: str = Field(min_length=3, pattern=r"^[^@\s]+@[^@\s]+$")
    """The member's email (the ``sender`` of requests)."""


class Member(WireModel):
    """A community member."""

    community_id: str
    """The community."""
    email: str
    """The member's email."""
    user_id: str
    """The member's user id."""


class NewKey(WireModel):
    """Body of ``POST /_sandbox/keys``."""

    community_id: ObjectIdText
    """The community the key acts for."""
    permissions: list[Permission]
    """What it may do."""


class KeyCreated(WireModel):
    """A new API key."""

    api_key: str
    """The key, for ``Authorization: Bearer``."""
    community_id: str
    """The community it acts for."""
    permissions: list[Permission]
    """What it may do."""


AdminHandler = Callable[["SandboxState", Any], Awaitable[Any]]


@dataclass(frozen=True)
class AdminRoute:
    """One admin route."""

    method: str
    """HTTP method."""
    path: str
    """Path."""
    summary: str
    """One line on what it does."""
    handler: AdminHandler
    """Takes the server state and the validated body (or ``None``); returns the ``data``."""
    response_model: Any
    """Model (or type) of ``data``."""
    request_model: type[WireModel] | None = None
    """Body it takes, if any."""
    error_statuses: tuple[int, ...] = ()
    """Refusals it may answer besides 400 for a malformed body."""


async def _requests(state: SandboxState, _: None) -> list[dict[str, Any]]:
    return list(state.request_log)


async def _clear_requests(state: SandboxState, _: None) -> dict[str, int]:
    cleared = len(state.request_log)
    state.request_log.clear()
    return {"cleared": cleared}


async def _faults(state: SandboxState, _: None) -> list[dict[str, Any]]:
    return state.faults.listing()


async def _add_fault(state: SandboxState, spec: FaultSpec) -> dict[str, Any]:
    return state.faults.add(spec).to_wire()


async def _clear_faults(state: SandboxState, _: None) -> dict[str, int]:
    cleared = len(state.faults.faults)
    state.faults.clear()
    return {"cleared": cleared}


async def _events(state: SandboxState, _: None) -> list[dict[str, Any]]:
    with state.store.transaction(write=False):
        return state.store.events()


async def _clear_events(state: SandboxState, _: None) -> dict[str, int]:
    with state.store.transaction():
        cleared = len(state.store.events())
        state.store.clear_events()
    return {"cleared": cleared}


async def _webhook(state: SandboxState, _: None) -> dict[str, Any]:
    return {"url": state.webhook.url}


async def _set_webhook(state: SandboxState, setting: WebhookSetting) -> dict[str, Any]:
    state.webhook.set_url(setting.url)
    return {"url": state.webhook.url}


async def _new_community(state: SandboxState, body: NewCommunity) -> dict[str, Any]:
    with state.store.transaction():
        community_id, channel_id = state.store.create_community(body.name)
    return {"communityId": community_id, "channelId": channel_id}


def _require_community(state: SandboxState, community_id: str) -> None:
    if not state.store.community_exists(community_id):
        raise ApiError(404, f"community {community_id} not found")


async def _new_channel(state: SandboxState, body: NewChannel) -> dict[str, Any]:
    with state.store.transaction():
        _require_community(state, body.community_id)
        channel_id = state.store.create_channel(body.community_id, body.name)
    return {"channelId": channel_id, "communityId": body.community_id}


async def _new_member(state: SandboxState, body: NewMember) -> dict[str, Any]:
    with state.store.transaction():
        _require_community(state, body.community_id)
        user_id = state.store.add_member(body.community_id, body.email)
    return {"communityId": body.community_id, "email": body.email, "userId": user_id}


async def _new_key(state: SandboxState, body: NewKey) -> dict[str, Any]:
    with state.store.transaction():
        _require_community(state, body.community_id)
        key = state.store.create_key(body.community_id, body.permissions)
    return {
        "apiKey": key,
        "communityId": body.community_id,
        "permissions": sorted(set(body.permissions)),
    }


ADMIN_ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute(
        "GET",
        "/_sandbox/requests",
        "Every /v1 request, in arrival order.",
        _requests,
        list[RequestRecord],
    ),
    AdminRoute("DELETE", "/_sandbox/requests", "Clear the request log.", _clear_requests, Cleared),
    AdminRoute("GET", "/_sandbox/faults", "The active faults.", _faults, list[Fault]),
    AdminRoute("POST", "/_sandbox/faults", "Add a fault.", _add_fault, Fault, FaultSpec),
    AdminRoute("DELETE", "/_sandbox/faults", "Remove every fault.", _clear_faults, Cleared),
    AdminRoute(
        "GET", "/_sandbox/events", "Every outgoing event, oldest first.", _events, list[EventRecord]
    ),
    AdminRoute("DELETE", "/_sandbox/events", "Forget every event.", _clear_events, Cleared),
    AdminRoute("GET", "/_sandbox/webhook", "Where events are POSTed.", _webhook, WebhookSetting),
    AdminRoute(
        "POST",
        "/_sandbox/webhook",
        "Set (or clear, with null) the webhook URL.",
        _set_webhook,
        WebhookSetting,
        WebhookSetting,
    ),
    AdminRoute(
        "POST",
        "/_sandbox/communities",
        "A new community with a channel `general`.",
        _new_community,
        CommunityCreated,
        NewCommunity,
    ),
    AdminRoute(
        "POST",
        "/_sandbox/channels",
        "A new channel of a community.",
        _new_channel,
        ChannelCreated,
        NewChannel,
        (404,),
    ),
    AdminRoute(
        "POST",
        "/_sandbox/members",
        "Make an email a member of a community.",
        _new_member,
        Member,
        NewMember,
        (404,),
    ),
    AdminRoute(
        "POST",
        "/_sandbox/keys",
        "A new API key with chosen permissions.",
        _new_key,
        KeyCreated,
        NewKey,
        (404,),
    ),
)
"""Every admin route."""
