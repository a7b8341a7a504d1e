"""Cursor pagination: every `list()` returns a pager that fetches pages as you iterate.

    for claim in client.claims.list(status="disputed"):        # every item, page by page
        ...
    for page in client.claims.list(limit=200).pages():         # or page by page
        print(len(page.data), page.next_cursor)

    async for claim in async_client.claims.list():             # the same, with asyncio
        ...

Nothing is fetched until you iterate, and each iteration starts again from the first page
(or from the `cursor=` you passed). `limit` is the page size (1-200), not a total: stop
iterating, or use `itertools.islice`, to take fewer items.

`to_pandas()` and `to_polars()` fetch every page into one DataFrame (`claimledger.frames`
says how its columns are named and typed):

    frame = client.claims.list(topic="casualties").to_pandas()
    frame = await async_client.figures.list(metric="killed").to_polars()
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from claimledger._operation import AsyncRequester, Operation, SyncRequester
from claimledger.frames import Collector, item_model, require

if TYPE_CHECKING:
    import pandas
    import polars

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class ListBody(Protocol[T_co]):
    """The shape of every list answer: `{"data": [...], "next_cursor": "…" | null}`."""

    @property
    def data(self) -> Sequence[T_co]:
        """The items of this page."""
        ...

    @property
    def next_cursor(self) -> str | None:
        """The cursor of the next page, `None` on the last one."""
        ...


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items and the cursor of the next page."""

    data: list[T]
    next_cursor: str | None

    @property
    def has_next_page(self) -> bool:
        """Whether another page follows."""
        return self.next_cursor is not None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class SyncPager(Generic[T]):
    """The items of a list, fetched a page at a time as you iterate (`for item in pager`)."""

    def __init__(self, client: SyncRequester, operation: Operation[ListBody[T]]) -> None:
        self._client = client
        self._operation = operation

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.data

    def pages(self) -> Iterator[Page[T]]:
        """Iterate page by page, following `next_cursor` until the last page."""
        operation = self._operation
        while True:
            page = _page(self._client.request(operation))
            yield page
            cursor = _next(operation, page)
            if cursor is None:
                return
            operation = operation.with_query(cursor=cursor)

    def first_page(self) -> Page[T]:
        """Fetch only the first page."""
        return _page(self._client.request(self._operation))

    def to_pandas(self) -> pandas.DataFrame:
        """Fetch every page and return the items as a pandas DataFrame.

        Needs `claimledger-sdk[pandas]`; see `claimledger.frames` for the columns.
        """
        require("pandas")
        return self._collect().to_pandas()

    def to_polars(self) -> polars.DataFrame:
        """Fetch every page and return the items as a polars DataFrame.

        Needs `claimledger-sdk[polars]`; see `claimledger.frames` for the columns.
        """
        require("polars")
        return self._collect().to_polars()

    def _collect(self) -> Collector:
        collector = Collector(item_model(self._operation.response))
        for page in self.pages():
            collector.add(page.data)
        return collector


class AsyncPager(Generic[T]):
    """The items of a list, fetched a page at a time as you iterate (`async for item in …`)."""

    def __init__(self, client: AsyncRequester, operation: Operation[ListBody[T]]) -> None:
        self._client = client
        self._operation = operation

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.data:
                yield item

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Iterate page by page, following `next_cursor` until the last page."""
        operation = self._operation
        while True:
            page = _page(await self._client.request(operation))
            yield page
            cursor = _next(operation, page)
            if cursor is None:
                return
            operation = operation.with_query(cursor=cursor)

    async def first_page(self) -> Page[T]:
        """Fetch only the first page."""
        return _page(await self._client.request(self._operation))

    async def to_pandas(self) -> pandas.DataFrame:
        """Fetch every page and return the items as a pandas DataFrame (`await` it).

        Needs `claimledger-sdk[pandas]`; see `claimledger.frames` for the columns.
        """
        require("pandas")
        return (await self._collect()).to_pandas()

    async def to_polars(self) -> polars.DataFrame:
        """Fetch every page and return the items as a polars DataFrame (`await` it).

        Needs `claimledger-sdk[polars]`; see `claimledger.frames` for the columns.
        """
        require("polars")
        return (await self._collect()).to_polars()

    async def _collect(self) -> Collector:
        collector = Collector(item_model(self._operation.response))
        async for page in self.pages():
            collector.add(page.data)
        return collector


def _page(body: ListBody[T]) -> Page[T]:
    return Page(list(body.data), body.next_cursor)


def _next(operation: Operation[object], page: Page[T]) -> str | None:
    """Return the cursor to follow: `None` at the end (or if the server repeats a cursor)."""
    if page.next_cursor is None or page.next_cursor == operation.query.get("cursor"):
        return None
    return page.next_cursor


__all__ = ["AsyncPager", "ListBody", "Page", "SyncPager"]
