"""POST /v1/import against the COPY reference, side by side in one run (issue 6: the import
must reach 0.25 x COPY of the same rows).

On a lab database that `harness.dataset` filled (never the benchmark's own), this starts a
`claimledger serve --no-worker` pinned to CPU 0 as `bench/run.py` starts it, then alternates,
`--rounds` times, `--seconds` of each:
- import: `harness.clients import` (files of 1,000 new claims naming their claimant and
  sources by `ext:`, committed), pinned to CPU 1;
- copy: `harness.refs copy` (COPY of the rows those imports write, 1,000 claims a rolled
  back transaction), pinned to CPU 0 as the benchmark pins it.
It prints each round and the medians: claims/s, the ratio, and CPU seconds per 1,000 claims
of the server and of PostgreSQL's backends. With `--profile FILE`, py-spy records the server
during one more import run (not a measured one: sampling slows the server down).

    cd bench && PYTHONPATH=/work/main/server:/work/main/bench ../.venv/bin/python \\
        -m harness.import_ratio --dsn postgresql://postgres@127.0.0.1:5432/claimledger_import_lab \\
        --dataset /tmp/import_lab.json --rounds 5 --seconds 8 --profile /tmp/import.raw
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from harness import procs
from harness.profile import analyse

BENCH = Path(__file__).resolve().parent.parent
PROJECT = BENCH.parent
PROJECT_BIN = PROJECT / ".venv" / "bin"
HOST = "127.0.0.1"
SERVER_CPUS, CLIENT_CPUS, COPY_CPUS = "0", "1", "0"


@dataclass
class Sample:
    claims: int
    seconds: float
    """Time spent in requests (import) or in transactions (copy), as the bench counts it."""
    server_cpu_s: float = 0.0
    pg_cpu_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.claims / self.seconds if self.seconds else 0.0

    def per_thousand(self, cpu_s: float) -> float:
        return cpu_s / self.claims * 1000 if self.claims else 0.0


def _bench_json(out: subprocess.CompletedProcess[str], what: str) -> dict:
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"{what} failed: {out.stderr[-2000:]}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def _harness(cpus: str, args: list[str], seconds: float) -> dict:
    out = subprocess.run(
        ["taskset", "-c", cpus, str(PROJECT_BIN / "python"), "-m", *args],
        env={**os.environ, "PYTHONPATH": str(BENCH)},
        capture_output=True,
        text=True,
        timeout=seconds + 300,
        cwd=BENCH,
    )
    return _bench_json(out, args[0])


async def _server_backends(dsn: str) -> list[int]:
    """The PostgreSQL backends of the server's pool (application_name `claimledger`)."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = 'claimledger'"
        )
        return [r["pid"] for r in rows]
    finally:
        await conn.close()


class Lab:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        dataset = json.loads(Path(args.dataset).read_text())
        self.actors = workdir / "actors.txt"
        self.sources = workdir / "sources.txt"
        self.actors.write_text("\n".join(dataset["actor_ids"]))
        self.sources.write_text("\n".join(dataset["source_ids"]))
        self.env = {
            **os.environ,
            "DATABASE_URL": args.dsn,
            "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "true",
        }
        self.key = subprocess.run(
            [
                *(str(PROJECT_BIN / "claimledger"), "keys", "create"),
                *("--name", f"import-ratio-{secrets.token_hex(3)}", "--scopes", "admin"),
                *("--rate-limit", "1000000000"),
            ],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        with socket.socket() as probe:  # another server there would answer the health check
            if probe.connect_ex((HOST, args.port)) == 0:
                raise RuntimeError(f"port {args.port} is in use; pass another --port")
        self.server = procs.start(
            "import-ratio-app",
            [
                *(str(PROJECT_BIN / "claimledger"), "serve", "--no-seed", "--no-worker"),
                *("--host", HOST, "--port", str(args.port), "--workers", "1"),
            ],
            env=self.env,
            cpus=SERVER_CPUS,
            log=workdir / "app.log",
            url=f"http://{HOST}:{args.port}",
            health="/healthz",
        )

    def import_args(self, seconds: float) -> list[str]:
        return [
            *("harness.clients", "import", "--port", str(self.args.port), "--key", self.key),
            *("--seconds", str(seconds), "--nonce", secrets.token_hex(4)),
        ]

    def run_import(self, seconds: float) -> Sample:
        backends = asyncio.run(_server_backends(self.args.dsn))
        server0 = procs.cpu_seconds(self.server.pids())
        pg0 = {pid: procs.cpu_seconds([pid]) for pid in backends}
        result = _harness(CLIENT_CPUS, self.import_args(seconds), seconds)
        if result["failures"]:
            raise RuntimeError(f"import refused: {result['last_error']}")
        server_cpu = procs.cpu_seconds(self.server.pids()) - server0
        backends = asyncio.run(_server_backends(self.args.dsn))
        pg_cpu = sum(procs.cpu_seconds([pid]) - pg0.get(pid, 0.0) for pid in backends)
        busy = result["count"] / result["rate"] if result["rate"] else 0.0
        return Sample(result["count"], busy, server_cpu, pg_cpu)

    def run_copy(self, seconds: float) -> Sample:
        args = ["harness.refs", "copy", "--dsn", self.args.dsn, "--seconds", str(seconds)]
        args += ["--actors", str(self.actors), "--sources", str(self.sources)]
        result = _harness(COPY_CPUS, args, seconds)
        busy = result["count"] / result["rate"] if result["rate"] else 0.0
        return Sample(result["count"], busy, 0.0, result["pg_cpu_s"])

    def profile(self, out: Path, seconds: float) -> dict:
        """py-spy (blocking: it pauses the server per sample, so only on-CPU frames and real
        waits are seen) over one import run."""
        spy = _py_spy()
        recorder = subprocess.Popen(
            [
                *(spy, "record", "--format", "raw", "--rate", "200", "-o", str(out)),
                *("--pid", str(self.server.pid), "--duration", str(int(seconds) + 2)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.run_import(seconds)
        _, err = recorder.communicate(timeout=seconds + 60)
        if recorder.returncode:
            raise RuntimeError(f"py-spy failed: {err.decode(errors='replace')[-800:]}")
        return analyse(out)

    def stop(self) -> None:
        self.server.stop()


def _py_spy() -> str:
    """The bench's own py-spy (bench/run.py installs it), else one on PATH."""
    bench_spy = BENCH / ".work" / "venv" / "bin" / "py-spy"
    found = str(bench_spy) if bench_spy.exists() else shutil.which("py-spy")
    if found is None:
        raise RuntimeError("py-spy not found: install it (pip install py-spy) onto PATH")
    return found


def _median(samples: list[Sample], value: str) -> float:
    pick = {
        "rate": lambda s: s.rate,
        "server": lambda s: s.per_thousand(s.server_cpu_s),
        "pg": lambda s: s.per_thousand(s.pg_cpu_s),
    }[value]
    return statistics.median(pick(s) for s in samples)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(lab: Lab, rounds: int, seconds: float) -> dict:
    _log("warm-up")
    lab.run_import(2)
    lab.run_copy(2)
    imports: list[Sample] = []
    copies: list[Sample] = []
    for n in range(1, rounds + 1):
        imports.append(lab.run_import(seconds))
        copies.append(lab.run_copy(seconds))
        i, c = imports[-1], copies[-1]
        _log(
            f"round {n}: import {i.rate:7.0f} claims/s (server {i.per_thousand(i.server_cpu_s):.2f}"
            f" + pg {i.per_thousand(i.pg_cpu_s):.2f} CPU-s/1k) | copy {c.rate:7.0f} claims/s"
            f" (pg {c.per_thousand(c.pg_cpu_s):.2f} CPU-s/1k) | ratio {i.rate / c.rate:.3f}"
        )
    import_rate, copy_rate = _median(imports, "rate"), _median(copies, "rate")
    # Other load on the machine moves both rates; a round's import and copy run back to back,
    # so the median of the rounds' ratios is the steadier figure.
    ratios = [round(i.rate / c.rate, 3) for i, c in zip(imports, copies, strict=True)]
    return {
        "import_claims_per_s": round(import_rate, 1),
        "copy_claims_per_s": round(copy_rate, 1),
        "ratio": round(import_rate / copy_rate, 3),
        "round_ratios": ratios,
        "median_round_ratio": round(statistics.median(ratios), 3),
        "import_server_cpu_s_per_1k": round(_median(imports, "server"), 3),
        "import_pg_cpu_s_per_1k": round(_median(imports, "pg"), 3),
        "copy_pg_cpu_s_per_1k": round(_median(copies, "pg"), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", required=True, help="a lab database, never claimledger_bench")
    parser.add_argument("--dataset", required=True, help="the --out file of harness.dataset")
    parser.add_argument("--port", type=int, default=8941)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--profile", type=Path, help="py-spy raw output of one more import run")
    args = parser.parse_args()
    if args.dsn.rstrip("/").endswith("/claimledger_bench"):
        parser.error("use a lab database: claimledger_bench belongs to bench/run.py")
    with tempfile.TemporaryDirectory(prefix="import-ratio-") as tmp:
        lab = Lab(args, Path(tmp))
        try:
            result = measure(lab, args.rounds, args.seconds)
            if args.profile:
                result["profile"] = lab.profile(args.profile, args.seconds)
        finally:
            lab.stop()
    print("IMPORT_RATIO " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
