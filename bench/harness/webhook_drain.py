"""Webhook delivery micro-benchmark: one `claimledger worker`-shaped process (the sequencer
and one delivery worker, the real code) drains a backlog of events committed at once to the
bench's loopback receiver (`clients.py receiver`, pinned to core 1 as `run.py` pins it).

It measures what `run.py`'s webhook scenario measures - deliveries/s at the receiver while a
backlog drains, commit->arrival p50 of single events committed 20 times a second - plus the
worker's CPU seconds per 1,000 deliveries, on a database of its own that it drops at the end.
With `--baseline DIR` it runs the worker from another source tree (e.g. a copy of `server/`
before a change) first, then the current one, in the same run; `--profile` samples the
worker with py-spy and prints the hottest frames.

    .venv/bin/python bench/harness/webhook_drain.py [--events 5000] [--baseline /tmp/old/server]
"""

# ruff: noqa: S108, S603, S607, ASYNC110  (starts processes, polls the database: by design)
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
from harness.arrivals import drain_shape  # noqa: E402

SERVER_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
LAB_DB = "claimledger_wh_lab"
PROFILES = Path(tempfile.gettempdir()) / "wh-drain-profiles"
PYSPY_CANDIDATES = [ROOT / "bench/.work/venv/bin/py-spy", Path("/tmp/pyspy-venv/bin/py-spy")]

# A claim document about the size the bench's import writes (~700 bytes of JSON).
CLAIM_DATA = json.dumps(
    {
        "claimant_id": "act_01jq0000000000000000000000",
        "text": "troops killed wounded drone strike village region ministry claimed " * 2,
        "stated_on": "2025-03-14",
        "stated_on_precision": "day",
        "citations": [{"source_id": "src_01jq0000000000000000000000", "relayed_by": []}],
        "subject_ids": ["act_01jq0000000000000000000001"],
        "location": {"country": "UKR", "name": "Kursk"},
        "topics": ["casualties"],
        "status": "reported",
        "external_id": "hook-bench-0",
        "created_at": "2025-03-14T10:00:00Z",
        "updated_at": "2025-03-14T10:00:00Z",
    }
)

_INSERT_EVENTS = """
    INSERT INTO events (id, type, occurred_at, resource, resource_id, version, data)
    SELECT cl_new_id('evt'), 'claim.created', now(), 'claim', $2 || '-' || n, 1, $3::json
      FROM generate_series(1, $1) AS n
"""


def with_database(name: str) -> str:
    return SERVER_DSN.rsplit("/", 1)[0] + "/" + name


# --------------------------------------------------------------------------- the worker side


async def _worker_process(dsn: str, concurrency: int) -> None:
    """Run in a child process: the sequencer and one worker (as `claimledger worker` does)
    until SIGTERM, then print the CPU seconds used since it was ready."""
    from claimledger_server.config import WebhookSettings
    from claimledger_server.db.pool import create_pool
    from claimledger_server.webhooks import sender, worker

    settings = WebhookSettings(allow_private=True)
    if concurrency:
        settings = WebhookSettings(allow_private=True, concurrency=concurrency)
    pool = await create_pool(dsn, min_size=2, max_size=settings.concurrency + 4)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with worker.sequencing(pool), worker.running(pool, settings):
        ready = time.process_time()
        print(f"READY {sender.__file__}", flush=True)
        await stop.wait()
        used = time.process_time() - ready
    await pool.close()
    print(f"CPU {used:.4f}", flush=True)


class WorkerProcess:
    """The worker on core 0; with `profile_to`, py-spy samples it from when it is ready
    (start-up and imports are not what a delivery costs) until it is stopped."""

    def __init__(
        self, dsn: str, source: Path, profile_to: Path | None, concurrency: int, loop: str
    ) -> None:
        env = {**os.environ, "PYTHONPATH": str(source)}
        self.process = subprocess.Popen(
            [
                "taskset",
                "-c",
                "0",
                sys.executable,
                __file__,
                "_worker",
                dsn,
                str(concurrency),
                loop,
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError(f"the worker did not start: {line!r}")
        self.module = line.split(" ", 1)[1].strip()
        self.spy: subprocess.Popen[bytes] | None = None
        if profile_to is not None:
            spy = next((p for p in PYSPY_CANDIDATES if p.exists()), None)
            if spy is None:
                raise SystemExit(
                    "--profile needs py-spy: " + " or ".join(map(str, PYSPY_CANDIDATES))
                )
            self.spy = subprocess.Popen(
                [
                    str(spy),
                    "record",
                    "-r",
                    "250",
                    "-f",
                    "raw",
                    "-o",
                    str(profile_to),
                    "-p",
                    str(self.process.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)  # attached

    def stop(self) -> float:
        """Stop the worker (and the profiler first); the CPU seconds it used while ready."""
        if self.spy is not None:
            self.spy.send_signal(signal.SIGINT)
            self.spy.wait(60)
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=60)
        cpu = [line for line in out.splitlines() if line.startswith("CPU ")]
        return float(cpu[-1].split()[1]) if cpu else float("nan")


# --------------------------------------------------------------------------- the receiver side


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, within: float = 10) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


class ReceiverProcess:
    """`clients.py receiver` on core 1, as the bench starts it."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.out = workdir / f"receiver-{self.port}.json"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "harness.clients",
                "receiver",
                "--port",
                str(self.port),
                "--seconds",
                "600",
                "--out",
                str(self.out),
            ],
            env={**os.environ, "PYTHONPATH": str(HERE.parent)},
            cwd=workdir,
        )
        subprocess.run(
            ["taskset", "-pc", "1", str(self.process.pid)], check=True, capture_output=True
        )
        wait_for_port(self.port)

    def stop(self) -> list[tuple[float, str, str]]:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)
        return [tuple(r) for r in json.loads(self.out.read_text())]


def receiver_capacity(workdir: Path, seconds: float = 4) -> float:
    """Requests/s the receiver answers with wrk (on core 0) sending webhook-sized POSTs over
    32 keep-alive connections: it must be well above the rate the worker is to reach."""
    receiver = ReceiverProcess(workdir)
    script = workdir / "post.lua"
    body = json.dumps({"type": "claim.created", "data": {"resource_id": "x", "data": CLAIM_DATA}})
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.headers["webhook-id"] = "evt_capacity"\n'
    )
    try:
        out = subprocess.run(
            [
                "taskset",
                "-c",
                "0",
                "wrk",
                "-t1",
                "-c32",
                f"-d{seconds}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{receiver.port}/hook",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        receiver.stop()
    line = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


# --------------------------------------------------------------------------- one measured run


async def reset(dsn: str, receiver_url: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "TRUNCATE webhook_attempts, webhook_deliveries, webhook_endpoints, events"
        )
        # The outbox as a freshly built benchmark database has it: analyzed while empty.
        # Truncated only, it counts as never analyzed, which the planner sizes at 10 pages
        # at least, so the plans cached while the singles go out would probe indexes
        # whatever the server does, and plans kept from an empty table would go unseen.
        await conn.execute("VACUUM ANALYZE webhook_deliveries, webhook_attempts")
        await conn.execute(
            """INSERT INTO webhook_endpoints (id, url, event_types, type_patterns, secret)
               VALUES ('whe_lab', $1, '{claim.*}', '{claim.%}', $2)""",
            receiver_url,
            "whsec_" + "A" * 43 + "=",
        )
    finally:
        await conn.close()


async def commit_events(dsn: str, singles: int, backlog: int) -> dict[str, float]:
    """`singles` events one every 50 ms (latency), then `backlog` in one transaction;
    returns the commit time of each resource id of the singles."""
    conn = await asyncpg.connect(dsn)
    committed: dict[str, float] = {}
    try:
        for n in range(singles):
            prefix = f"single{n}"
            await conn.execute(_INSERT_EVENTS, 1, prefix, CLAIM_DATA)
            committed[f"{prefix}-1"] = time.time()
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)
        await conn.execute(_INSERT_EVENTS, backlog, "backlog", CLAIM_DATA)
        while await conn.fetchval(
            "SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'"
        ) or await conn.fetchval("SELECT count(*) FROM events WHERE position IS NULL"):
            await asyncio.sleep(0.1)
    finally:
        await conn.close()
    return committed


def measure(dsn: str, source: Path, workdir: Path, args: argparse.Namespace) -> dict[str, object]:
    receiver = ReceiverProcess(workdir)
    asyncio.run(reset(dsn, f"http://127.0.0.1:{receiver.port}/hook"))
    profile = None
    if args.profile:
        PROFILES.mkdir(exist_ok=True)
        profile = PROFILES / f"{source.parent.name}-{time.strftime('%H%M%S')}.txt"
    worker = WorkerProcess(dsn, source, profile, args.concurrency, args.loop)
    try:
        committed = asyncio.run(commit_events(dsn, args.singles, args.events))
    finally:
        cpu = worker.stop()
        records = receiver.stop()
    latencies = sorted((at - committed[rid]) * 1000 for at, _, rid in records if rid in committed)
    drained = sorted(at for at, _, rid in records if rid.startswith("backlog-"))
    span = drained[-1] - drained[0] if len(drained) > 1 else float("nan")
    shape = drain_shape(drained)
    result: dict[str, object] = {
        "source": worker.module,
        "delivered": len(drained),
        "rate": round(len(drained) / span, 1),
        "per_second": shape.per_second,
        "drain": shape.describe() + (" BATCH-AND-WAIT" if shape.batch_and_wait else ""),
        "cpu_s_per_1000": round(cpu / max(1, len(records)) * 1000, 3),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
    }
    if profile is not None:
        result["profile"] = str(profile)
        result["top_self"], result["top_total"] = top_frames(profile)
    return result


def top_frames(raw: Path, count: int = 15) -> tuple[list[str], list[str]]:
    """The functions most busy samples were in (self) and under (total), from py-spy's raw
    (collapsed stack) output; samples waiting in epoll (idle) are left out."""
    own: collections.Counter[str] = collections.Counter()
    under: collections.Counter[str] = collections.Counter()
    busy = idle = 0
    for line in raw.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        # `Class.method (asyncio/base_events.py:1922)` -> `Class.method (base_events.py)`
        frames = [
            re.sub(r"\((?:[^()]*/)?([^/()]+?)(?::\d+)?\)$", r"(\1)", f) for f in stack.split(";")
        ]
        if frames[-1].startswith(("EpollSelector.select ", "select (selectors")):
            idle += int(samples)
            continue
        busy += int(samples)
        own[frames[-1]] += int(samples)
        for frame in set(frames):
            under[frame] += int(samples)

    def share(counter: collections.Counter[str]) -> list[str]:
        return [f"{n / busy:6.1%}  {frame}" for frame, n in counter.most_common(count)]

    print(f"  profile: {busy} busy samples, {idle} idle ones")
    return share(own), share(under)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="backlog committed at once")
    parser.add_argument("--singles", type=int, default=60, help="events for the latency p50")
    parser.add_argument("--baseline", type=Path, help="another server/ tree to measure first")
    parser.add_argument("--rounds", type=int, default=1, help="measurements per source tree")
    parser.add_argument("--concurrency", type=int, default=0, help="default: the setting's")
    parser.add_argument(
        "--loop", choices=["uvloop", "asyncio"], default="uvloop", help="uvloop, as `serve` runs"
    )
    parser.add_argument("--profile", action="store_true", help="sample the worker with py-spy")
    parser.add_argument("--keep", action="store_true", help="keep the lab database")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    dsn = with_database(LAB_DB)

    async def create() -> None:
        from claimledger_server.db.migrate import migrate

        admin = await asyncpg.connect(SERVER_DSN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{LAB_DB}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{LAB_DB}"')
        await admin.close()
        conn = await asyncpg.connect(dsn)
        await migrate(conn)
        await conn.close()

    async def drop() -> None:
        admin = await asyncpg.connect(SERVER_DSN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{LAB_DB}" WITH (FORCE)')
        await admin.close()

    asyncio.run(create())
    try:
        with tempfile.TemporaryDirectory(prefix="wh-drain-") as tmp:
            workdir = Path(tmp)
            print(f"receiver capacity: {receiver_capacity(workdir):,.0f} requests/s", flush=True)
            sources = [*([args.baseline] if args.baseline else []), ROOT / "server"]
            for _ in range(args.rounds):
                for source in sources:
                    result = measure(dsn, source.resolve(), workdir, args)
                    top = [result.pop("top_self", []), result.pop("top_total", [])]
                    print(json.dumps(result), flush=True)
                    for title, lines in zip(("self", "total"), top, strict=True):
                        if lines:
                            print(f"  top frames ({title}):\n    " + "\n    ".join(lines))
    finally:
        if not args.keep:
            asyncio.run(drop())


if __name__ == "__main__":
    if sys.argv[1:2] == ["_worker"]:
        worker_main = _worker_process(sys.argv[2], int(sys.argv[3]))
        if sys.argv[4] == "uvloop":
            import uvloop

            uvloop.run(worker_main)
        else:
            asyncio.run(worker_main)
    else:
        main()
