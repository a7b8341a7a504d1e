"""Webhook delivery by two `claimledger worker` processes against one (issue 13).

Each run drains a fresh backlog: an endpoint pointing at a new loopback receiver
(`webhook_drain.ReceiverProcess`, core 1), one `POST /v1/import` of `backlog` claims (one
transaction: that many `claim.created` events committed at once) through an API process
started with `--no-worker` (core 0; it positions events, delivers nothing), then delivery by
one `claimledger worker` (core 0) or by two (both free on cores 0-1, as `--workers 2` is in
the scaling scenario), started for the run and stopped after it, so only the run's own
workers deliver. The two are measured round-robin (`measure.interleave`).

Per run: deliveries/s at the receiver from its first arrival to its last, the arrivals' shape
(`arrivals.drain_shape`: batch-and-wait is flagged), the workers' CPU seconds, how the
deliveries split between the workers (`webhook_attempts.worker`), and from the receiver's
records that every event arrived exactly once: each `webhook-id` once, none missing (the
receiver answers 204 at once, so there is nothing to retry; attempts beyond one per delivery
are counted apart)."""

from __future__ import annotations

import asyncio
import random
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from harness import measure, procs
from harness.arrivals import drain_shape
from harness.clients import import_lines
from harness.measure import Run
from harness.targets import row
from harness.webhook_drain import ReceiverProcess

ONE, TWO = "app_webhooks_1worker", "app_webhooks_2workers"
RUNNING = "webhook worker running"
"""What `claimledger worker` logs once it delivers (its /metrics answers earlier)."""
DRAIN_SECONDS = 180


@dataclass
class Setup:
    dsn: str
    key: str
    api: procs.Server
    """`claimledger serve --no-worker` on the bench database."""
    worker_command: list[str]
    worker_env: dict[str, str]
    worker_ports: tuple[int, int]
    work: Path
    logs: Path
    backlog: int


def start_worker(setup: Setup, index: int, cpus: str) -> procs.Server:
    port = setup.worker_ports[index]
    name = f"worker-{index + 1}"
    worker = procs.start(
        name,
        [*setup.worker_command, "--metrics-port", str(port)],
        env=setup.worker_env,
        cpus=cpus,
        log=setup.logs / f"{name}.log",
        url=f"http://127.0.0.1:{port}",
        health="/metrics",
        cwd=setup.work,
    )
    deadline = time.monotonic() + 30
    while RUNNING not in worker.log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            worker.stop()
            raise RuntimeError(f"{name} did not log {RUNNING!r}; see {worker.log}")
        time.sleep(0.1)
    return worker


async def _wait_drained(dsn: str, endpoint_id: str, expected: int) -> None:
    conn = await asyncpg.connect(dsn)
    row: Any = None
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while True:
                row = await conn.fetchrow(
                    """SELECT count(*) FILTER (WHERE status <> 'pending') AS done,
                              count(*) FILTER (WHERE status = 'pending') AS pending
                         FROM webhook_deliveries WHERE endpoint_id = $1""",
                    endpoint_id,
                )
                if row["done"] >= expected and not row["pending"]:
                    return
                await asyncio.sleep(0.2)  # polling: the outbox has no notification for us
    except TimeoutError:
        raise RuntimeError(f"not drained in {DRAIN_SECONDS} s: {dict(row or {})}") from None
    finally:
        await conn.close()


async def _attempts(dsn: str, endpoint_id: str) -> tuple[dict[str, int], int, int]:
    """Attempts by worker, all attempts, and deliveries delivered, of the endpoint."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            """SELECT a.worker, count(*) AS n
                 FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                WHERE d.endpoint_id = $1 GROUP BY a.worker ORDER BY n DESC""",
            endpoint_id,
        )
        delivered = await conn.fetchval(
            """SELECT count(*) FROM webhook_deliveries
                WHERE endpoint_id = $1 AND status = 'delivered'""",
            endpoint_id,
        )
    finally:
        await conn.close()
    by_worker = {r["worker"]: r["n"] for r in rows}
    return by_worker, sum(by_worker.values()), delivered


def drain(setup: Setup, workers: int, cpus: str) -> Run:
    """One run: a backlog of `setup.backlog` events drained by `workers` worker processes."""
    auth = {"Authorization": f"Bearer {setup.key}"}
    receiver = ReceiverProcess(setup.work)
    started: list[procs.Server] = []
    endpoint_id = None
    try:
        for index in range(workers):
            started.append(start_worker(setup, index, cpus))
        made = httpx.post(
            f"{setup.api.url}/v1/webhooks",
            json={
                "url": f"http://127.0.0.1:{receiver.port}/hook",
                "event_types": ["claim.*"],
                "description": f"bench receiver, {workers} worker(s)",
            },
            headers=auth,
            timeout=30,
        )
        if made.status_code != 201:
            raise RuntimeError(f"creating the endpoint: {made.status_code} {made.text[:300]}")
        endpoint_id = made.json()["id"]
        pids = [pid for worker in started for pid in worker.pids()]
        cpu0 = procs.cpu_seconds(pids)
        prefix = f"hooks-{workers}w-{secrets.token_hex(4)}"
        imported = httpx.post(
            f"{setup.api.url}/v1/import",
            content=import_lines(random.Random(), prefix, setup.backlog, 5000, 50000),
            headers={**auth, "Content-Type": "application/x-ndjson"},
            timeout=300,
        )
        imported_at = time.time()
        if imported.status_code >= 300:
            raise RuntimeError(f"import: {imported.status_code} {imported.text[:300]}")
        asyncio.run(_wait_drained(setup.dsn, endpoint_id, setup.backlog))
        cpu = procs.cpu_seconds(pids) - cpu0
        by_worker, attempts, delivered = asyncio.run(_attempts(setup.dsn, endpoint_id))
    finally:
        for worker in started:
            worker.stop()
        if endpoint_id:
            httpx.delete(f"{setup.api.url}/v1/webhooks/{endpoint_id}", headers=auth, timeout=30)
        records = receiver.stop()
        receiver.out.unlink(missing_ok=True)
    arrivals = sorted(at for at, _, _ in records)
    ids = {webhook_id for _, webhook_id, _ in records}
    duplicates, missing = len(records) - len(ids), max(0, setup.backlog - len(ids))
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    shape = drain_shape(arrivals)
    return Run(
        rps=len(arrivals) / span if span else 0.0,
        p50_ms=0.0,
        p99_ms=0.0,
        requests=len(records),
        errors=duplicates + missing,
        # cpu_s stays 0: the table reads it per 10 s run; a drain is no such run
        extra={
            "worker_cpu_s_per_1000": round(cpu / max(1, delivered) * 1000, 3),
            "events": setup.backlog,
            "received": len(records),
            "distinct": len(ids),
            "duplicates": duplicates,
            "missing": missing,
            "attempts": attempts,
            "delivered": delivered,
            "by_worker": list(by_worker.values()),
            "first_arrival_after_import_s": round(arrivals[0] - imported_at, 3)
            if arrivals
            else None,
            "drain": shape.to_json(),
            "drain_text": shape.describe(),
        },
    )


def scenario(
    bench: Any,
    *,
    dsn: str,
    start_api: Callable[[], procs.Server],
    worker_command: list[str],
    worker_env: dict[str, str],
    worker_ports: tuple[int, int],
    work: Path,
    logs: Path,
    log: Callable[[str], None],
    backlog: int = 5000,
) -> None:
    """Measure ONE against TWO into `bench.results`; a failure is recorded as not measured.
    Nothing else may deliver webhooks on the database meanwhile (stop `serve`s with their
    in-process worker first)."""
    try:
        api = start_api()
    except Exception as exc:  # noqa: BLE001
        for key in (ONE, TWO):
            bench.not_measured(key, f"the API process did not start: {str(exc)[:300]}")
        return
    try:
        setup = Setup(
            dsn, bench.key, api, worker_command, worker_env, worker_ports, work, logs, backlog
        )

        def member(key: str, workers: int, cpus: str) -> measure.Member:
            return measure.Member(
                key,
                lambda _seconds: drain(setup, workers, cpus),
                unit="deliveries/s",
                note=f"a backlog of {backlog:,} claim.created events (one import) per run,"
                f" {workers} `claimledger worker` on core(s) {cpus}; receiver on core 1",
                warmup=False,
            )

        bench.group([member(ONE, 1, "0"), member(TWO, 2, "0,1")])
    finally:
        api.stop()
    for key in (ONE, TWO):
        for run in bench.results.get(key, {}).get("runs", []):
            x = run["extra"]
            log(
                f"  {key}: {run['rps']:,.0f}/s, {x['distinct']:,} of {x['events']:,} events,"
                f" {x['duplicates']} duplicates, {x['attempts']:,} attempts, by worker"
                f" {x['by_worker']}, worker CPU {x['worker_cpu_s_per_1000']} s per 1,000;"
                f" {x['drain_text']}"
            )


def target_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Deliveries/s of two workers against one (reported: issue 13 sets no number), and
    every event delivered exactly once in every run of both."""
    name = "webhooks: 2 `claimledger worker` processes vs 1 (deliveries/s, interleaved)"
    found = {k: results.get(k, {}) for k in (ONE, TWO)}
    if not all("summary" in x for x in found.values()):
        why = next((x["not_measured"] for x in found.values() if "not_measured" in x), "")
        return [row(name, why or "not measured", "—", "—", "reported", "not measured")]
    one, two = found[ONE]["summary"], found[TWO]["summary"]
    runs = [r["extra"] for x in found.values() for r in x["runs"]]
    stalled = [
        key
        for key, x in found.items()
        if any(r["extra"]["drain"]["batch_and_wait"] for r in x["runs"])
    ]
    splits = "; ".join(
        " + ".join(f"{n:,}" for n in r["extra"]["by_worker"]) for r in found[TWO]["runs"]
    )

    def cpu_per_1000(key: str) -> str:
        of_key = found[key]["runs"]
        return f"{statistics.median(r['extra']['worker_cpu_s_per_1000'] for r in of_key):.2f}"

    events = sum(r["events"] for r in runs)
    distinct = sum(r["distinct"] for r in runs)
    duplicates = sum(r["duplicates"] for r in runs)
    missing = sum(r["missing"] for r in runs)
    retries = sum(r["attempts"] - r["delivered"] for r in runs)
    return [
        row(
            name,
            f"2 workers {two['rps']:,.0f}/s (attempts by worker: {splits};"
            f" worker CPU {cpu_per_1000(TWO)} s per 1,000)",
            f"1 worker {one['rps']:,.0f}/s (worker CPU {cpu_per_1000(ONE)} s per 1,000)",
            f"{two['rps'] / one['rps']:.2f}×" if one["rps"] else "—",
            "reported (issue 13 sets no number)",
            f"reported; **BATCH-AND-WAIT** in {', '.join(stalled)}" if stalled else "reported",
        ),
        row(
            "webhooks with 1 and 2 workers: each event delivered exactly once",
            f"{distinct:,} of {events:,} events arrived, {duplicates} duplicate"
            f" sends; {retries} attempts beyond one per delivery",
            f"{len(runs)} drains, the receiver's webhook-ids",
            f"{missing} missing, {duplicates} duplicates",
            "0 missing, 0 duplicates",
            "PASS" if distinct == events and not duplicates else "**MISS**",
        ),
    ]
