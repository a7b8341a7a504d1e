"""Bearer API keys with `read` < `write` < `admin` scopes.

A key is 32 random bytes shown once at creation; only its SHA-256 is stored (a key this
long needs no slow hash: nobody can guess it, so the hash only has to be one-way). Verified
keys are cached briefly per process so a read costs no extra round trip."""

import hashlib
import secrets
import time

import asyncpg
import msgspec

from claimledger_server.ids import new_id

SCOPES = ("read", "write", "admin")
KEY_PREFIX = "clk_"


class ApiKey(msgspec.Struct, frozen=True):
    id: str
    name: str
    scopes: tuple[str, ...]
    rate_limit_per_minute: int | None = None

    def allows(self, scope: str) -> bool:
        """Each scope includes the ones below it: admin can write, write can read."""
        needed = SCOPES.index(scope)
        return any(SCOPES.index(held) >= needed for held in self.scopes)


class StoredKey(msgspec.Struct):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    rate_limit_per_minute: int | None
    created_at: str
    revoked_at: str | None


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def parse_scopes(text: str) -> tuple[str, ...]:
    scopes = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"scopes must be a comma-separated subset of {', '.join(SCOPES)}")
    return scopes


async def create_key(
    conn: asyncpg.Connection,
    name: str,
    scopes: tuple[str, ...],
    rate_limit_per_minute: int | None = None,
) -> str:
    """Store a new key and return its secret, which is never retrievable again."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO api_keys (id, name, prefix, secret_hash, scopes, rate_limit_per_minute)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        new_id("key"),
        name,
        secret[: len(KEY_PREFIX) + 6],
        _digest(secret),
        list(scopes),
        rate_limit_per_minute,
    )
    return secret


async def find_active_key(db: asyncpg.Pool | asyncpg.Connection, secret: str) -> ApiKey | None:
    """The key with this secret, unless there is none or it was revoked."""
    return await _find_active(db, _digest(secret))


async def _find_active(db: asyncpg.Pool | asyncpg.Connection, digest: bytes) -> ApiKey | None:
    row = await db.fetchrow(
        "SELECT id, name, scopes, rate_limit_per_minute FROM api_keys"
        " WHERE secret_hash = $1 AND revoked_at IS NULL",
        digest,
    )
    if row is None:
        return None
    return ApiKey(row["id"], row["name"], tuple(row["scopes"]), row["rate_limit_per_minute"])


async def list_keys(conn: asyncpg.Connection) -> list[StoredKey]:
    rows = await conn.fetch(
        "SELECT id, name, prefix, scopes, rate_limit_per_minute, created_at::text,"
        " revoked_at::text"
        " FROM api_keys ORDER BY id"
    )
    return [StoredKey(**dict(row)) for row in rows]


async def revoke_key(conn: asyncpg.Connection, key_id: str) -> bool:
    status = await conn.execute(
        "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", key_id
    )
    return status.endswith(" 1")


class KeyCache:
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[bytes, tuple[float, ApiKey | None]] = {}

    def recall(self, secret: str) -> tuple[bytes, bool, ApiKey | None]:
        """What this process knows of `secret` without asking the database: its digest,
        whether it is known, and the key it is (None: known to be invalid, or unknown)."""
        digest = _digest(secret)
        cached = self._entries.get(digest)
        if cached is not None and cached[0] > time.monotonic():
            return digest, True, cached[1]
        return digest, False, None

    async def fetch(self, pool: asyncpg.Pool, digest: bytes) -> ApiKey | None:
        """Ask the database, and remember the answer for `ttl` seconds."""
        key = await _find_active(pool, digest)
        if len(self._entries) > 10_000:  # many distinct bad keys must not grow memory
            self._entries.clear()
        self._entries[digest] = (time.monotonic() + self.ttl, key)
        return key
