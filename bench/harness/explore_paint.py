"""Issue 14's speed target, in a real browser: how soon the explorer's claim page and
competing-figures page show their data (first paint with data, ms since the navigation
started), on the bench dataset's subject counted by ~1,000 figures.

The pages mark those moments in the browser's performance timeline (`explore:claim:data`,
`explore:figures:table`, `explore:figures:chart` for the chart's first page of 200 entries,
`explore:figures:complete` for all of them); this script reads the marks. Each run opens a
fresh browser context, so the first visit pays for the whole page (the chart library
included, 1.2 MB); the second visit in that context is what a returning reader sees (files
from the browser's cache, the library's compiled code kept by Chromium).

    .venv/bin/python bench/harness/explore_paint.py \\
        --dsn postgresql://postgres@127.0.0.1:5432/claimledger_bench --runs 5

It starts the server on that database itself (one worker, like `claimledger serve`, on
127.0.0.1), makes a read key named `bench-explore-…` and deletes it when done, and drives
Debian's Chromium (/usr/bin/chromium) with Playwright. `--url URL --key KEY` measures a
server already running instead. Results are printed and written to
bench/.work/explore_paint.json. Read-only against the data; bounded in time."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent
WORK = BENCH / ".work"
CHROMIUM = os.environ.get("CLAIMLEDGER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET_MS = 300
WAIT_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def pick(dsn: str) -> dict[str, str]:
    """The subject counted by the most figures, its metric with the most running totals,
    and a claim about it that has several versions (else any of its claims)."""
    conn = await asyncpg.connect(dsn)
    try:
        hot = await conn.fetchrow(
            "SELECT subject_id, count(*) AS n FROM figures WHERE NOT deleted"
            " AND subject_id IS NOT NULL GROUP BY subject_id ORDER BY n DESC LIMIT 1"
        )
        metric = await conn.fetchrow(
            "SELECT metric, count(*) AS n FROM figures WHERE subject_id = $1 AND NOT deleted"
            " AND accumulation = 'cumulative' GROUP BY metric ORDER BY n DESC LIMIT 1",
            hot["subject_id"],
        )
        claim = await conn.fetchval(
            "SELECT c.id FROM figures f JOIN claims c ON c.id = f.claim_id"
            " WHERE f.subject_id = $1 AND NOT c.deleted ORDER BY c.version DESC, c.id LIMIT 1",
            hot["subject_id"],
        )
    finally:
        await conn.close()
    return {
        "subject_id": hot["subject_id"],
        "subject_figures": str(hot["n"]),
        "metric": metric["metric"],
        "running_totals": str(metric["n"]),
        "claim_id": claim,
    }


def make_key(dsn: str) -> tuple[str, str]:
    name = f"bench-explore-{datetime.now(UTC):%Y%m%d%H%M%S}"
    command = [sys.executable, "-m", "claimledger_server.cli", "keys", "create", "--name", name]
    command += ["--scopes", "read", "--rate-limit", "1000000000"]
    env = {**os.environ, "DATABASE_URL": dsn, "PYTHONPATH": str(ROOT / "server")}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return name, done.stdout.strip()


async def drop_key(dsn: str, name: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DELETE FROM api_keys WHERE name = $1", name)
    finally:
        await conn.close()


def start_server(dsn: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "CLAIMLEDGER_WEBHOOK_WORKER": "false",
        "PYTHONPATH": str(ROOT / "server"),
    }
    env.pop("DATABASE_READ_URL", None)
    command = [sys.executable, "-m", "uvicorn", "--factory", "claimledger_server.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the server did not start; see {log}")


FIGURES_MARKS = ["explore:figures:table", "explore:figures:chart", "explore:figures:complete"]


async def visit(browser: Any, url: str, key: str, path: str, marks: list[str]) -> list[list[float]]:
    """Open `path` twice in a fresh browser context (a first visit, then a returning one);
    the moments each visit set `marks`."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = await context.new_page()
        await page.goto(f"{url}/explore")
        await page.evaluate("k => sessionStorage.setItem('claimledger.apiKey', k)", key)
        found = []
        for _ in range(2):
            await page.goto(url + path)
            await page.wait_for_function(
                "name => performance.getEntriesByName(name, 'mark').length > 0",
                arg=marks[-1],
                timeout=WAIT_MS,
            )
            found.append(
                [
                    await page.evaluate(
                        "n => performance.getEntriesByName(n, 'mark')[0].startTime", mark
                    )
                    for mark in marks
                ]
            )
        return found
    finally:
        await context.close()


async def measure(url: str, key: str, chosen: dict[str, str], runs: int) -> dict[str, Any]:
    """The server is warmed first (one untimed visit of each page). Then each run opens
    the figures page as asked before (each API process keeps the summary and timeline it
    answered until something changes: what readers of a popular subject get), the same
    page as a question not asked before (a `stated_to` of its own, which changes nothing
    in the answer but makes the server read the database), and the claim page."""
    from playwright.async_api import async_playwright

    subject = {k: chosen[k] for k in ("subject_id", "metric")}
    figures = f"/explore/figures?{urlencode(subject)}"
    claim = f"/explore/claims/{chosen['claim_id']}"
    samples: dict[str, list[float]] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await visit(browser, url, key, figures, FIGURES_MARKS)
            await visit(browser, url, key, claim, ["explore:claim:data"])
            for run in range(runs):
                fresh = date(2100, 1, 1) + timedelta(days=2 * run)
                pages = [
                    ("figures, answers kept", figures, FIGURES_MARKS),
                    ("figures, a fresh question", f"{figures}&stated_to={fresh}", FIGURES_MARKS),
                    ("claim", claim, ["explore:claim:data"]),
                ]
                for name, path, marks in pages:
                    for visit_name, moments in zip(
                        ("first visit", "second visit"),
                        await visit(browser, url, key, path, marks),
                        strict=True,
                    ):
                        for mark, at in zip(marks, moments, strict=True):
                            samples.setdefault(f"{name} · {visit_name} · {mark}", []).append(at)
        finally:
            await browser.close()
    return samples


def summarize(samples: dict[str, list[float]]) -> list[dict[str, Any]]:
    rows = []
    for name, values in samples.items():
        ordered = sorted(values)
        rows.append(
            {
                "measure": name,
                "runs": len(values),
                "median_ms": round(statistics.median(ordered)),
                "worst_ms": round(ordered[-1]),
            }
        )
    return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True, help="the bench database (read only)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="a server already running on --dsn's data")
    parser.add_argument("--key", help="a read key for --url")
    args = parser.parse_args()
    if args.url and not args.key:
        parser.error("--url needs --key (a read key of that server)")
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    WORK.mkdir(exist_ok=True)
    chosen = await pick(args.dsn)
    print(f"subject {chosen['subject_id']}: {chosen['subject_figures']} figures,"
          f" {chosen['running_totals']} running totals of {chosen['metric']};"
          f" claim {chosen['claim_id']}")
    key_name, server = None, None
    try:
        if args.url:
            url, key = args.url.rstrip("/"), args.key
        else:
            key_name, key = make_key(args.dsn)
            port = free_port()
            server = start_server(args.dsn, port, WORK / "explore_paint_server.log")
            url = f"http://127.0.0.1:{port}"
        rows = summarize(await measure(url, key, chosen, args.runs))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if key_name is not None:
            await drop_key(args.dsn, key_name)
    print(f"\nfirst paint with data, ms since navigation (target {TARGET_MS} ms):")
    print("| measure | runs | median | worst |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['measure']} | {row['runs']} | {row['median_ms']} | {row['worst_ms']} |")
    out = {"at": datetime.now(UTC).isoformat(), "chosen": chosen, "results": rows}
    (WORK / "explore_paint.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
