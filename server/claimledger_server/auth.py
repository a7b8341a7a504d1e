"""Bearer API keys with `read` < `write` < `admin` scopes: who a request is, and what this
process remembers of the keys it has checked. The keys themselves are stored and changed in
`keys/store.py`, the one place that reads or writes them.

A key is 32 random bytes shown once at creation; only its SHA-256 is stored (a key this
long needs no slow hash: nobody can guess it, so the hash only has to be one-way). Verified
keys are cached per process for `api_key_cache_seconds`, so a read costs no extra round
trip; that is also how long a change to a key (revoked, new scopes or rate limit) may take
to reach the other processes. The process that makes the change forgets the key at once."""

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Awaitable, Callable

import asyncpg
import msgspec

SCOPES = ("read", "write", "admin")
KEY_PREFIX = "clk_"
USE_RECORD_SECONDS = 60.0
"""A key's `last_used_at` is written at most this often per process: not on every request."""

Lookup = Callable[[asyncpg.Pool, bytes], Awaitable["ApiKey | None"]]
RecordUse = Callable[[asyncpg.Pool, str], Awaitable[None]]


class ApiKey(msgspec.Struct, frozen=True):
    """The key a request was made with."""

    id: str
    name: str
    scopes: tuple[str, ...]
    rate_limit_per_minute: int | None = None

    def allows(self, scope: str) -> bool:
        """Each scope includes the ones below it: admin can write, write can read."""
        needed = SCOPES.index(scope)
        return any(SCOPES.index(held) >= needed for held in self.scopes)


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def parse_scopes(text: str) -> tuple[str, ...]:
    scopes = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"scopes must be a comma-separated subset of {', '.join(SCOPES)}")
    return scopes


class KeyCache:
    """What this process knows of the keys it was shown, by digest, for `ttl` seconds.

    `lookup` finds an active key by digest and `record_use` writes its `last_used_at`
    (both `keys/store.py`, passed in by the app); `clock` is what tests turn forward."""

    def __init__(
        self,
        ttl_seconds: float,
        lookup: Lookup,
        record_use: RecordUse,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._lookup = lookup
        self._record_use = record_use
        self._entries: dict[bytes, tuple[float, ApiKey | None]] = {}
        self._use_due: dict[str, float] = {}
        self._recording: set[asyncio.Task[None]] = set()

    def recall(self, secret: str) -> tuple[bytes, bool, ApiKey | None]:
        """What this process knows of `secret` without asking the database: its digest,
        whether it is known, and the key it is (None: known to be invalid, or unknown)."""
        key_digest = digest(secret)
        cached = self._entries.get(key_digest)
        if cached is not None and cached[0] > self.clock():
            return key_digest, True, cached[1]
        return key_digest, False, None

    async def fetch(self, pool: asyncpg.Pool, key_digest: bytes) -> ApiKey | None:
        """Ask the database, and remember the answer for `ttl` seconds."""
        key = await self._lookup(pool, key_digest)
        if len(self._entries) > 10_000:  # many distinct bad keys must not grow memory
            self._entries.clear()
        self._entries[key_digest] = (self.clock() + self.ttl, key)
        return key

    def forget(self, key_id: str) -> None:
        """Drop what this process holds of a key that was just changed or revoked here."""
        stale = [d for d, (_, key) in self._entries.items() if key is not None and key.id == key_id]
        for key_digest in stale:
            del self._entries[key_digest]

    def note_use(self, pool: asyncpg.Pool, key_id: str) -> None:
        """A request was made with `key_id`: record it, if this process has not in the last
        `USE_RECORD_SECONDS`, in the background, so no request waits for that write."""
        now = self.clock()
        due = self._use_due.get(key_id)
        if due is not None and due > now:
            return
        if len(self._use_due) > 10_000:
            self._use_due.clear()
        self._use_due[key_id] = now + USE_RECORD_SECONDS
        task = asyncio.create_task(self._record(pool, key_id))
        self._recording.add(task)
        task.add_done_callback(self._recording.discard)

    async def _record(self, pool: asyncpg.Pool, key_id: str) -> None:
        # `last_used_at` is a hint for whoever manages keys: a write lost to an outage is not
        # worth a failed request or a retry loop.
        with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            await self._record_use(pool, key_id)

    async def settle(self) -> None:
        """Wait for the uses being recorded (before the pool they write through closes)."""
        if self._recording:
            await asyncio.gather(*self._recording, return_exceptions=True)
