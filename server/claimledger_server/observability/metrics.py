"""The metrics each process keeps: requests, webhook attempts, reads a replica served or
left to the primary, and its connection pools.

They live in prometheus_client's default registry. A process on its own keeps them in
memory. Under `claimledger serve --workers N` the CLI gives the API processes a fresh
PROMETHEUS_MULTIPROC_DIR before they start; prometheus_client then keeps every value in a
memory-mapped file of the process's own there, and a scrape, whichever process answers it,
adds up the files of all of them (exposition.py). The pool gauges are summed over the
processes alive (`livesum`); counters and histograms keep what exited processes counted.

What needs the database (the outbox, the sequencer, the replica's lag) is read when scraped
(database.py), never counted here."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

from claimledger_server import background
from claimledger_server.db.pool import FairPool

# `_created` series double every counter and histogram for a timestamp nobody graphs.
disable_created_metrics()

REQUEST_SECONDS = Histogram(
    "claimledger_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method, route template"
    " (`unmatched` when no route matched) and status; `_count` counts the requests.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

WEBHOOK_ATTEMPTS = Counter(
    "claimledger_webhook_attempts",
    "Webhook delivery attempts by outcome: the answer's status class (2xx is delivered),"
    " `timeout`, `connection_error`, or `refused_target` (an address the SSRF checks refuse).",
    ["outcome"],
)
WEBHOOK_OUTCOMES = ("2xx", "3xx", "4xx", "5xx", "timeout", "connection_error", "refused_target")
_webhook_attempts = {outcome: WEBHOOK_ATTEMPTS.labels(outcome) for outcome in WEBHOOK_OUTCOMES}

REPLICA_READS = Counter(
    "claimledger_replica_reads",
    "Reads routed while a read replica is configured (DATABASE_READ_URL), by the server that"
    " answered: `replica`, or `primary` for a read whose ClaimLedger-Consistency token the"
    " replica had not replayed within CLAIMLEDGER_REPLICA_WAIT_SECONDS.",
    ["served_by"],
)

POOL_IN_USE = Gauge(
    "claimledger_db_pool_in_use_connections",
    "Pooled connections handed out (the sequencer's and webhook worker's LISTEN connections"
    " included), summed over the processes; sampled every second and at each scrape.",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_OPEN = Gauge(
    "claimledger_db_pool_open_connections",
    "Connections the pools hold open, in use or idle, summed over the processes.",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_MAX = Gauge(
    "claimledger_db_pool_max_connections",
    "The most connections the pools may open, summed over the processes.",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_WAITING = Gauge(
    "claimledger_db_pool_waiting",
    "Requests and tasks waiting for a free pooled connection, summed over the processes.",
    ["pool"],
    multiprocess_mode="livesum",
)
SAMPLE_SECONDS = 1.0


def count_webhook_attempt(status: int | None, failure: str | None) -> None:
    """One attempt: `status` when the receiver answered, else `failure` (an outcome)."""
    outcome = f"{status // 100}xx" if status is not None else failure or "connection_error"
    counter = _webhook_attempts.get(outcome)
    if counter is None:  # a status outside 100-599
        counter = _webhook_attempts.setdefault(outcome, WEBHOOK_ATTEMPTS.labels(outcome))
    counter.inc()


def sample_pools(pools: Mapping[str, FairPool]) -> None:
    for name, pool in pools.items():
        size = pool.get_size()
        POOL_IN_USE.labels(name).set(size - pool.get_idle_size())
        POOL_OPEN.labels(name).set(size)
        POOL_MAX.labels(name).set(pool.get_max_size())
        POOL_WAITING.labels(name).set(pool.waiting)


@contextlib.asynccontextmanager
async def sampling_pools(pools: Mapping[str, FairPool]) -> AsyncIterator[None]:
    """Keep the pool gauges current while the block runs: with several processes a scrape
    reads the others' gauges from their files, so each writes its own every second."""

    async def sample_forever() -> None:
        while True:
            sample_pools(pools)
            await asyncio.sleep(SAMPLE_SECONDS)

    try:
        async with background.running(sample_forever(), "claimledger-pool-gauges"):
            yield
    finally:
        for name in pools:  # a stopped pool holds nothing
            for gauge in (POOL_IN_USE, POOL_OPEN, POOL_MAX, POOL_WAITING):
                gauge.labels(name).set(0)
