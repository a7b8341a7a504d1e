"""Runs a load 3 × 10 s against a process we started and reports the medians: req/s, p50,
p99, the server's CPU seconds and peak RSS (from /proc), and PostgreSQL's CPU seconds."""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import asyncpg
from harness import procs

BENCH = Path(__file__).resolve().parent.parent
LUA = BENCH / "lua"


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_s: float = 0.0
    pg_cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    extra: dict = field(default_factory=dict)


@dataclass
class Result:
    name: str
    runs: list[Run]
    note: str = ""
    unit: str = "req/s"

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    @property
    def rps(self) -> float:
        return self.median("rps")

    def summary(self) -> dict:
        keys = ["rps", "p50_ms", "p99_ms", "cpu_s", "pg_cpu_s", "peak_rss_mb"]
        out = {k: round(self.median(k), 3) for k in keys}
        out["max_peak_rss_mb"] = round(max(r.peak_rss_mb for r in self.runs), 1)
        out["errors"] = sum(r.errors for r in self.runs)
        out["requests"] = sum(r.requests for r in self.runs)
        out["runs_rps"] = [round(r.rps, 1) for r in self.runs]
        out["unit"] = self.unit
        out["note"] = self.note
        return out

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "summary": self.summary(),
            "runs": [asdict(r) for r in self.runs],
        }


def wrk(
    url: str,
    script: str,
    *,
    env: dict[str, str],
    seconds: int,
    connections: int,
    threads: int,
    cpus: str | None,
) -> Run:
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA / script),
        url,
    ]
    if cpus:
        cmd = ["taskset", "-c", cpus, *cmd]
    # BENCH_RUN: unique per invocation (fresh Idempotency-Keys for every run)
    full_env = {**os.environ, "BENCH_LUA_DIR": str(LUA), "BENCH_RUN": secrets.token_hex(4), **env}
    out = subprocess.run(
        cmd, env=full_env, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(
            f"wrk failed ({out.returncode}): {out.stdout[-1500:]} {out.stderr[-1500:]}"
        )
    s = json.loads(line.removeprefix("BENCH_JSON "))
    errors = (
        s["connect_errors"]
        + s["read_errors"]
        + s["write_errors"]
        + s["status_errors"]
        + s["timeouts"]
    )
    return Run(
        rps=s["requests"] / (s["duration_us"] / 1e6),
        p50_ms=s["p50_us"] / 1000,
        p99_ms=s["p99_us"] / 1000,
        requests=s["requests"],
        errors=errors,
        extra={"wrk": s},
    )


async def pg_backend_pids(dsn: str, database: str) -> list[int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )
        return [r["pid"] for r in rows]
    finally:
        await conn.close()


def _pg_cpu(pids: list[int]) -> dict[int, float]:
    return {p: procs.cpu_seconds([p]) for p in pids}


@dataclass
class Member:
    """One scenario of an interleaved group: its load and the processes it measures."""

    key: str
    load: Callable[[int], Run]
    target_pids: Callable[[], list[int]] = list
    root_pid: int | None = None
    pg: tuple[str, str] | None = None
    unit: str = "req/s"
    note: str = ""
    warmup: bool = True


def run_once(m: Member, seconds: int) -> Run:
    import asyncio

    pids = m.target_pids()
    cpu0 = procs.cpu_seconds(pids)
    pg_pids = asyncio.run(pg_backend_pids(*m.pg)) if m.pg else []
    pg0 = _pg_cpu(pg_pids)
    sampler = procs.Sampler(m.root_pid).start() if m.root_pid else None
    run = m.load(seconds)
    if sampler:
        sampler.stop()
        run.peak_rss_mb = sampler.peak_total / 2**20
    if pids:  # else the load measured its own process (the raw loops)
        run.cpu_s = procs.cpu_seconds(pids) - cpu0
    if m.pg:
        pg_pids2 = asyncio.run(pg_backend_pids(*m.pg))
        run.pg_cpu_s = sum(procs.cpu_seconds([p]) - pg0.get(p, 0.0) for p in pg_pids2)
    return run


def interleave(
    members: list[Member], *, repeats: int, seconds: int, warmup: int, log: Callable[[str], None]
) -> dict[str, Result]:
    """Round-robin runs (A, B, A, B, ...): on a machine others also use, slow phases hit every
    member alike, so the ratios between members stay meaningful."""
    for m in members:
        if warmup and m.warmup:
            m.load(warmup)
    runs: dict[str, list[Run]] = {m.key: [] for m in members}
    for i in range(repeats):
        for m in members:
            run = run_once(m, seconds)
            runs[m.key].append(run)
            log(
                f"  {m.key} run {i + 1}: {run.rps:,.0f} {m.unit}, p50 {run.p50_ms:.2f} ms,"
                f" p99 {run.p99_ms:.2f} ms, cpu {run.cpu_s:.1f} s, pg cpu {run.pg_cpu_s:.1f} s,"
                f" rss {run.peak_rss_mb:.0f} MB, errors {run.errors}"
            )
            time.sleep(0.5)
    return {m.key: Result(m.key, runs[m.key], note=m.note, unit=m.unit) for m in members}
