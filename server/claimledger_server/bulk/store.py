"""Export: the live dataset (or the dataset as of a time) as NDJSON import lines, streamed
from a server-side cursor inside one read-only REPEATABLE READ transaction, so the file is
one consistent snapshot and never held in memory whole. (The CSV export, a spreadsheet of
one kind, is `spreadsheet.py`.)

Every reference is written as `ext:<external_id>` of its target, and a resource without an
external_id is keyed by its id, so an export imports as is into an empty database — and
the export of that database is byte for byte the same file:
- kinds come in dependency order (actors, sources, claims, figures), and actors and
  sources by depth in their chain (a parent, or the original a source republishes, comes
  first), so every reference names an earlier line — except
  claim relations, which may form cycles and which import accepts in any order;
- within that, lines are ordered by the key they are exported under (external_id, else
  id), which the import keeps; nothing depends on the ids a database assigns;
- `data` holds the writable fields in their declared order, leaving out those that are
  null (the default of each such field), never derived ones (a figure's `low`/`high`)."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Literal

import asyncpg
import msgspec
from msgspec.structs import fields

from claimledger_server.bulk.lines import KINDS_BY_NAME
from claimledger_server.bulk.schemas import ImportLine
from claimledger_server.transactions import snapshot
from claimledger_server.versioning.kinds import ResourceKind, find_references
from claimledger_server.versioning.upsert import EXTERNAL, set_at_path

Format = Literal["ndjson", "csv"]
EXPORT_ORDER = tuple(KINDS_BY_NAME)
CHUNK_BYTES = 64 * 1024
PREFETCH = 500


def table_at(table: str, as_of: bool) -> str:
    """Where the rows of `table` are: the live table, or its history for a past moment."""
    return f"{table}_history" if as_of else table


def current_at(alias: str) -> str:
    """SQL: the history row `alias` is the version that was current at `$1`."""
    return f"{alias}.updated_at <= $1 AND ({alias}.valid_to IS NULL OR {alias}.valid_to > $1)"


def _source(table: str, alias: str, as_of: bool) -> str:
    """Rows of `table` as the dataset stood: live, or the versions current at `$1`."""
    if not as_of:
        return f"{table} {alias}"
    return f"{table_at(table, as_of)} {alias} WHERE {current_at(alias)}"


def _where(source: str, condition: str) -> str:
    return f"{source} {'AND' if ' WHERE ' in source else 'WHERE'} {condition}"


def _names(kind: ResourceKind, as_of: bool) -> str:
    """SQL: a JSON object mapping each id row `t` references to the key it is exported
    under, read from the same snapshot."""
    lookups = " UNION ALL ".join(
        f"SELECT r.id, coalesce(r.external_id, r.id) AS name"
        f" FROM {_where(_source(table, 'r', as_of), 'r.id = ANY(t.refs)')}"
        for table in sorted(set(kind.references.values()))
    )
    return f"(SELECT json_object_agg(n.id, n.name) FROM ({lookups}) n)::text"


def export_sql(kind: ResourceKind, as_of: bool) -> str:
    key = 'coalesce(t.external_id, t.id) COLLATE "C"'
    columns = f"coalesce(t.external_id, t.id) AS key, t.doc::text AS doc, {_names(kind, as_of)}"
    snapshot = _where(_source(kind.table, "t", as_of), "NOT t.deleted")
    if kind.chain_link is None:
        return f"SELECT {columns} AS names FROM {snapshot} ORDER BY {key}"
    # What a chain link points at comes first: depth 0 for resources without a (live)
    # target, then those pointing at them… A resource in a cycle (which writes refuse) has
    # no depth and comes last. No cap on the depth: each resource has one link, so the walk
    # down from the roots reaches each at most once, and never one in a cycle.
    snapshot = _where(_source(kind.table, "a", as_of), "NOT a.deleted")
    return f"""
        WITH RECURSIVE t AS MATERIALIZED (
            SELECT a.id, a.external_id, a.refs, a.doc, a.doc->>'{kind.chain_link}' AS link
              FROM {snapshot}
        ),
        depth (id, depth) AS (
            SELECT c.id, 0 FROM t c
             WHERE c.link IS NULL OR NOT EXISTS (SELECT 1 FROM t p WHERE p.id = c.link)
            UNION ALL
            SELECT c.id, depth.depth + 1 FROM t c JOIN depth ON c.link = depth.id
        )
        SELECT {columns} AS names FROM t LEFT JOIN depth USING (id)
         ORDER BY depth.depth NULLS LAST, {key}"""


def _nullable_fields(kind: ResourceKind) -> frozenset[str]:
    return frozenset(f.encode_name for f in fields(kind.fields) if f.default is None)


_NULLABLE = {kind.name: _nullable_fields(kind) for kind in KINDS_BY_NAME.values()}


def export_line(kind: ResourceKind, key: str, doc: str, names: str | None) -> ImportLine:
    """A stored document as an import line: writable fields, references by external_id."""
    written = kind.writable(msgspec.json.decode(doc))
    nullable = _NULLABLE[kind.name]
    data = {
        name: value
        for name, value in written.items()
        if name != "external_id" and not (name in nullable and value is None)
    }
    known: dict[str, str] = msgspec.json.decode(names) if names else {}
    for ref in list(find_references(data, kind.references)):
        # A target missing from the snapshot cannot happen (writes refuse dangling
        # references); naming it by id keeps the line readable all the same.
        set_at_path(data, ref.field, EXTERNAL + known.get(ref.id, ref.id))
    return ImportLine(kind.name, key, data)  # type: ignore[arg-type]  # a KindName


async def in_chunks(lines: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """NDJSON `lines` (without their newlines) sent in chunks of about `CHUNK_BYTES`: few
    enough writes to the socket, and memory that stays flat however long the file."""
    chunk = bytearray()
    async for line in lines:
        chunk += line
        chunk += b"\n"
        if len(chunk) >= CHUNK_BYTES:
            yield bytes(chunk)
            chunk.clear()
    if chunk:
        yield bytes(chunk)


async def export_chunks(
    pool: asyncpg.Pool, kinds: list[str], as_of: datetime | None
) -> AsyncIterator[bytes]:
    """The NDJSON export file in chunks of about `CHUNK_BYTES`."""

    async def lines() -> AsyncIterator[bytes]:
        encoder = msgspec.json.Encoder()
        args: list[Any] = [as_of] if as_of is not None else []
        async with snapshot(pool) as conn:
            for name in EXPORT_ORDER:
                if name not in kinds:
                    continue
                kind = KINDS_BY_NAME[name]
                sql = export_sql(kind, as_of is not None)
                async for row in conn.cursor(sql, *args, prefetch=PREFETCH):
                    yield encoder.encode(export_line(kind, row["key"], row["doc"], row["names"]))

    async for chunk in in_chunks(lines()):
        yield chunk
