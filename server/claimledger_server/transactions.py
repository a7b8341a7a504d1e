"""Transactions every package opens: a write retried when PostgreSQL breaks a deadlock, and a
read-only snapshot for answers built from several queries."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import asyncpg

from claimledger_server.consistency import after_commit

T = TypeVar("T")


async def run_in_transaction(
    pool: asyncpg.Pool, work: Callable[[asyncpg.Connection], Awaitable[T]]
) -> T:
    """Run `work` in a transaction, retrying when PostgreSQL aborts it to break a deadlock
    (two writers locking the same rows in opposite orders); the retry is safe because
    nothing of an aborted transaction is kept. The request being served answers the
    commit's consistency token (`consistency.py`)."""
    for attempt in range(3):
        try:
            async with pool.acquire() as conn:
                async with conn.transaction():
                    result = await work(conn)  # type: ignore[arg-type]  # a proxy is a Connection
                await after_commit(conn)  # type: ignore[arg-type]
                return result
        except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError):
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@asynccontextmanager
async def snapshot(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A read-only connection whose every statement sees one and the same snapshot, for
    answers built from several queries (a claim and its neighbours, a summary's groups and
    their sources, an export)."""
    async with (
        pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        yield conn  # type: ignore[misc]  # a pool proxy is a Connection
