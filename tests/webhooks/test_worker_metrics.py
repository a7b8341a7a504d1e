"""`claimledger worker --metrics-port`: a worker process serves its own `/metrics` (its
delivery attempts by outcome, its pool, the outbox it drains), without a key, and logs
JSON lines like `serve`."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest
from claimledger_server.webhooks import store
from claimledger_server.webhooks.schemas import WebhookEndpointCreate
from prometheus_client.parser import text_string_to_metric_families
from support.live_server import free_port
from webhook_helpers import eventually, fresh_database, write_actors
from webhook_receiver import Receiver

pytestmark = pytest.mark.slow

WORKER_ENV = {
    "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "true",
    "CLAIMLEDGER_WEBHOOK_RETRY_SCHEDULE": "0,0.1,0.1,0.1",
    "CLAIMLEDGER_WEBHOOK_POLL_SECONDS": "0.2",
    "CLAIMLEDGER_WEBHOOK_CONCURRENCY": "4",
}
CHANGES = 5


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).raise_for_status().text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def attempts(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], outcome: str) -> float:
    return samples.get(("claimledger_webhook_attempts_total", (("outcome", outcome),)), 0.0)


def start_worker(dsn: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "claimledger_server.cli", "worker"]
    with log.open("wb") as output:
        return subprocess.Popen(
            [*command, "--metrics-port", str(port)],
            env={**os.environ, **WORKER_ENV, "DATABASE_URL": dsn},
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def test_a_worker_serves_its_own_metrics(server_dsn: str, tmp_path: Path) -> None:
    def fail_first(webhook_id: str, seen: int) -> tuple[int, dict[str, str], bytes]:
        return (500, {}, b"") if seen == 0 else (204, {}, b"")

    receiver = Receiver(answer=fail_first).start()
    port = free_port()
    log = tmp_path / "worker.log"
    async with fresh_database(server_dsn) as dsn:
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
        assert pool is not None
        async with pool.acquire() as conn:
            await store.create_endpoint(
                conn, WebhookEndpointCreate(url=receiver.url, event_types=["actor.created"])
            )
        worker = start_worker(dsn, port, log)
        try:
            await eventually(lambda: b"webhook worker running" in log.read_bytes(), within=40)
            await write_actors(pool, [f"metrics {n}" for n in range(CHANGES)])
            await eventually(lambda: len(receiver.delivered()) == CHANGES, within=40)

            def drained() -> bool:
                samples = scrape(port)
                due = ("claimledger_outbox_pending_deliveries", (("state", "due"),))
                return attempts(samples, "2xx") == CHANGES and samples[due] == 0

            await eventually(lambda: asyncio.to_thread(drained), within=20)
            samples = await asyncio.to_thread(scrape, port)
            assert attempts(samples, "5xx") == CHANGES  # each failed once first
            assert attempts(samples, "timeout") == 0
            pool_max = ("claimledger_db_pool_max_connections", (("pool", "primary"),))
            assert samples[pool_max] == 20  # the pool's default, above concurrency + 4
            success = ("claimledger_database_scrape_success", (("database", "primary"),))
            assert samples[success] == 1
        finally:
            worker.terminate()
            worker.wait(20)
            receiver.stop()
            await pool.close()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line]
    assert any(line["message"] == "webhook worker running" for line in lines)
