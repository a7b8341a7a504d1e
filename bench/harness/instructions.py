"""Instructions per request, counted by callgrind: a cost that does not depend on what else
the machine is doing.

Throughput ratios between two servers on this shared two-core machine move by ±20 % from
one run to the next (bench/results.md: the same server measured 2,624 and 4,032 req/s in
one interleaved group), which drowns a 3 % difference such as the metrics' cost. callgrind
counts the instructions a process executes; the count for the same requests stays the same
whatever the load, so small costs become visible and repeatable.

How one member is measured: the server runs under `valgrind --tool=callgrind` (about 50×
slower, so it starts in minutes); after a warm-up the counters are zeroed, the process is
left idle for `idle_seconds` and the instructions of that idle time are dumped (its
background tasks: the sequencer's and housekeeping's timers, the metrics' pool sampling).
Then the counters are zeroed again and exactly `requests` requests are sent; the dump's
total, less the idle rate times the time the requests took, divided by `requests`, is the
answer. Without that correction, timers that fire once a second would be charged to
requests 50× more than at full speed, and more on a busier machine.

Members are independent, so they run at the same time (counts do not depend on that)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from harness import procs

TOTALS = re.compile(r"^(?:summary|totals): (\d+)", re.MULTILINE)


@dataclass
class Counted:
    key: str
    per_request: float
    idle_per_second: float
    requests: int
    request_seconds: float


def callgrind_prefix(out: Path) -> list[str]:
    return [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}.%p",
        "--dump-instr=no",
        "--compress-strings=no",
    ]


def _dump_total(pid: int, out: Path, part: int) -> int:
    subprocess.run(["callgrind_control", "-d", str(pid)], capture_output=True, check=True)
    dump = Path(f"{out}.{pid}.{part}")
    for _ in range(100):  # the dump is written by the process itself, asynchronously
        if dump.exists() and TOTALS.search(text := dump.read_text()):
            return int(TOTALS.search(text).group(1))  # type: ignore[union-attr]
        time.sleep(0.2)
    raise RuntimeError(f"callgrind wrote no totals to {dump}")


def _zero(pid: int) -> None:
    subprocess.run(["callgrind_control", "-z", str(pid)], capture_output=True, check=True)


async def _send(url: str, headers: dict[str, str], paths: list[str], requests: int) -> None:
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:

        async def one_connection(start: int) -> None:
            for i in range(start, requests, 4):
                answer = await client.get(paths[i % len(paths)])
                if answer.status_code != 200:
                    raise RuntimeError(f"{paths[i % len(paths)]}: {answer.status_code} {answer.text[:300]}")

        await asyncio.gather(*(one_connection(k) for k in range(4)))


def count(
    key: str,
    start: Callable[[list[str]], procs.Server],
    out: Path,
    headers: dict[str, str],
    paths: list[str],
    *,
    requests: int = 1000,
    warmup: int = 200,
    idle_seconds: float = 20.0,
) -> Counted:
    """Instructions per request of the server `start(prefix)` starts under callgrind."""
    for old in out.parent.glob(f"{out.name}.*"):
        old.unlink()
    server = start(callgrind_prefix(out))
    try:
        asyncio.run(_send(server.url, headers, paths, warmup))
        _zero(server.pid)
        time.sleep(idle_seconds)
        idle = _dump_total(server.pid, out, 1)
        idle_rate = idle / idle_seconds
        _zero(server.pid)
        began = time.monotonic()
        asyncio.run(_send(server.url, headers, paths, requests))
        took = time.monotonic() - began
        total = _dump_total(server.pid, out, 2)
    finally:
        server.stop(timeout=60)
    return Counted(key, (total - idle_rate * took) / requests, idle_rate, requests, took)


def count_all(
    members: list[tuple[str, Callable[[list[str]], procs.Server]]],
    work: Path,
    headers: dict[str, str],
    paths: list[str],
    **options: float,
) -> dict[str, Counted]:
    """`count` every member at once."""
    with ThreadPoolExecutor(len(members)) as pool:
        futures = {
            key: pool.submit(
                count,
                key,
                start,
                work / f"callgrind.{key}",
                headers,
                paths,
                **options,  # type: ignore[arg-type]
            )
            for key, start in members
        }
        return {key: future.result() for key, future in futures.items()}
