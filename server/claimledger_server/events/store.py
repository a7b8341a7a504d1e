"""Reading the changes feed."""

import re
from datetime import datetime

import asyncpg
import msgspec

from claimledger_server.errors import FieldError, invalid
from claimledger_server.pagination import page_body, split_page

GLOB = r"(\*|[a-z_]+\.(\*|[a-z_]+))"
"""One event type or glob: `claim.created`, `claim.*`, `*` (webhook filters take them too)."""
TYPES_PATTERN = rf"^{GLOB}(,{GLOB})*$"
"""What `types` accepts: comma-separated types or globs, e.g. `claim.*,actor.deleted`."""


class _EventOut(msgspec.Struct):
    id: str
    seq: int
    type: str
    occurred_at: datetime
    resource: str
    resource_id: str
    version: int
    data: msgspec.Raw


def event_json(
    event_id: str,
    seq: int,
    type_: str,
    occurred_at: datetime,
    resource: str,
    resource_id: str,
    version: int,
    data: str,
) -> bytes:
    """An event exactly as the feed shows it; webhook deliveries send the same bytes."""
    raw = msgspec.Raw(data.encode())
    return msgspec.json.encode(
        _EventOut(event_id, seq, type_, occurred_at, resource, resource_id, version, raw)
    )


def type_patterns(types: str | None) -> list[str] | None:
    """`claim.*,figure.deleted` → SQL LIKE patterns; None matches every type."""
    if types is None:
        return None
    if not re.fullmatch(TYPES_PATTERN, types):
        raise invalid(
            [
                FieldError(
                    "types", "comma-separated event types or globs, e.g. claim.*,actor.deleted"
                )
            ],
            status=400,
        )
    return like_patterns(types.split(","))


def like_patterns(globs: list[str]) -> list[str]:
    """`claim.*` → the LIKE pattern `claim.%` (`_` escaped)."""
    return [glob.replace("_", r"\_").replace("*", "%") for glob in globs]


def row_event_json(row: asyncpg.Record, id_column: str = "id") -> bytes:
    """`event_json` of a row with the `events` columns (the event's id under `id_column`)."""
    return event_json(
        row[id_column],
        row["position"],
        row["type"],
        row["occurred_at"],
        row["resource"],
        row["resource_id"],
        row["version"],
        row["data"],
    )


_COLUMNS = "id, position, type, occurred_at, resource, resource_id, version, data::text AS data"


async def feed(
    conn: asyncpg.Connection, after: int, patterns: list[str] | None, limit: int
) -> bytes:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM events"
        " WHERE position > $1 AND ($2::text[] IS NULL OR type LIKE ANY($2::text[]))"
        " ORDER BY position LIMIT $3",
        after,
        patterns,
        limit + 1,
    )
    page, next_cursor = split_page(rows, limit, lambda row: row["position"])
    return page_body([row_event_json(row) for row in page], next_cursor)


async def one(conn: asyncpg.Connection, event_id: str) -> bytes | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM events WHERE id = $1 AND position IS NOT NULL", event_id
    )
    return None if row is None else row_event_json(row)
