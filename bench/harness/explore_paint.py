"""Issue 14's speed target, in a real browser: how soon the explorer's claim page and
competing-figures page show their data (first paint with data, ms since the navigation
started; target 300 ms), on the bench dataset's subject counted by ~1,000 figures.

The pages mark those moments in the browser's performance timeline; this script reads the
marks:

| mark | the moment |
|---|---|
| `explore:claim:data` | the claim page's claim is on screen |
| `explore:figures:table` | the figures page's table (the summary) |
| `explore:figures:chart` | the chart's first paint with data: its sketch (`sketch.js`) |
| `explore:figures:interactive` | plotly.js's interactive chart in the sketch's place |
| `explore:figures:complete` | every entry of the timeline in the interactive chart |

Each run opens every page in three ways, each in a browser profile that starts empty:

- **cold**: the page's first visit, its key put in the tab's session storage on a page
  that loads none of the explorer's files (`/healthz`) — the HTML, scripts, style sheet and
  chart library are fetched, compiled and run for the first time (the worst case: a tab
  with a key has shown the sign-in page, which loads the explorer's scripts);
- **signed in**: the page opened by its address right after signing in — the sign-in page
  (`/explore`) was shown until the network was idle (it loads the scripts and fetches the
  chart library meanwhile), its key put where its form puts it;
- **warm**: the same page in a new tab of the cold profile after two visits — a returning
  reader: the files come from the browser's HTTP cache (kept for a year), the scripts'
  compiled code from V8's code cache, which Chromium fills for a script it has run twice.

The marks are awaited with a PerformanceObserver in the page, not with Playwright's
`wait_for_function`, which injects 60-90 ms of its own script into the page being measured.

    .venv/bin/python bench/harness/explore_paint.py \\
        --dsn postgresql://postgres@127.0.0.1:5432/claimledger_bench --runs 5

It starts the server on that database itself (one worker, like `claimledger serve`, on
127.0.0.1), makes a read key named `bench-explore-…` and deletes it when done, and drives
Debian's Chromium (/usr/bin/chromium) with Playwright. `--url URL --key KEY` measures a
server already running instead (what `make bench` does, bench/run.py). Results are printed
and written to bench/.work/explore_paint.json. Read-only against the data; bounded in time."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
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
VIEWPORT = {"width": 1366, "height": 900}
TARGET_MS = 300
WAIT_S = 60
KEY = "explore_paint"
CLAIM_MARKS = ["explore:claim:data"]
FIGURES_MARKS = [
    "explore:figures:table",
    "explore:figures:chart",
    "explore:figures:interactive",
    "explore:figures:complete",
]
VISITS = ("cold", "signed in", "warm")
# The marks issue 14.6's target is on (first paint with data); the others are reported.
TARGETED = {"explore:claim:data", "explore:figures:table", "explore:figures:chart"}
WORDS = {
    "explore:claim:data": "the claim",
    "explore:figures:table": "the table",
    "explore:figures:chart": "the chart (first paint with data: its sketch)",
    "explore:figures:interactive": "the interactive chart (plotly.js)",
    "explore:figures:complete": "the interactive chart with every entry",
}
MARK_SEEN = """name => new Promise((resolve) => {
  const seen = () => performance.getEntriesByName(name, 'mark').length > 0;
  if (seen()) return resolve(true);
  const observer = new PerformanceObserver(() => {
    if (seen()) { observer.disconnect(); resolve(true); }
  });
  observer.observe({ type: 'mark' });
})"""
MARK_AT = "n => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? null"


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


async def open_page(page: Any, url: str, marks: list[str]) -> list[float | None]:
    """Go to `url` and wait for its last mark; the moment of each of `marks` (None for a
    mark the page did not set: an older explorer has fewer)."""
    await page.goto(url, wait_until="commit")
    await asyncio.wait_for(page.evaluate(MARK_SEEN, marks[-1]), WAIT_S)
    return [await page.evaluate(MARK_AT, mark) for mark in marks]


async def profile(playwright: Any) -> tuple[Any, Path]:
    """A browser with a new, empty profile (and the folder to delete after it)."""
    folder = Path(tempfile.mkdtemp(prefix="claimledger-explore-"))
    context = await playwright.chromium.launch_persistent_context(
        str(folder), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=VIEWPORT
    )
    return context, folder


async def visits(
    playwright: Any, url: str, key: str, paths: list[str], marks: list[str]
) -> dict[str, list[float | None]]:
    """The moments of `marks` in each kind of visit (VISITS), each of its own path:

    - cold: `paths[0]` in an empty profile, the key put in the tab on `/healthz`; then a
      visit of `paths[1]` in that tab, and warm: `paths[2]` in a new tab;
    - signed in: in another empty profile, the sign-in page (`/explore`) left until the
      network is idle (it fetches the chart library meanwhile), the key put where its form
      puts it, then `paths[3]`."""
    found = {}
    context, folder = await profile(playwright)

    async def tab(start: str) -> Any:
        page = await context.new_page()
        await page.goto(url + start, wait_until="networkidle")
        await page.evaluate("k => sessionStorage.setItem('claimledger.apiKey', k)", key)
        return page

    try:
        page = await tab("/healthz")
        found["cold"] = await open_page(page, url + paths[0], marks)
        await open_page(page, url + paths[1], marks)
        await page.close()
        found["warm"] = await open_page(await tab("/healthz"), url + paths[2], marks)
        await context.close()
        shutil.rmtree(folder, ignore_errors=True)
        context, folder = await profile(playwright)
        found["signed in"] = await open_page(await tab("/explore"), url + paths[3], marks)
        return found
    finally:
        await context.close()
        shutil.rmtree(folder, ignore_errors=True)


async def measure(url: str, key: str, chosen: dict[str, str], runs: int) -> dict[str, list[float]]:
    """The server is warmed first (one untimed round of the pages). Then each run opens
    the figures page as asked before (each API process keeps the summary and timeline it
    answered until something changes: what readers of a popular subject get), the same
    page as a question not asked before (a `stated_to` of its own, at each visit, which
    changes nothing in the answer but makes the server read the database), and the claim
    page."""
    from playwright.async_api import async_playwright

    subject = {k: chosen[k] for k in ("subject_id", "metric")}
    figures = f"/explore/figures?{urlencode(subject)}"
    claim = f"/explore/claims/{chosen['claim_id']}"
    samples: dict[str, list[float]] = {}
    async with async_playwright() as playwright:
        await visits(playwright, url, key, [figures] * 4, FIGURES_MARKS)
        await visits(playwright, url, key, [claim] * 4, CLAIM_MARKS)
        for run in range(runs):
            days = [date(2100, 1, 1) + timedelta(days=4 * run + i) for i in range(4)]
            questions = [f"{figures}&stated_to={day}" for day in days]
            pages = [
                ("figures, answers kept", [figures] * 4, FIGURES_MARKS),
                ("figures, a fresh question", questions, FIGURES_MARKS),
                ("claim", [claim] * 4, CLAIM_MARKS),
            ]
            for name, paths, marks in pages:
                found = await visits(playwright, url, key, paths, marks)
                for visit in VISITS:
                    for mark, at in zip(marks, found[visit], strict=True):
                        if at is not None:
                            samples.setdefault(f"{name}|{visit}|{mark}", []).append(at)
    return samples


def summarize(samples: dict[str, list[float]]) -> list[dict[str, Any]]:
    rows = []
    for name, values in sorted(samples.items(), key=lambda item: order(item[0])):
        page, visit, mark = name.split("|")
        ordered = sorted(values)
        rows.append(
            {
                "page": page,
                "visit": visit,
                "mark": mark,
                "runs": len(values),
                "median_ms": round(statistics.median(ordered)),
                "worst_ms": round(ordered[-1]),
                "samples_ms": [round(v) for v in values],
            }
        )
    return rows


def order(name: str) -> tuple[int, int, int]:
    """Samples in the order of the pages measured, then VISITS, then the marks."""
    page, visit, mark = name.split("|")
    pages = ["figures, answers kept", "figures, a fresh question", "claim"]
    return pages.index(page), VISITS.index(visit), list(WORDS).index(mark)


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| page | visit | what is on screen | runs | median ms | worst ms | target |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        target = f"≤ {TARGET_MS} ms" if row["mark"] in TARGETED else "reported"
        lines.append(
            f"| {row['page']} | {row['visit']} | {WORDS[row['mark']]} | {row['runs']} |"
            f" {row['median_ms']:,} | {row['worst_ms']:,} | {target} |"
        )
    return lines


def target_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """bench/run.py's targets table: issue 14.6's first paints with data, medians against
    300 ms (the interactive chart's moments are in the run's explorer table only)."""
    found = results.get(KEY, {})
    name = "explorer: first paint with data (issue 14.6)"
    if "rows" not in found:
        why = found.get("not_measured", "not measured")
        return [
            {
                "name": name,
                "measured": why,
                "reference": "—",
                "value": "—",
                "target": f"≤ {TARGET_MS} ms",
                "result": "not measured",
            }
        ]
    return [
        {
            "name": f"explorer, {row['page']} ({row['visit']}): {WORDS[row['mark']]}",
            "measured": f"median {row['median_ms']:,} ms, worst {row['worst_ms']:,} ms",
            "reference": f"{row['runs']} runs in Chromium, ms since navigation",
            "value": f"{row['median_ms']:,} ms",
            "target": f"≤ {TARGET_MS} ms (issue 14.6)",
            "result": "PASS" if row["median_ms"] <= TARGET_MS else "**MISS**",
        }
        for row in found["rows"]
        if row["mark"] in TARGETED
    ]


def scenario(
    bench: Any,
    *,
    dsn: str,
    start_app: Callable[[], Any],
    runs: int,
    log: Callable[[str], None],
) -> None:
    """Measure into `bench.results[KEY]`, against `start_app()` (a `claimledger serve` on the
    bench database) with `bench.key`; what fails is recorded as not measured."""
    if not Path(CHROMIUM).is_file():
        bench.not_measured(KEY, f"no Chromium at {CHROMIUM} (apt-get install chromium)")
        return
    try:
        import playwright  # noqa: F401
    except ImportError:
        bench.not_measured(KEY, "the `playwright` package is not installed (the dev extra)")
        return
    server = None
    try:
        chosen = asyncio.run(pick(dsn))
        server = start_app()
        started = time.monotonic()
        rows = summarize(asyncio.run(measure(server.url, bench.key, chosen, runs)))
        bench.results[KEY] = {"chosen": chosen, "rows": rows, "runs": runs, "table": table(rows)}
        log(f"  {runs} runs in {time.monotonic() - started:.0f} s")
        for line in table(rows):
            log(f"  {line}")
    except Exception as exc:  # noqa: BLE001
        bench.not_measured(KEY, f"failed: {str(exc)[:300]}")
    finally:
        if server is not None:
            server.stop()


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
    print(
        f"subject {chosen['subject_id']}: {chosen['subject_figures']} figures,"
        f" {chosen['running_totals']} running totals of {chosen['metric']};"
        f" claim {chosen['claim_id']}"
    )
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
    print("\n".join(table(rows)))
    out = {"at": datetime.now(UTC).isoformat(), "chosen": chosen, "rows": rows}
    (WORK / "explore_paint.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
