"""Minimal sync: bring the server's copy of an analysis up to a local one in the fewest requests.

A session remembers what the server last acknowledged and sends only the difference:

=====================================================  =======================================
local change since the last acknowledged state         requests
=====================================================  =======================================
never published                                        1 create
only new drawings (appended at the end)                1 append carrying all of them
a drawing changed, removed or reordered                1 PATCH with the full drawing list
metadata or levels changed                             1 PATCH with only the changed fields
drawings and metadata/levels both changed              1 PATCH carrying both
nothing                                                0
=====================================================  =======================================

Safety under failure: a create or append is remembered, with its idempotency key and exact body,
*before* it is sent. When it fails without a clear refusal (connection dropped, timeout, 408, 429,
5xx) the server may or may not have committed it, so the next sync first resends that same
request: the server either applies it now or replays its first answer, never both. A clear 4xx
refusal means nothing was stored, so the remembered request is dropped. PATCH bodies replace what
they name, so sending one again is harmless.

The flow of one sync is a generator of calls (:meth:`SyncState.flow`); :class:`AnalysisSync` and
:class:`AsyncAnalysisSync` only drive it, so both follow the same rules.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import anyio
from typing_extensions import Self

from .._exceptions import APIError, APIStatusError
from ..models import Analysis, AnalysisDetail, Drawing, Levels, UpdateAnalysisResult
from ._base import Call, is_retryable
from ._response import APIResponse
from ._routes import check_object_id
from .resources._analyses_calls import (
    append_drawings_call,
    create_call,
    new_idempotency_key,
    update_call,
)

if TYPE_CHECKING:
    from ._client import AsyncClient, Client

__all__ = [
    "AnalysisSync",
    "AsyncAnalysisSync",
    "SessionRegistry",
    "SyncPlan",
    "SyncResult",
    "plan_sync",
]

SyncOperation = Literal["create", "append", "update"]
"""One kind of request a sync sends."""
SyncStatus = Literal["draft", "pending", "synced", "error"]
"""``draft``: never published; ``pending``: a sync is running; ``synced``: the server holds the
last analysis synced; ``error``: the last sync failed (see ``last_error``), the next one resumes."""


@dataclass(frozen=True)
class SyncPlan:
    """What one sync would send, computed without any request."""

    create: bool = False
    """Publish the whole analysis."""
    append: tuple[Drawing, ...] = ()
    """Drawings to append, in order."""
    metadata: dict[str, Any] | None = None
    """Metadata fields that changed (snake_case names); ``None`` values clear a field."""
    levels: Levels | None = None
    """The new levels, when they changed."""
    drawings: tuple[Drawing, ...] | None = None
    """The full new drawing list, when a drawing changed or went away."""

    @property
    def updates(self) -> bool:
        """Whether a PATCH is needed."""
        return self.metadata is not None or self.levels is not None or self.drawings is not None

    @property
    def operations(self) -> tuple[SyncOperation, ...]:
        """The requests, in the order they would go."""
        kinds: list[SyncOperation] = []
        if self.create:
            kinds.append("create")
        if self.append:
            kinds.append("append")
        if self.updates:
            kinds.append("update")
        return tuple(kinds)

    @property
    def is_empty(self) -> bool:
        """Nothing to send."""
        return not self.operations


@dataclass(frozen=True)
class SyncResult:
    """What one sync did."""

    analysis_id: str
    """The server's id of the analysis."""
    operations: tuple[SyncOperation, ...]
    """The operations sent, in order (a resent unfinished one first); empty when nothing changed."""
    request_count: int
    """HTTP requests sent, retries included."""
    updated_fields: tuple[str, ...] = ()
    """Fields the server reported as changed by a PATCH."""

    @property
    def changed(self) -> bool:
        """Whether anything was sent."""
        return bool(self.operations)


def _drawing_wire(drawing: Drawing) -> dict[str, Any]:
    wire = drawing.model_dump(mode="json", by_alias=True, exclude_none=True)
    # The server's id is assigned on its side; a drawing is the same drawing without it.
    wire.pop("id", None)
    return wire


def _changed_metadata(before: Analysis, after: Analysis) -> dict[str, Any] | None:
    old = before.metadata.model_dump(mode="json", exclude_none=True)
    new = after.metadata.model_dump(mode="json", exclude_none=True)
    changed = {
        name: new.get(name) for name in old.keys() | new.keys() if old.get(name) != new.get(name)
    }
    return dict(sorted(changed.items())) or None


def plan_sync(acknowledged: Analysis | None, local: Analysis) -> SyncPlan:
    """The fewest requests that turn the server's ``acknowledged`` copy into ``local``."""
    if acknowledged is None:
        return SyncPlan(create=True)
    metadata = _changed_metadata(acknowledged, local)
    levels = local.levels if acknowledged.levels.to_wire() != local.levels.to_wire() else None
    old = [_drawing_wire(drawing) for drawing in acknowledged.drawings]
    new = [_drawing_wire(drawing) for drawing in local.drawings]
    append: tuple[Drawing, ...] = ()
    drawings: tuple[Drawing, ...] | None = None
    if new[: len(old)] == old and len(new) > len(old):
        append = tuple(local.drawings[len(old) :])
    elif new != old:
        drawings = tuple(local.drawings)
    if append and (metadata is not None or levels is not None):
        # One PATCH with the full list beats an append plus a PATCH.
        append, drawings = (), tuple(local.drawings)
    return SyncPlan(metadata=metadata, levels=levels, append=append, drawings=drawings)


@dataclass
class _Unfinished:
    """A create or append that was sent (or is about to be) and not yet acknowledged."""

    kind: Literal["create", "append"]
    call: Call[Any]
    after: Analysis
    """The server's copy once it is applied."""


SyncFlow = Generator[Call[Any], APIResponse[Any], SyncResult]


@dataclass
class SyncState:
    """The state of one session and the flow of one sync; no I/O of its own."""

    community_id: str
    channel_id: str
    sender: str
    analysis_id: str | None = None
    acknowledged: Analysis | None = None
    status: SyncStatus = "draft"
    last_error: BaseException | None = None
    unfinished: _Unfinished | None = field(default=None, repr=False)

    def flow(self, analysis: Analysis) -> SyncFlow:
        if not isinstance(analysis, Analysis):
            raise TypeError(f"analysis must be an Analysis, got {type(analysis).__name__}")
        local = analysis.model_copy(deep=True)
        operations: list[SyncOperation] = []
        updated_fields: list[str] = []
        requests = 0
        self.status = "pending"
        try:
            if self.unfinished is not None:
                requests += yield from self._finish(operations)
            plan = plan_sync(self.acknowledged, local)
            if plan.create:
                self.unfinished = _Unfinished(
                    "create",
                    create_call(
                        local,
                        community_id=self.community_id,
                        channel_id=self.channel_id,
                        sender=self.sender,
                        idempotency_key=new_idempotency_key(),
                    ),
                    local,
                )
            elif plan.append:
                assert self.analysis_id is not None
                self.unfinished = _Unfinished(
                    "append",
                    append_drawings_call(
                        self.analysis_id,
                        plan.append,
                        sender=self.sender,
                        idempotency_key=new_idempotency_key(),
                    ),
                    local,
                )
            if self.unfinished is not None:
                requests += yield from self._finish(operations)
            if plan.updates:
                assert self.analysis_id is not None
                response = yield update_call(
                    self.analysis_id,
                    sender=self.sender,
                    metadata=plan.metadata,
                    levels=plan.levels,
                    drawings=plan.drawings,
                )
                requests += response.retries_taken + 1
                result = response.parse()
                if isinstance(result, UpdateAnalysisResult):
                    updated_fields.extend(result.updated_fields)
                self.acknowledged = local
                operations.append("update")
        except APIError as error:
            if isinstance(error, APIStatusError) and not is_retryable(error):
                # A clear refusal: nothing was stored, so nothing must be resent. Anything else
                # (no answer, a 5xx, an unreadable 2xx) may have been stored: keep it to resend.
                self.unfinished = None
            self.status, self.last_error = "error", error
            raise
        except BaseException as error:
            self.status, self.last_error = "error", error
            raise
        self.status, self.last_error = "synced", None
        assert self.analysis_id is not None
        return SyncResult(
            analysis_id=self.analysis_id,
            operations=tuple(operations),
            request_count=requests,
            updated_fields=tuple(updated_fields),
        )

    def _finish(
        self, operations: list[SyncOperation]
    ) -> Generator[Call[Any], APIResponse[Any], int]:
        """Send the unfinished create or append; the HTTP requests it took."""
        assert self.unfinished is not None
        response = yield self.unfinished.call
        result = response.parse()
        if isinstance(result, AnalysisDetail):
            self.analysis_id = result.analysis_id
        self.acknowledged = self.unfinished.after
        operations.append(self.unfinished.kind)
        self.unfinished = None
        return response.retries_taken + 1


ClientT = TypeVar("ClientT")


class _SessionBase(Generic[ClientT]):
    _state: SyncState

    def __init__(
        self,
        client: ClientT,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
        analysis_id: str | None = None,
        acknowledged: Analysis | None = None,
    ) -> None:
        check_object_id("community_id", community_id)
        check_object_id("channel_id", channel_id)
        if not isinstance(sender, str) or not sender:
            raise ValueError(f"sender must be a member's email, got {sender!r}")
        if (analysis_id is None) != (acknowledged is None):
            raise ValueError(
                "analysis_id and acknowledged go together: pass both (an analysis already on "
                "the server, as last seen) or neither (a new one)"
            )
        if analysis_id is not None:
            check_object_id("analysis_id", analysis_id)
        if acknowledged is not None and not isinstance(acknowledged, Analysis):
            raise TypeError(f"acknowledged must be an Analysis, got {type(acknowledged).__name__}")
        self._client = client
        self._lock = self._new_lock()
        self._state = SyncState(
            community_id=community_id,
            channel_id=channel_id,
            sender=sender,
            analysis_id=analysis_id,
            acknowledged=acknowledged.model_copy(deep=True) if acknowledged is not None else None,
            status="draft" if analysis_id is None else "synced",
        )

    def _new_lock(self) -> Any:
        """The lock one sync at a time holds."""
        raise NotImplementedError

    @classmethod
    def from_detail(
        cls, client: ClientT, detail: AnalysisDetail, *, sender: str | None = None
    ) -> Self:
        """A session for an analysis already on the server, as ``detail`` shows it."""
        return cls(
            client,
            community_id=detail.community_id,
            channel_id=detail.channel_id,
            sender=sender or detail.sender,
            analysis_id=detail.analysis_id,
            acknowledged=detail.to_analysis(),
        )

    @property
    def status(self) -> SyncStatus:
        """``draft``, ``pending`` (a sync is running), ``synced`` or ``error``."""
        return self._state.status

    @property
    def analysis_id(self) -> str | None:
        """The server's id, once published."""
        return self._state.analysis_id

    @property
    def community_id(self) -> str:
        """The community published to."""
        return self._state.community_id

    @property
    def channel_id(self) -> str:
        """The channel published to."""
        return self._state.channel_id

    @property
    def sender(self) -> str:
        """The member every request is sent as."""
        return self._state.sender

    @property
    def last_error(self) -> BaseException | None:
        """Why the last sync failed, while ``status`` is ``error``."""
        return self._state.last_error

    @property
    def acknowledged(self) -> Analysis | None:
        """A copy of the analysis as the server last acknowledged it."""
        copy = self._state.acknowledged
        return copy.model_copy(deep=True) if copy is not None else None

    def plan(self, analysis: Analysis) -> SyncPlan:
        """What :meth:`sync` would send for ``analysis`` now (no request)."""
        unfinished = self._state.unfinished
        if unfinished is not None:
            return plan_sync(unfinished.after, analysis)
        return plan_sync(self._state.acknowledged, analysis)

    def has_changes(self, analysis: Analysis) -> bool:
        """Whether ``analysis`` differs from what the server holds (or might hold)."""
        return self._state.unfinished is not None or not self.plan(analysis).is_empty

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} status={self.status!r} analysis_id={self.analysis_id!r} "
            f"channel_id={self.channel_id!r}>"
        )


class AnalysisSync(_SessionBase["Client"]):
    """Keeps one local analysis published, sending only what changed since the last sync.

    Create one per analysis being edited (``client.analyses.sync_session(...)``), then call
    :meth:`sync` after each edit; it is safe to call again after a failure. Use
    :meth:`from_detail` to continue editing an analysis that is already on the server.
    """

    _lock: threading.Lock

    def _new_lock(self) -> threading.Lock:
        # Editor callbacks may fire from another thread while a sync runs.
        return threading.Lock()

    def sync(self, analysis: Analysis) -> SyncResult:
        """Send what changed in ``analysis`` since the last sync; see the module docstring."""
        return self._sync_with(self._client, analysis)

    def _sync_with(self, client: Client, analysis: Analysis) -> SyncResult:
        with self._lock:
            flow = self._state.flow(analysis)
            try:
                call = next(flow)
                while True:
                    try:
                        response = client._execute_raw(call)
                    except BaseException as error:
                        call = flow.throw(error)
                    else:
                        call = flow.send(response)
            except StopIteration as done:
                result: SyncResult = done.value
                return result


class AsyncAnalysisSync(_SessionBase["AsyncClient"]):
    """Async twin of :class:`AnalysisSync`."""

    _lock: anyio.Lock

    def _new_lock(self) -> anyio.Lock:
        return anyio.Lock()

    async def sync(self, analysis: Analysis) -> SyncResult:
        """Send what changed in ``analysis`` since the last sync; see the module docstring."""
        return await self._sync_with(self._client, analysis)

    async def _sync_with(self, client: AsyncClient, analysis: Analysis) -> SyncResult:
        async with self._lock:
            flow = self._state.flow(analysis)
            try:
                call = next(flow)
                while True:
                    try:
                        response = await client._execute_raw(call)
                    except BaseException as error:
                        call = flow.throw(error)
                    else:
                        call = flow.send(response)
            except StopIteration as done:
                result: SyncResult = done.value
                return result


SessionT = TypeVar("SessionT", AnalysisSync, AsyncAnalysisSync)


class SessionRegistry(Generic[SessionT]):
    """One sync session per (analysis object, community, channel), for ``analyses.sync``.

    Keyed by object identity, because the same analysis keeps changing; an entry goes when its
    analysis is garbage-collected. Copies made by ``with_options`` share their client's registry,
    so a changed option never makes an analysis look unpublished.
    """

    def __init__(self) -> None:
        self._sessions: dict[tuple[int, str, str], SessionT] = {}

    def session(
        self,
        analysis: Analysis,
        community_id: str,
        channel_id: str,
        sender: str,
        make: Callable[[], SessionT],
    ) -> SessionT:
        if not isinstance(analysis, Analysis):
            raise TypeError(f"analysis must be an Analysis, got {type(analysis).__name__}")
        key = (id(analysis), community_id, channel_id)
        session = self._sessions.get(key)
        if session is None:
            session = self._sessions[key] = make()
            weakref.finalize(analysis, self._sessions.pop, key, None)
        elif session.sender != sender:
            raise ValueError(
                f"this analysis is synced as {session.sender!r}; sync it as the same sender, "
                f"or use a separate sync_session(...) for {sender!r}"
            )
        return session
