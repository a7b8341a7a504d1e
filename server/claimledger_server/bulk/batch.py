"""How an import writes its lines: one at a time as the REST API does (`Direct`, used by the
pass that reports every failing line), or `Batched`, the first pass, which does per chunk of
lines what `upsert` does per line:
- `ext:` references and the lines' own external_ids are looked up with one query per table
  (`= ANY`), kept in a cache that also holds what this import created;
- new resources are queued; a flush writes them with `store.create_batch`, the create of
  the REST API too (references checked and locked with one query per table, one timestamp
  per row in one query, rows, history and events in one statement per run of lines of one
  kind);
- a line naming a stored resource flushes the queue and runs the per-line update.
`Batched` refuses to judge a failure: anything that fails raises `Retry`, and the import
runs again line by line, which writes the same thing or reports the errors."""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import asyncpg

from claimledger_server.errors import ApiError
from claimledger_server.ids import new_id
from claimledger_server.versioning import store
from claimledger_server.versioning.kinds import ResourceKind, find_references
from claimledger_server.versioning.upsert import (
    EXTERNAL,
    find_external,
    stored_and_fields,
    upsert,
    write_upsert,
)
from claimledger_server.versioning.writes import Author

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
        self.queued: list[store.NewResource] = []
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
        self.queued.append(store.NewResource(kind, resource_id, values, refs))
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
        try:  # the line-by-line pass finds which line it was and reports it
            await store.create_batch(self.conn, self.queued, self.author)
        except (ApiError, asyncpg.UniqueViolationError):
            raise Retry from None
        self.queued.clear()
        self.queued_ids.clear()
