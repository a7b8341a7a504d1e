"""Keyset pagination, shared by every list: opaque cursors naming a position in a list's
order, the extra row that says another page exists, and the page body around documents
that are already JSON."""

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import asyncpg
import msgspec

from claimledger_server.errors import FieldError, invalid

T = TypeVar("T")


def encode_keyset(version: int, key: Sequence[object]) -> str:
    """An opaque cursor naming a position in a list's order: `[version, *key]`, in JSON,
    base64url. The version changes when the order does, so an old cursor is refused."""
    raw = msgspec.json.encode([version, *key])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_keyset(cursor: str, version: int, key_types: tuple[Any, ...]) -> tuple[Any, ...]:
    """The key of a cursor `encode_keyset` made, each part checked against `key_types`;
    anything we did not issue (or issued for another order) is a 400 naming `cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found, *key = msgspec.json.decode(raw, type=tuple[(int, *key_types)])  # type: ignore[valid-type]
        if found != version:
            raise ValueError(found)
    except (binascii.Error, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        raise invalid([FieldError("cursor", "not a cursor this API issued")], status=400) from None
    return tuple(key)


def encode_cursor(position: str | int | tuple[float, str]) -> str:
    return encode_keyset(1, [position])


CursorPart = Annotated[str, msgspec.Meta(max_length=64, pattern=r"^[^\x00]*$")]
"""A text part of a cursor: an id or a key (no NUL, which PostgreSQL refuses)."""

# What a cursor may hold: an id (text without NUL, which PostgreSQL refuses) or a version
# number (an `int` column), so a forged cursor is a 400 rather than a database error.
_POSITIONS: dict[type, Any] = {
    str: CursorPart,
    int: Annotated[int, msgspec.Meta(ge=0, le=2_147_483_647)],
    # (search rank, id) for lists ordered by relevance
    tuple: tuple[Annotated[float, msgspec.Meta(ge=0, le=1e9)], CursorPart],
}


def decode_cursor(cursor: str, position_type: type[str] | type[int] | type[tuple[Any, ...]]) -> Any:
    """Cursors are opaque to clients; anything we did not issue is a 400 naming `cursor`."""
    return decode_keyset(cursor, 1, (_POSITIONS[position_type],))[0]


def split_page(
    rows: Sequence[T], limit: int, position: Callable[[T], str | int | tuple[float, str]]
) -> tuple[Sequence[T], str | None]:
    """Queries fetch `limit + 1` rows: the extra one only says that another page exists, and
    the cursor names the last row sent."""
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode_cursor(position(page[-1]))


def page_body(items: list[bytes], next_cursor: str | None) -> bytes:
    """`{"data": [...], "next_cursor": ...}` around documents that are already JSON."""
    cursor = msgspec.json.encode(next_cursor)
    return b'{"data":[' + b",".join(items) + b'],"next_cursor":' + cursor + b"}"


def joined_page_body(row: asyncpg.Record, limit: int, encode: Callable[[str], str]) -> bytes:
    """The page body of a statement that joined its page in PostgreSQL: one row of `found`
    (the rows it read, one more than `limit` when there is a next page), `last_id` (the last
    one sent, the cursor's position, `encode`d) and `docs` (the documents' JSON joined by
    commas, bytes; NULL when none)."""
    next_cursor = encode(row["last_id"]) if row["found"] > limit else None
    return page_body([row["docs"]] if row["docs"] is not None else [], next_cursor)
