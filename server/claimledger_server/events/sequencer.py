"""Gives committed events their public, gap-free position in commit order.

Positions are handed out only to committed events (an open transaction's events are not
visible to us yet) and only by one pass at a time, each pass starting after the previous one
committed; so a reader can never see a position appear below one it has already seen.

Any number of processes run it (every API process and every webhook worker); an advisory
lock lets one at a time do the work, so positions are handed out by a single writer. It wakes
on NOTIFY from the events trigger and also polls, in case a notification was missed while a
connection was being re-established."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from claimledger_server import background
from claimledger_server.db.pool import Listener

log = logging.getLogger("claimledger.sequencer")

CHANNEL = "claimledger_events"
_LOCK_ID = 7_203_118_002
BATCH = 5000

# Hooks run in the sequencing transaction with the new positions (first, last], so work that
# must follow commit order (creating webhook deliveries) commits together with the order.
Connection = asyncpg.Connection | PoolConnectionProxy
PositionedHook = Callable[[Connection, int, int], Awaitable[None]]

LAST_POSITION = """
    SELECT greatest(max(position), (SELECT position FROM feed_floor), 0) AS position
      FROM events"""
"""The feed's last position: the highest handed out, or the last position of the original a
history import restored (`feed_floor`), if that is higher."""

_ASSIGN = f"""
    WITH ready AS (
        SELECT seq, row_number() OVER (ORDER BY seq) AS n
          FROM events
         WHERE position IS NULL
         ORDER BY seq
         LIMIT {BATCH}
    ), top AS ({LAST_POSITION}
    )
    UPDATE events e SET position = top.position + ready.n
      FROM ready, top
     WHERE e.seq = ready.seq
    RETURNING e.position
"""


async def raise_floor(conn: Connection, position: int) -> None:
    """Let new events be numbered after `position` (a history import's, in its transaction)."""
    await conn.execute(
        """INSERT INTO feed_floor (position) VALUES ($1)
           ON CONFLICT (single) DO UPDATE
           SET position = greatest(feed_floor.position, excluded.position)""",
        position,
    )


async def assign_positions(conn: Connection, hooks: list[PositionedHook]) -> int:
    """Position every event that is ready; returns how many were positioned."""
    total = 0
    while True:
        async with conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _LOCK_ID):
                return total  # another process is sequencing right now
            positions = [row["position"] for row in await conn.fetch(_ASSIGN)]
            if positions:
                for hook in hooks:
                    await hook(conn, min(positions) - 1, max(positions))
        total += len(positions)
        if len(positions) < BATCH:
            return total


async def _run(pool: asyncpg.Pool, hooks: list[PositionedHook], poll_seconds: float) -> None:
    wake = asyncio.Event()

    def notified(*_: object) -> None:
        wake.set()

    listener = Listener(pool, CHANNEL, notified)
    try:
        while True:
            try:
                await assign_positions(await listener.connection(), hooks)
            except Exception as exc:  # keep sequencing whatever went wrong: the feed waits on it
                if isinstance(exc, asyncpg.PostgresError | asyncpg.InterfaceError | OSError):
                    log.warning("sequencer: %s", exc)
                else:  # e.g. asyncpg's state confusion on a connection lost mid-operation
                    log.exception("sequencer: unexpected error")
                await listener.drop()
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that lands as the wait ends, and the task would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll_seconds):
                    await wake.wait()
            wake.clear()
    finally:
        await listener.close()


def running(
    pool: asyncpg.Pool, hooks: list[PositionedHook], poll_seconds: float = 0.5
) -> contextlib.AbstractAsyncContextManager[None]:
    """The sequencer, for as long as the block runs."""
    return background.running(_run(pool, hooks, poll_seconds), "claimledger-sequencer")
