"""The outbox's planner statistics, kept in step with the outbox.

`webhook_deliveries` goes from empty to thousands of pending rows in one sequencer pass (an
import). The worker's statements are prepared once per pooled connection and run a generic
plan after five executions; PostgreSQL caches the plans of the foreign-key checks of
`webhook_attempts` the same way. A plan made while the table held a page or two scans the
whole table for every row it looks up (a delivery by id, the first pending delivery of a
resource), and PostgreSQL makes a new one only when the table's statistics change. On a
freshly built database (the table analyzed while empty) with autovacuum off, that is never:
on the 1M-claim benchmark database a claim of 64 then took 0.5 s (up to 3 s, the table
filling with row versions as the drain went on), and a 5,000-event backlog drained at
68-250 deliveries/s in bursts of about two claims' worth; with plans remade, 4,900/s.
With autovacuum on, its analyze comes up to a minute late.

So the sequencer pass that queues deliveries analyzes the table itself, in its own
transaction, when it leaves the table well past what the statistics describe: `BURST` rows
or more queued, more than the pending rows the statistics know of; or the table grown to
twice the pages they were taken at (a steady trickle with autovacuum off). The new
statistics, and the invalidation of every plan cached over the table, commit with the
deliveries, before the worker the pass wakes claims any of them."""

import logging

import asyncpg

from claimledger_server.events.sequencer import Connection

log = logging.getLogger("claimledger.webhooks")

BURST = 1000
"""Deliveries one pass must queue before they can be worth an ANALYZE on their own."""
SLACK_PAGES = 16
"""Growth (in 8 kB pages) below which a small table is not analyzed again."""

KNOWN = """
    (SELECT reltuples FROM pg_class WHERE oid = 'webhook_deliveries_due'::regclass)
        AS known_pending,
    (SELECT relpages FROM pg_class WHERE oid = 'webhook_deliveries'::regclass) AS known_pages,
    pg_relation_size('webhook_deliveries') / current_setting('block_size')::int AS pages
"""
"""What the statistics say (rows in the partial index of pending deliveries, and the table's
pages; -1 and 0 before the first ANALYZE) and the table's pages now: a catalog read and a
file size, for the query that queues deliveries to select."""


def outgrown(queued: int, known_pending: float, known_pages: int, pages: int) -> bool:
    """Whether the statistics no longer describe the outbox after `queued` rows were added."""
    burst = queued >= BURST and queued > known_pending
    return burst or pages > 2 * known_pages + SLACK_PAGES


async def renew_if_outgrown(conn: Connection, queued: asyncpg.Record) -> bool:
    """ANALYZE the outbox in the caller's transaction if `queued` (the count of deliveries
    just queued, with the `KNOWN` columns) says it has outgrown its statistics. ANALYZE
    samples at most 30,000 rows (at the default statistics target), whatever the size."""
    if not outgrown(
        queued["queued"], queued["known_pending"], queued["known_pages"], queued["pages"]
    ):
        return False
    await conn.execute("ANALYZE webhook_deliveries")
    log.info(
        "webhook outbox analyzed: %d deliveries queued; the statistics knew of %d pending in"
        " %d pages, the table has %d",
        queued["queued"],
        max(0, int(queued["known_pending"])),
        queued["known_pages"],
        queued["pages"],
    )
    return True
