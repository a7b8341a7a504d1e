"""The gauges read from the database when scraped: the webhook outbox, the sequencer and
the replica's lag. They describe the database, not a process, so every process answers
the same; any one scrape reads them once.

Each scrape opens a connection of its own (not one of the API's pools: when those are
exhausted is when the numbers matter), bounded by `TIMEOUT_SECONDS` in all and the same
statement timeout on the server. The queries read partial indexes of pending rows, so they
cost what is waiting, not the size of the tables. A database that does not answer in time
shows as `claimledger_database_scrape_success 0` and its gauges are left out of that
scrape; the rest of the scrape is unaffected."""

import asyncio
import time

import asyncpg
from prometheus_client.core import GaugeMetricFamily, Metric

TIMEOUT_SECONDS = 1.0
"""What a scrape waits for the database at most, connecting included."""

# Pending deliveries are due, scheduled for a retry later, or parked (their endpoint is
# disabled: next_attempt_at is 'infinity' until it is enabled again). The oldest age leaves
# parked ones out, or a disabled endpoint would raise it for good.
_PRIMARY = """
    SELECT o.due, o.scheduled, o.parked, o.oldest_seconds,
           (SELECT count(*) FROM events WHERE position IS NULL) AS unsequenced,
           (SELECT extract(epoch FROM now() - occurred_at) FROM events
             WHERE position IS NULL ORDER BY seq LIMIT 1) AS sequencer_lag_seconds
      FROM (SELECT count(*) FILTER (WHERE next_attempt_at <= now()) AS due,
                   count(*) FILTER (WHERE next_attempt_at > now()
                                      AND next_attempt_at < 'infinity') AS scheduled,
                   count(*) FILTER (WHERE next_attempt_at = 'infinity') AS parked,
                   extract(epoch FROM now() - min(created_at)
                           FILTER (WHERE next_attempt_at < 'infinity')) AS oldest_seconds
              FROM webhook_deliveries WHERE status = 'pending') AS o
"""
_PRIMARY_LSN = "SELECT pg_current_wal_lsn()"
# Behind when it has not replayed the primary's position read just before; by how long is
# the age of the last transaction it replayed (PostgreSQL's own measure of replay delay).
_REPLICA = """
    SELECT pg_is_in_recovery() AS recovering,
           CASE WHEN NOT pg_is_in_recovery() THEN 0
                ELSE greatest(0, pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())) END
               AS lag_bytes,
           CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn THEN 0
                ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))
           END AS lag_seconds
"""


async def _connect(dsn: str) -> asyncpg.Connection:
    return await asyncpg.connect(
        dsn,
        timeout=TIMEOUT_SECONDS,
        statement_cache_size=0,
        server_settings={
            "application_name": "claimledger-metrics",
            "statement_timeout": str(int(TIMEOUT_SECONDS * 1000)),
        },
    )


def _gauge(name: str, documentation: str, value: float | None) -> list[Metric]:
    if value is None:
        return []
    return [GaugeMetricFamily(name, documentation, value=float(value))]


async def _primary(dsn: str, with_lsn: bool) -> tuple[list[Metric], int | None]:
    conn = await _connect(dsn)
    try:
        row = await conn.fetchrow(_PRIMARY)
        lsn = await conn.fetchval(_PRIMARY_LSN) if with_lsn else None
    finally:
        await conn.close()
    assert row is not None
    pending = GaugeMetricFamily(
        "claimledger_outbox_pending_deliveries",
        "Webhook deliveries not yet delivered nor failed: `due` now, `scheduled` for a retry"
        " later, or `parked` while their endpoint is disabled.",
        labels=["state"],
    )
    for state in ("due", "scheduled", "parked"):
        pending.add_metric([state], row[state])
    families: list[Metric] = [pending]
    families += _gauge(
        "claimledger_outbox_oldest_pending_age_seconds",
        "Age of the oldest due or scheduled delivery; 0 when there is none.",
        row["oldest_seconds"] or 0,
    )
    families += _gauge(
        "claimledger_sequencer_pending_events",
        "Committed events still waiting for their position in the changes feed.",
        row["unsequenced"],
    )
    families += _gauge(
        "claimledger_sequencer_lag_seconds",
        "How long the oldest event waiting for its position has waited (since its"
        " `occurred_at`); 0 when none waits.",
        max(0.0, float(row["sequencer_lag_seconds"] or 0)),
    )
    return families, lsn


async def _replica(dsn: str, primary_lsn: int) -> list[Metric]:
    conn = await _connect(dsn)
    try:
        row = await conn.fetchrow(_REPLICA, primary_lsn)
    finally:
        await conn.close()
    assert row is not None
    return [
        *_gauge(
            "claimledger_replica_lag_bytes",
            "WAL the read replica (DATABASE_READ_URL) has still to replay; 0 when it is not"
            " a standby.",
            row["lag_bytes"],
        ),
        *_gauge(
            "claimledger_replica_lag_seconds",
            "Age of the last transaction the read replica replayed, while it is behind the"
            " primary; 0 when it is caught up or not a standby.",
            row["lag_seconds"],
        ),
    ]


async def database_families(dsn: str, read_dsn: str | None) -> list[Metric]:
    """Every database gauge, with whether each database answered in time."""
    success = GaugeMetricFamily(
        "claimledger_database_scrape_success",
        "1 when the database answered this scrape's queries in time; 0 leaves its gauges out.",
        labels=["database"],
    )
    duration = GaugeMetricFamily(
        "claimledger_database_scrape_duration_seconds",
        "How long this scrape's database queries took.",
        labels=["database"],
    )
    families: list[Metric] = []
    lsn: int | None = None
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            found, lsn = await _primary(dsn, with_lsn=read_dsn is not None)
        families += found
        success.add_metric(["primary"], 1)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        success.add_metric(["primary"], 0)
    duration.add_metric(["primary"], time.perf_counter() - started)
    if read_dsn is not None:
        started = time.perf_counter()
        try:
            if lsn is None:
                raise TimeoutError  # no primary position to compare with
            async with asyncio.timeout(TIMEOUT_SECONDS):
                families += await _replica(read_dsn, lsn)
            success.add_metric(["replica"], 1)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            success.add_metric(["replica"], 0)
        duration.add_metric(["replica"], time.perf_counter() - started)
    return [*families, success, duration]
