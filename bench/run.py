#!/usr/bin/env python3
"""`make bench`: build (or reuse) the 1M-claim dataset, start the server with production
settings, measure every scenario of issue 6 and its references side by side, and prepend a
dated section to bench/results.md.

Run with the project's venv python (`make bench` does). Everything it installs goes to
bench/.work/ (a separate venv for the references, granian and py-spy) or is wrk from Debian.
Only loopback addresses are used; every load is bounded in time.

    .venv/bin/python bench/run.py                # the full run (~15-25 min, first build incl.)
    .venv/bin/python bench/run.py --quick        # a fast smoke run of the harness itself
    .venv/bin/python bench/run.py --rebuild      # rebuild the dataset even if it is current
    .venv/bin/python bench/run.py --dataset-only # build (or check) the dataset, measure nothing
    .venv/bin/python bench/run.py --only reads,explore  # some scenario groups (see GROUPS)
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import json
import os
import platform
import random
import re
import secrets
import shutil
import subprocess
import sys
import time
import traceback
import urllib.parse
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
sys.path.insert(0, str(BENCH))

import asyncpg  # noqa: E402  (the project's venv has it)
from harness import dataset, instructions, measure, procs, profile, report  # noqa: E402
from harness import cluster, explore_paint, replica_reads, targets, v2_reads  # noqa: E402
from harness import webhook_api, webhook_workers  # noqa: E402
from harness.http_client import http  # noqa: E402
from harness.measure import Result, Run  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
DB = "claimledger_bench"
DSN = f"{PG}/{DB}"
HOST = "127.0.0.1"
PORTS = {
    "app": 18100,
    "floor": 18101,
    "peer": 18102,
    "nolog": 18103,
    "granian": 18104,
    "floor2": 18105,
    "app2": 18106,
    "nometrics": 18107,
    "mpmetrics": 18108,
    "receiver": 18110,
    "replica": 18111,
    "primary": 18112,
    "hooks": 18113,
    "worker1": 18114,
    "worker2": 18115,
    "explore": 18116,
}
BENCH_VENV = WORK / "venv"
LOG = WORK / "logs"
PROJECT_PY = Path(sys.executable)
# Versions of the shared stack come from the project's venv, so the floor and granian run
# the same Litestar/msgspec/asyncpg as the API: every runtime requirement of the server
# (granian imports our app in this venv) and the servers the references run on; the rest
# is only for the references.
SHARED = ["uvicorn", "uvloop", "httptools"]
EXTRA = ["granian", "fastapi", "sqlalchemy[asyncio]>=2", "py-spy"]

# Scenario groups, in the order a run measures them; `--only` picks some. The floor and the
# peer are members of `reads`: a ratio to the floor needs `reads` in the same run.
GROUPS = (
    "reads",  # GET by id, claimant list, searches, floor, peer; search in SQL alone; py-spy
    "v2",  # summary, timeline, provenance filters (issue 10)
    "writes",  # POST /v1/claims vs raw transactions, POST /v1/import vs COPY
    "webhooks",  # deliveries/s, drain shape, commit→delivery
    "export",  # GET /v1/export's memory
    "compression",  # identity/gzip/br (issue 13.8)
    "scaling",  # --workers 2 vs 1
    "replica",  # reads through a hot standby (issue 13)
    "workers",  # 2 webhook worker processes vs 1 (issue 13)
    "explore",  # the explorer's first paint in Chromium (issue 14.6)
    "asgi",  # uvicorn vs granian, logging and metrics variants; the floor measured late
    "instructions",  # callgrind instructions per GET by id (metrics overhead)
    "explain",  # EXPLAIN ANALYZE of the list filters
)

T0 = time.monotonic()
_log_file = None


def log(message: str) -> None:
    line = f"[{time.monotonic() - T0:6.0f}s] {message}"
    print(line, flush=True)
    if _log_file:
        _log_file.write(line + "\n")
        _log_file.flush()


def sh(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


# --------------------------------------------------------------------------- tools


def run_harness(
    cmd: list[str], timeout: float, what: str, pythonpath: str | None = None
) -> dict[str, Any]:
    """Run one of harness/'s clients and read the `BENCH_JSON {...}` line it prints."""
    out = subprocess.run(
        cmd,
        env={**os.environ, "PYTHONPATH": pythonpath or str(BENCH)},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=WORK,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"{what} failed: {out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    return result


def client_run(r: dict[str, Any]) -> Run:
    """A run as a self-measuring client (`harness/refs.py`, `harness/search_sql.py`)
    reports it: its rate and latencies, its own CPU and RSS and its PostgreSQL backends'."""
    return Run(
        rps=r["rate"],
        p50_ms=r["p50_ms"],
        p99_ms=r["p99_ms"],
        requests=r["count"],
        errors=0,
        cpu_s=r["cpu_s"],
        pg_cpu_s=r.get("pg_cpu_s", 0.0),
        peak_rss_mb=r["peak_rss_mb"],
        extra=r,
    )


def ensure_tools() -> None:
    """wrk (the load) and valgrind (callgrind's instruction counts), from Debian; Chromium
    (the explorer's paint) too, but a run without it only leaves that scenario out."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for tools, required in ((("wrk", "valgrind"), True), (("chromium",), False)):
        missing = [tool for tool in tools if not shutil.which(tool)]
        if not missing:
            continue
        log(f"installing {', '.join(missing)} (Debian)")
        install = ["apt-get", "install", "-y", *missing]
        if subprocess.run(install, env=env, capture_output=True).returncode:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=False)
            done = subprocess.run(install, env=env, capture_output=True, text=True)
            if done.returncode and required:
                raise RuntimeError(f"apt-get install {' '.join(missing)}: {done.stderr[-500:]}")
            if done.returncode:
                log(f"  {', '.join(missing)} not installed: {done.stderr.strip()[-300:]}")


def _server_requirements() -> list[str]:
    """The names of the server's own runtime requirements, from its installed metadata."""
    names = []
    for requirement in metadata.requires("claimledger-server") or []:
        if "extra ==" in requirement:
            continue
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)
        if name and name.group(0) not in SHARED:
            names.append(name.group(0))
    return names


def ensure_bench_venv() -> Path:
    pins = []
    for name in [*SHARED, *_server_requirements()]:
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pins.append(name)
    wanted = sorted(pins + EXTRA)
    stamp = BENCH_VENV / f".bench-{hashlib.sha256(' '.join(wanted).encode()).hexdigest()[:12]}"
    py = BENCH_VENV / "bin" / "python"
    if stamp.exists() and py.exists():
        return py
    log(f"creating the reference venv {BENCH_VENV} ({', '.join(wanted)})")
    if not py.exists():
        sh([sys.executable, "-m", "venv", str(BENCH_VENV)])
    sh([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    sh([str(py), "-m", "pip", "install", "-q", *wanted])
    for old in BENCH_VENV.glob(".bench-*"):
        old.unlink()
    stamp.touch()
    return py


# --------------------------------------------------------------------------- source


def _check_source(path: Path) -> str | None:
    probe = (
        "import claimledger_server.cli\n"
        "from claimledger_server.app import create_app\n"
        "from claimledger_server.config import Settings\n"
        "create_app(Settings(database_url='postgresql://unused'))\n"
    )
    out = subprocess.run(
        [str(PROJECT_PY), "-c", probe],
        env={**os.environ, "PYTHONPATH": str(path)},
        capture_output=True,
        text=True,
        cwd=str(WORK),
    )
    return None if out.returncode == 0 else (out.stderr.strip().splitlines() or ["?"])[-1]


def snapshot_source(mode: str) -> tuple[Path, str]:
    """A frozen copy of the server source, so edits made during the run change nothing:
    the work tree when it imports and builds the app, else the last commit."""
    global COMMIT
    COMMIT = sh(["git", "-C", str(ROOT), "rev-parse", "HEAD"]).stdout.strip()
    commit = COMMIT[:7]
    dirty = sh(["git", "-C", str(ROOT), "status", "--porcelain", "--", "server"]).stdout.strip()
    if mode in ("auto", "worktree"):
        dest = WORK / "src" / "worktree"
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(
            ROOT / "server" / "claimledger_server",
            dest / "claimledger_server",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        problem = _check_source(dest)
        if problem is None:
            state = "with uncommitted changes in server/" if dirty else "clean"
            return dest, f"work tree at {commit} ({state})"
        if mode == "worktree":
            raise SystemExit(f"the work tree's server does not import: {problem}")
        log(f"the work tree's server does not import ({problem}); benchmarking HEAD {commit}")
        fallback = f"HEAD {commit} (the work tree was mid-edit: `{problem}`)"
    else:
        fallback = f"HEAD {commit}"
    dest = WORK / "src" / "head"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "HEAD", "server"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    shutil.move(str(dest / "server" / "claimledger_server"), str(dest / "claimledger_server"))
    problem = _check_source(dest)
    if problem is not None:
        raise SystemExit(f"neither the work tree nor HEAD imports: {problem}")
    return dest, fallback


# --------------------------------------------------------------------------- dataset


def migration_checksums(src: Path) -> dict[str, str]:
    """Version → checksum of every migration file, SQL and Python, hashed as `migrate`
    hashes them (it refuses to run when an applied one has changed)."""
    folder = src / "claimledger_server" / "db" / "migrations"
    return {
        p.name.split("_", 1)[0].lstrip("0") or "0": hashlib.sha256(
            p.read_text(encoding="utf-8").encode()
        ).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name[:1].isdigit() and p.name.endswith((".sql", ".py"))
    }


async def dataset_meta() -> dict[str, Any] | None:
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DB):
            return None
    finally:
        await admin.close()
    conn = await asyncpg.connect(DSN)
    try:
        if not await conn.fetchval("SELECT to_regclass('bench_meta') IS NOT NULL"):
            return None
        row = await conn.fetchrow("SELECT meta::text FROM bench_meta")
        meta = json.loads(row[0]) if row else None
        if meta is not None:
            applied = {
                str(r["version"]): r["checksum"]
                for r in await conn.fetch("SELECT version, checksum FROM schema_migrations")
            }
            meta["applied"] = applied
        return meta
    finally:
        await conn.close()


def migrate(src: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src), "DATABASE_URL": DSN}
    sh([str(PROJECT_PY), "-m", "claimledger_server.cli", "migrate"], env=env, cwd=str(WORK))


async def recreate_database() -> None:
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DB}")
    finally:
        await admin.close()


def build_dataset(src: Path, claims: int) -> dict[str, Any]:
    log(f"building the dataset: {claims:,} claims into {DB} (COPY, 2 loader processes)")
    asyncio.run(recreate_database())
    migrate(src)
    out = WORK / "dataset.json"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{BENCH}"}
    proc = subprocess.Popen(
        [
            str(PROJECT_PY),
            "-m",
            "harness.dataset",
            "--dsn",
            DSN,
            "--claims",
            str(claims),
            "--out",
            str(out),
        ],
        env=env,
        cwd=str(WORK),
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        log("  " + line.rstrip())
    if proc.wait() != 0:
        raise SystemExit("dataset build failed")
    result = json.loads(out.read_text())

    async def record() -> None:
        conn = await asyncpg.connect(DSN)
        try:
            meta = {
                "spec": dataset.SPEC_VERSION,
                "claims": claims,
                "built_at": datetime.now(UTC).isoformat(),
                "seconds": result["seconds"],
                "counts": result["counts"],
                "exact_documents": result["exact_documents"],
                "max_seq": await conn.fetchval("SELECT coalesce(max(seq), 0) FROM events"),
                "migrations": migration_checksums(src),
            }
            await conn.execute("CREATE TABLE bench_meta (meta json NOT NULL)")
            await conn.execute("INSERT INTO bench_meta VALUES ($1)", json.dumps(meta))
        finally:
            await conn.close()

    asyncio.run(record())
    return result


async def reset_dataset(meta: dict[str, Any]) -> None:
    """Remove what earlier benchmark runs wrote, so every run starts from the same data."""
    built = datetime.fromisoformat(meta["built_at"])
    conn = await asyncpg.connect(DSN)
    try:
        removed = 0
        for table in ("claims", "figures", "sources", "actors"):
            for t in (table, f"{table}_history"):
                status = await conn.execute(f"DELETE FROM {t} WHERE created_at > $1", built)
                removed += int(status.split()[-1])
        status = await conn.execute("DELETE FROM events WHERE seq > $1", meta["max_seq"])
        removed += int(status.split()[-1])
        await conn.execute("DELETE FROM idempotency_keys")
        await conn.execute("DELETE FROM rate_limit_windows")
        await conn.execute("DELETE FROM api_keys WHERE name LIKE 'bench-%'")
        if removed:
            await conn.execute("VACUUM ANALYZE claims, claims_history, events")
        log(
            f"dataset reused (built {meta['built_at']}); removed {removed:,} rows earlier runs wrote"
        )
    finally:
        await conn.close()


async def vacuum() -> None:
    """VACUUM (ANALYZE) the reused dataset: a migration applied on top may rewrite rows
    (0015 moved 100,000 claim_refs rows to a new role) and the reset deletes what earlier
    runs wrote, and these machines run PostgreSQL without autovacuum. Unvacuumed, those
    pages lose their all-visible bit and every index-only scan over them fetches heap rows
    (claim_refs lists slowed by a third), which a production server's autovacuum would not
    leave behind. Pages already all-visible are skipped, so this is quick when nothing
    changed."""
    conn = await asyncpg.connect(DSN)
    try:
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()


def ensure_dataset(src: Path, claims: int, rebuild: bool) -> dict[str, Any]:
    meta = asyncio.run(dataset_meta())
    current = migration_checksums(src)
    reusable = (
        not rebuild
        and meta is not None
        and meta.get("spec") == dataset.SPEC_VERSION
        and meta.get("claims") == claims
        and all(
            current.get(v) == c and meta["applied"].get(v) == c
            for v, c in meta.get("migrations", {}).items()
        )
        # every migration the database has applied must be unchanged (a .py one too), or
        # `migrate` refuses to run; ones added since the build apply on top
        and all(current.get(v) == c for v, c in meta["applied"].items())
    )
    if reusable:
        assert meta is not None
        asyncio.run(reset_dataset(meta))
        migrate(src)  # migrations added since the build apply on top
        asyncio.run(vacuum())
        return {"reused": True, **meta}
    build_dataset(src, claims)
    meta = asyncio.run(dataset_meta())
    assert meta is not None
    return {"reused": False, **meta}


# --------------------------------------------------------------------------- samples


async def collect_samples() -> dict[str, Any]:
    conn = await asyncpg.connect(DSN)
    try:
        ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM claims TABLESAMPLE BERNOULLI (3) REPEATABLE (6)"
                " WHERE NOT deleted LIMIT 20000"
            )
        ]
        counts = await conn.fetch(
            "SELECT claimant_id, count(*) AS n FROM claims GROUP BY claimant_id ORDER BY n DESC"
        )
        claimants = [(r["claimant_id"], r["n"]) for r in counts]
        heavy, heavy_count = claimants[0]
        normal, normal_count = claimants[len(claimants) // 2]
        actors = [r["id"] for r in await conn.fetch("SELECT id FROM actors ORDER BY id LIMIT 2000")]
        sources = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM sources TABLESAMPLE BERNOULLI (20) REPEATABLE (6) LIMIT 5000"
            )
        ]
        publisher = await conn.fetchval("SELECT publisher_id FROM sources LIMIT 1")
        figure_claim = await conn.fetchval("SELECT claim_id FROM figures LIMIT 1")
        versioned = await conn.fetchval(
            "SELECT id FROM claims WHERE version >= 3 ORDER BY id LIMIT 1"
        )
        figure_id = await conn.fetchval("SELECT id FROM figures ORDER BY id LIMIT 1")
        # Full-text queries as users type them: single words and pairs of mid-frequency
        # words; each one's match count is recorded (the rank sort costs O(matches)).
        rnd = random.Random(6)
        candidates = [w for w in dataset.WORDS[25:260] if len(w) > 3]
        queries: list[tuple[str, int]] = []
        tried = 0
        while len(queries) < 30 and tried < 120:
            tried += 1
            q = rnd.choice(candidates) if tried % 3 == 0 else " ".join(rnd.sample(candidates, 2))
            n = await conn.fetchval(
                "SELECT count(*) FROM claims WHERE search @@ websearch_to_tsquery('english', $1)"
                " AND NOT deleted",
                q,
            )
            if 10 <= n <= 20_000:
                queries.append((q, n))
        v2 = await v2_reads.samples(conn)
        return {
            **v2,
            "ids": ids,
            "claimants": claimants,
            "heavy_claimant": heavy,
            "heavy_count": heavy_count,
            "normal_count": normal_count,
            "normal_claimant": normal,
            "actors": actors,
            "sources": sources,
            "publisher": publisher,
            "figure_claim": figure_claim,
            "versioned": versioned,
            "figure_id": figure_id,
            "queries": queries,
            "claim_id": ids[0],
            "q_examples": sorted(queries, key=lambda x: x[1])[:: max(1, len(queries) // 4)],
        }
    finally:
        await conn.close()


def write_request_files(samples: dict[str, Any]) -> dict[str, Path]:
    files = WORK / "requests"
    files.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(6)
    paths = {
        "app_ids": [f"/v1/claims/{i}" for i in samples["ids"]],
        "floor_ids": [f"/claims/{i}" for i in samples["ids"]],
        "actors": samples["actors"],
        "sources": samples["sources"],
    }
    # claimant ∝ number of claims (requests follow the data); stated_from anywhere in range
    claimants, weights = zip(*samples["claimants"], strict=True)
    listing = []
    for c in rnd.choices(claimants, weights=weights, k=3000):
        day = date(2014, 1, 1) + timedelta(days=rnd.randrange(4_450))
        listing.append(f"/v1/claims?claimant_id={c}&stated_from={day.isoformat()}")
    paths["app_list_claimant"] = listing
    # Pages of 200 claims (the largest page) for the compression scenario: claimants with
    # that many claims, or the busiest ones when no claimant has (the --quick dataset).
    full = [c for c, n in samples["claimants"] if n >= 200] or list(claimants[:50])
    paths["app_page200"] = [f"/v1/claims?claimant_id={c}&limit=200" for c in full]
    paths["app_list_q"] = [f"/v1/claims?q={urllib.parse.quote(q)}" for q, _ in samples["queries"]]
    # The same kind of queries, but a different one almost every request: what a search
    # costs when no earlier request asked it (the repeated 30 above are what users repeat).
    repeated = {q for q, _ in samples["queries"]}
    candidates = [w for w in dataset.WORDS[25:260] if len(w) > 3]
    fresh = {w for w in candidates if w not in repeated}  # every single word, then pairs
    while len(fresh) < 20_000:
        q = " ".join(rnd.sample(candidates, 2))
        if q not in repeated:
            fresh.add(q)
    paths["app_list_q_fresh"] = [f"/v1/claims?q={urllib.parse.quote(q)}" for q in sorted(fresh)]
    # The same, best match first: every match ranked (issue 13.6), the cost that order has.
    paths["app_list_q_relevance"] = [f"{p}&sort=relevance" for p in paths["app_list_q"]]
    paths["app_list_q_fresh_relevance"] = [f"{p}&sort=relevance" for p in paths["app_list_q_fresh"]]
    paths["q_fresh"] = sorted(fresh)  # the queries alone, for harness/search_sql.py
    paths.update(v2_reads.paths(samples, rnd))
    out = {}
    for name, lines in paths.items():
        p = files / f"{name}.txt"
        p.write_text("\n".join(lines) + "\n")
        out[name] = p
    return out


# --------------------------------------------------------------------------- servers


def api_key() -> str:
    return sh(
        [
            str(PROJECT_PY),
            "-m",
            "claimledger_server.cli",
            "keys",
            "create",
            "--name",
            f"bench-{datetime.now(UTC):%Y%m%d%H%M%S}",
            "--scopes",
            "admin",
            "--rate-limit",
            "1000000000",
        ],
        env=app_env(),
        cwd=str(WORK),
    ).stdout.strip()


SRC: Path = WORK
COMMIT = "?"


def app_env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": DSN,
        "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "true",
    }


def start_app(
    workers: int,
    cpus: str,
    port: int,
    name: str | None = None,
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
) -> procs.Server:
    """`claimledger serve`; `env` on top of app_env(), `options` after serve's own."""
    cmd = [
        str(PROJECT_PY.parent / "claimledger"),
        "serve",
        "--no-seed",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        *options,
    ]
    name = name or f"app-w{workers}"
    return procs.start(
        name,
        cmd,
        env={**app_env(), **(env or {})},
        cpus=cpus,
        log=LOG / f"{name}.log",
        url=f"http://{HOST}:{port}",
        health="/healthz",
        cwd=WORK,
    )


def start_granian_app(bench_py: Path, cpus: str, env: dict[str, str] | None = None) -> procs.Server:
    port = PORTS["granian"]
    cmd = [
        str(bench_py.parent / "granian"),
        "--interface",
        "asgi",
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--no-access-log",
        "claimledger_server.app:create_app",
    ]
    return procs.start(
        "app-granian",
        cmd,
        env={**app_env(), **(env or {})},
        cpus=cpus,
        log=LOG / "app-granian.log",
        url=f"http://{HOST}:{port}",
        health="/healthz",
        cwd=WORK,
    )


def start_uvicorn_app(
    cpus: str | None,
    metrics: str = "memory",
    prefix: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> procs.Server:
    """The same app and uvicorn settings as `claimledger serve`, minus the access log: the
    like-for-like partner of granian, and the access log's cost. `metrics`: "memory" (one
    process, as `serve` runs it), "off" (CLAIMLEDGER_METRICS=false, the metrics' cost) or
    "files" (prometheus_client's multiprocess mode, as `serve --workers N` runs it).
    `prefix`: a command to run it under (callgrind, harness/instructions.py); `env` on top of
    app_env()."""
    name, port, env = "app-uvicorn-nolog", PORTS["nolog"], {**app_env(), **(env or {})}
    if metrics == "off":
        name, port = "app-uvicorn-nometrics", PORTS["nometrics"]
        env["CLAIMLEDGER_METRICS"] = "false"
    elif metrics == "files":
        name, port = "app-uvicorn-mpmetrics", PORTS["mpmetrics"]
        directory = WORK / "metrics-multiprocess"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    if prefix:
        name += "-callgrind"
        env["PYTHONHASHSEED"] = "0"  # the same dict layouts in every member
    cmd = [
        *(prefix or []),
        str(PROJECT_PY),
        "-m",
        "uvicorn",
        "--factory",
        "claimledger_server.app:create_app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return procs.start(
        name,
        cmd,
        env=env,
        cpus=cpus,
        log=LOG / f"{name}.log",
        url=f"http://{HOST}:{port}",
        health="/healthz",
        cwd=WORK,
        timeout=900 if prefix else 60,  # callgrind runs the start-up ~50× slower
    )


def start_reference(
    name: str, bench_py: Path, server: str, module: str, port: int, cpus: str
) -> procs.Server:
    env = {**os.environ, "BENCH_DSN": DSN, "PYTHONPATH": str(BENCH)}
    if server == "uvicorn":
        cmd = [
            str(bench_py.parent / "uvicorn"),
            module,
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    else:
        cmd = [
            str(bench_py.parent / "granian"),
            "--interface",
            "asgi",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--no-access-log",
            module,
        ]
    return procs.start(
        name,
        cmd,
        env=env,
        cpus=cpus,
        log=LOG / f"{name}.log",
        url=f"http://{HOST}:{port}",
        health="/healthz",
        cwd=BENCH,
    )


# --------------------------------------------------------------------------- checks


def _shape(value: Any) -> Any:
    """Keys (in order) of every object; a list is a list whether empty or not (a generated
    citation may carry `via_ids`, the one POSTed for the check has none)."""
    if isinstance(value, dict):
        return [(k, _shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return "list"
    return None


def verify_dataset(base: str, key: str, samples: dict[str, Any]) -> list[str]:
    """Sampled rows read through the API exactly as stored, and the generated documents have
    the shape the API itself writes."""
    checks = []

    async def stored(ids: list[str]) -> dict[str, tuple[int, str]]:
        conn = await asyncpg.connect(DSN)
        try:
            rows = await conn.fetch(
                "SELECT id, version, doc::text AS doc FROM claims WHERE id = ANY($1::text[])", ids
            )
            return {r["id"]: (r["version"], r["doc"]) for r in rows}
        finally:
            await conn.close()

    sample = random.Random(1).sample(samples["ids"], 200)
    db = asyncio.run(stored(sample))
    for cid in sample:
        status, headers, body = http("GET", f"{base}/v1/claims/{cid}", key)
        version, doc = db[cid]
        if status != 200 or body != doc.encode() or headers.get("etag") != f'"{version}"':
            raise SystemExit(
                f"dataset check failed for {cid}: {status} {headers.get('etag')}"
                f" {body[:200]!r} vs {doc[:200]!r}"
            )
    checks.append(
        "200 sampled claims: GET body byte-identical to the stored document, ETag = version"
    )

    vid = samples["versioned"]
    status, _, body = http("GET", f"{base}/v1/claims/{vid}/versions", key)
    versions = json.loads(body)["data"] if status == 200 else []
    if len(versions) < 3 or [v["version"] for v in versions] != list(range(1, len(versions) + 1)):
        raise SystemExit(f"dataset check failed: versions of {vid}: {status} {body[:300]!r}")
    as_of = versions[0]["recorded_at"]
    status, _, body = http("GET", f"{base}/v1/claims/{vid}?as_of={urllib.parse.quote(as_of)}", key)
    if status != 200 or json.loads(body)["version"] != 1:
        raise SystemExit(f"dataset check failed: as_of read of {vid}: {status} {body[:300]!r}")
    checks.append(f"versioned claim {vid}: {len(versions)} versions in order; as_of v1 answers v1")

    claimant = samples["normal_claimant"]
    status, _, body = http("GET", f"{base}/v1/claims?claimant_id={claimant}&limit=5", key)
    page = json.loads(body)["data"] if status == 200 else []
    if not page or any(c["claimant_id"] != claimant for c in page):
        raise SystemExit(f"dataset check failed: list by claimant: {status} {body[:300]!r}")
    status, _, body = http("GET", f"{base}/v1/figures/{samples['figure_id']}", key)
    if status != 200:
        raise SystemExit(f"dataset check failed: figure: {status} {body[:300]!r}")
    figure = json.loads(body)
    checks.append("list by claimant and GET figure answer from the dataset")

    # A claim created through the API has the same JSON shape as the generated ones.
    sample_doc = json.loads(db[sample[0]][1])
    body = json.dumps(
        {
            "claimant_id": samples["actors"][0],
            "text": "shape check",
            "stated_on": "2025-01-01",
            "citations": [{"source_id": samples["sources"][0]}],
            "subject_ids": [samples["actors"][1]],
            "location": {"country": "UKR", "name": "X"},
            "topics": ["casualties"],
        }
    ).encode()
    status, _, created = http("POST", f"{base}/v1/claims", key, body)
    if status != 201:
        raise SystemExit(f"dataset check failed: POST: {status} {created[:300]!r}")
    api_doc = json.loads(created)
    if (
        list(api_doc) != list(sample_doc)
        or _shape(api_doc["location"]) != _shape(sample_doc["location"])
        or _shape(api_doc["citations"][0]) != _shape(sample_doc["citations"][0])
    ):
        raise SystemExit(
            f"dataset shape differs from the API's: {list(api_doc)} vs {list(sample_doc)}"
        )
    checks.append("a claim POSTed through the API has the generated claims' keys, in order")
    body = json.dumps(
        {
            "claim_id": api_doc["id"],
            "metric": "killed",
            "qualifier": "vague",
            "low": 300,
            "high": 900,
            "text": "several hundred",
            "accumulation": "cumulative",
            "period": {"start": "2024-10-01", "start_precision": "month", "end": "2025-01-01"},
        }
    ).encode()
    status, _, created = http("POST", f"{base}/v1/figures", key, body)
    if status != 201:
        raise SystemExit(f"dataset check failed: POST figure: {status} {created[:300]!r}")
    api_figure = json.loads(created)
    if list(api_figure) != list(figure):
        raise SystemExit(
            f"dataset figure shape differs from the API's: {list(api_figure)} vs {list(figure)}"
        )
    checks.append("a figure POSTed through the API has the generated figures' keys, in order")
    return checks


def openapi_paths(base: str) -> set[str]:
    status, _, body = http("GET", f"{base}/schema/openapi.json")
    if status != 200:
        return set()
    return set(json.loads(body).get("paths", {}))


# --------------------------------------------------------------------------- loads


class Bench:
    def __init__(
        self,
        args: argparse.Namespace,
        bench_py: Path,
        files: dict[str, Path],
        key: str,
        samples: dict[str, Any],
    ) -> None:
        self.args, self.bench_py, self.files, self.key = args, bench_py, files, key
        self.samples = samples
        self.results: dict[str, Any] = {}

    def wrk_load(
        self,
        base: str,
        script: str,
        env: dict[str, str],
        cpus: str,
        threads: int,
        connections: int | None = None,
    ):
        args = self.args

        def load(seconds: int) -> Run:
            return measure.wrk(
                base,
                script,
                env=env,
                seconds=seconds,
                connections=connections or args.connections,
                threads=threads,
                cpus=cpus,
            )

        return load

    def server_member(
        self, key: str, server: procs.Server, load: Any, unit: str = "req/s", note: str = ""
    ) -> measure.Member:
        return measure.Member(
            key,
            load,
            target_pids=server.pids,
            root_pid=server.pid,
            pg=(DSN, DB),
            unit=unit,
            note=note,
        )

    def group(self, members: list[measure.Member]) -> None:
        """Measure members round-robin (see measure.interleave); a failing group is recorded
        as not measured rather than ending the run."""
        a = self.args
        try:
            found = measure.interleave(
                members, repeats=a.repeats, seconds=a.seconds, warmup=a.warmup, log=log
            )
        except Exception as exc:  # noqa: BLE001
            for m in members:
                self.not_measured(m.key, f"failed: {str(exc)[:300]}")
            return
        for key, result in found.items():
            self.results[key] = result.to_json()

    def measure_server(
        self, key: str, server: procs.Server, load: Any, unit: str = "req/s", note: str = ""
    ) -> None:
        self.group([self.server_member(key, server, load, unit, note)])

    def get_paths(
        self,
        base: str,
        paths: str,
        cpus: str,
        threads: int,
        auth: bool = True,
        connections: int | None = None,
        accept_encoding: str = "",
    ):
        env = {"BENCH_PATHS": str(self.files[paths]), "BENCH_AUTH": self.key if auth else ""}
        if accept_encoding:
            env["BENCH_ACCEPT_ENCODING"] = accept_encoding
        return self.wrk_load(base, "paths.lua", env, cpus, threads, connections)

    def ref_member(self, key: str, mode: str, cpus: str, unit: str) -> measure.Member:
        """A raw asyncpg loop, a fresh process per run; it reports its own CPU and RSS and
        those of its PostgreSQL backends."""
        a = self.args

        def load(seconds: int) -> Run:
            cmd = [
                "taskset",
                "-c",
                cpus,
                str(PROJECT_PY),
                "-m",
                "harness.refs",
                mode,
                "--dsn",
                DSN,
                "--seconds",
                str(seconds),
                "--concurrency",
                str(a.connections),
                "--ids",
                str(self.files["app_ids"].with_name("ids.txt")),
                "--actors",
                str(self.files["actors"]),
                "--sources",
                str(self.files["sources"]),
                "--nonce",
                secrets.token_hex(4),
            ]
            r = run_harness(cmd, seconds + 60, f"refs {mode}")
            return client_run(r)

        return measure.Member(key, load, unit=unit, warmup=False)

    def search_sql_member(self, key: str, mode: str) -> measure.Member:
        """Newest-first search in SQL alone (`harness/search_sql.py`), on core 1 like wrk,
        with the benchmarked server's own statement; a fresh process per run, each run
        starting at another place in the queries."""
        a = self.args

        def load(seconds: int) -> Run:
            cmd = [
                "taskset",
                "-c",
                "1",
                str(PROJECT_PY),
                "-m",
                "harness.search_sql",
                mode,
                "--dsn",
                DSN,
                "--seconds",
                str(seconds),
                "--concurrency",
                str(a.connections),
                "--queries",
                str(self.files["q_fresh"]),
                "--offset",
                str(secrets.randbelow(20_000)),
            ]
            r = run_harness(cmd, seconds + 120, f"search_sql {mode}", f"{SRC}{os.pathsep}{BENCH}")
            return client_run(r)

        return measure.Member(key, load, unit="queries/s", warmup=False)

    def not_measured(self, key: str, reason: str) -> None:
        log(f"  {key}: not measured: {reason}")
        self.results[key] = {"not_measured": reason}


def run_profile(bench: Bench, server: procs.Server, base: str) -> dict[str, Any]:
    out = WORK / "profile-get-id.txt"
    seconds = 2 * bench.args.seconds  # py-spy keeps ~25% of its nominal samples here
    load = bench.get_paths(base, "app_ids", "1", 1)
    spy = subprocess.Popen(
        [
            str(bench.bench_py.parent / "py-spy"),
            "record",
            "--pid",
            str(server.pid),
            "--duration",
            str(seconds),
            "--rate",
            "250",
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(0.5)
    load(seconds + 1)
    text, _ = spy.communicate(timeout=60)
    if spy.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed: {text[-500:]}")
    # A flame graph too, for people (not in results.md).
    return profile.analyse(out)


def import_member(bench: Bench, server: procs.Server) -> measure.Member:
    port = PORTS["app"]

    def load(seconds: int) -> Run:
        cmd = [
            "taskset",
            "-c",
            "1",
            str(PROJECT_PY),
            "-m",
            "harness.clients",
            "import",
            "--port",
            str(port),
            "--key",
            bench.key,
            "--seconds",
            str(seconds),
            "--nonce",
            secrets.token_hex(4),
        ]
        r = run_harness(cmd, seconds + 300, "import client")
        if r["failures"] and not r["count"]:
            raise RuntimeError(f"import refused: {r['last_error']}")
        return Run(
            rps=r["rate"],
            p50_ms=r["p50_ms"],
            p99_ms=r["p99_ms"],
            requests=r["count"],
            errors=r["failures"],
            extra=r,
        )

    return bench.server_member(
        "app_import", server, load, unit="claims/s", note="p50/p99 are per 1,000-line request"
    )


def export_scenario(bench: Bench, server: procs.Server) -> None:
    port = PORTS["app"]
    baseline = sum(procs.rss_bytes(p) for p in server.pids())
    sampler = procs.Sampler(server.pid).start()
    cpu0 = procs.cpu_seconds(server.pids())
    path = "/v1/export?format=ndjson&kinds=claim"
    cmd = [
        "taskset",
        "-c",
        "1",
        str(PROJECT_PY),
        "-m",
        "harness.clients",
        "export",
        "--port",
        str(port),
        "--key",
        bench.key,
        "--seconds",
        str(bench.args.export_seconds),
        "--path",
        path,
    ]
    try:
        r = run_harness(cmd, bench.args.export_seconds + 120, "export client")
    finally:
        sampler.stop()
    if r.get("status") != 200:
        raise RuntimeError(f"export answered {r.get('status')}: {r.get('error')}")
    growth = (sampler.peak_total - baseline) / 2**20
    run = Run(
        rps=r["rate"],
        p50_ms=r["first_byte_s"] * 1000,
        p99_ms=0.0,
        requests=r["lines"],
        errors=0,
        cpu_s=procs.cpu_seconds(server.pids()) - cpu0,
        peak_rss_mb=sampler.peak_total / 2**20,
        extra={**r, "baseline_rss_mb": baseline / 2**20, "rss_growth_mb": growth},
    )
    bench.results["app_export"] = Result(
        "app_export",
        [run],
        unit="lines/s",
        note=f"one export of {r['lines']:,} lines / {r['bytes'] / 2**20:,.0f} MiB in"
        f" {r['seconds']:.1f} s{'' if r['complete'] else ' (cut at the time bound)'};"
        f" RSS {baseline / 2**20:.0f} → peak {sampler.peak_total / 2**20:.0f} MB"
        f" (+{growth:.0f} MB); p50 column = time to first byte",
    ).to_json()
    log(f"  export: {r['lines']:,} lines in {r['seconds']:.1f} s, RSS +{growth:.0f} MB")


CODINGS = ("identity", "gzip", "br")
"""Sent as Accept-Encoding in the compression scenario; the server answers in that coding."""


def compression_scenario(bench: Bench, server: procs.Server, base: str) -> dict[str, Any]:
    """Issue 13.8: what compressing costs and saves, for a page of 200 claims (wrk at the
    usual connections, the three codings interleaved) and for the streamed export (one
    bounded export per coding): bytes on the wire and the server's CPU, per request and per
    MiB of the export's NDJSON."""
    page_path = bench.files["app_page200"].read_text().split()[0]
    for coding in CODINGS:  # the server must answer as asked, or nothing here means anything
        asked = {"Accept-Encoding": coding}
        status, headers, _ = http("GET", base + page_path, bench.key, headers=asked)
        got = {k.lower(): v for k, v in headers.items()}.get("content-encoding", "identity")
        if status != 200 or got != coding:
            raise RuntimeError(f"{page_path} with Accept-Encoding {coding}: {status}, {got}")
    members = [
        bench.server_member(
            f"app_page200_{coding}",
            server,
            bench.get_paths(base, "app_page200", "1", 1, accept_encoding=coding),
        )
        for coding in CODINGS
    ]
    bench.group(members)
    pages: dict[str, Any] = {}
    for coding in CODINGS:
        result = bench.results.get(f"app_page200_{coding}", {})
        runs = result.get("runs") or []
        if not runs:
            pages[coding] = {"not_measured": result.get("not_measured", "no runs")}
            continue
        requests = sum(r["requests"] for r in runs)
        pages[coding] = {
            "requests": requests,
            "rps": result["summary"]["rps"],
            "wire_bytes_per_request": sum(r["extra"]["wrk"]["bytes"] for r in runs) / requests,
            "cpu_us_per_request": sum(r["cpu_s"] for r in runs) / requests * 1e6,
        }
    exports = {}
    seconds = min(bench.args.export_seconds, 60)
    for coding in CODINGS:
        try:
            exports[coding] = compressed_export(bench, server, coding, seconds)
        except Exception as exc:  # noqa: BLE001
            exports[coding] = {"not_measured": str(exc)[:300]}
        log(f"  export, {coding}: {exports[coding]}")
    return {"page_path": page_path, "page": pages, "export": exports, "export_seconds": seconds}


def compressed_export(
    bench: Bench, server: procs.Server, coding: str, seconds: int
) -> dict[str, Any]:
    baseline = sum(procs.rss_bytes(p) for p in server.pids())
    sampler = procs.Sampler(server.pid).start()
    cpu0 = procs.cpu_seconds(server.pids())
    cmd = [
        "taskset",
        "-c",
        "1",
        str(PROJECT_PY),
        "-m",
        "harness.clients",
        "export",
        "--port",
        str(PORTS["app"]),
        "--key",
        bench.key,
        "--seconds",
        str(seconds),
        "--path",
        "/v1/export?format=ndjson&kinds=claim",
        "--accept-encoding",
        coding,
    ]
    try:
        r = run_harness(cmd, seconds + 120, f"export client ({coding})")
    finally:
        sampler.stop()
    if r.get("status") != 200 or r.get("content_encoding") != coding:
        answer = f"{r.get('status')} in {r.get('content_encoding')}: {r.get('error')}"
        raise RuntimeError(f"the export answered {answer}")
    cpu = procs.cpu_seconds(server.pids()) - cpu0
    mib = r["bytes"] / 2**20
    return {
        "lines": r["lines"],
        "mib": mib,
        "wire_mib": r["wire_bytes"] / 2**20,
        "seconds": r["seconds"],
        "complete": r["complete"],
        "mib_per_s": mib / r["seconds"] if r["seconds"] else 0.0,
        "cpu_s": cpu,
        "cpu_s_per_mib": cpu / mib if mib else 0.0,
        "rss_growth_mb": (sampler.peak_total - baseline) / 2**20,
    }


def run_explain(samples: dict[str, Any]) -> list[dict[str, Any]]:
    sample_file = WORK / "samples.json"
    chosen = {
        k: samples[k]
        for k in (
            "heavy_claimant",
            "normal_claimant",
            "heavy_count",
            "normal_count",
            "publisher",
            "figure_claim",
            "q_examples",
            "claim_id",
            "hot_subject",
            "hot_figures",
            "republished",
        )
    }
    # v2: the heaviest case of each new filter (the busiest outlet, the actor most often a
    # co-claimant, the parent with most members), a median cited source, a related claim
    relayer, relayer_count = samples["relayers"][0] if samples["relayers"] else (None, 0)
    co, co_count = samples["co_claimants"][0] if samples["co_claimants"] else (None, 0)
    cited = samples["cited_sources"]
    chosen.update(
        hot_metric=samples["hot_metrics"][0][0] if samples["hot_metrics"] else "killed",
        relayer=relayer,
        relayer_count=relayer_count,
        co_claimant=co,
        co_claimant_count=co_count,
        related=samples["related_ids"][0] if samples["related_ids"] else None,
        cited_source=cited[len(cited) // 2] if cited else None,
        parent=samples["parents"][0][0] if samples["parents"] else None,
        wikidata=samples["wikidata"][len(samples["wikidata"]) // 2]
        if samples["wikidata"]
        else None,
    )
    sample_file.write_text(json.dumps(chosen))
    out = subprocess.run(
        [str(PROJECT_PY), "-m", "harness.explain", "--dsn", DSN, "--samples", str(sample_file)],
        env={**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{BENCH}"},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=WORK,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout)


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pg = (
        subprocess.run(
            [
                "psql",
                f"{PG}/postgres",
                "-Atc",
                "SELECT current_setting('server_version') || ', shared_buffers '"
                " || current_setting('shared_buffers')",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        or "?"
    )
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{cluster.memory_bytes() / 2**30:.1f} GiB",
        "postgres": pg,
        "python": platform.python_version(),
    }


def busy_cpu(seconds: float = 3.0) -> float:
    """Share of the machine's CPU used by others while we are idle, in %."""

    def snap() -> tuple[int, int]:
        v = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = v[3] + v[4]
        return sum(v), idle

    t1, i1 = snap()
    time.sleep(seconds)
    t2, i2 = snap()
    return 100.0 * (1 - (i2 - i1) / max(1, t2 - t1))


def reads_scenario(
    bench: Bench,
    app: procs.Server,
    base: str,
    samples: dict[str, Any],
    bench_py: Path,
    servers: list[procs.Server],
    run: dict[str, Any],
) -> None:
    """The `reads` group: GET by id, the claimant list and the searches interleaved with the
    floor, the peer and a raw select loop; the search in SQL alone; a py-spy profile of GET
    by id. The references it starts join `servers`, which the caller stops."""
    members = [
        bench.server_member("app_get_id", app, bench.get_paths(base, "app_ids", "1", 1)),
        bench.server_member(
            "app_list_claimant", app, bench.get_paths(base, "app_list_claimant", "1", 1)
        ),
        bench.server_member(
            "app_list_q",
            app,
            bench.get_paths(base, "app_list_q", "1", 1),
            note=f"{len(samples['queries'])} queries, matches"
            f" {min(n for _, n in samples['queries']):,}–"
            f"{max(n for _, n in samples['queries']):,}",
        ),
        bench.server_member(
            "app_list_q_fresh",
            app,
            bench.get_paths(base, "app_list_q_fresh", "1", 1),
            note="20,000 distinct word pairs and words, so almost every request is a query"
            " not asked before; newest first (the default)",
        ),
        bench.server_member(
            "app_list_q_relevance",
            app,
            bench.get_paths(base, "app_list_q_relevance", "1", 1),
            note="the 30 queries of `app_list_q`, sort=relevance",
        ),
        # Ranking every match of a word costs up to a second of PostgreSQL (bench/README.md,
        # "Search"): at 32 connections every request would wait past wrk's 2 s and the
        # server's 5 s limit, and the row would say nothing but "saturated".
        bench.server_member(
            "app_list_q_fresh_relevance",
            app,
            bench.get_paths(base, "app_list_q_fresh_relevance", "1", 1, connections=4),
            note="the queries of `app_list_q_fresh`, sort=relevance: every match ranked;"
            " 4 connections",
        ),
    ]
    for key_name, module, port_name in (
        ("floor_uvicorn", "floor.app:app", "floor"),
        ("peer", "peer.app:app", "peer"),
    ):
        try:
            ref = start_reference(key_name, bench_py, "uvicorn", module, PORTS[port_name], "0")
            servers.append(ref)
            members.append(
                bench.server_member(
                    key_name, ref, bench.get_paths(ref.url, "floor_ids", "1", 1, auth=False)
                )
            )
        except Exception as exc:  # noqa: BLE001
            bench.not_measured(key_name, f"failed to start: {str(exc)[:300]}")
    members.append(bench.ref_member("raw_select", "select", "0", "rows/s"))
    log("reads, interleaved: " + ", ".join(m.key for m in members))
    bench.group(members)
    # Issue 13.6's alternatives side by side, in SQL alone: the server's newest-first
    # statement against the plan PostgreSQL picks for the plain query.
    searches_sql = [
        bench.search_sql_member("sql_newest_walk", "walk"),
        bench.search_sql_member("sql_newest_planner", "planner"),
    ]
    log("newest-first search in SQL, interleaved: sql_newest_walk, sql_newest_planner")
    bench.group(searches_sql)
    peer = next((x for x in servers if x.name == "peer"), None)
    if peer:
        servers.remove(peer)
        peer.stop()
    try:
        log("profiling GET /v1/claims/{id} with py-spy")
        run["profile"] = run_profile(bench, app, base)
    except Exception as exc:  # noqa: BLE001
        run["profile_error"] = str(exc)
        log(f"  profile failed: {exc}")


def writes_scenario(bench: Bench, app: procs.Server, base: str, paths: set[str]) -> None:
    """The `writes` group: POST /v1/claims against a raw asyncpg transaction loop, and
    POST /v1/import against COPY of the same rows."""
    log("POST /v1/claims, interleaved with the raw asyncpg transaction loop")
    post_env = {
        "BENCH_AUTH": bench.key,
        "BENCH_ACTORS": str(bench.files["actors"]),
        "BENCH_SOURCES": str(bench.files["sources"]),
        "BENCH_NONCE": secrets.token_hex(4),
    }
    bench.group(
        [
            bench.server_member(
                "app_post", app, bench.wrk_load(base, "post_claims.lua", post_env, "1", 1)
            ),
            bench.ref_member("raw_insert", "insert", "0", "tx/s"),
        ]
    )
    copy_member = bench.ref_member("pg_copy", "copy", "0", "claims/s")
    if "/v1/import" in paths:
        log("POST /v1/import, interleaved with COPY of the same rows")
        bench.group([import_member(bench, app), copy_member])
    else:
        bench.not_measured("app_import", "not built yet (no /v1/import in the OpenAPI document)")
        bench.group([copy_member])


def asgi_scenario(bench: Bench, bench_py: Path, servers: list[procs.Server]) -> None:
    """The `asgi` group: the floor and our app on uvicorn and on granian, our app without
    metrics and with multiprocess metrics; the servers it starts join `servers`."""
    log("ASGI servers, interleaved: floor and our app on uvicorn and on granian")
    members = []
    # Six servers run at once and each keeps the connections its warm-up opened: at the
    # default pool of 20 the four apps and the two floors (10 each) would take all of
    # PostgreSQL's 100, so the apps get the floor's 10 here, alike for every comparison made.
    pool = {"CLAIMLEDGER_POOL_MAX_SIZE": "10"}
    starters = (
        (
            "floor_uvicorn_b",
            lambda: start_reference(
                "floor_uvicorn_b", bench_py, "uvicorn", "floor.app:app", PORTS["floor"], "0"
            ),
            "floor_ids",
            False,
        ),
        (
            "floor_granian",
            lambda: start_reference(
                "floor_granian", bench_py, "granian", "floor.app:app", PORTS["floor2"], "0"
            ),
            "floor_ids",
            False,
        ),
        ("app_get_id_nolog", lambda: start_uvicorn_app("0", env=pool), "app_ids", True),
        (
            "app_get_id_nometrics",
            lambda: start_uvicorn_app("0", "off", env=pool),
            "app_ids",
            True,
        ),
        (
            "app_get_id_mpmetrics",
            lambda: start_uvicorn_app("0", "files", env=pool),
            "app_ids",
            True,
        ),
        ("app_get_id_granian", lambda: start_granian_app(bench_py, "0", pool), "app_ids", True),
    )
    for key_name, starter, ids, auth in starters:
        try:
            server = starter()
            servers.append(server)
            members.append(
                bench.server_member(
                    key_name, server, bench.get_paths(server.url, ids, "1", 1, auth=auth)
                )
            )
        except Exception as exc:  # noqa: BLE001
            bench.not_measured(key_name, f"failed to start: {str(exc)[:300]}")
    bench.group(members)


def instructions_scenario(bench: Bench, key: str, samples: dict[str, Any], quick: bool) -> None:
    """The `instructions` group: callgrind's instructions per GET by id with metrics off,
    in memory and in files (harness/instructions.py)."""
    log("instructions per GET /v1/claims/{id} under callgrind: metrics off, memory, files")
    try:
        counted = instructions.count_all(
            [
                (f"instr_get_id_{mode}", functools.partial(start_uvicorn_app, None, mode))
                for mode in ("off", "memory", "files")
            ],
            WORK,
            {"Authorization": f"Bearer {key}"},
            [f"/v1/claims/{i}" for i in samples["ids"]],
            requests=1000 if not quick else 200,
        )
        for name, c in counted.items():
            bench.results[name] = {"instructions": asdict(c)}
            log(
                f"  {name}: {c.per_request:,.0f} instructions/request"
                f" (idle {c.idle_per_second:,.0f}/s subtracted over {c.request_seconds:.0f} s)"
            )
    except Exception as exc:  # noqa: BLE001
        for mode in ("off", "memory", "files"):
            bench.not_measured(f"instr_get_id_{mode}", f"failed: {str(exc)[:300]}")


def run_header(
    args: argparse.Namespace,
    meta: dict[str, Any],
    source_desc: str,
    background: float,
    results: dict[str, Any],
    notes: list[str],
) -> dict[str, Any]:
    """What results.md says about the run besides its numbers: when, on what machine and
    source, under which load, whether the machine was quiet, and the dataset."""
    background_end = busy_cpu()
    floors = [
        results.get(k, {}).get("summary", {}).get("rps")
        for k in ("floor_uvicorn", "floor_uvicorn_b")
    ]
    drift = abs(floors[0] - floors[1]) / max(floors) if all(floors) else 0.0
    # Busy when others used the CPU around the run, or when the same floor measured at the
    # start and at the end of the run disagrees by more than 15%.
    busy = max(background, background_end) >= 15 or drift > 0.15
    dataset_note = (
        f"{meta['claims']:,} claims, {meta['counts']['figures']:,} figures,"
        f" {meta['counts']['actors']:,} actors, {meta['counts']['sources']:,} sources;"
        f" {meta['counts']['claims_history'] - meta['counts']['claims']:,} extra claim versions"
        f" (every 20th claim has 3–4 versions); {meta['counts']['events']:,} events;"
        f" {'reused' if meta['reused'] else 'built'} (build took {meta['seconds']:.0f} s"
        f" with COPY; documents {'from the server code' if meta['exact_documents'] else 'from templates'})"
    )
    commit = COMMIT  # HEAD when the source was frozen; others may commit during the run
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "status": ("machine busy — provisional" if busy else "quiet machine")
        + (" (--quick smoke run)" if args.quick else "")
        + (f" (only {', '.join(args.only)})" if args.only else ""),
        "machine": machine(),
        "commit": commit,
        "source": source_desc,
        "load_note": f"wrk {args.connections} connections, {args.repeats} × {args.seconds} s"
        f" after {args.warmup} s warm-up; other processes used {background:.0f}% of the CPU"
        f" just before the run and {background_end:.0f}% just after; "
        + (
            f"the floor measured {floors[0]:,.0f} req/s early in the run and"
            f" {floors[1]:,.0f} late ({drift:.0%} apart)"
            if all(floors)
            else "the floor measured once (its late measurement is in `asgi`)"
        )
        + (
            " — **machine busy — provisional**: other engineers' work shared the"
            " 2 cores, so absolute numbers are low and noisy; ratios are more"
            " robust"
            if busy
            else ""
        ),
        "pinning": "1 worker: server on core 0, wrk (1 thread) on core 1; 2 workers: server"
        " and wrk (2 threads) on cores 0-1; references pinned like the 1-worker"
        " server; PostgreSQL unpinned",
        "dataset": dataset_note,
        "claims": meta["claims"],
        "elapsed": f"{(time.monotonic() - T0) / 60:.1f} min",
        "scenarios": results,
        "notes": notes
        + [
            "`claimledger serve` (uvicorn) writes no access log unless `--access-log` is"
            " given; the floor and the peer run with --no-access-log too.",
        ],
    }


# --------------------------------------------------------------------------- main


def main() -> int:
    global SRC, _log_file, DB, DSN, PG
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--export-seconds", type=int, default=240)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset")
    parser.add_argument("--source", choices=["auto", "worktree", "head"], default="auto")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke-test the harness: 100k claims, 1 × 3 s per scenario; results.md is not written",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "results.md")
    parser.add_argument(
        "--dataset-only", action="store_true", help="build or reuse the dataset, then stop"
    )
    parser.add_argument(
        "--pg-cluster",
        type=Path,
        metavar="DIR",
        help="use the bench's own PostgreSQL cluster in DIR, with production settings"
        " (harness/cluster.py), instead of the machine's on 127.0.0.1:5432",
    )
    parser.add_argument(
        "--only",
        type=lambda text: [g.strip() for g in text.split(",") if g.strip()],
        default=[],
        help="comma-separated scenario groups to measure (default: all): " + ", ".join(GROUPS),
    )
    args = parser.parse_args()
    unknown = [g for g in args.only if g not in GROUPS]
    if unknown:
        parser.error(f"--only: unknown group(s) {', '.join(unknown)}; groups: {', '.join(GROUPS)}")

    def want(group: str) -> bool:
        return not args.only or group in args.only

    if args.pg_cluster:
        _, PG = cluster.start(args.pg_cluster)
        DSN = f"{PG}/{DB}"
    if args.quick:
        args.claims, args.seconds, args.repeats, args.warmup = 100_000, 3, 1, 1
        args.export_seconds = 30
        # its own database, so a smoke run never replaces the 1M dataset (a rebuild is ~6 min)
        DB = f"{DB}_quick"
        DSN = f"{PG}/{DB}"
    if (os.cpu_count() or 0) < 2:
        raise SystemExit("needs 2 cores: the server and the load generator each get one")
    WORK.mkdir(parents=True, exist_ok=True)
    LOG.mkdir(parents=True, exist_ok=True)
    _log_file = (WORK / "run.log").open("a")
    log(f"=== bench run {datetime.now(UTC).isoformat(timespec='seconds')} ({vars(args)})")
    background = busy_cpu()
    log(f"CPU used by other processes before we start: {background:.0f}%")

    ensure_tools()
    bench_py = ensure_bench_venv()
    SRC, source_desc = snapshot_source(args.source)
    log(f"benchmarking {source_desc}")
    meta = ensure_dataset(SRC, args.claims, args.rebuild)
    if args.dataset_only:
        log(f"dataset ready in {DB}: {meta['counts']}")
        return 0
    samples = asyncio.run(collect_samples())
    files = write_request_files(samples)
    (WORK / "requests" / "ids.txt").write_text("\n".join(samples["ids"]) + "\n")
    key = api_key()
    bench = Bench(args, bench_py, files, key, samples)
    notes: list[str] = []
    run: dict[str, Any] = {}
    servers: list[procs.Server] = []

    def stop_all() -> None:
        while servers:
            servers.pop().stop()

    try:
        # ---- our API (one worker, core 0) side by side with the floor and the peer (core 0);
        # wrk on core 1; PostgreSQL floats. Members of a group are measured round-robin.
        app = start_app(1, "0", PORTS["app"])
        servers.append(app)
        base = app.url
        checks = verify_dataset(base, key, samples)
        for c in checks:
            log(f"  check: {c}")
        notes += [f"dataset check: {c}" for c in checks]
        paths = openapi_paths(base)
        if want("reads"):
            reads_scenario(bench, app, base, samples, bench_py, servers, run)

        v2 = v2_reads.members(bench, app, base) if want("v2") else []
        if v2:
            log("v2 reads (issue 10): summary, timeline, provenance filters")
            log("  " + ", ".join(m.key for m in v2))
            bench.group(v2)

        if want("writes"):
            writes_scenario(bench, app, base, paths)
        if not want("webhooks"):
            pass
        elif any(p.startswith("/v1/webhooks") for p in paths):
            log("webhooks")
            try:
                webhook_api.scenario(
                    bench, base, paths, dsn=DSN, port=PORTS["receiver"], work=WORK, log=log
                )
            except Exception as exc:  # noqa: BLE001
                bench.not_measured("app_webhooks", f"failed: {exc}")
        else:
            bench.not_measured(
                "app_webhooks", "not built yet (no /v1/webhooks in the OpenAPI document)"
            )
        if not want("export"):
            pass
        elif "/v1/export" in paths:
            log("GET /v1/export")
            try:
                export_scenario(bench, app)
            except Exception as exc:  # noqa: BLE001
                bench.not_measured("app_export", f"failed: {exc}")
        else:
            bench.not_measured(
                "app_export", "not built yet (no /v1/export in the OpenAPI document)"
            )
        if want("compression"):
            log("compression (issue 13.8): a page of 200 claims and the export, identity/gzip/br")
            try:
                run["compression"] = compression_scenario(bench, app, base)
            except Exception as exc:  # noqa: BLE001
                run["compression_error"] = str(exc)[:500]
                log(f"  compression: not measured: {exc}")

        # ---- scaling: two workers on both cores (wrk too) vs the one-worker server
        if want("scaling"):
            log("GET /v1/claims/{id}: --workers 2, interleaved with 1 worker")
            try:
                app2 = start_app(2, "0,1", PORTS["app2"])
                servers.append(app2)
                bench.group(
                    [
                        bench.server_member(
                            "app_get_id_w1b", app, bench.get_paths(base, "app_ids", "1", 1)
                        ),
                        bench.server_member(
                            "app_get_id_w2",
                            app2,
                            bench.get_paths(app2.url, "app_ids", "0,1", 2),
                        ),
                    ]
                )
            except Exception as exc:  # noqa: BLE001
                bench.not_measured("app_get_id_w2", f"failed: {str(exc)[:300]}")
        stop_all()

        # ---- issue 13: reads through a hot standby; webhooks by 1 and 2 worker processes
        # (after stop_all: no other process may deliver webhooks on the database meanwhile)
        if want("replica"):
            log("GET /v1/claims/{id} through a hot standby with a consistency token vs the primary")
            replica_reads.scenario(
                bench,
                server_dsn=PG,
                database=DB,
                folder=WORK / "standby",
                start_app=functools.partial(start_app, 1, "0"),
                ports=(PORTS["replica"], PORTS["primary"]),
                log=log,
            )
        if want("workers"):
            log("webhooks: 2 `claimledger worker` processes, interleaved with 1")
            webhook_workers.scenario(
                bench,
                dsn=DSN,
                start_api=functools.partial(
                    start_app, 1, "0", PORTS["hooks"], "app-hooks", options=("--no-worker",)
                ),
                worker_command=[str(PROJECT_PY.parent / "claimledger"), "worker"],
                worker_env=app_env(),
                worker_ports=(PORTS["worker1"], PORTS["worker2"]),
                work=WORK,
                logs=LOG,
                log=log,
            )

        # ---- issue 14.6: the explorer's first paint, in Chromium (nothing else running)
        if want("explore"):
            log("explorer (issue 14.6): first paint with data of the claim and figures pages")
            explore_paint.scenario(
                bench,
                dsn=DSN,
                start_app=functools.partial(start_app, 1, "0", PORTS["explore"], "app-explore"),
                runs=1 if args.quick else 5,
                log=log,
            )

        # ---- the ASGI server: uvicorn vs granian, on the floor app and on our app
        if want("asgi"):
            asgi_scenario(bench, bench_py, servers)
            stop_all()

        if want("instructions"):
            instructions_scenario(bench, key, samples, args.quick)
        if want("explain"):
            log("EXPLAIN ANALYZE of the list filters")
            try:
                run["explain"] = run_explain(samples)
            except Exception as exc:
                notes.append(f"EXPLAIN failed: {exc}")
    except BaseException:
        traceback.print_exc()
        stop_all()
        raise
    finally:
        stop_all()

    results = bench.results
    (WORK / f"results-{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(
        json.dumps(
            {"results": results, "run": run, "samples_queries": samples["queries"]},
            default=str,
            indent=1,
        )
    )
    run.update(run_header(args, meta, source_desc, background, results, notes))
    run["targets"] = [
        *targets.target_rows(results),
        *v2_reads.target_rows(results),
        *replica_reads.target_rows(results),
        *webhook_workers.target_rows(results),
        *explore_paint.target_rows(results),
    ]
    if args.only:
        # The rows of groups this run left out have nothing measured: leave them out too.
        run["targets"] = [t for t in run["targets"] if t["measured"] != "not measured"]
    if args.quick:
        out = WORK / "results-quick.md"
        report.write(out, run)
        log(f"quick run: wrote {out} (bench/results.md untouched)")
    else:
        report.write(args.results, run)
        log(f"wrote {args.results}")
    for t in run["targets"]:
        log(f"  {t['result']:>14}  {t['name']}: {t['value']} (target {t['target']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
