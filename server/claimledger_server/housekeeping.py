"""Periodic clean-up that needs no operator: expired idempotency records, finished
rate-limit windows, and webhook deliveries (with their attempt logs) that ended more than
`DELIVERY_RETENTION` ago; the events themselves stay, so any of them can be replayed.
Every API process runs it; the deletes are idempotent, so several processes doing it at once
only repeat each other's work."""

import asyncio
import contextlib
import logging
from datetime import timedelta

import asyncpg

from claimledger_server import background
from claimledger_server.idempotency import purge_expired

log = logging.getLogger("claimledger.housekeeping")
INTERVAL_SECONDS = 600.0
DELIVERY_RETENTION = timedelta(days=30)


async def sweep(pool: asyncpg.Pool) -> None:
    while await purge_expired(pool) > 0:  # in batches, so no one statement runs long
        pass
    await pool.execute(
        "DELETE FROM rate_limit_windows WHERE window_start < now() - interval '2 minutes'"
    )
    await pool.execute(
        "DELETE FROM webhook_deliveries"
        " WHERE status <> 'pending' AND created_at < now() - $1::interval",
        DELIVERY_RETENTION,
    )


async def _loop(pool: asyncpg.Pool, interval: float) -> None:
    while True:
        try:
            await sweep(pool)
        except Exception as exc:  # the next sweep may well succeed: never stop sweeping
            if isinstance(exc, asyncpg.PostgresError | asyncpg.InterfaceError | OSError):
                log.warning("housekeeping failed, retrying in %.0f s: %s", interval, exc)
            else:
                log.exception("housekeeping failed, retrying in %.0f s", interval)
        await asyncio.sleep(interval)


def running(
    pool: asyncpg.Pool, interval: float = INTERVAL_SECONDS
) -> contextlib.AbstractAsyncContextManager[None]:
    """Housekeeping, for as long as the block runs."""
    return background.running(_loop(pool, interval), "claimledger-housekeeping")
