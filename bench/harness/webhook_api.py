"""Webhooks through the API (issue 5's targets): commit→delivery latency at a steady low
rate, then deliveries/s while the one worker of the benchmarked server drains a backlog of
events committed at once, to a loopback receiver (`harness.clients receiver`). The drain's
arrivals per second and stalls come from `harness/arrivals.py`; `webhook_drain.py` measures
the worker alone and `webhook_workers.py` two worker processes against one."""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg

from harness.arrivals import drain_shape, per_second_text
from harness.clients import import_lines
from harness.http_client import http
from harness.measure import Result, Run

BENCH = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def scenario(
    bench: Any,
    base: str,
    paths: set[str],
    *,
    dsn: str,
    port: int,
    work: Path,
    log: Callable[[str], None],
) -> None:
    """Commit→delivery latency at a steady low rate, then deliveries/s draining a backlog of
    events committed at once (one import of 5,000 claims; a 10 s POST burst without import),
    to a loopback receiver on `port` (core 1), recorded in `bench.results["app_webhooks"]`.
    Written against issue 5's API; a mismatch is reported, not fatal."""
    results_file = work / "receiver.json"
    results_file.unlink(missing_ok=True)
    receiver = subprocess.Popen(
        [
            "taskset",
            "-c",
            "1",
            sys.executable,
            "-m",
            "harness.clients",
            "receiver",
            "--port",
            str(port),
            "--seconds",
            "300",
            "--out",
            str(results_file),
        ],
        env={**os.environ, "PYTHONPATH": str(BENCH)},
        cwd=work,
        start_new_session=True,
    )
    endpoint_id = None
    committed: dict[str, float] = {}
    backlog = 0
    imported_at: float | None = None
    try:
        time.sleep(1)
        status, _, body = http(
            "POST",
            f"{base}/v1/webhooks",
            bench.key,
            json.dumps(
                {
                    "url": f"http://{HOST}:{port}/hook",
                    "event_types": ["claim.*"],
                    "description": "bench receiver",
                }
            ).encode(),
        )
        if status not in (200, 201):
            raise RuntimeError(f"creating the endpoint: {status} {body[:300]!r}")
        endpoint_id = json.loads(body)["id"]
        # Latency: one claim every 50 ms for `seconds`; arrival minus the POST's response
        # (the transaction has committed when the response leaves).
        deadline = time.monotonic() + bench.args.seconds
        while time.monotonic() < deadline:
            status, _, created = http(
                "POST",
                f"{base}/v1/claims",
                bench.key,
                json.dumps(
                    {
                        "claimant_id": bench.samples["actors"][0],
                        "text": "webhook latency",
                        "citations": [{"source_id": bench.samples["sources"][0]}],
                    }
                ).encode(),
            )
            if status == 201:
                committed[json.loads(created)["id"]] = time.time()
            time.sleep(0.05)
        time.sleep(2)
        # Throughput: a backlog committed at once, drained by the one worker.
        if "/v1/import" in paths:
            backlog = 5000
            file = import_lines(
                random.Random(7), f"hook-{secrets.token_hex(4)}", backlog, 5000, 50000
            )
            status, _, body = http(
                "POST",
                f"{base}/v1/import",
                bench.key,
                file,
                {"Content-Type": "application/x-ndjson"},
                timeout=300,
            )
            if status >= 300:
                raise RuntimeError(f"import for the backlog: {status} {body[:300]!r}")
            imported_at = time.time()
        else:
            burst = bench.wrk_load(
                base,
                "post_claims.lua",
                {
                    "BENCH_AUTH": bench.key,
                    "BENCH_ACTORS": str(bench.files["actors"]),
                    "BENCH_SOURCES": str(bench.files["sources"]),
                    "BENCH_NONCE": secrets.token_hex(4),
                },
                "1",
                1,
            )
            backlog = burst(bench.args.seconds).requests
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:  # until nothing is pending (bounded)
            time.sleep(1)
            status, _, body = http(
                "GET",
                f"{base}/v1/webhooks/{endpoint_id}/deliveries?limit=1&status=pending",
                bench.key,
            )
            if status == 200 and not json.loads(body).get("data"):
                break
    finally:
        if receiver.poll() is None:
            os.kill(receiver.pid, signal.SIGTERM)
        receiver.wait(30)
        if endpoint_id:
            http("DELETE", f"{base}/v1/webhooks/{endpoint_id}", bench.key)
    records = json.loads(results_file.read_text()) if results_file.exists() else []
    if not records:
        raise RuntimeError("no delivery arrived; " + asyncio.run(sequencer_diagnosis(dsn)))
    latencies = sorted(
        (arrived - committed[rid]) * 1000 for arrived, _, rid in records if rid in committed
    )
    burst_arrivals = sorted(a for a, _, rid in records if rid not in committed)
    rate = (
        len(burst_arrivals) / (burst_arrivals[-1] - burst_arrivals[0])
        if len(burst_arrivals) > 1
        else 0.0
    )
    expected = len(committed) + backlog
    shape = drain_shape(burst_arrivals)
    run = Run(
        rps=rate,
        p50_ms=statistics.median(latencies) if latencies else 0.0,
        p99_ms=latencies[int(len(latencies) * 0.99)] if latencies else 0.0,
        requests=len(records),
        errors=max(0, expected - len(records)),
        extra={
            "drain": shape.to_json(),
            "first_arrival_after_import_s": round(burst_arrivals[0] - imported_at, 3)
            if imported_at and burst_arrivals
            else None,
        },
    )
    bench.results["app_webhooks"] = Result(
        "app_webhooks",
        [run],
        unit="deliveries/s",
        note=f"{len(records):,} of {expected:,} events delivered; rate = backlog of {backlog:,}"
        f" drained, arrivals per second {per_second_text(shape.per_second, 60)},"
        f" {shape.describe()};"
        f" p50/p99 = commit→arrival of {len(latencies)} claims posted 20/s",
    ).to_json()
    log(
        f"  webhooks: {rate:,.0f} deliveries/s, p50 {run.p50_ms:.1f} ms,"
        f" {len(records)}/{expected} delivered; per second {shape.per_second}"
    )
    if shape.batch_and_wait:
        log(f"  !! webhooks: the backlog drained in batch-and-wait bursts: {shape.describe()}")


async def sequencer_diagnosis(dsn: str) -> str:
    """Why events may not be positioned: the sequencer only positions events older than every
    running transaction, and PostgreSQL's xmin horizon is cluster-wide."""
    conn = await asyncpg.connect(dsn)
    try:
        waiting = await conn.fetchval("SELECT count(*) FROM events WHERE position IS NULL")
        holder = await conn.fetchrow(
            """SELECT datname, state, extract(epoch FROM now() - xact_start)::int AS age
                 FROM pg_stat_activity
                WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()
                  AND xact_start IS NOT NULL
                ORDER BY age(backend_xmin) DESC, xact_start LIMIT 1"""
        )
    finally:
        await conn.close()
    text = f"{waiting:,} events wait for a feed position"
    if holder and holder["age"] and holder["age"] > 5:
        text += (
            f"; the oldest open transaction (database {holder['datname']},"
            f" {holder['state']}, open {holder['age']} s) holds the cluster-wide xmin"
            " horizon the sequencer waits for"
        )
    return text
