"""Faults of the API's own processes and of its database: a `serve` killed with SIGKILL in
the middle of a burst of writes, and PostgreSQL restarted under load while the API runs."""

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.db.embedded import EmbeddedPostgres, create_database
from claimledger_server.db.migrate import migrate
from litestar.testing import AsyncTestClient
from support.databases import fresh_database, make_key, wait_until_sequenced
from support.live_server import free_port
from support.serve_process import Serve

pytestmark = pytest.mark.slow

WRITERS = 8


async def burst(
    url: str,
    key: str,
    acked: dict[str, tuple[str, int]],
    sent: list[str],
    cut_off: list[str],
) -> None:
    """Writers create actors (each with its own Idempotency-Key) and update each one once,
    until the server goes away; `acked` gets (id, version) of every write answered, and
    `cut_off` the write each writer had in flight when its connection broke."""

    async def writer(http: httpx.AsyncClient, number: int) -> None:
        for n in range(10_000):
            name = f"burst-{number}-{n}"
            sent.append(name)
            headers = {"Idempotency-Key": name}
            try:
                created = await http.post(
                    "/v1/actors", json={"name": name, "external_id": name}, headers=headers
                )
                assert created.status_code == 201, created.text
                acked[name] = (created.json()["id"], 1)
                updated = await http.patch(f"/v1/actors/{acked[name][0]}", json={"role": "updated"})
                assert updated.status_code == 200, updated.text
                acked[name] = (acked[name][0], updated.json()["version"])
            except httpx.TransportError:
                cut_off.append(f"{'update' if name in acked else 'create'} {name}")
                return

    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as http:
        await asyncio.gather(*(writer(http, number) for number in range(WRITERS)))


async def assert_every_write_is_whole(conn: asyncpg.Connection) -> None:
    """Each actor's row, its versions in history and its events agree: nothing half-written."""
    broken = await conn.fetch(
        """SELECT a.id, a.version,
                  (SELECT count(*) FROM actors_history h WHERE h.id = a.id) AS versions,
                  (SELECT count(*) FROM events e WHERE e.resource_id = a.id) AS events,
                  (SELECT h.doc::jsonb FROM actors_history h
                    WHERE h.id = a.id AND h.version = a.version) = a.doc::jsonb AS same_doc
             FROM actors a"""
    )
    assert broken, "no actors were written"
    for row in broken:
        assert row["versions"] == row["version"] == row["events"], dict(row)
        assert row["same_doc"], dict(row)
    # A create commits with its idempotency record, or neither exists.
    orphans = await conn.fetchval(
        """SELECT count(*) FROM actors a WHERE a.external_id LIKE 'burst-%' AND NOT EXISTS
               (SELECT 1 FROM idempotency_keys k WHERE k.key = a.external_id)"""
    )
    assert orphans == 0


async def test_sigkill_during_a_burst_of_writes_loses_nothing_acknowledged(
    server_dsn: str, tmp_path: Path
) -> None:
    async with fresh_database(server_dsn, "claimledger_sigkill") as dsn:
        key = await make_key(dsn, "burst", ("admin",))
        serve = Serve(dsn, tmp_path)
        await asyncio.to_thread(serve.wait_ready)
        acked: dict[str, tuple[str, int]] = {}
        sent: list[str] = []
        cut_off: list[str] = []
        writes = asyncio.create_task(burst(serve.url, key, acked, sent, cut_off))
        # Polling what the writers record: they set no event.
        while len(acked) < 60 and not writes.done():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        os.kill(serve.process.pid, signal.SIGKILL)
        await writes
        await asyncio.to_thread(serve.stop, signal.SIGKILL)
        assert serve.process.returncode == -signal.SIGKILL
        # Every writer had a write in flight; which kind (create or update) is chance.
        assert len(cut_off) == WRITERS, ("the kill came after the burst", cut_off)
        unanswered = [name for name in sent if name not in acked]

        conn = await asyncpg.connect(dsn)
        try:
            stored = {
                row["external_id"]: (row["id"], row["version"])
                for row in await conn.fetch("SELECT id, external_id, version FROM actors")
            }
            for name, (actor_id, version) in acked.items():
                assert stored[name][0] == actor_id
                assert stored[name][1] >= version
            await assert_every_write_is_whole(conn)

            # A new server takes the retries: each unanswered create (none when every writer
            # was cut off in an update) either happened (and is replayed) or happens now, once.
            restarted = Serve(dsn, tmp_path)
            await asyncio.to_thread(restarted.wait_ready)
            try:
                headers = {"Authorization": f"Bearer {key}"}
                async with httpx.AsyncClient(base_url=restarted.url, headers=headers) as http:
                    for name in unanswered:
                        for _ in range(50):  # 409 while PostgreSQL still rolls back its try
                            retry = await http.post(
                                "/v1/actors",
                                json={"name": name, "external_id": name},
                                headers={"Idempotency-Key": name},
                            )
                            if retry.status_code != 409:
                                break
                            await asyncio.sleep(0.1)
                        assert retry.status_code == 201, retry.text
            finally:
                await asyncio.to_thread(restarted.stop, signal.SIGTERM)
            assert await conn.fetchval("SELECT count(*) FROM actors") == len(set(sent))
            await assert_every_write_is_whole(conn)
        finally:
            await conn.close()


async def test_a_postgresql_restart_under_load_is_survived(tmp_path: Path) -> None:
    pg = EmbeddedPostgres(tmp_path / "pg", port=free_port())
    try:
        admin_dsn = await asyncio.to_thread(pg.start)
        dsn = await create_database(admin_dsn, "claimledger")
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        key = await make_key(dsn, "restart", ("admin",))
        settings = Settings(database_url=dsn, api_key_cache_seconds=0)
        async with AsyncTestClient(app=create_app(settings)) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            await restart_under_load(client, pg)
            await wait_until_sequenced(dsn)  # the sequencer reconnected by itself too
    finally:
        await asyncio.to_thread(pg.stop)


async def restart_under_load(client: Any, pg: EmbeddedPostgres) -> None:
    answers: list[tuple[float, httpx.Response]] = []
    created: list[str] = []
    stop = asyncio.Event()

    async def writer(number: int) -> None:
        for n in range(100_000):
            if stop.is_set():
                return
            started = time.monotonic()
            response = await client.post("/v1/actors", json={"name": f"load-{number}-{n}"})
            answers.append((time.monotonic() - started, response))
            if response.status_code == 201:
                created.append(response.json()["id"])
            await asyncio.sleep(0.005)

    async def successes_after(count: int, within: float) -> None:
        async with asyncio.timeout(within):
            while sum(r.status_code == 201 for _, r in answers[count:]) < 5:  # noqa: ASYNC110
                await asyncio.sleep(0.02)

    writers = [asyncio.create_task(writer(number)) for number in range(4)]
    try:
        await successes_after(0, within=10)
        await asyncio.to_thread(pg.stop)
        down_from = len(answers)
        async with asyncio.timeout(5):
            while sum(r.status_code == 503 for _, r in answers[down_from:]) < 5:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        ready = await client.get("/readyz")
        assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})
        started = time.monotonic()
        read = await client.get("/v1/actors")
        assert time.monotonic() - started < 1, "requests must fail fast while it is down"
        assert read.status_code == 503
        assert read.headers["content-type"] == "application/problem+json"
        assert read.headers["retry-after"] == "2"
        assert read.json()["type"] == "urn:claimledger:problem:database-unavailable"

        await asyncio.to_thread(pg.start)
        await successes_after(len(answers), within=15)
        assert (await client.get("/readyz")).status_code == 200
    finally:
        stop.set()
        await asyncio.gather(*writers)
    statuses = {response.status_code for _, response in answers}
    assert statuses == {201, 503}, [r.text for _, r in answers if r.status_code not in (201, 503)]
    for elapsed, response in answers:
        if response.status_code == 503:
            assert response.json()["status"] == 503
            assert response.headers["retry-after"] == "2"
            assert elapsed < 5
    listed = await client.get("/v1/actors", params={"limit": 200})
    assert listed.status_code == 200
    assert len(created) == len(set(created))
    found = {actor["id"] for actor in listed.json()["data"]}
    if len(created) <= 200:
        assert found == set(created)
