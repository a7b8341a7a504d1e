"""Reading documents as they are now or as they were at a time, in batches: what the
expansions and the figures summary build on, and the version snapshots a diff compares."""

from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from claimledger_server.errors import ApiError
from claimledger_server.versioning.jsonpatch import Operation, diff
from claimledger_server.versioning.kinds import ResourceKind


def table_at(kind: ResourceKind, as_of: datetime | None) -> str:
    """The live table, or with `as_of` its history (filter it with `current_at`)."""
    return kind.table if as_of is None else f"{kind.table}_history"


def current_at(alias: str, moment: str) -> str:
    """SQL: the history row `alias` is the version that was current at `moment` (a
    placeholder such as `$2`). A version is current during [updated_at, valid_to)."""
    return (
        f"{alias}.updated_at <= {moment}"
        f" AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {moment})"
    )


def current_at_if(alias: str, as_of: datetime | None) -> str:
    """`current_at(alias, "$1")` as an extra condition when reading `as_of` (its time in
    `$1`), nothing when reading the live tables."""
    return "" if as_of is None else " AND " + current_at(alias, "$1")


async def documents(
    conn: asyncpg.Connection, kind: ResourceKind, ids: list[str], as_of: datetime | None
) -> dict[str, bytes]:
    """The live (not deleted) documents among `ids`, now or as of a time; one query."""
    if not ids:
        return {}
    sql = f"SELECT d.id, d.doc::text AS doc FROM {table_at(kind, as_of)} d"
    sql += " WHERE d.id = ANY($1::text[]) AND NOT d.deleted"
    args: list[Any] = [sorted(set(ids))]
    if as_of is not None:
        sql += " AND " + current_at("d", "$2")
        args.append(as_of)
    return {row["id"]: row["doc"].encode() for row in await conn.fetch(sql, *args)}


async def version_diff(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, number: int, against: int
) -> list[Operation]:
    """The JSON Patch from version `against` to version `number`; version 0 is the empty
    object, the state before creation."""
    rows = (
        await conn.fetch(
            f"SELECT version, doc::text AS doc FROM {kind.table}_history"
            " WHERE id = $1 AND version = ANY($2::int[])",
            resource_id,
            sorted({number, against} - {0}),
        )
        if kind.owns(resource_id)
        else []
    )
    snapshots: dict[int, Any] = {row["version"]: msgspec.json.decode(row["doc"]) for row in rows}
    snapshots[0] = {}
    for wanted in (number, against):
        if wanted not in snapshots:
            raise ApiError(
                404, "not-found", f"{kind.name.capitalize()} {resource_id} has no version {wanted}."
            )
    return diff(snapshots[against], snapshots[number])
