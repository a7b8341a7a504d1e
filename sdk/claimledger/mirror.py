"""Keep a local copy of the dataset in sync from the changes feed: `Mirror` and `AsyncMirror`.

    import claimledger
    from claimledger.mirror import Mirror

    with claimledger.Client() as client, Mirror(client, "claimledger.db") as mirror:
        mirror.sync()                        # every change since the last run
        for claim in mirror.claims:          # typed models, read locally
            print(claim.id, claim.text)

A mirror reads `GET /v1/events?after=<last seq>` page by page and applies each event to a
store: `*.created` and `*.updated` events carry the resource as of that version, `*.deleted`
events its tombstone. Only actors, sources, claims and figures are mirrored; other events in
the feed (`webhook_endpoint.disabled`…) are passed over.

Two stores come with it:

- `MemoryStore`: dicts in memory, for a script or a test; gone with the process.
- `SQLiteStore`: one SQLite file (standard library `sqlite3`) with a table
  `resources(kind, id, version, deleted, json)` and a table `meta` holding the last `seq`
  applied. Each page of events and the new `seq` are written in one transaction, so a crash
  (even `kill -9`) never skips an event nor applies one twice: reopen the file and `sync()`
  resumes after the last committed page. The `json` column is the resource exactly as the
  API answers it, so the file can be queried with SQL too
  (`SELECT json_extract(json, '$.text') FROM resources WHERE kind = 'claim'`).

Every store keeps a resource only if the event's `version` is newer than the one it holds, so
replaying events (another process syncing the same file, a feed read again) changes nothing.
Deleted resources stay in the store as tombstones, so an older event replayed later cannot
bring them back; reads leave them out unless asked for `include_deleted=True`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, Generic, Literal, Self, TypeVar, overload

import msgspec

from claimledger._generated.models import Actor, Claim, Figure, Source
from claimledger._generated.operations import events as event_ops
from claimledger._mirror_stores import (
    KINDS,
    Kind,
    MemoryStore,
    Record,
    SQLiteStore,
    Store,
)
from claimledger._operation import AsyncRequester, Operation, SyncRequester
from claimledger.pagination import AsyncPager, SyncPager

_TYPES = ",".join(f"{kind}.*" for kind in KINDS)
DEFAULT_PAGE_SIZE = 200
"""Events fetched per request (the API's maximum)."""

M = TypeVar("M", bound=msgspec.Struct)


class _FeedEvent(msgspec.Struct):
    """An event as the mirror reads it: `data` kept as the raw JSON it arrived as."""

    seq: int
    type: str
    resource: str
    resource_id: str
    version: int
    data: msgspec.Raw


class _FeedPage(msgspec.Struct):
    data: list[_FeedEvent]
    next_cursor: str | None


def _open(store: Store | str | os.PathLike[str] | None) -> Store:
    if store is None:
        return MemoryStore()
    if isinstance(store, str | os.PathLike):
        return SQLiteStore(store)
    return store


class MirrorView(Generic[M]):
    """The mirrored resources of one kind (`mirror.claims`…), decoded into typed models.

    `for claim in mirror.claims` iterates over the live ones ordered by id, `len()` counts
    them, `claim_id in mirror.claims` tests one, and `get` reads one.
    """

    def __init__(self, store: Store, kind: Kind, model: type[M]) -> None:
        self._store = store
        self.kind: Kind = kind
        """The kind, as the events name it (`claim`)."""
        self.model = model
        """The model its resources decode into (`Claim`)."""

    def get(self, resource_id: str, *, include_deleted: bool = False) -> M | None:
        """Return the resource as last mirrored, or `None` if unknown or deleted.

        With `include_deleted=True`, a deleted resource is returned as its tombstone
        (`deleted` is `True`).
        """
        record = self._store.get(self.kind, resource_id)
        if record is None or (record.deleted and not include_deleted):
            return None
        return msgspec.json.decode(record.json, type=self.model)

    def all(self, *, include_deleted: bool = False) -> Iterator[M]:
        """Iterate over the resources ordered by id (tombstones too if `include_deleted`)."""
        for record in self._store.records(self.kind, include_deleted=include_deleted):
            yield msgspec.json.decode(record.json, type=self.model)

    def count(self, *, include_deleted: bool = False) -> int:
        """Return how many resources there are (tombstones too if `include_deleted`)."""
        return self._store.count(self.kind, include_deleted=include_deleted)

    def __iter__(self) -> Iterator[M]:
        return self.all()

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, resource_id: object) -> bool:
        if not isinstance(resource_id, str):
            return False
        record = self._store.get(self.kind, resource_id)
        return record is not None and not record.deleted


class _MirrorBase:
    """What `Mirror` and `AsyncMirror` share: the store, the reads and applying a page."""

    store: Store
    """Where the copy is kept."""
    actors: MirrorView[Actor]
    """The mirrored actors."""
    sources: MirrorView[Source]
    """The mirrored sources."""
    claims: MirrorView[Claim]
    """The mirrored claims."""
    figures: MirrorView[Figure]
    """The mirrored figures."""

    def __init__(self, store: Store | str | os.PathLike[str] | None, page_size: int) -> None:
        if not 1 <= page_size <= DEFAULT_PAGE_SIZE:
            raise ValueError(f"page_size must be 1 to {DEFAULT_PAGE_SIZE}")
        self.page_size = page_size
        self.store = _open(store)
        self.actors = MirrorView(self.store, "actor", Actor)
        self.sources = MirrorView(self.store, "source", Source)
        self.claims = MirrorView(self.store, "claim", Claim)
        self.figures = MirrorView(self.store, "figure", Figure)
        self._views: dict[str, MirrorView[Any]] = {
            view.kind: view for view in (self.actors, self.sources, self.claims, self.figures)
        }

    @property
    def last_seq(self) -> int:
        """The `seq` of the last event applied; the next `sync()` reads the feed after it."""
        return self.store.last_seq()

    @overload
    def get(
        self, kind: Literal["actor"], resource_id: str, *, include_deleted: bool = False
    ) -> Actor | None: ...
    @overload
    def get(
        self, kind: Literal["source"], resource_id: str, *, include_deleted: bool = False
    ) -> Source | None: ...
    @overload
    def get(
        self, kind: Literal["claim"], resource_id: str, *, include_deleted: bool = False
    ) -> Claim | None: ...
    @overload
    def get(
        self, kind: Literal["figure"], resource_id: str, *, include_deleted: bool = False
    ) -> Figure | None: ...
    def get(
        self, kind: Kind, resource_id: str, *, include_deleted: bool = False
    ) -> Actor | Source | Claim | Figure | None:
        """Return one mirrored resource, or `None` if unknown (or deleted).

        `mirror.get("claim", claim_id)` is `mirror.claims.get(claim_id)`.
        """
        found: Actor | Source | Claim | Figure | None = self._view(kind).get(
            resource_id, include_deleted=include_deleted
        )
        return found

    def count(self, kind: Kind, *, include_deleted: bool = False) -> int:
        """Return how many resources of a kind are mirrored (`len(mirror.claims)`)."""
        return self._view(kind).count(include_deleted=include_deleted)

    def _view(self, kind: str) -> MirrorView[Any]:
        try:
            return self._views[kind]
        except KeyError:
            raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}") from None

    def _feed(self) -> Operation[_FeedPage]:
        # Only the mirrored kinds' events: drafts (`extraction.*`) carry whole article texts.
        listing = event_ops.list_events(after=self.last_seq, limit=self.page_size, types=_TYPES)
        return Operation[_FeedPage](
            method=listing.method,
            path=listing.path,
            response=_FeedPage,
            operation_id=listing.operation_id,
            query=listing.query,
        )

    def _apply(self, events: Sequence[_FeedEvent]) -> int:
        if not events:
            return 0
        records = [
            Record(
                event.resource,
                event.resource_id,
                event.version,
                event.type.endswith(".deleted"),
                bytes(event.data).decode(),
            )
            for event in events
            if event.resource in self._views
        ]
        return self.store.apply(records, events[-1].seq)

    def close(self) -> None:
        """Close the store (the client stays open: it is yours)."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Mirror(_MirrorBase):
    """A local copy of the dataset, kept in sync from the changes feed by `sync()`.

    Args:
        client: The `Client` to read `/v1/events` with (any key with the `read` scope).
        store: Where to keep the copy: a `Store`, or a path for a `SQLiteStore`; by default
            a `MemoryStore`.
        page_size: Events per request, 1 to 200.

    Read the copy through `mirror.actors`, `.sources`, `.claims` and `.figures` (typed
    models; deleted resources left out) or `mirror.get(kind, id)`. `close()` (or `with`)
    closes the store.

    """

    def __init__(
        self,
        client: SyncRequester,
        store: Store | str | os.PathLike[str] | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        super().__init__(store, page_size)
        self._client = client

    def sync(self) -> int:
        """Apply every event the feed has after `last_seq`; return how many changed the copy.

        Pages are applied (and `last_seq` advanced) one at a time, so if this raises — the
        server is unreachable, the process is killed — the pages already applied are kept and
        the next `sync()` continues after them. Events that were already applied, or are not
        about actors, sources, claims or figures, are not counted.
        """
        applied = 0
        for page in SyncPager(self._client, self._feed()).pages():
            applied += self._apply(page.data)
        return applied


class AsyncMirror(_MirrorBase):
    """`Mirror` for an `AsyncClient`: the same, with `await mirror.sync()`.

    The store is written from the event loop; its writes are short local transactions.
    Use it with `async with` or `with`, or call `close()`.
    """

    def __init__(
        self,
        client: AsyncRequester,
        store: Store | str | os.PathLike[str] | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        super().__init__(store, page_size)
        self._client = client

    async def sync(self) -> int:
        """Apply every event the feed has after `last_seq`; see `Mirror.sync`."""
        applied = 0
        async for page in AsyncPager(self._client, self._feed()).pages():
            applied += self._apply(page.data)
        return applied

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


__all__ = [
    "KINDS",
    "AsyncMirror",
    "Kind",
    "MemoryStore",
    "Mirror",
    "MirrorView",
    "Record",
    "SQLiteStore",
    "Store",
]
