"""Writes keyed by the caller's `external_id`, with references written as
`ext:<external_id>`: what seeding (and bulk import) need to load a file of resources that
point at each other, and to load it again without writing new versions.

An export names a resource that has no external_id by its id, so `ext:<id>` (and a line
keyed by `<id>`) also finds the resource with that id when no resource of the kind has it as
its external_id: re-importing an export into the database it came from changes nothing."""

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from claimledger_server.errors import ApiError, FieldError, invalid
from claimledger_server.versioning import store
from claimledger_server.versioning.documents import Document
from claimledger_server.versioning.kinds import KINDS, ResourceKind, find_references

EXTERNAL = "ext:"

Find = Callable[[str, str], Awaitable[asyncpg.Record | dict[str, Any] | None]]
"""`find_external` bound to a connection (or a cache in front of it): (table, external_id)."""


async def resolve_external_refs(
    conn: asyncpg.Connection, kind: ResourceKind, data: dict[str, Any], find: Find | None = None
) -> dict[str, Any]:
    """Replace every `ext:<external_id>` reference in `data` with the id it names."""
    resolved = _copy(data)
    errors: list[FieldError] = []
    for ref in find_references(data, kind.references):
        if not ref.id.startswith(EXTERNAL):
            continue
        external_id = ref.id.removeprefix(EXTERNAL)
        target = await (find or _finder(conn))(ref.table, external_id)
        if target is None:
            errors.append(
                FieldError(
                    ref.field, f"no {KINDS[ref.table].name} with external_id {external_id!r}"
                )
            )
        else:
            set_at_path(resolved, ref.field, target["id"])
    if errors:
        raise invalid(errors)
    return resolved


async def find_external(
    conn: asyncpg.Connection, table: str, external_id: str
) -> asyncpg.Record | None:
    """`id, version, deleted, external_id` of the resource that `ext:<external_id>` names:
    the one with this external_id, else the one with this id if it has no external_id."""
    if "\x00" in external_id:  # PostgreSQL refuses NUL in text; no external_id has one
        return None
    return await conn.fetchrow(
        f"SELECT id, version, deleted, external_id FROM {table}"
        " WHERE external_id = $1 OR (id = $1 AND external_id IS NULL)"
        " ORDER BY external_id IS NULL LIMIT 1",
        external_id,
    )


def _finder(conn: asyncpg.Connection) -> Find:
    async def find(table: str, external_id: str) -> asyncpg.Record | None:
        return await find_external(conn, table, external_id)

    return find


async def stored_and_fields(
    conn: asyncpg.Connection, kind: ResourceKind, external_id: str, data: dict[str, Any], find: Find
) -> tuple[Any, dict[str, Any]]:
    """The stored resource the line names (or None) and its fields with references resolved."""
    row = await find(kind.table, external_id)
    # Found by its id (an export's name for it): it keeps having no external_id.
    stored_external_id = None if row is not None and row["external_id"] is None else external_id
    fields = await resolve_external_refs(
        conn, kind, {**data, "external_id": stored_external_id}, find
    )
    return row, fields


async def upsert(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    external_id: str,
    data: dict[str, Any],
    author: store.Author,
) -> tuple[str, Document]:
    """Create the resource with this external_id, or make the stored one equal `data`
    (fields absent from `data` take their defaults). Returns what happened and the document:
    "created", "updated" or "unchanged" — an unchanged resource gets no new version."""
    row, fields = await stored_and_fields(conn, kind, external_id, data, _finder(conn))
    return await write_upsert(conn, kind, external_id, row, fields, author)


async def write_upsert(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    external_id: str,
    row: Any,
    fields: dict[str, Any],
    author: store.Author,
) -> tuple[str, Document]:
    """`upsert` once the stored resource (`row`, or None) and the fields are known."""
    if row is None:
        return "created", await store.create(conn, kind, store.to_fields(kind, fields), author)
    if row["deleted"]:
        raise ApiError(
            409,
            "conflict",
            f"{kind.name.capitalize()} {row['id']} with external_id {external_id!r} is deleted.",
            errors=[FieldError("external_id", "names a deleted " + kind.name)],
        )
    replacement = {name: fields.get(name) for name in kind.field_names}
    doc = await store.update(conn, kind, row["id"], replacement, None, author)
    return ("unchanged" if doc.version == row["version"] else "updated"), doc


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def set_at_path(document: dict[str, Any], label: str, value: str) -> None:
    """Set the value at a path as `find_references` labels it, e.g. `citations[0].source_id`."""
    target: Any = document
    steps = label.replace("]", "").replace("[", ".").split(".")
    for step in steps[:-1]:
        target = target[int(step)] if step.isdigit() else target[step]
    last = steps[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
