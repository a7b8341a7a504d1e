"""The one write path and the shared read paths of every resource kind.

A write is one transaction: lock the row, check the precondition and the references, then a
single statement (`writes`) stores the row, its revision and its event together."""

from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar

import asyncpg
import msgspec

from claimledger_server.errors import ApiError, FieldError, from_msgspec_error, invalid
from claimledger_server.ids import new_id
from claimledger_server.pagination import decode_cursor, page_body, split_page
from claimledger_server.versioning.chains import chain_errors, lock_chain, sets_chain_link
from claimledger_server.versioning.documents import Document, clear_companions, merge_patch
from claimledger_server.versioning.kinds import KINDS, Ref, ResourceKind, find_references
from claimledger_server.versioning.writes import (
    Author,
    Version,
    insert_sql,
    update_sql,
    version_of,
    write,
    write_created,
)

T = TypeVar("T")


def not_found(kind: ResourceKind, resource_id: str) -> ApiError:
    return ApiError(404, "not-found", f"No {kind.name} with id {resource_id!r}.")


def gone(kind: ResourceKind, resource_id: str, version: int) -> ApiError:
    return ApiError(
        410, "gone", f"{kind.name.capitalize()} {resource_id} was deleted (version {version})."
    )


def to_fields(kind: ResourceKind, document: dict[str, Any]) -> msgspec.Struct:
    try:
        return msgspec.convert(document, kind.fields, strict=True)
    except msgspec.ValidationError as exc:
        raise invalid([from_msgspec_error(exc, kind.fields)]) from None


async def check_references(conn: asyncpg.Connection, refs: list[Ref]) -> None:
    """Every referenced resource must exist and be live. FOR SHARE holds them so a concurrent
    delete waits for this transaction and then sees the new referrer."""
    errors: list[FieldError] = []
    by_table: dict[str, list[Ref]] = {}
    for ref in refs:
        by_table.setdefault(ref.table, []).append(ref)
    for table, table_refs in by_table.items():
        rows = await conn.fetch(
            f"SELECT id, deleted FROM {table} WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE",
            sorted({r.id for r in table_refs}),
        )
        found = {row["id"]: row["deleted"] for row in rows}
        kind_name = KINDS[table].name
        for ref in table_refs:
            if ref.id not in found:
                errors.append(FieldError(ref.field, f"no {kind_name} with id {ref.id!r}"))
            elif found[ref.id]:
                errors.append(FieldError(ref.field, f"{kind_name} {ref.id} is deleted"))
    if errors:
        raise invalid(errors)


async def _validate(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    fields: msgspec.Struct,
    resource_id: str | None,
    stored_link: str | None = None,
) -> list[Ref]:
    refs = await checked_refs(conn, kind, fields, resource_id, stored_link)
    await check_references(conn, refs)
    return refs


async def checked_refs(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    fields: msgspec.Struct,
    resource_id: str | None,
    stored_link: str | None = None,
) -> list[Ref]:
    """The references of `fields` once the kind's own rules pass; the caller checks (and
    locks) the referenced resources. `stored_link`: the value of the kind's `chain_link`
    before this update (None for a create)."""
    errors = kind.check(fields, resource_id) or await chain_errors(
        conn, kind, fields, resource_id, stored_link
    )
    if errors:
        raise invalid(errors)
    return list(find_references(msgspec.to_builtins(fields), kind.references))


def _document(
    kind: ResourceKind,
    resource_id: str,
    version: int,
    created_at: datetime,
    updated_at: datetime,
    fields: msgspec.Struct,
    deleted: bool = False,
) -> dict[str, Any]:
    return {
        "id": resource_id,
        "version": version,
        "created_at": created_at,
        "updated_at": updated_at,
        "deleted": deleted,
        **msgspec.to_builtins(fields),
        **kind.derive(fields),
    }


class NewResource(NamedTuple):
    """A resource to create: its id (taken before it is written, so that others created
    with it can reference it), its fields, and their references (`checked_refs`)."""

    kind: ResourceKind
    id: str
    fields: msgspec.Struct
    refs: list[Ref]


async def create(
    conn: asyncpg.Connection, kind: ResourceKind, fields: msgspec.Struct, author: Author
) -> Document:
    """Write version 1. Like every write here, call it inside a transaction."""
    refs = await checked_refs(conn, kind, fields, None)
    new = NewResource(kind, new_id(kind.prefix), fields, refs)
    return (await create_batch(conn, [new], author))[0]


async def create_batch(
    conn: asyncpg.Connection, batch: list[NewResource], author: Author
) -> list[Document]:
    """Write version 1 of each resource of `batch`, in its order (their events too): a REST
    create is a batch of one, an import's creates come in batches. The references are
    checked (and locked) together; a resource may reference one created before it in the
    same batch. Refused as a whole: 422 naming the field of a missing or deleted
    reference, 409 for an external_id another resource has."""
    in_batch = {new.id for new in batch}
    await check_references(
        conn, [ref for new in batch for ref in new.refs if ref.id not in in_batch]
    )
    if len(batch) == 1:  # the single-row statements, as every other REST write
        kind, resource_id, fields, refs = batch[0]
        now = await conn.fetchval("SELECT clock_timestamp()")
        document = _document(kind, resource_id, 1, now, now, fields)
        return [await write(conn, kind, insert_sql(kind), document, refs, "created", author)]
    times = await _timestamps(conn, len(batch))
    runs: list[tuple[ResourceKind, list[Version]]] = []
    for (kind, resource_id, fields, refs), now in zip(batch, times, strict=True):
        document = _document(kind, resource_id, 1, now, now, fields)
        if not runs or runs[-1][0] is not kind:
            runs.append((kind, []))
        runs[-1][1].append(version_of(document, refs, "created"))
    for kind, versions in runs:  # in batch order, so events keep it
        await write_created(conn, kind, versions, author)
    return [Document(1, version.doc.encode()) for _, versions in runs for version in versions]


async def _timestamps(conn: asyncpg.Connection, count: int) -> list[datetime]:
    """`count` times as `clock_timestamp()` gives them, made strictly increasing as writes
    one after another would record them."""
    times: list[datetime] = await conn.fetchval(
        "SELECT array_agg(clock_timestamp()) FROM generate_series(1, $1)", count
    )
    step = timedelta(microseconds=1)
    for i in range(1, len(times)):
        times[i] = max(times[i], times[i - 1] + step)
    return times


async def lock_current(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, if_match: int | None
) -> tuple[dict[str, Any], datetime]:
    """The current document, locked for this transaction, and the time of the change."""
    row = (
        await conn.fetchrow(
            f"SELECT doc::text AS doc, clock_timestamp() AS now FROM {kind.table}"
            " WHERE id = $1 FOR UPDATE",
            resource_id,
        )
        if kind.owns(resource_id)
        else None
    )
    if row is None:
        raise not_found(kind, resource_id)
    current: dict[str, Any] = msgspec.json.decode(row["doc"])
    if current["deleted"]:
        raise gone(kind, resource_id, current["version"])
    if if_match is not None and if_match != current["version"]:
        raise ApiError(
            412,
            "precondition-failed",
            f"If-Match names version {if_match}, but {kind.name} {resource_id} is at version"
            f" {current['version']}. Read it again and re-apply your change.",
            current_version=current["version"],
        )
    return current, row["now"]


async def update(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    resource_id: str,
    patch: dict[str, Any],
    if_match: int | None,
    author: Author,
    *,
    rederive: bool = False,
) -> Document:
    """Apply a JSON merge patch to the writable fields and write the next version.
    `rederive` writes one even when the fields stay the same, so that derived fields are
    computed again by today's rules (a migration's re-derivation)."""
    if sets_chain_link(kind, patch):
        await lock_chain(conn, kind)
    current, now = await lock_current(conn, kind, resource_id, if_match)
    writable = kind.writable(current)
    fields = to_fields(kind, merge_patch(writable, clear_companions(patch, kind.cleared_with)))
    if not rederive and msgspec.to_builtins(fields) == writable:
        # Nothing changes, so no new version: a retried PATCH is harmless.
        return Document(current["version"], msgspec.json.encode(current))
    stored_link = writable.get(kind.chain_link) if kind.chain_link else None
    refs = await _validate(conn, kind, fields, resource_id, stored_link)
    document = _document(
        kind,
        resource_id,
        current["version"] + 1,
        datetime.fromisoformat(current["created_at"]),
        now,
        fields,
    )
    return await write(conn, kind, update_sql(kind), document, refs, "updated", author)


async def delete(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    resource_id: str,
    if_match: int | None,
    author: Author,
) -> Document:
    """Write a tombstone version; the history stays readable."""
    current, now = await lock_current(conn, kind, resource_id, if_match)
    await _refuse_if_referenced(conn, kind, resource_id)
    document = {
        **current,
        "version": current["version"] + 1,
        "created_at": datetime.fromisoformat(current["created_at"]),
        "updated_at": now,
        "deleted": True,
    }
    return await write(conn, kind, update_sql(kind), document, [], "deleted", author)


async def _refuse_if_referenced(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str
) -> None:
    """A tombstone must not leave live resources pointing at it (their references would
    then fail validation on their next edit); the client deletes or re-points them first."""
    union = " UNION ALL ".join(
        f"(SELECT id FROM {other.table} WHERE refs @> ARRAY[$1] AND NOT deleted LIMIT 5)"
        for other in KINDS.values()
    )
    referrers = [row["id"] for row in await conn.fetch(union, resource_id)]
    if referrers:
        listed = ", ".join(referrers[:5])
        raise ApiError(
            409,
            "conflict",
            f"{kind.name.capitalize()} {resource_id} is still referenced by live resources"
            f" ({listed}); delete or re-point them first.",
        )


async def get(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, as_of: datetime | None
) -> Document:
    if not kind.owns(resource_id):
        raise not_found(kind, resource_id)
    if as_of is None:
        row = await conn.fetchrow(
            f"SELECT version, deleted, doc::text AS doc FROM {kind.table} WHERE id = $1",
            resource_id,
        )
    else:
        row = await conn.fetchrow(
            f"""SELECT version, deleted, doc::text AS doc FROM {kind.table}_history
                 WHERE id = $1 AND updated_at <= $2
                 ORDER BY updated_at DESC LIMIT 1""",
            resource_id,
            as_of,
        )
    if row is None:
        raise not_found(kind, resource_id)
    if row["deleted"]:
        raise gone(kind, resource_id, row["version"])
    return Document(row["version"], row["doc"].encode())


class _RevisionOut(msgspec.Struct):
    version: int
    action: str
    recorded_at: datetime
    api_key_id: str | None
    change_note: str | None
    data: msgspec.Raw


_REVISION_COLUMNS = (
    "version, action, updated_at AS recorded_at, api_key_id, change_note, doc::text AS snapshot"
)


def _revision_json(row: asyncpg.Record) -> bytes:
    return msgspec.json.encode(
        _RevisionOut(
            row["version"],
            row["action"],
            row["recorded_at"],
            row["api_key_id"],
            row["change_note"],
            msgspec.Raw(row["snapshot"].encode()),
        )
    )


async def version(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, number: int
) -> bytes:
    row = (
        await conn.fetchrow(
            f"SELECT {_REVISION_COLUMNS} FROM {kind.table}_history WHERE id = $1 AND version = $2",
            resource_id,
            number,
        )
        if kind.owns(resource_id)
        else None
    )
    if row is None:
        raise ApiError(
            404, "not-found", f"{kind.name.capitalize()} {resource_id} has no version {number}."
        )
    return _revision_json(row)


async def versions(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    resource_id: str,
    limit: int,
    cursor: str | None,
) -> bytes:
    after = decode_cursor(cursor, int) if cursor else 0
    rows = (
        await conn.fetch(
            f"SELECT {_REVISION_COLUMNS} FROM {kind.table}_history"
            " WHERE id = $1 AND version > $2 ORDER BY version LIMIT $3",
            resource_id,
            after,
            limit + 1,
        )
        if kind.owns(resource_id)
        else []
    )
    if not rows and after == 0:
        raise not_found(kind, resource_id)
    page, next_cursor = split_page(rows, limit, lambda row: row["version"])
    return page_body([_revision_json(row) for row in page], next_cursor)
