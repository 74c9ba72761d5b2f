"""Pages of list calls: iterate every item across pages lazily, or walk one page at a time.

A page is read from either envelope style: ``meta: {page, limit, total}`` (style B, the contract's
list envelope) or ``pagination: {currentPage, totalPages, hasNextPage, total}`` (style A).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from ._response import APIResponse, envelope_data

if TYPE_CHECKING:
    from ._base import Call
    from ._client import AsyncClient, Client

__all__ = ["AsyncPage", "AsyncPaginator", "PageInfo", "SyncPage"]

ItemT = TypeVar("ItemT", bound=BaseModel)
PageT = TypeVar("PageT")


@dataclass(frozen=True)
class PageInfo:
    """Where a page sits in the whole list."""

    page: int
    """This page's number, from 1."""
    limit: int | None
    """Page size asked for, when the server says."""
    total: int | None
    """Items across all pages, when the server says."""
    has_next: bool
    """Whether the server reports (or implies) a page after this one."""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_page_info(document: Any, *, requested_page: int, item_count: int) -> PageInfo:
    """Page position from a list response in either envelope style."""
    block: Mapping[str, Any] = {}
    if isinstance(document, Mapping):
        for key in ("meta", "pagination"):
            if isinstance(document.get(key), Mapping):
                block = document[key]
                break
    page = _int(block.get("page")) or _int(block.get("currentPage")) or requested_page
    limit = _int(block.get("limit"))
    total = _int(block.get("total"))
    total_pages = _int(block.get("totalPages")) or _int(block.get("total_pages"))
    if isinstance(block.get("hasNextPage"), bool):
        has_next = block["hasNextPage"]
    elif total_pages is not None:
        has_next = page < total_pages
    elif total is not None and limit:
        has_next = page * limit < total
    else:
        # No position at all: a full page may have a successor, a short one cannot.
        has_next = limit is not None and item_count >= limit
    return PageInfo(page=page, limit=limit, total=total, has_next=has_next and item_count > 0)


class BasePage(Generic[ItemT]):
    """One page of a list: its items and where it sits."""

    items: list[ItemT]
    """This page's items."""
    info: PageInfo
    """Page number, size, total, and whether another page follows."""
    response: APIResponse[Any]
    """The raw response this page was read from."""

    def __init__(self, items: list[ItemT], info: PageInfo, response: APIResponse[Any]) -> None:
        self.items = items
        self.info = info
        self.response = response

    def has_next_page(self) -> bool:
        """Whether another page follows this one."""
        return self.info.has_next

    def _next_call(self) -> Call[Any]:
        if not self.has_next_page():
            raise RuntimeError(
                f"page {self.info.page} is the last page; check has_next_page() first"
            )
        call = self.response.call
        return dataclasses.replace(call, query={**(call.query or {}), "page": self.info.page + 1})

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} page={self.info.page} items={len(self.items)} "
            f"total={self.info.total} has_next={self.info.has_next}>"
        )


def parse_items(
    item_model: type[ItemT], response: APIResponse[Any]
) -> tuple[list[ItemT], PageInfo]:
    """The items and position of one list response."""
    document = response.json()
    data = envelope_data(document)
    if not isinstance(data, list):
        raise ValueError(f"expected a list of items in 'data', got {type(data).__name__}")
    items = [item_model.model_validate(item) for item in data]
    requested = int((response.call.query or {}).get("page", 1))
    return items, read_page_info(document, requested_page=requested, item_count=len(items))


class SyncPage(BasePage[ItemT]):
    """A page of a list; iterating it walks its items and then every later page, lazily."""

    def __init__(
        self, client: Client, items: list[ItemT], info: PageInfo, response: APIResponse[Any]
    ) -> None:
        super().__init__(items, info, response)
        self._client = client

    def get_next_page(self) -> SyncPage[ItemT]:
        """Fetch the page after this one (``RuntimeError`` on the last page)."""
        page: SyncPage[ItemT] = self._client._execute(self._next_call())
        return page

    def iter_pages(self) -> Iterator[SyncPage[ItemT]]:
        """This page, then each later page, fetched only when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(BasePage[ItemT]):
    """Async twin of :class:`SyncPage`: ``async for`` walks every later page lazily."""

    def __init__(
        self, client: AsyncClient, items: list[ItemT], info: PageInfo, response: APIResponse[Any]
    ) -> None:
        super().__init__(items, info, response)
        self._client = client

    async def get_next_page(self) -> AsyncPage[ItemT]:
        """Fetch the page after this one (``RuntimeError`` on the last page)."""
        page: AsyncPage[ItemT] = await self._client._execute(self._next_call())
        return page

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT]]:
        """This page, then each later page, fetched only when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[ItemT]):
    """What an async ``list`` returns: ``await`` it for the first page, or ``async for`` over
    every item of every page (each page fetched only when reached)."""

    def __init__(self, client: AsyncClient, call: Call[AsyncPage[ItemT]]) -> None:
        self._client = client
        self._call = call

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT]]:
        return self._client._execute(self._call).__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        first: AsyncPage[ItemT] = await self
        async for item in first:
            yield item
