"""API keys: the one place that reads and writes them (hand-written SQL), for the API
(`/v1/keys`), the authentication of every request, the `claimledger keys` commands and the
local admin key of `claimledger serve --local-key`.

Changes made over the API are events in the changes feed (`api_key.created`, `.updated`,
`.revoked`); the commands work on the database directly, for bootstrap and recovery, and
write none: an instance being restored from a history export needs its first key while it
is still empty, feed included. The API never leaves an instance without an active admin key;
the commands can, since they can always make a new one."""

import secrets
from collections.abc import Sequence

import asyncpg
import msgspec
from msgspec import UNSET

from claimledger_server.auth import KEY_PREFIX, SCOPES, ApiKey, digest
from claimledger_server.errors import ApiError
from claimledger_server.ids import new_id
from claimledger_server.keys import schemas
from claimledger_server.pagination import decode_cursor, split_page

RESOURCE = "api_key"
_PREFIX_LENGTH = len(KEY_PREFIX) + 6
_COLUMNS = (
    "id, version, name, prefix, scopes, rate_limit_per_minute, created_at, updated_at,"
    " last_used_at, revoked_at"
)
_WRITES_LOCK = 7_203_118_003
"""Serialises the API's key changes, so two admins revoking the last two admin keys at once
cannot both succeed (keys change rarely: nobody waits on it)."""


def _key(row: asyncpg.Record | None) -> schemas.ApiKey:
    assert row is not None  # callers check existence first, in the same transaction
    return schemas.ApiKey(**dict(row))


def not_found(key_id: str) -> ApiError:
    return ApiError(404, "not-found", f"No API key with id {key_id!r}.")


def in_order(scopes: Sequence[str]) -> list[str]:
    """Each scope once, in the order of `SCOPES`."""
    return [scope for scope in SCOPES if scope in scopes]


# Authentication


async def active_key(db: asyncpg.Pool | asyncpg.Connection, key_digest: bytes) -> ApiKey | None:
    """The unrevoked key whose secret has this digest."""
    row = await db.fetchrow(
        "SELECT id, name, scopes, rate_limit_per_minute FROM api_keys"
        " WHERE secret_hash = $1 AND revoked_at IS NULL",
        key_digest,
    )
    if row is None:
        return None
    return ApiKey(row["id"], row["name"], tuple(row["scopes"]), row["rate_limit_per_minute"])


async def find_active_key(db: asyncpg.Pool | asyncpg.Connection, secret: str) -> ApiKey | None:
    """The key with this secret, unless there is none or it was revoked."""
    return await active_key(db, digest(secret))


async def record_use(pool: asyncpg.Pool, key_id: str) -> None:
    """`last_used_at`: a hint, not a change of the key (no new version, no event)."""
    await pool.execute("UPDATE api_keys SET last_used_at = now() WHERE id = $1", key_id)


# Bootstrap and recovery (`claimledger keys`, `serve --local-key`): no events.


async def create_key(
    conn: asyncpg.Connection,
    name: str,
    scopes: tuple[str, ...],
    rate_limit_per_minute: int | None = None,
) -> str:
    """Store a new key and return its secret, which is never retrievable again."""
    return (await _insert(conn, name, scopes, rate_limit_per_minute)).secret


async def every_key(conn: asyncpg.Connection) -> list[schemas.ApiKey]:
    return [_key(row) for row in await conn.fetch(f"SELECT {_COLUMNS} FROM api_keys ORDER BY id")]


async def revoke_key(conn: asyncpg.Connection, key_id: str) -> bool:
    """Revoke a key, even the last admin one; False if there is no active key `key_id`."""
    return await _revoke(conn, key_id) is not None


async def revoke_named(conn: asyncpg.Connection, name: str) -> None:
    """Revoke every active key called `name`."""
    await conn.execute(
        "UPDATE api_keys SET revoked_at = now(), version = version + 1, updated_at = now()"
        " WHERE name = $1 AND revoked_at IS NULL",
        name,
    )


# The API (`/v1/keys`): each change announced in the feed.


async def create(conn: asyncpg.Connection, data: schemas.ApiKeyCreate) -> schemas.ApiKeyWithSecret:
    key = await _insert(conn, data.name, tuple(data.scopes), data.rate_limit_per_minute)
    await _announce(conn, "created", key)
    return key


async def list_keys(
    conn: asyncpg.Connection, limit: int, cursor: str | None, revoked: bool | None
) -> schemas.ApiKeyList:
    after = decode_cursor(cursor, str) if cursor else ""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM api_keys"
        " WHERE id > $1 AND ($2::bool IS NULL OR (revoked_at IS NOT NULL) = $2)"
        " ORDER BY id LIMIT $3",
        after,
        revoked,
        limit + 1,
    )
    page, next_cursor = split_page(rows, limit, lambda row: row["id"])
    return schemas.ApiKeyList([_key(row) for row in page], next_cursor)


async def get(conn: asyncpg.Connection, key_id: str) -> schemas.ApiKey:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM api_keys WHERE id = $1", key_id)
    if row is None:
        raise not_found(key_id)
    return _key(row)


async def update(
    conn: asyncpg.Connection, key_id: str, changes: schemas.ApiKeyUpdate, if_match: int | None
) -> schemas.ApiKey:
    """Apply the members given; a change that changes nothing makes no new version."""
    current = await _lock(conn, key_id, if_match)
    if current.revoked_at is not None:
        raise ApiError(
            409,
            "key-revoked",
            f"API key {key_id} was revoked at {current.revoked_at.isoformat()} and cannot be"
            " changed; create a new key instead.",
        )
    name = current.name if changes.name is UNSET else changes.name
    scopes = current.scopes if changes.scopes is UNSET else in_order(changes.scopes)
    limit = (
        current.rate_limit_per_minute
        if changes.rate_limit_per_minute is UNSET
        else changes.rate_limit_per_minute
    )
    if (name, scopes, limit) == (current.name, current.scopes, current.rate_limit_per_minute):
        return current
    if "admin" in current.scopes and "admin" not in scopes:
        await _keep_an_admin(conn, key_id, "take the admin scope from")
    row = await conn.fetchrow(
        f"""UPDATE api_keys
               SET name = $2, scopes = $3, rate_limit_per_minute = $4,
                   version = version + 1, updated_at = now()
             WHERE id = $1 RETURNING {_COLUMNS}""",
        key_id,
        name,
        scopes,
        limit,
    )
    key = _key(row)
    await _announce(conn, "updated", key)
    return key


async def revoke(conn: asyncpg.Connection, key_id: str, if_match: int | None) -> schemas.ApiKey:
    """Revoke a key for good; revoking a revoked key changes nothing and answers it."""
    current = await _lock(conn, key_id, if_match)
    if current.revoked_at is not None:
        return current
    if "admin" in current.scopes:
        await _keep_an_admin(conn, key_id, "revoke")
    key = await _revoke(conn, key_id)
    assert key is not None  # locked above, and not revoked
    await _announce(conn, "revoked", key)
    return key


async def _insert(
    conn: asyncpg.Connection, name: str, scopes: tuple[str, ...], rate_limit: int | None
) -> schemas.ApiKeyWithSecret:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = await conn.fetchrow(
        f"""INSERT INTO api_keys (id, name, prefix, secret_hash, scopes, rate_limit_per_minute)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING {_COLUMNS}""",
        new_id("key"),
        name,
        secret[:_PREFIX_LENGTH],
        digest(secret),
        in_order(scopes),
        rate_limit,
    )
    assert row is not None
    return schemas.ApiKeyWithSecret(**dict(row), secret=secret)


async def _revoke(conn: asyncpg.Connection, key_id: str) -> schemas.ApiKey | None:
    row = await conn.fetchrow(
        f"""UPDATE api_keys SET revoked_at = now(), version = version + 1, updated_at = now()
             WHERE id = $1 AND revoked_at IS NULL RETURNING {_COLUMNS}""",
        key_id,
    )
    return None if row is None else _key(row)


async def _lock(conn: asyncpg.Connection, key_id: str, if_match: int | None) -> schemas.ApiKey:
    """The key, once no other change of keys through the API is under way; 404 if unknown,
    412 if `if_match` is not its version."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _WRITES_LOCK)
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM api_keys WHERE id = $1 FOR UPDATE", key_id)
    if row is None:
        raise not_found(key_id)
    current = _key(row)
    if if_match is not None and if_match != current.version:
        raise ApiError(
            412,
            "precondition-failed",
            f"If-Match names version {if_match}, but API key {key_id} is at version"
            f" {current.version}. Read it again and re-apply your change.",
            current_version=current.version,
        )
    return current


async def _keep_an_admin(conn: asyncpg.Connection, key_id: str, action: str) -> None:
    others = await conn.fetchval(
        "SELECT count(*) FROM api_keys"
        " WHERE revoked_at IS NULL AND 'admin' = ANY(scopes) AND id <> $1",
        key_id,
    )
    if not others:
        raise ApiError(
            409,
            "last-admin-key",
            f"API key {key_id} is the last active key with the admin scope: to {action} it"
            " would leave nobody able to manage keys or webhooks. Create another admin key"
            " first.",
        )


async def _announce(conn: asyncpg.Connection, action: str, key: schemas.ApiKey) -> None:
    """The key's change as an event in the changes feed, in the same transaction."""
    data = schemas.ApiKeyChanged(
        id=key.id,
        version=key.version,
        scopes=list(key.scopes),
        rate_limit_per_minute=key.rate_limit_per_minute,
        created_at=key.created_at,
        updated_at=key.updated_at,
        revoked_at=key.revoked_at,
    )
    await conn.execute(
        """INSERT INTO events (id, type, occurred_at, resource, resource_id, version, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        new_id("evt"),
        f"{RESOURCE}.{action}",
        key.updated_at,
        RESOURCE,
        key.id,
        key.version,
        msgspec.json.encode(data).decode(),
    )
