"""Faults with real processes: `claimledger worker` subprocesses (which also run the
sequencer) deliver to a receiver on loopback, while the test writes changes, takes the
receiver down, kills workers and runs two at once. Each test has its own database."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from claimledger_server.webhooks import store
from claimledger_server.webhooks.schemas import WebhookEndpointCreate
from standardwebhooks.webhooks import Webhook
from webhook_helpers import eventually, fresh_database, write_actors
from webhook_receiver import Receiver

pytestmark = pytest.mark.slow

WORKER_ENV = {
    "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "true",
    # Retries every few tenths of a second, for long enough to outlast the outages below.
    "CLAIMLEDGER_WEBHOOK_RETRY_SCHEDULE": ",".join(["0", "0.05", "0.1", "0.2"] + ["0.3"] * 40),
    "CLAIMLEDGER_WEBHOOK_TIMEOUT_SECONDS": "1",  # so a killed worker's lease ends in 3 s
    "CLAIMLEDGER_WEBHOOK_POLL_SECONDS": "0.2",
    "CLAIMLEDGER_WEBHOOK_CONCURRENCY": "10",
}


class WorkerProcess:
    def __init__(self, dsn: str, log: Path) -> None:
        env = {**os.environ, **WORKER_ENV, "DATABASE_URL": dsn}
        self.path = log
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claimledger_server.cli", "worker"],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    async def ready(self) -> None:
        def started() -> bool:
            log = self.path.read_bytes()
            assert self.process.poll() is None, log.decode(errors="replace")[-2000:]
            return b"webhook worker running" in log

        await eventually(started, within=40)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@asynccontextmanager
async def workers(dsn: str, tmp_path: Path, count: int = 1) -> AsyncIterator[list[WorkerProcess]]:
    started = [WorkerProcess(dsn, tmp_path / f"worker-{n}.log") for n in range(count)]
    try:
        for worker in started:
            await worker.ready()
        yield started
    finally:
        for worker in started:
            worker.stop()


@asynccontextmanager
async def setting(server_dsn: str, receiver: Receiver) -> AsyncIterator[tuple[str, Any, str]]:
    """A fresh database with one endpoint (actor.created) pointing at `receiver`."""
    async with fresh_database(server_dsn) as dsn:
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=12)
        assert pool is not None
        try:
            async with pool.acquire() as conn:
                endpoint = await store.create_endpoint(
                    conn, WebhookEndpointCreate(url=receiver.url, event_types=["actor.created"])
                )
            yield dsn, pool, endpoint.secret
        finally:
            await pool.close()


async def event_ids(pool: asyncpg.Pool) -> set[str]:
    return {r["id"] for r in await pool.fetch("SELECT id FROM events WHERE type = 'actor.created'")}


async def all_delivered(pool: asyncpg.Pool) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT count(*) = 0 FROM webhook_deliveries WHERE status <> 'delivered'"
        )
    )


def names(count: int, label: str) -> list[str]:
    return [f"{label} {n}" for n in range(count)]


def verify_all(receiver: Receiver, secret: str) -> None:
    verifier = Webhook(secret)
    for request in receiver.requests:
        verifier.verify(request.body, request.headers)


async def test_a_receiver_outage_loses_nothing(server_dsn: str, tmp_path: Path) -> None:
    receiver = Receiver().start()
    receiver.stop()  # down from the start, on a port we will come back on
    async with setting(server_dsn, receiver) as (dsn, pool, secret):
        async with workers(dsn, tmp_path):
            await write_actors(pool, names(100, "outage"))
            expected = await event_ids(pool)

            async def refused_attempts() -> bool:
                count = await pool.fetchval(
                    "SELECT count(*) FROM webhook_attempts WHERE status_code IS NULL"
                )
                return bool(count >= 200)

            await eventually(refused_attempts, within=40)
            receiver.start()
            try:
                await eventually(lambda: receiver.delivered() >= expected, within=40)
                await eventually(lambda: all_delivered(pool), within=30)
            finally:
                receiver.stop()
        assert len(expected) == 100
        verify_all(receiver, secret)


async def test_a_worker_killed_mid_burst_loses_nothing(
    server_dsn: str, tmp_path: Path, receiver: Receiver
) -> None:
    async with setting(server_dsn, receiver) as (dsn, pool, secret):
        async with workers(dsn, tmp_path) as (first,):
            # 400 changes, then while deliveries flow and 600 more are being written: kill.
            await write_actors(pool, names(400, "burst"), parallel=4)
            await eventually(lambda: len(receiver.delivered()) >= 50, within=40)
            burst = asyncio.create_task(
                write_actors(pool, names(600, "burst more"), parallel=4, pause=0.002)
            )
            await asyncio.sleep(0.05)
            first.kill()
            written_at_kill = len(await event_ids(pool))
            in_flight_at_kill = await pool.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE locked_until > now()"
            )
            await asyncio.sleep(0.3)  # changes keep coming while no worker runs
        assert 400 <= written_at_kill < 1000, written_at_kill
        print(f"killed with {written_at_kill} changes written, {in_flight_at_kill} claimed")
        async with workers(dsn, tmp_path):
            await asyncio.wait_for(burst, 30)
            expected = await event_ids(pool)
            await eventually(lambda: receiver.delivered() >= expected, within=60)
            # What the killed worker sent but never recorded is sent again: at least once.
            await eventually(lambda: all_delivered(pool), within=60)
        assert len(expected) == 1000
        verify_all(receiver, secret)
        assert {r.webhook_id for r in receiver.requests} == expected  # nothing else


async def test_failed_answers_are_retried_and_logged(
    server_dsn: str, tmp_path: Path, receiver: Receiver
) -> None:
    flaky: set[str] = set()

    def answer(webhook_id: str, seen: int) -> tuple[int, dict[str, str], bytes]:
        if webhook_id in flaky and seen < 2:
            return 500, {}, b"try again"
        return 200, {}, b""

    receiver.answer = answer
    async with setting(server_dsn, receiver) as (dsn, pool, secret):
        await write_actors(pool, names(60, "flaky"))
        expected = await event_ids(pool)
        flaky.update(sorted(expected)[::3])  # every third event fails twice first
        async with workers(dsn, tmp_path):
            await eventually(lambda: receiver.delivered() >= expected, within=40)
            await eventually(lambda: all_delivered(pool), within=30)
        verify_all(receiver, secret)
        logged = await pool.fetch(
            """SELECT d.event_id, array_agg(a.status_code ORDER BY a.id) AS codes,
                      array_agg(a.error ORDER BY a.id) AS errors,
                      array_agg(a.response_body ORDER BY a.id) AS bodies
                 FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
                GROUP BY d.event_id"""
        )
        by_event = {row["event_id"]: row for row in logged}
        for event_id in expected:
            if event_id in flaky:
                assert by_event[event_id]["codes"] == [500, 500, 200], by_event[event_id]["errors"]
                assert by_event[event_id]["bodies"][:2] == ["try again", "try again"]
            else:
                assert by_event[event_id]["codes"] == [200], by_event[event_id]["errors"]


async def test_two_workers_never_send_the_same_delivery_at_once(
    server_dsn: str, tmp_path: Path, receiver: Receiver
) -> None:
    receiver.delay = 0.01  # a window in which a second copy would overlap
    async with setting(server_dsn, receiver) as (dsn, pool, secret):
        async with workers(dsn, tmp_path, count=2):
            await write_actors(pool, names(300, "pair"))
            expected = await event_ids(pool)
            await eventually(lambda: receiver.delivered() >= expected, within=60)
            await asyncio.sleep(0.3)  # a late duplicate would show now
        assert receiver.overlaps == []
        assert len(receiver.requests) == 300  # each exactly once: nothing crashed
        verify_all(receiver, secret)
        per_worker = await pool.fetch(
            "SELECT worker, count(*) FROM webhook_attempts GROUP BY worker"
        )
        assert len(per_worker) == 2, per_worker  # both took part
        assert sum(row["count"] for row in per_worker) == 300
