"""``client.analyses``: chart analyses, and minimal sync of a local analysis to the server."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ...models import (
    Analysis,
    AnalysisDetail,
    AnalysisMetadataPatch,
    AnalysisSummary,
    AppendDrawingsResult,
    DeleteAnalysisResult,
    Drawing,
    Levels,
    UpdateAnalysisResult,
)
from .._pagination import AsyncPage, AsyncPaginator, SyncPage, parse_items
from .._response import APIResponse, async_to_raw_response, to_raw_response
from .._sync import AnalysisSync, AsyncAnalysisSync, SyncResult
from ._analyses_calls import (
    append_drawings_call,
    create_call,
    delete_call,
    get_call,
    list_call,
    update_call,
)

if TYPE_CHECKING:
    from .._client import AsyncClient, Client

__all__ = ["Analyses", "AnalysesWithRawResponse", "AsyncAnalyses", "AsyncAnalysesWithRawResponse"]


class Analyses:
    """Chart analyses (``client.analyses``)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> AnalysesWithRawResponse:
        """The same methods, returning the raw :class:`APIResponse` (``.parse()`` reads it)."""
        return AnalysesWithRawResponse(self)

    def create(
        self,
        analysis: Analysis,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
        idempotency_key: str | None = None,
    ) -> AnalysisDetail:
        """Publish ``analysis`` to a channel.

        Args:
            analysis: The analysis to publish.
            community_id: The community (24-hex ObjectId).
            channel_id: The channel within it (24-hex ObjectId).
            sender: Email of the member who publishes it.
            idempotency_key: Makes a repeat of this call return the first result; one is generated
                when omitted and kept for every retry of this call.

        Returns:
            The analysis as stored, with its ``analysis_id``.
        """
        return self._client._execute(
            create_call(
                analysis,
                community_id=community_id,
                channel_id=channel_id,
                sender=sender,
                idempotency_key=idempotency_key,
            )
        )

    def get(self, analysis_id: str) -> AnalysisDetail:
        """The stored analysis with id ``analysis_id``."""
        return self._client._execute(get_call(analysis_id))

    def update(
        self,
        analysis_id: str,
        *,
        sender: str,
        metadata: AnalysisMetadataPatch | Mapping[str, Any] | None = None,
        levels: Levels | None = None,
        drawings: Sequence[Drawing] | None = None,
    ) -> UpdateAnalysisResult:
        """Change some parts of an analysis; parts left ``None`` stay as they are.

        Args:
            analysis_id: The analysis (24-hex ObjectId).
            sender: Email of the member making the change.
            metadata: Metadata fields to change; in a mapping, a ``None`` value clears the field.
            levels: The new levels.
            drawings: The new drawings: replaces the whole list.
        """
        return self._client._execute(
            update_call(
                analysis_id, sender=sender, metadata=metadata, levels=levels, drawings=drawings
            )
        )

    def delete(self, analysis_id: str) -> DeleteAnalysisResult:
        """Delete an analysis."""
        return self._client._execute(delete_call(analysis_id))

    def list(
        self,
        *,
        community_id: str,
        channel_id: str,
        page: int = 1,
        limit: int | None = None,
        sort: str | None = None,
    ) -> SyncPage[AnalysisSummary]:
        """The analyses of a channel, one page fetched now.

        Iterating the result walks every item of every later page, fetching each page only when
        reached; ``.items``, ``has_next_page()``, ``get_next_page()`` and ``iter_pages()`` work a
        page at a time.

        Args:
            community_id: The community (24-hex ObjectId).
            channel_id: The channel (24-hex ObjectId).
            page: First page to fetch, from 1.
            limit: Page size, 1 to 100 (server default 20).
            sort: ``field:asc`` or ``field:desc``, e.g. ``createdAt:desc``.
        """
        client = self._client

        def read_page(response: APIResponse[Any]) -> SyncPage[AnalysisSummary]:
            return SyncPage(client, *parse_items(AnalysisSummary, response), response)

        return client._execute(
            list_call(
                read_page,
                community_id=community_id,
                channel_id=channel_id,
                page=page,
                limit=limit,
                sort=sort,
            )
        )

    def append_drawings(
        self,
        analysis_id: str,
        drawings: Sequence[Drawing],
        *,
        sender: str,
        idempotency_key: str | None = None,
    ) -> AppendDrawingsResult:
        """Add drawings after the existing ones.

        Args:
            analysis_id: The analysis (24-hex ObjectId).
            drawings: The drawings to add; their ``client_object_id`` must be new to the analysis.
            sender: Email of the member making the change.
            idempotency_key: As for :meth:`create`.
        """
        return self._client._execute(
            append_drawings_call(
                analysis_id, drawings, sender=sender, idempotency_key=idempotency_key
            )
        )

    def sync_session(
        self,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
    ) -> AnalysisSync:
        """A new :class:`AnalysisSync` publishing one analysis to this channel."""
        return AnalysisSync(
            self._client, community_id=community_id, channel_id=channel_id, sender=sender
        )

    def sync(
        self,
        analysis: Analysis,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
    ) -> SyncResult:
        """Publish ``analysis``, or send only what changed since it was last synced here.

        The session behind it is remembered per analysis object for this client; hold an
        :class:`AnalysisSync` (:meth:`sync_session`) to see its status between calls.
        """
        session = self._client._sync_sessions.session(
            analysis,
            community_id,
            channel_id,
            sender,
            lambda: self.sync_session(
                community_id=community_id, channel_id=channel_id, sender=sender
            ),
        )
        return session._sync_with(self._client, analysis)


class AsyncAnalyses:
    """Chart analyses (``async_client.analyses``): :class:`Analyses`' twin."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> AsyncAnalysesWithRawResponse:
        """The same methods, returning the raw :class:`APIResponse` (``.parse()`` reads it)."""
        return AsyncAnalysesWithRawResponse(self)

    async def create(
        self,
        analysis: Analysis,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
        idempotency_key: str | None = None,
    ) -> AnalysisDetail:
        """Publish ``analysis`` to a channel (see :meth:`Analyses.create`)."""
        return await self._client._execute(
            create_call(
                analysis,
                community_id=community_id,
                channel_id=channel_id,
                sender=sender,
                idempotency_key=idempotency_key,
            )
        )

    async def get(self, analysis_id: str) -> AnalysisDetail:
        """The stored analysis with id ``analysis_id``."""
        return await self._client._execute(get_call(analysis_id))

    async def update(
        self,
        analysis_id: str,
        *,
        sender: str,
        metadata: AnalysisMetadataPatch | Mapping[str, Any] | None = None,
        levels: Levels | None = None,
        drawings: Sequence[Drawing] | None = None,
    ) -> UpdateAnalysisResult:
        """Change some parts of an analysis (see :meth:`Analyses.update`)."""
        return await self._client._execute(
            update_call(
                analysis_id, sender=sender, metadata=metadata, levels=levels, drawings=drawings
            )
        )

    async def delete(self, analysis_id: str) -> DeleteAnalysisResult:
        """Delete an analysis."""
        return await self._client._execute(delete_call(analysis_id))

    def list(
        self,
        *,
        community_id: str,
        channel_id: str,
        page: int = 1,
        limit: int | None = None,
        sort: str | None = None,
    ) -> AsyncPaginator[AnalysisSummary]:
        """The analyses of a channel (see :meth:`Analyses.list`).

        ``async for`` over the result walks every item of every page, lazily; ``await`` it for
        the first :class:`AsyncPage`.
        """
        client = self._client

        def read_page(response: APIResponse[Any]) -> AsyncPage[AnalysisSummary]:
            return AsyncPage(client, *parse_items(AnalysisSummary, response), response)

        return AsyncPaginator(
            client,
            list_call(
                read_page,
                community_id=community_id,
                channel_id=channel_id,
                page=page,
                limit=limit,
                sort=sort,
            ),
        )

    async def append_drawings(
        self,
        analysis_id: str,
        drawings: Sequence[Drawing],
        *,
        sender: str,
        idempotency_key: str | None = None,
    ) -> AppendDrawingsResult:
        """Add drawings after the existing ones (see :meth:`Analyses.append_drawings`)."""
        return await self._client._execute(
            append_drawings_call(
                analysis_id, drawings, sender=sender, idempotency_key=idempotency_key
            )
        )

    def sync_session(
        self,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
    ) -> AsyncAnalysisSync:
        """A new :class:`AsyncAnalysisSync` publishing one analysis to this channel."""
        return AsyncAnalysisSync(
            self._client, community_id=community_id, channel_id=channel_id, sender=sender
        )

    async def sync(
        self,
        analysis: Analysis,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
    ) -> SyncResult:
        """Publish ``analysis``, or send only what changed (see :meth:`Analyses.sync`)."""
        session = self._client._sync_sessions.session(
            analysis,
            community_id,
            channel_id,
            sender,
            lambda: self.sync_session(
                community_id=community_id, channel_id=channel_id, sender=sender
            ),
        )
        return await session._sync_with(self._client, analysis)


class AnalysesWithRawResponse:
    """``client.analyses.with_raw_response``: each method returns an :class:`APIResponse`."""

    def __init__(self, analyses: Analyses) -> None:
        self.create = to_raw_response(analyses.create)
        self.get = to_raw_response(analyses.get)
        self.update = to_raw_response(analyses.update)
        self.delete = to_raw_response(analyses.delete)
        self.list = to_raw_response(analyses.list)
        self.append_drawings = to_raw_response(analyses.append_drawings)


class AsyncAnalysesWithRawResponse:
    """``async_client.analyses.with_raw_response``: each method returns an :class:`APIResponse`."""

    def __init__(self, analyses: AsyncAnalyses) -> None:
        self.create = async_to_raw_response(analyses.create)
        self.get = async_to_raw_response(analyses.get)
        self.update = async_to_raw_response(analyses.update)
        self.delete = async_to_raw_response(analyses.delete)
        self.list = async_to_raw_response(analyses.list)
        self.append_drawings = async_to_raw_response(analyses.append_drawings)
