#!/usr/bin/env python3
"""Does drafting (`POST /v1/extractions`) slow the other requests? p99 of `GET` by id, with
and without drafts running, against a server this script starts.

    .venv/bin/python bench/drafts_latency.py                # ~1 min
    .venv/bin/python bench/drafts_latency.py --seconds 20 --readers 8 --drafters 2

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust). Creates (and drops at the end)
the database `claimledger_bench_drafts`; starts `claimledger serve` (one API process, one
drafting process, no webhook worker) on a free loopback port, once per extractor:

- `rules`: the default extractor, on a 1,000-word article;
- `busy-100ms`: `drafts_extractors.BusyExtractor`, the same plus pure-Python work up to
  100 ms of CPU per draft (issue 12's budget for such an article), so the drafting process
  is as busy as a full extractor would make it.

For each, `--readers` clients `GET /v1/claims/{id}` back to back for `--seconds`, first
alone, then while `--drafters` clients post the article back to back; it prints the GET
latency (p50, p99, max) of both phases and the drafts made. Nothing is pinned: the API
process, its drafting process and the clients share the machine's CPUs as a deployment's
would (pinning the server pins its drafting process with it, on the same CPU as the event
loop). Nothing is written to bench/results.md: paste the table where it is wanted."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import asyncpg
import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgresql://postgres@127.0.0.1:5432"
DB = "claimledger_bench_drafts"
EXTRACTORS = {
    "rules": "claimledger_server.extractions.rules:RuleExtractor",
    "busy-100ms": "drafts_extractors:BusyExtractor",
}
SPEAKERS = ["Oksana Levchenko", "John Kirby", "Mykola Bondar", "Anna Kowalska"]


def article(words: int = 1000) -> str:
    """A deterministic news-like text of about `words` words."""
    sentences = []
    n = 0
    while sum(len(s.split()) for s in sentences) < words:
        speaker = SPEAKERS[n % len(SPEAKERS)]
        sentences.append(
            f'"The situation near the river remains difficult," {speaker} said on Monday,'
            f" adding that about {100 + n * 7} soldiers had been wounded since October and"
            f" that {n + 3} villages were shelled overnight."
        )
        sentences.append(
            "Residents described long queues for water and fuel, and local officials said"
            " repairs to the power station would take several weeks."
        )
        n += 1
    return " ".join(sentences)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def fresh_database() -> str:
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DB}"')
    finally:
        await admin.close()
    return f"{PG}/{DB}"


async def drop_database() -> None:
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    finally:
        await admin.close()


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "claimledger"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "claimledger"),
        "serve",
        "--port",
        str(port),
        "--no-seed",
        "--no-worker",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start; see {log}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(
    base: str, key: str, claim_id: str, text: str, seconds: float, readers: int, drafters: int
) -> tuple[list[float], list[float]]:
    """(GET latencies, draft latencies) in ms over `seconds`."""
    headers = {"Authorization": f"Bearer {key}"}
    gets: list[float] = []
    drafts: list[float] = []
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=readers + drafters + 2)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as c:

        async def read() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = await c.get(f"/v1/claims/{claim_id}")
                gets.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()

        async def draft() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = await c.post("/v1/extractions", json={"text": text})
                drafts.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()

        await asyncio.gather(*(read() for _ in range(readers)), *(draft() for _ in range(drafters)))
    return gets, drafts


async def run_one(name: str, extractor: str, args: argparse.Namespace, text: str) -> list[str]:
    dsn = await fresh_database()
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "CLAIMLEDGER_EXTRACTOR": extractor,
        "CLAIMLEDGER_EXTRACTION_PROCESSES": "1",
        "CLAIMLEDGER_RATE_LIMIT_PER_MINUTE": "1000000000",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
    }
    cli(env, "migrate")
    key = cli(env, "keys", "create", "--name", "drafts-bench", "--scopes", "admin")
    port = free_port()
    server = start_server(env, port, Path(args.log_dir) / f"drafts-{name}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}) as c:
            actor = (await c.post("/v1/actors", json={"name": "John Kirby"})).json()
            claim = (
                await c.post("/v1/claims", json={"claimant_id": actor["id"], "text": "Said."})
            ).json()
            warm = await c.post("/v1/extractions", json={"text": text}, timeout=60)
            warm.raise_for_status()  # starts the drafting process
        rows = []
        for phase, drafters in (("reads alone", 0), ("reads + drafts", args.drafters)):
            gets, drafts = await measure(
                base, key, claim["id"], text, args.seconds, args.readers, drafters
            )
            draft_note = (
                f"{len(drafts)} drafts, p50 {statistics.median(drafts):.0f} ms"
                if drafts
                else "-"
            )
            rows.append(
                f"| {name} | {phase} | {len(gets) / args.seconds:.0f}/s"
                f" | {percentile(gets, 0.5):.1f} | {percentile(gets, 0.99):.1f}"
                f" | {max(gets):.1f} | {draft_note} |"
            )
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--drafters", type=int, default=2)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--only", choices=list(EXTRACTORS), help="one extractor only")
    parser.add_argument("--log-dir", default=str(BENCH / ".work"))
    args = parser.parse_args()
    Path(args.log_dir).mkdir(parents=True, exist_ok=True)
    text = article(args.words)
    print(
        f"{len(text.split())} words, {args.readers} readers, {args.drafters} drafters,"
        f" {args.seconds:.0f} s per phase, {os.cpu_count()} CPUs",
        file=sys.stderr,
    )
    rows = [
        "| extractor | phase | GET/s | p50 ms | p99 ms | max ms | drafts |",
        "|---|---|---|---|---|---|---|",
    ]
    try:
        for name, extractor in EXTRACTORS.items():
            if args.only in (None, name):
                rows += await run_one(name, extractor, args, text)
    finally:
        await drop_database()
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
