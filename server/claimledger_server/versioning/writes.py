"""How a version is stored: the live row, the end of the previous version's validity, the new
version's history row and its event, in one statement — so a change is never recorded without
its history or announced without being stored.

Two statements share the columns and the values (`Version`): `write` for one resource (every
REST write), and `write_created` for many new resources at once (an import's creates), whose
parameters are arrays with one item per resource."""

from datetime import datetime
from typing import Any, NamedTuple

import asyncpg
import msgspec

from claimledger_server.errors import ApiError, FieldError
from claimledger_server.ids import new_id
from claimledger_server.versioning.documents import Document
from claimledger_server.versioning.kinds import Ref, ResourceKind


class Author(NamedTuple):
    """Who makes a change, recorded on its revision."""

    api_key_id: str | None
    change_note: str | None


class Version(NamedTuple):
    """One version of a resource as it is written: the live row's columns, then what the
    history row and the event add."""

    id: str
    version: int
    updated_at: datetime
    created_at: datetime
    deleted: bool
    external_id: str | None
    refs: list[str]
    doc: str
    action: str
    event_id: str


ROW_COLUMNS = ", ".join(Version._fields[:8])
"""The columns of the live row, which the history row repeats."""
_REVISION_COLUMNS = f"{ROW_COLUMNS}, action, api_key_id, change_note"
_EVENT_COLUMNS = "id, type, occurred_at, resource, resource_id, version, data"


def version_of(document: dict[str, Any], refs: list[Ref], action: str) -> Version:
    """The version `document` (as the store builds it) is written as."""
    return Version(
        document["id"],
        document["version"],
        document["updated_at"],
        document["created_at"],
        document["deleted"],
        document.get("external_id"),
        sorted({r.id for r in refs}),
        msgspec.json.encode(document).decode(),
        action,
        new_id("evt"),
    )


def _write_sql(kind: ResourceKind, row_statement: str) -> str:
    """Parameters: $1…$8 the row, $9 action, $10 event id, $11 api_key_id, $12 change_note."""
    return f"""
        WITH written AS ({row_statement}),
        superseded AS (
            UPDATE {kind.table}_history SET valid_to = $3 WHERE id = $1 AND valid_to IS NULL
        ),
        revision AS (
            INSERT INTO {kind.table}_history ({_REVISION_COLUMNS})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12)
        )
        INSERT INTO events ({_EVENT_COLUMNS})
        VALUES ($10, '{kind.name}.' || $9, $3, '{kind.name}', $1, $2, $8)
    """


def insert_sql(kind: ResourceKind) -> str:
    return _write_sql(
        kind, f"INSERT INTO {kind.table} ({ROW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )


def update_sql(kind: ResourceKind) -> str:
    return _write_sql(
        kind,
        f"""UPDATE {kind.table}
               SET version = $2, updated_at = $3, created_at = $4, deleted = $5,
                   external_id = $6, refs = $7, doc = $8
             WHERE id = $1""",
    )


async def write(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    sql: str,
    document: dict[str, Any],
    refs: list[Ref],
    action: str,
    author: Author,
) -> Document:
    """Write `document` with `insert_sql` (version 1) or `update_sql` (a later version)."""
    version = version_of(document, refs, action)
    try:
        await conn.execute(sql, *version, *author)
    except asyncpg.UniqueViolationError as exc:
        raise _taken(kind, exc, repr(version.external_id)) from None
    return Document(version.version, version.doc.encode())


def _taken(kind: ResourceKind, exc: asyncpg.UniqueViolationError, external_id: str) -> Exception:
    """The 409 of an external_id another resource has; any other violation as it is."""
    if exc.constraint_name != f"{kind.table}_external_id_key":
        return exc
    return ApiError(
        409,
        "conflict",
        f"Another {kind.name} already has external_id {external_id}.",
        errors=[FieldError("external_id", "already used by another " + kind.name)],
    )


_SENT_AS = {
    **dict.fromkeys(Version._fields, "text"),
    "version": "int",
    "updated_at": "timestamptz",
    "created_at": "timestamptz",
    "deleted": "bool",
}
"""How `write_created` sends each `Version` field: the items of a typed array."""


def _write_created_sql(kind: ResourceKind) -> str:
    """`insert_sql` for many version-1 resources (so there is no earlier history row to
    close). Parameters: $1…$10 one array per `Version` field, $11 api_key_id, $12 change_note.
    `refs` comes as text[] literals (asyncpg cannot send an array of arrays of different
    lengths) and `doc` as text."""
    arrays = ", ".join(f"${n}::{_SENT_AS[f]}[]" for n, f in enumerate(Version._fields, 1))
    return f"""
        WITH input AS (
            SELECT * FROM unnest({arrays}) WITH ORDINALITY
                AS t({", ".join(Version._fields)}, n)
        ),
        typed AS (
            SELECT id, version, updated_at, created_at, deleted, external_id, refs::text[] AS refs,
                   doc::json AS doc, action, event_id, n
              FROM input
        ),
        written AS (
            INSERT INTO {kind.table} ({ROW_COLUMNS}) SELECT {ROW_COLUMNS} FROM typed
        ),
        revision AS (
            INSERT INTO {kind.table}_history ({_REVISION_COLUMNS})
            SELECT {ROW_COLUMNS}, action, $11, $12 FROM typed
        )
        INSERT INTO events ({_EVENT_COLUMNS})
        SELECT event_id, '{kind.name}.' || action, updated_at, '{kind.name}', id, version, doc
          FROM typed ORDER BY n
    """


async def write_created(
    conn: asyncpg.Connection, kind: ResourceKind, versions: list[Version], author: Author
) -> None:
    """Write new resources of one kind (version 1 each) together; their events take the
    order of `versions`. An external_id taken meanwhile is raised
    as the same 409 as `write`'s, without saying which."""
    columns: list[list[Any]] = [list(column) for column in zip(*versions, strict=True)]
    refs = Version._fields.index("refs")
    columns[refs] = [_text_array(ids) for ids in columns[refs]]
    try:
        await conn.execute(_write_created_sql(kind), *columns, *author)
    except asyncpg.UniqueViolationError as exc:
        raise _taken(kind, exc, "one of these") from None


def _text_array(values: list[str]) -> str:
    """A PostgreSQL text[] literal."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"
