"""`/metrics`: requests by route template and status, the pools, the database gauges read
when scraped, who may scrape; and `claimledger serve --workers 2`, whose processes add up
to what was sent whichever of them answers the scrape."""

import asyncio
import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.db.pool import create_pool
from claimledger_server.observability import metrics
from claimledger_server.observability.database import database_families
from claimledger_server.webhooks import sender, store
from claimledger_server.webhooks.outbox import Job
from claimledger_server.webhooks.schemas import WebhookEndpointCreate
from claimledger_server.webhooks.signing import new_secret
from factories import UNKNOWN_ID, actor, assert_problem
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from support.databases import fresh_database, make_key
from support.live_server import free_port
from support.serve_process import Serve

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
DURATION = "claimledger_http_request_duration_seconds"
ATTEMPTS = "claimledger_webhook_attempts_total"


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests(samples: Samples, method: str, route: str, status: int) -> float:
    return value(samples, f"{DURATION}_count", method=method, route=route, status=str(status))


async def scrape(client: Any) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return parse(response.text)


async def test_requests_are_counted_by_route_template_and_status(client: Any) -> None:
    made = await actor(client)
    before = await scrape(client)
    for _ in range(3):
        assert (await client.get(f"/v1/actors/{made['id']}")).status_code == 200
    assert_problem(await client.get(f"/v1/actors/{UNKNOWN_ID['actors']}"), 404)
    assert_problem(await client.get(f"/nowhere/{made['id']}"), 404)
    assert (await client.request("BREW", "/v1/actors")).status_code == 405
    assert (await client.head(f"/v1/actors/{made['id']}")).status_code == 200
    after = await scrape(client)

    def sent(method: str, route: str, status: int) -> float:
        return requests(after, method, route, status) - requests(before, method, route, status)

    assert sent("GET", "/v1/actors/{id}", 200) == 4  # HEAD is answered as the GET
    assert sent("GET", "/v1/actors/{id}", 404) == 1
    assert sent("GET", "unmatched", 404) == 1
    assert sent("OTHER", "unmatched", 405) == 1
    assert sent("GET", "/metrics", 200) == 1  # the first scrape
    for (name, labels), _ in after.items():
        if name.startswith(DURATION):
            assert made["id"] not in dict(labels)["route"], "a route label holds a raw path"

    # A histogram: cumulative buckets ending in +Inf at the count, and the time spent.
    labels = {"method": "GET", "route": "/v1/actors/{id}", "status": "200"}
    buckets = sorted(
        (float(dict(key)["le"]), count)
        for (name, key), count in after.items()
        if name == f"{DURATION}_bucket" and dict(key).items() > labels.items()
    )
    assert buckets[-1] == (float("inf"), value(after, f"{DURATION}_count", **labels))
    assert [count for _, count in buckets] == sorted(count for _, count in buckets)
    assert len(buckets) >= 10
    assert value(after, f"{DURATION}_sum", **labels) > value(before, f"{DURATION}_sum", **labels)


async def test_scraping_needs_an_admin_key(client: Any, api_keys: dict[str, str]) -> None:
    assert_problem(await client.get("/metrics", headers={"Authorization": ""}), 401)
    for scope in ("read", "write"):
        response = await client.get(
            "/metrics", headers={"Authorization": f"Bearer {api_keys[scope]}"}
        )
        assert_problem(response, 403)
    assert (await client.get("/metrics")).status_code == 200


async def asgi_get(app: Any, path: str) -> int:
    """The status `app` answers a GET of `path` with, called straight (no lifespan: the
    routes used need no database)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    statuses = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, send)
    (status,) = statuses
    return status


async def test_metrics_can_be_turned_off(client: Any, database_url: str) -> None:
    before = await scrape(client)
    quiet = create_app(Settings(database_url=database_url, metrics=False))
    assert await asgi_get(quiet, "/healthz") == 200
    assert await asgi_get(quiet, "/metrics") == 404  # no such route
    after = await scrape(client)
    assert requests(after, "GET", "/healthz", 200) == requests(before, "GET", "/healthz", 200)
    assert requests(after, "GET", "unmatched", 404) == requests(before, "GET", "unmatched", 404)
    # The same requests to an app that counts are counted.
    counting = create_app(Settings(database_url=database_url))
    assert await asgi_get(counting, "/healthz") == 200
    again = await scrape(client)
    assert requests(again, "GET", "/healthz", 200) == requests(after, "GET", "/healthz", 200) + 1


async def test_metrics_is_not_in_the_api_document(client: Any) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    assert "/metrics" not in document["paths"]


async def test_a_scrape_reports_the_pools_and_the_database(client: Any) -> None:
    samples = await scrape(client)
    assert (
        value(samples, "claimledger_db_pool_max_connections", pool="primary")
        == Settings().pool_max_size
    )
    # The sequencer's and the webhook worker's LISTEN connections are always held.
    assert value(samples, "claimledger_db_pool_in_use_connections", pool="primary") >= 1
    assert value(samples, "claimledger_database_scrape_success", database="primary") == 1
    assert ("claimledger_outbox_oldest_pending_age_seconds", frozenset()) in samples
    assert ("claimledger_sequencer_lag_seconds", frozenset()) in samples
    # No DATABASE_READ_URL: no replica, so no replica gauges. (claimledger_replica_reads_total
    # is the process's: an app of another test may have counted its replica's reads.)
    assert not [name for name, _ in samples if name.startswith("claimledger_replica_lag")]


def gauges(families: list[Any]) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in families
        for sample in family.samples
    }


async def test_database_gauges_count_what_waits(server_dsn: str) -> None:
    async with fresh_database(server_dsn, "claimledger_metrics") as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            endpoint = await store.create_endpoint(
                conn, WebhookEndpointCreate(url="https://example.org/hook", event_types=["*"])
            )
            # Nothing runs the sequencer here: an event committed five minutes ago waits.
            await conn.execute(
                """INSERT INTO events (id, type, occurred_at, resource, resource_id, version, data)
                   VALUES ('evt_waiting', 'actor.created', now() - interval '5 minutes',
                           'actor', 'act_x', 1, '{}')"""
            )
            for event, next_attempt, created, status in [
                ("due", "now() - interval '1 second'", "now() - interval '10 minutes'", "pending"),
                ("retry", "now() + interval '1 hour'", "now() - interval '1 minute'", "pending"),
                ("parked", "'infinity'", "now() - interval '2 days'", "pending"),
                ("done", "now()", "now() - interval '3 days'", "delivered"),
            ]:
                await conn.execute(
                    f"""INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type,
                                                        status, next_attempt_at, created_at)
                        VALUES ($1, $2, 'actor.created', $3, {next_attempt}, {created})""",
                    endpoint.id,
                    f"evt_{event}",
                    status,
                )
        finally:
            await conn.close()

        found = gauges(await database_families(dsn, None))
        pending = "claimledger_outbox_pending_deliveries"
        assert [value(found, pending, state=s) for s in ("due", "scheduled", "parked")] == [1, 1, 1]
        # The parked delivery (its endpoint disabled) is older, but is not waiting on us.
        assert 600 <= value(found, "claimledger_outbox_oldest_pending_age_seconds") < 660
        assert value(found, "claimledger_sequencer_pending_events") == 1
        assert 300 <= value(found, "claimledger_sequencer_lag_seconds") < 360
        assert value(found, "claimledger_database_scrape_success", database="primary") == 1
        assert not [name for name, _ in found if "replica" in name]

        # A read URL that is no standby is never behind.
        found = gauges(await database_families(dsn, dsn))
        assert value(found, "claimledger_database_scrape_success", database="replica") == 1
        assert ("claimledger_replica_lag_bytes", frozenset()) in found
        assert value(found, "claimledger_replica_lag_bytes") == 0
        assert value(found, "claimledger_replica_lag_seconds") == 0


async def test_a_database_that_does_not_answer_leaves_its_gauges_out() -> None:
    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    started = time.monotonic()
    found = gauges(await database_families(closed, closed))
    assert time.monotonic() - started < 5
    assert value(found, "claimledger_database_scrape_success", database="primary") == 0
    assert value(found, "claimledger_database_scrape_success", database="replica") == 0
    assert not [name for name, _ in found if "outbox" in name or "replica_lag" in name]


async def test_the_pool_gauges_see_waiting_tasks(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=1)
    pools = {"gauge-test": pool}
    try:
        async with pool.acquire():
            waiter = asyncio.create_task(pool.fetchval("SELECT 1"))
            await asyncio.sleep(0.05)
            metrics.sample_pools(pools)
            sample = REGISTRY.get_sample_value
            assert sample("claimledger_db_pool_waiting", {"pool": "gauge-test"}) == 1
            assert sample("claimledger_db_pool_in_use_connections", {"pool": "gauge-test"}) == 1
        assert await waiter == 1
        metrics.sample_pools(pools)
        assert sample("claimledger_db_pool_waiting", {"pool": "gauge-test"}) == 0
        assert sample("claimledger_db_pool_in_use_connections", {"pool": "gauge-test"}) == 0
    finally:
        await pool.close()


async def test_webhook_attempts_are_counted_by_outcome() -> None:
    def attempts(outcome: str) -> float:
        found = REGISTRY.get_sample_value(
            "claimledger_webhook_attempts_total", {"outcome": outcome}
        )
        return found or 0.0

    job = Job("whd_x", uuid.uuid4(), "whe_x", "evt_x", None, None, "", [new_secret()], b"{}")
    closed = f"http://127.0.0.1:{free_port()}/hook"
    before = {o: attempts(o) for o in ("refused_target", "connection_error")}
    client = sender.new_client(1)
    try:
        refused = await sender.send(
            client, job._replace(url=closed), seconds=2, allow_private=False
        )
        unreachable = await sender.send(
            client, job._replace(url=closed), seconds=2, allow_private=True
        )
    finally:
        await client.aclose()
    assert refused.error
    assert refused.error.startswith("target refused")
    assert unreachable.error
    assert unreachable.status_code is None
    assert attempts("refused_target") == before["refused_target"] + 1
    assert attempts("connection_error") == before["connection_error"] + 1
    before_5xx = attempts("5xx")
    metrics.count_webhook_attempt(503, None)
    assert attempts("5xx") == before_5xx + 1


# --- `claimledger serve --workers 2` -------------------------------------------------------

WORKERS = 2
POOL_MAX = 3
HEALTH_CHECKS = 40
MISSES = 20


ROUNDS = 10
"""At most this many rounds are sent to spread requests over the processes."""


def send_spread(url: str, key: str, metrics_root: Path | None = None) -> tuple[int, int]:
    """Requests on new connections, several at a time, so both processes take some; the
    health checks and misses sent. With `metrics_root` (where `serve` keeps its multiprocess
    directory), rounds go on until every process has counted some: the processes share one
    listening socket and the kernel hands each connection to whichever accepts first, so a
    fast process can take a whole round."""
    auth = {"Authorization": f"Bearer {key}"}

    def one(n: int) -> None:
        if n < HEALTH_CHECKS:
            assert httpx.get(f"{url}/healthz").status_code == 200
        else:
            assert (
                httpx.get(f"{url}/v1/actors/{UNKNOWN_ID['actors']}", headers=auth).status_code
                == 404
            )

    rounds = 0
    with ThreadPoolExecutor(8) as pool:
        while rounds < ROUNDS:
            list(pool.map(one, range(HEALTH_CHECKS + MISSES)))
            rounds += 1
            if metrics_root is None:
                break
            (directory,) = metrics_root.glob("claimledger-metrics-*")
            if len(processes_of(directory)) == WORKERS:
                break
    return HEALTH_CHECKS * rounds, MISSES * rounds


def scraped(url: str, key: str | None = None) -> Samples:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = httpx.get(f"{url}/metrics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return parse(response.text)


def assert_all_counted(samples: Samples, sent: tuple[int, int]) -> None:
    health_checks, misses = sent
    assert requests(samples, "GET", "/healthz", 200) == health_checks
    assert requests(samples, "GET", "/v1/actors/{id}", 404) == misses
    assert value(samples, "claimledger_database_scrape_success", database="primary") == 1


def eventually(check: Any, within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def processes_of(directory: Path) -> set[int]:
    """The API processes that counted requests, by the files they keep."""
    return {int(path.stem.rsplit("_", 1)[1]) for path in directory.glob("histogram_*.db")}


@pytest.fixture
def serve_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """`serve` makes its multiprocess directory under TMPDIR: here, to look into it."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setenv("CLAIMLEDGER_POOL_MIN_SIZE", "1")
    monkeypatch.setenv("CLAIMLEDGER_POOL_MAX_SIZE", str(POOL_MAX))
    return temporary


def scrape_two_workers(dsn: str, key: str, data_dir: Path, temporary: Path) -> None:
    serve = Serve(dsn, data_dir, "--workers", str(WORKERS))
    try:
        serve.wait_ready()
        sent = send_spread(serve.url, key, temporary)
        (directory,) = temporary.glob("claimledger-metrics-*")
        assert len(processes_of(directory)) == WORKERS, "one process took every request"
        for _ in range(6):  # whichever process answers, the sum of all of them
            samples = scraped(serve.url, key)
            assert_all_counted(samples, sent)
            max_connections = value(samples, "claimledger_db_pool_max_connections", pool="primary")
            assert max_connections == WORKERS * POOL_MAX

        # A worker that dies is replaced: what it counted stays, its pool is no longer summed.
        victim = min(processes_of(directory))
        os.kill(victim, signal.SIGKILL)
        eventually(lambda: httpx.get(f"{serve.url}/readyz").raise_for_status())

        def recovered() -> None:
            samples = scraped(serve.url, key)
            assert_all_counted(samples, sent)
            pools = value(samples, "claimledger_db_pool_max_connections", pool="primary")
            assert pools == WORKERS * POOL_MAX
            assert not (directory / f"gauge_livesum_{victim}.db").exists()

        eventually(recovered)
    finally:
        output = serve.stop(signal.SIGTERM)
    assert serve.process.returncode == 0, output[-3000:]
    assert not list(temporary.glob("claimledger-metrics-*")), "the directory outlived serve"


@pytest.mark.slow
async def test_two_serve_processes_add_up(server_dsn: str, tmp_path: Path, serve_env: Path) -> None:
    async with fresh_database(server_dsn, "claimledger_metrics") as dsn:
        key = await make_key(dsn, "scraper", ("admin",))
        await asyncio.to_thread(scrape_two_workers, dsn, key, tmp_path, serve_env)


def scrape_metrics_port(dsn: str, key: str, data_dir: Path, temporary: Path) -> None:
    port = free_port()
    serve = Serve(dsn, data_dir, "--workers", str(WORKERS), "--metrics-port", str(port))
    try:
        serve.wait_ready()
        sent = send_spread(serve.url, key)
        auth = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{serve.url}/metrics", headers=auth).status_code == 404
        samples = scraped(f"http://127.0.0.1:{port}")  # no key
        assert_all_counted(samples, sent)
        assert requests(samples, "GET", "unmatched", 404) == 1  # the API's /metrics: no route
        max_connections = value(samples, "claimledger_db_pool_max_connections", pool="primary")
        assert max_connections == WORKERS * POOL_MAX
    finally:
        output = serve.stop(signal.SIGTERM)
    assert serve.process.returncode == 0, output[-3000:]
    assert not list(temporary.glob("claimledger-metrics-*"))


@pytest.mark.slow
async def test_a_metrics_port_needs_no_key_and_takes_metrics_off_the_api(
    server_dsn: str, tmp_path: Path, serve_env: Path
) -> None:
    async with fresh_database(server_dsn, "claimledger_metrics") as dsn:
        key = await make_key(dsn, "scraper", ("admin",))
        await asyncio.to_thread(scrape_metrics_port, dsn, key, tmp_path, serve_env)
