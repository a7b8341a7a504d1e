"""Plans of the outbox's statements made while it was empty must not outlive a burst.

A freshly built database has `webhook_deliveries` analyzed while empty; with autovacuum off
nothing analyzes it again. The worker's statements are prepared per connection and run
generic plans; made on a page or two, those scan the whole table per row they look up, and
a 5,000-event backlog then drained at 68-250 deliveries/s in bursts. Each test has a
database of its own, set to that state."""

import json
from collections.abc import AsyncIterator

import asyncpg
import pytest
from claimledger_server.events import sequencer
from claimledger_server.webhooks import outbox, outbox_statistics, recording, store
from claimledger_server.webhooks.schemas import WebhookEndpointCreate
from webhook_helpers import fresh_database

_EVENTS = """
    INSERT INTO events (id, type, occurred_at, resource, resource_id, version, data)
    SELECT cl_new_id('evt'), 'claim.created', now(), 'claim', $2 || '-' || n, 1, '{}'
      FROM generate_series(1, $1) AS n
"""

# The worker's statements that look rows up in the outbox, with arguments to explain them by.
_STATEMENTS = {
    "claim": (outbox._CLAIM, "(int, float8)", "(64, 20)"),
    "unblocked": (
        recording._UNBLOCKED,
        "(text[], text[], bigint[])",
        "('{whe_x}', '{claim-1}', '{1}')",
    ),
}


@pytest.fixture
async def dsn(server_dsn: str) -> AsyncIterator[str]:
    """A new database whose outbox has the statistics of an empty table, as a freshly built
    one has, with one endpoint subscribed to claim events."""
    async with fresh_database(server_dsn) as url:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("VACUUM ANALYZE webhook_deliveries")
            await store.create_endpoint(
                conn, WebhookEndpointCreate(url="http://127.0.0.1:9/hook", event_types=["claim.*"])
            )
        finally:
            await conn.close()
        yield url


@pytest.fixture
async def conn(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(dsn)
    yield connection
    await connection.close()


async def sequence(conn: asyncpg.Connection, events: int, prefix: str) -> None:
    """Commit `events` claim events and position them, which queues their deliveries."""
    await conn.execute(_EVENTS, events, prefix)
    await sequencer.assign_positions(conn, [store.create_deliveries])


async def scans_the_outbox(conn: asyncpg.Connection, name: str) -> bool:
    """Whether the plan the prepared statement `name` runs reads the whole outbox for each
    delivery it looks at (`p`: the earlier or later deliveries of the same resource)."""
    plan = "\n".join(
        row[0] for row in await conn.fetch(f"EXPLAIN EXECUTE {name}{_STATEMENTS[name][2]}")
    )
    return "Seq Scan on webhook_deliveries p" in plan


async def analyzed(conn: asyncpg.Connection) -> int:
    """How many times the outbox was analyzed by hand (not by autovacuum)."""
    await conn.execute("SELECT pg_stat_clear_snapshot()")
    count = await conn.fetchval(
        "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'webhook_deliveries'"
    )
    return int(count)


async def test_plans_made_on_an_empty_outbox_are_remade_when_a_burst_fills_it(
    dsn: str, conn: asyncpg.Connection
) -> None:
    # Another connection, as a pooled one of the worker's: its statements were prepared and
    # planned (generically, as they are after five runs) while few deliveries were queued.
    worker = await asyncpg.connect(dsn)
    try:
        await worker.execute("SET plan_cache_mode = force_generic_plan")
        for name, (sql, types, _) in _STATEMENTS.items():
            await worker.execute(f"PREPARE {name}{types} AS {sql}")
        await sequence(conn, 3, "claim")
        assert [await scans_the_outbox(worker, name) for name in _STATEMENTS] == [True, True]

        await sequence(conn, 2000, "burst")

        for name in _STATEMENTS:
            assert not await scans_the_outbox(worker, name), f"{name} reads the outbox per row"
    finally:
        await worker.close()


async def test_single_events_leave_statistics_that_describe_the_outbox_alone(
    conn: asyncpg.Connection,
) -> None:
    await sequence(conn, 2000, "burst")
    after_burst = await analyzed(conn)
    for n in range(5):
        await sequence(conn, 1, f"single-{n}")
    assert await analyzed(conn) == after_burst


async def test_an_outbox_grown_by_a_trickle_is_analyzed_once_its_pages_doubled(
    conn: asyncpg.Connection,
) -> None:
    before = await analyzed(conn)
    # Delivered rows pile up one small pass at a time, none of them a burst.
    for n in range(40):
        await sequence(conn, outbox_statistics.BURST // 20, f"trickle-{n}")
        await conn.execute(
            "UPDATE webhook_deliveries SET status = 'delivered' WHERE status = 'pending'"
        )
    assert await analyzed(conn) > before
    known_pages, pages = await conn.fetchrow(
        """SELECT relpages, pg_relation_size(oid) / current_setting('block_size')::int
             FROM pg_class WHERE relname = 'webhook_deliveries'"""
    )
    assert pages <= 2 * known_pages + outbox_statistics.SLACK_PAGES


async def test_a_claim_is_costed_by_its_limit_not_by_the_backlog(conn: asyncpg.Connection) -> None:
    # Past jit_above_cost, PostgreSQL compiles the plan on every run: 61 ms of a 69 ms claim
    # at 30,000 pending, when each claim was costed as a scan of the whole due index.
    await conn.execute(
        """INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, position, resource_id)
           SELECT w.id, 'evt_' || n, 'claim.created', n, 'claim-' || n
             FROM webhook_endpoints w, generate_series(1, 30000) AS n"""
    )
    await conn.execute("ANALYZE webhook_deliveries")
    plan = json.loads(await conn.fetchval(f"EXPLAIN (FORMAT JSON) {outbox._CLAIM}", 64, 20.0))
    jit_above_cost = float(await conn.fetchval("SELECT current_setting('jit_above_cost')"))
    assert plan[0]["Plan"]["Total Cost"] < min(jit_above_cost, 10_000)
