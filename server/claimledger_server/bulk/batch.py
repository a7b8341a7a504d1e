"""How an import writes its lines: one at a time as the REST API does (`Direct`, used by the
pass that reports every failing line), or `Batched`, the first pass, which does per chunk of
lines what `upsert` does per line:
- `ext:` references and the lines' own external_ids are looked up with one query per table
  (`= ANY`), kept in a cache that also holds what this import created;
- new resources are queued; a flush locks (FOR SHARE) and checks every resource they
  reference with one query per table, takes one timestamp per row in one query, and writes
  rows, history and events with one statement per run of lines of one kind
  (`writes.write_created`: the rows a REST create writes);
- a line naming a stored resource flushes the queue and runs the per-line update.
`Batched` refuses to judge a failure: anything that fails raises `Retry`, and the import
runs again line by line, which writes the same thing or reports the errors."""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any, TypeVar

import asyncpg

from claimledger_server.ids import new_id
from claimledger_server.versioning import store
from claimledger_server.versioning.kinds import Ref, ResourceKind, find_references
from claimledger_server.versioning.upsert import (
    EXTERNAL,
    find_external,
    stored_and_fields,
    upsert,
    write_upsert,
)
from claimledger_server.versioning.writes import Author, Version, version_of, write_created

CHUNK = 500
"""Lines looked up together, and creates written together."""


T = TypeVar("T")


def chunks(items: Iterable[T]) -> Iterator[list[T]]:
    """`items` in lists of `CHUNK`."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Retry(Exception):
    """The batch cannot apply the file as it is; apply it line by line instead."""


class Direct:
    """Line by line, as the REST API writes."""

    def __init__(self, conn: asyncpg.Connection, author: Author) -> None:
        self.conn = conn
        self.author = author

    async def find(self, table: str, external_id: str) -> Any:
        return await find_external(self.conn, table, external_id)

    async def upsert(self, kind: ResourceKind, external_id: str, data: dict[str, Any]) -> str:
        outcome, _ = await upsert(self.conn, kind, external_id, data, self.author)
        return outcome

    async def prefetch(self, lines: Iterable[tuple[ResourceKind, str, Any]]) -> None:
        """Look up ahead what these lines (kind, external_id, data) will ask for."""

    async def flush(self) -> None:
        """Write whatever is queued."""


class Batched(Direct):
    def __init__(self, conn: asyncpg.Connection, author: Author) -> None:
        super().__init__(conn, author)
        self.found: dict[tuple[str, str], dict[str, Any] | None] = {}
        """(table, name) → what `find_external` returns now, in this transaction."""
        self.queued: list[tuple[ResourceKind, str, Any, list[Ref]]] = []
        self.queued_ids: set[str] = set()

    async def find(self, table: str, external_id: str) -> Any:
        key = (table, external_id)
        if key not in self.found:
            row = await find_external(self.conn, table, external_id)
            self.found[key] = dict(row) if row is not None else None
        return self.found[key]

    async def prefetch(self, lines: Iterable[tuple[ResourceKind, str, Any]]) -> None:
        names: dict[str, set[str]] = {}
        for kind, external_id, data in lines:
            names.setdefault(kind.table, set()).add(external_id)
            if isinstance(data, dict):
                for ref in find_references(data, kind.references):
                    if ref.id.startswith(EXTERNAL):
                        names.setdefault(ref.table, set()).add(ref.id.removeprefix(EXTERNAL))
        for table, wanted in names.items():
            todo = sorted(n for n in wanted if (table, n) not in self.found and "\x00" not in n)
            if not todo:
                continue
            rows = await self.conn.fetch(
                f"SELECT id, version, deleted, external_id FROM {table}"
                " WHERE external_id = ANY($1::text[])"
                " OR (id = ANY($1::text[]) AND external_id IS NULL)",
                todo,
            )
            by_id = {r["id"]: dict(r) for r in rows if r["external_id"] is None}
            by_external_id = {
                r["external_id"]: dict(r) for r in rows if r["external_id"] is not None
            }
            for name in todo:  # as find_external: the external_id first, else the id
                self.found[(table, name)] = by_external_id.get(name) or by_id.get(name)

    async def upsert(self, kind: ResourceKind, external_id: str, data: dict[str, Any]) -> str:
        row, fields = await stored_and_fields(self.conn, kind, external_id, data, self.find)
        if row is not None:
            await self.flush()
            outcome, doc = await write_upsert(
                self.conn, kind, external_id, row, fields, self.author
            )
            row["version"] = doc.version
            return outcome
        values = store.to_fields(kind, fields)
        if kind.reads_stored:
            await self.flush()
        refs = await store.checked_refs(self.conn, kind, values, None)
        resource_id = new_id(kind.prefix)
        self.queued.append((kind, resource_id, values, refs))
        self.queued_ids.add(resource_id)
        self.found[(kind.table, external_id)] = {
            "id": resource_id,
            "version": 1,
            "deleted": False,
            "external_id": external_id,
        }
        if len(self.queued) >= CHUNK:
            await self.flush()
        return "created"

    async def flush(self) -> None:
        if not self.queued:
            return
        await self._check_references()
        times = await self._timestamps(len(self.queued))
        runs: list[tuple[ResourceKind, list[Version]]] = []
        for (kind, resource_id, values, refs), now in zip(self.queued, times, strict=True):
            document = store._document(kind, resource_id, 1, now, now, values)
            if not runs or runs[-1][0] is not kind:
                runs.append((kind, []))
            runs[-1][1].append(version_of(document, refs, "created"))
        try:
            for kind, versions in runs:  # in line order, so events keep the file's order
                await write_created(self.conn, kind, versions, self.author)
        except asyncpg.UniqueViolationError:
            raise Retry from None
        self.queued.clear()
        self.queued_ids.clear()

    async def _check_references(self) -> None:
        """As `store._check_references` for every queued resource at once; a resource queued
        here is not stored yet but is written before anything that references it."""
        by_table: dict[str, set[str]] = {}
        for _, _, _, refs in self.queued:
            for ref in refs:
                if ref.id not in self.queued_ids:
                    by_table.setdefault(ref.table, set()).add(ref.id)
        for table, ids in by_table.items():
            rows = await self.conn.fetch(
                f"SELECT id, deleted FROM {table} WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE",
                sorted(ids),
            )
            if len(rows) != len(ids) or any(row["deleted"] for row in rows):
                raise Retry

    async def _timestamps(self, count: int) -> list[datetime]:
        """`count` times as `clock_timestamp()` gives them, made strictly increasing as
        writes one after another would record them."""
        times: list[datetime] = await self.conn.fetchval(
            "SELECT array_agg(clock_timestamp()) FROM generate_series(1, $1)", count
        )
        step = timedelta(microseconds=1)
        for i in range(1, len(times)):
            times[i] = max(times[i], times[i - 1] + step)
        return times
