"""Request budgets per minute, shared by every API process through PostgreSQL: one per API
key, and one per client address for failed authentications (`access.AccessGate`).

Fixed one-minute windows, counted in an unlogged table all processes share. A process does
not ask the database on every request: it reserves a small lease of the key's budget (up to
`MAX_LEASE` requests, a twentieth of what is left, and a single request when little is left)
and spends it locally, so a busy key costs one round trip per lease while the limit stays
exact near its end. What a process leaves unspent when the minute turns is lost: at most
`MAX_LEASE` requests per process and key, a small under-admission, never an over-admission.
A busy key's next lease is reserved in the background when a quarter of the current one is
left, so requests do not queue behind that round trip (it would sit in every 50th request's
latency, and in the tail of every request that arrives while it is in flight).

Every response to an authenticated request carries `RateLimit-Limit`, `RateLimit-Remaining`
and `RateLimit-Reset` (seconds until the window resets); past the limit the answer is 429
with `Retry-After` (both sent by `access.AccessGate`). The limit is the key's own
`rate_limit_per_minute`, else the default.

A process keeps one `RateLimiter` per kind of budget, shared by every route: one per route
would lease each route its own share of a key's budget, so a key would be refused long before
its limit when its requests spread over routes, and `RateLimit-Remaining` would differ from
route to route. The table's `api_key_id` column holds the budget's name: an API key's id,
or `client:<address>` for a client address's failed authentications."""

import asyncio
import contextlib
import math
import time

import asyncpg

MAX_LEASE = 50
MAX_LIMIT = 1_000_000_000
"""The largest limit a budget may have: a window's count (an int4) passes the limit by at
most a lease per process, so it stays far from 2^31."""

# Adds the whole request to the window's count, granted or not: the count may pass the limit,
# and then every process reading it knows the window is spent.
_RESERVE = """
    INSERT INTO rate_limit_windows AS w (api_key_id, window_start, count)
    VALUES ($1, date_trunc('minute', now()), $2)
    ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = w.count + $2
    RETURNING count,
              extract(epoch FROM w.window_start + interval '1 minute' - now())::float8 AS left_s
"""


class _Lease:
    __slots__ = ("counted", "ends_at", "limit", "refill_at", "unspent")

    def __init__(self, counted: int, ends_at: float, limit: int, unspent: int) -> None:
        self.counted = counted  # the window's count in the database after our reservation
        self.ends_at = ends_at  # time.monotonic() at which the window ends
        self.limit = limit
        self.unspent = unspent  # -1: this request was refused
        # Small leases (near the limit) are not renewed ahead: other processes may need it.
        self.refill_at = unspent // 4 if unspent >= 8 else -1


class RateLimiter:
    """One per process: the leases it holds, by API key."""

    def __init__(self) -> None:
        self._leases: dict[str, _Lease] = {}
        self._reserving: dict[str, asyncio.Future[None]] = {}
        """Per key, the one reservation in flight; requests that find the lease spent wait
        for it together (a lock would wake them one per event-loop pass, a convoy that
        put ~10 ms into a tenth of all requests at 4,000 requests a second)."""
        self._refills: set[asyncio.Task[None]] = set()

    async def take(self, pool: asyncpg.Pool, key_id: str, limit: int) -> tuple[bool, int, int]:
        """Spend one request: (allowed, remaining, seconds until reset)."""
        lease = self._spend(key_id)
        while lease is None:
            if (landing := self._reserving.get(key_id)) is not None:
                await landing
                lease = self._spend(key_id)
                continue
            done = self._begin(key_id)
            try:
                lease = await self._reserve(pool, key_id, limit)
            finally:
                self._end(key_id, done)
        if (
            lease.refill_at >= 0
            and lease.unspent == lease.refill_at
            and key_id not in self._reserving
        ):
            done = self._begin(key_id)
            task = asyncio.create_task(self._refill(pool, key_id, limit, lease, done))
            self._refills.add(task)
            task.add_done_callback(self._refills.discard)
        reset = max(1, math.ceil(lease.ends_at - time.monotonic()))
        remaining = max(0, limit - lease.counted) + max(0, lease.unspent)
        return lease.unspent >= 0, remaining, reset

    def refusing(self, key_id: str) -> int | None:
        """Seconds until the window ends when it is known to be spent, without asking the
        database; None when a request might still be allowed."""
        lease = self._leases.get(key_id)
        if lease is None or lease.unspent >= 0 or lease.counted < lease.limit:
            return None
        left = lease.ends_at - time.monotonic()
        return max(1, math.ceil(left)) if left > 0 else None

    def _begin(self, key_id: str) -> asyncio.Future[None]:
        done = self._reserving[key_id] = asyncio.get_running_loop().create_future()
        return done

    def _end(self, key_id: str, done: asyncio.Future[None]) -> None:
        del self._reserving[key_id]
        done.set_result(None)

    def _spend(self, key_id: str) -> _Lease | None:
        """Spend from the lease held; None when the database must be asked."""
        lease = self._leases.get(key_id)
        if lease is None or time.monotonic() >= lease.ends_at:
            return None
        if lease.unspent < 0:
            # Refused, and the window is spent for every process: refuse until it ends.
            return lease if lease.counted >= lease.limit else None
        if lease.unspent == 0:
            return None
        lease.unspent -= 1
        return lease

    async def _refill(
        self,
        pool: asyncpg.Pool,
        key_id: str,
        limit: int,
        lease: _Lease,
        done: asyncio.Future[None],
    ) -> None:
        try:
            # On failure the request that finds the lease spent asks again, and reports it.
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await self._reserve(pool, key_id, limit, renewing=lease)
        finally:
            self._end(key_id, done)

    async def _reserve(
        self, pool: asyncpg.Pool, key_id: str, limit: int, *, renewing: _Lease | None = None
    ) -> _Lease:
        """A new lease; for a request (which it serves at once) or `renewing` one ahead."""
        previous = self._leases.get(key_id)
        known_left = limit
        if previous is not None and time.monotonic() < previous.ends_at:
            known_left = limit - previous.counted
        ask = max(1, min(MAX_LEASE, known_left // 20))
        row = await pool.fetchrow(_RESERVE, key_id, ask)
        assert row is not None  # an upsert with RETURNING always returns its row
        counted, left_s = row["count"], row["left_s"]
        granted = max(0, min(ask, limit - (counted - ask)))
        ends_at = time.monotonic() + left_s
        if renewing is None:
            unspent = granted - 1
        elif abs(ends_at - renewing.ends_at) < 1:
            unspent = granted + renewing.unspent  # what is left of it as of now, after the await
        else:
            unspent = granted  # a new window: what was left of the old one has expired
        if len(self._leases) > 10_000:  # many keys at once: forget, the database remembers
            self._leases.clear()
        lease = _Lease(counted, ends_at, limit, unspent)
        self._leases[key_id] = lease
        return lease
