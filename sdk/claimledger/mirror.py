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
import sqlite3
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, Generic, Literal, NamedTuple, Protocol, Self, TypeAlias, TypeVar, overload

import msgspec

from claimledger._generated.models import Actor, Claim, Figure, Source
from claimledger._generated.operations import events as event_ops
from claimledger._operation import AsyncRequester, Operation, SyncRequester
from claimledger.pagination import AsyncPager, SyncPager

Kind: TypeAlias = Literal["actor", "source", "claim", "figure"]
"""A kind of mirrored resource, as the events name it (`Event.resource`)."""
KINDS: tuple[Kind, ...] = ("actor", "source", "claim", "figure")
"""The kinds a mirror keeps; events about anything else are passed over."""
_TYPES = ",".join(f"{kind}.*" for kind in KINDS)
DEFAULT_PAGE_SIZE = 200
"""Events fetched per request (the API's maximum)."""

M = TypeVar("M", bound=msgspec.Struct)


class Record(NamedTuple):
    """One mirrored resource: the latest version the store has seen of it."""

    kind: str
    """`actor`, `source`, `claim` or `figure`."""
    id: str
    """The resource id."""
    version: int
    """The version this record holds."""
    deleted: bool
    """Whether that version is a tombstone."""
    json: str
    """The resource (or its tombstone) as JSON, exactly as the feed carried it."""


class Store(Protocol):
    """Where a mirror keeps its copy; `MemoryStore` and `SQLiteStore` implement it.

    A store of your own (another database, say) needs these methods. `apply` must write the
    records and the new `seq` together or not at all, and keep a record only when its
    version is newer than the one stored.
    """

    def last_seq(self) -> int:
        """Return the `seq` of the last event applied (0 for an empty store)."""
        ...

    def apply(self, records: Sequence[Record], last_seq: int) -> int:
        """Write `records` (newer versions only) and `last_seq`, atomically.

        Returns how many records were written, i.e. were newer than what the store held.
        `last_seq` never moves backwards.
        """
        ...

    def get(self, kind: str, resource_id: str) -> Record | None:
        """Return the record of one resource, tombstones included, or `None`."""
        ...

    def records(self, kind: str, *, include_deleted: bool = False) -> Iterator[Record]:
        """Iterate over the records of one kind, ordered by id."""
        ...

    def count(self, kind: str, *, include_deleted: bool = False) -> int:
        """Return how many records of one kind there are."""
        ...

    def close(self) -> None:
        """Release what the store holds open."""
        ...


class MemoryStore:
    """A store in dicts: `{kind: {id: Record}}` and the last `seq`; lost with the process."""

    def __init__(self) -> None:
        self._records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        self._last_seq = 0

    def last_seq(self) -> int:
        """Return the `seq` of the last event applied (0 for an empty store)."""
        return self._last_seq

    def apply(self, records: Sequence[Record], last_seq: int) -> int:
        """Keep every record newer than the one held, and remember `last_seq`."""
        applied = 0
        for record in records:
            table = self._records.setdefault(record.kind, {})
            held = table.get(record.id)
            if held is None or record.version > held.version:
                table[record.id] = record
                applied += 1
        self._last_seq = max(self._last_seq, last_seq)
        return applied

    def get(self, kind: str, resource_id: str) -> Record | None:
        """Return the record of one resource, tombstones included, or `None`."""
        return self._records.get(kind, {}).get(resource_id)

    def records(self, kind: str, *, include_deleted: bool = False) -> Iterator[Record]:
        """Iterate over the records of one kind, ordered by id."""
        table = self._records.get(kind, {})
        for resource_id in sorted(table):
            record = table[resource_id]
            if include_deleted or not record.deleted:
                yield record

    def count(self, kind: str, *, include_deleted: bool = False) -> int:
        """Return how many records of one kind there are."""
        table = self._records.get(kind, {})
        if include_deleted:
            return len(table)
        return sum(not record.deleted for record in table.values())

    def close(self) -> None:
        """Do nothing: there is nothing to release."""


_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_UPSERT = """
INSERT INTO resources (kind, id, version, deleted, json) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (kind, id) DO UPDATE
   SET version = excluded.version, deleted = excluded.deleted, json = excluded.json
 WHERE excluded.version > resources.version
"""


class SQLiteStore:
    """A store in one SQLite file; reopen the same path to resume where the last run stopped.

    Args:
        path: The database file (created if missing), or `":memory:"`.
        timeout: Seconds to wait for another process that holds the file's write lock.

    The file is in WAL mode, so other processes can read it while a mirror writes. Each
    `apply` is one transaction holding the records and the new `seq`: after a crash the file
    holds whole pages only, and the next `sync()` starts after the last of them.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        # Autocommit mode: transactions are opened and closed explicitly below.
        self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL: a commit survives the process being killed; a power cut may lose
            # the last commits, but never half of one (records and seq stay together).
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('last_seq', 0)")
            self._db.execute("COMMIT")
            schema = self._meta("schema")
            if schema != _SCHEMA_VERSION:
                raise ValueError(
                    f"{self.path}: a mirror file of format {schema}; this SDK reads format"
                    f" {_SCHEMA_VERSION}"
                )
        except BaseException:
            self._db.close()
            raise

    def _meta(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def last_seq(self) -> int:
        """Return the `seq` of the last event applied (0 for a new file)."""
        return self._meta("last_seq")

    def apply(self, records: Sequence[Record], last_seq: int) -> int:
        """Write the newer records and `last_seq` in one transaction; return how many."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            before = db.total_changes
            db.executemany(
                _UPSERT, [(r.kind, r.id, r.version, int(r.deleted), r.json) for r in records]
            )
            applied = db.total_changes - before
            db.execute("UPDATE meta SET value = max(value, ?) WHERE key = 'last_seq'", (last_seq,))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return applied

    def get(self, kind: str, resource_id: str) -> Record | None:
        """Return the record of one resource, tombstones included, or `None`."""
        row = self._db.execute(
            "SELECT kind, id, version, deleted, json FROM resources WHERE kind = ? AND id = ?",
            (kind, resource_id),
        ).fetchone()
        return None if row is None else _record(row)

    def records(self, kind: str, *, include_deleted: bool = False) -> Iterator[Record]:
        """Iterate over the records of one kind, ordered by id."""
        where = "" if include_deleted else " AND NOT deleted"
        rows = self._db.execute(
            f"SELECT kind, id, version, deleted, json FROM resources WHERE kind = ?{where}"  # noqa: S608
            " ORDER BY id",
            (kind,),
        )
        for row in rows:
            yield _record(row)

    def count(self, kind: str, *, include_deleted: bool = False) -> int:
        """Return how many records of one kind there are."""
        where = "" if include_deleted else " AND NOT deleted"
        row = self._db.execute(
            f"SELECT count(*) FROM resources WHERE kind = ?{where}",  # noqa: S608
            (kind,),
        ).fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _record(row: tuple[Any, ...]) -> Record:
    kind, resource_id, version, deleted, document = row
    return Record(kind, resource_id, int(version), bool(deleted), document)


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
