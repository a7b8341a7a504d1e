"""Where a mirror keeps its copy: the `Store` protocol, `MemoryStore` and `SQLiteStore`.

Import them from `claimledger.mirror`; they live here so that the mirror itself stays about
reading the feed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, Literal, NamedTuple, Protocol, TypeAlias

Kind: TypeAlias = Literal["actor", "source", "claim", "figure"]
"""A kind of mirrored resource, as the events name it (`Event.resource`)."""
KINDS: tuple[Kind, ...] = ("actor", "source", "claim", "figure")
"""The kinds a mirror keeps; events about anything else are passed over."""


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
