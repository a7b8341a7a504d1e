"""Connection pools. JSON columns pass through as text: documents are encoded once with
msgspec when written and sent to clients byte-for-byte when read."""

import asyncio
import contextlib
from collections.abc import Callable, Generator
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool reset hook: nothing to undo. asyncpg has already rolled back any open transaction
    and dropped client-side listeners; its default reset would also send RESET ALL, UNLISTEN,
    CLOSE ALL and an advisory-unlock round trip on every release (a sixth of a fast read's
    cost), for session state this code never leaves behind: settings are fixed at connect,
    cursors and advisory locks are transaction-scoped, and the one LISTEN (the sequencer's)
    is undone before its connection goes back."""


class FairPool(asyncpg.Pool):
    """asyncpg's pool, lending its connections in the order they were asked for.

    asyncpg queues the tasks waiting for a connection in an `asyncio.Queue`, and a task that
    asks just as a connection comes back takes it ahead of those already waiting, which then
    queue again at the back: under load a few requests lose turn after turn. Here a task
    first takes a turn from a semaphore as large as the pool, which asyncio serves first
    come, first served, so asyncpg's queue never has a waiter to overtake.

    Waiting in turn shortens the slowest requests' waits without changing throughput: at 32
    connections on a pool of 20, the claimant list's p99 went from 41-44 to 33-39 ms
    (bench/README.md, "Connections")."""

    def __init__(self, dsn: str, *, max_size: int, **options: Any) -> None:
        super().__init__(dsn, max_size=max_size, **options)
        self._turns = asyncio.Semaphore(max_size)
        self._lent: set[int] = set()
        """`id()`s of the connections lent with a turn, which their release gives back."""
        self.waiting = 0
        """Tasks waiting for a connection (the metrics' pool gauge)."""

    def acquire(self, *, timeout: float | None = None) -> "_Turn":  # type: ignore[override]
        """A connection, as `async with pool.acquire() as conn` or `await pool.acquire()`
        (then given back with `release`), as asyncpg's; `timeout` bounds the whole wait."""
        return _Turn(self, timeout)

    async def release(
        self,
        connection: Any,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 (asyncpg's signature, kept by callers)
    ) -> None:
        try:
            self._lent.remove(id(connection))
            turn = True
        except KeyError:  # not lent with a turn, or given back already
            turn = False
        try:
            await super().release(connection, timeout=timeout)
        finally:
            if turn:
                self._turns.release()


class _Turn:
    """`FairPool.acquire()`: awaitable, or an async context manager that releases."""

    __slots__ = ("connection", "pool", "timeout")

    def __init__(self, pool: FairPool, timeout: float | None) -> None:
        self.pool = pool
        self.timeout = timeout
        self.connection: PoolConnectionProxy | None = None

    async def _take(self) -> PoolConnectionProxy:
        if self.timeout is None:  # most callers: no timer to set up and cancel
            return await self._take_in_turn()
        async with asyncio.timeout(self.timeout):
            return await self._take_in_turn()

    async def _take_in_turn(self) -> PoolConnectionProxy:
        pool = self.pool
        pool.waiting += 1
        try:
            await pool._turns.acquire()
        finally:
            pool.waiting -= 1
        try:
            connection: PoolConnectionProxy = await asyncpg.Pool.acquire(pool, timeout=self.timeout)
        except BaseException:
            pool._turns.release()
            raise
        pool._lent.add(id(connection))
        return connection

    def __await__(self) -> Generator[Any, None, PoolConnectionProxy]:
        return self._take().__await__()

    async def __aenter__(self) -> PoolConnectionProxy:
        self.connection = await self._take()
        return self.connection

    async def __aexit__(self, *exc: object) -> None:
        connection, self.connection = self.connection, None
        await self.pool.release(connection)


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> FairPool:
    """A `FairPool` set up as `asyncpg.create_pool` would with these options."""
    pool = FairPool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        # Statements are built per request from a small fixed set; caching them is a win.
        statement_cache_size=512,
        # No JIT: it pays only for long analytic statements, and every statement here is
        # short. The planner's cost of a newest-first search (an index expression it must
        # never evaluate row by row, costed high on purpose: migration 0020) passes JIT's
        # threshold, and compiling took 100-300 ms of a 1 ms statement.
        server_settings={"application_name": "claimledger", "timezone": "UTC", "jit": "off"},
        reset=_keep_session,
    )
    return await pool


def usable(conn: PoolConnectionProxy) -> bool:
    """Whether a connection held for a long time (a LISTEN) can still be used: not when the
    server closed it, nor when the pool took it back after losing it (a server restart), in
    which case even asking `is_closed()` raises."""
    try:
        return not conn.is_closed()
    except asyncpg.InterfaceError:
        return False


class Listener:
    """A pooled connection held to LISTEN on one channel (the sequencer's and the webhook
    worker's wake-ups), acquired again when the server closed it (a restart)."""

    def __init__(self, pool: asyncpg.Pool, channel: str, callback: Callable[..., Any]) -> None:
        self.pool = pool
        self.channel = channel
        self.callback = callback
        self._conn: PoolConnectionProxy | None = None
        self._listening = False

    async def connection(self) -> PoolConnectionProxy:
        """The listening connection, made anew if there is none or it can no longer be used."""
        if self._conn is None or not usable(self._conn) or not self._listening:
            await self.drop()
            # Held from the moment it is acquired, so that `drop` gives it back even when
            # the LISTEN is cancelled (the app stopping): a connection the pool lent and
            # nobody holds would make `pool.close()` wait for it forever.
            self._conn = await self.pool.acquire()
            await self._conn.add_listener(self.channel, self.callback)
            self._listening = True
        return self._conn

    async def drop(self) -> None:
        """Give the connection back after an error; the next `connection()` makes a new one.
        UNLISTEN first: the pool's reset leaves session state alone (`_keep_session`). The
        connection goes back to the pool even when the UNLISTEN is cancelled, and the
        release is not cancelled half way (see `connection`)."""
        conn, self._conn, self._listening = self._conn, None, False
        if conn is None:
            return
        try:
            with contextlib.suppress(Exception):
                await conn.remove_listener(self.channel, self.callback)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(self.pool.release(conn))

    async def close(self) -> None:
        """Give the connection back, usable or not: the pool waits for every connection it
        lent before it closes, one the server closed included."""
        await self.drop()
