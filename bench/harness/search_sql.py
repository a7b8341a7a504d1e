"""Newest-first full-text search in SQL alone (issue 13.6), each query asked once: the
statement the server runs (`claims/newest.py`: the walk over the bucketed text index of
migration 0020) against the one-statement alternative PostgreSQL plans on its own,
`ORDER BY id DESC LIMIT 51` over `search @@ …` (the GIN index `claims_search` and a sort,
or the primary key walked newest first with the test on each row, as it estimates).

N concurrent tasks on a pool, each taking the next query of the file (20,000 word pairs and
words, `write_request_files`); one JSON line with rate, latencies, rows per page and the
PostgreSQL backends' CPU. Run with the server source and bench/ on PYTHONPATH:
`python -m harness.search_sql walk --dsn ... --queries q_fresh.txt`."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import resource
import time
from pathlib import Path

import asyncpg
from harness.procs import cpu_seconds
from harness.refs import APP_NAME, _latencies, backend_pids

PLANNER_SQL = """SELECT id, doc::text AS doc FROM claims
                  WHERE search @@ websearch_to_tsquery('english', $1) AND NOT deleted
                  ORDER BY id DESC LIMIT 51"""


def statement(mode: str, q: str) -> tuple[str, list]:
    if mode == "planner":
        return PLANNER_SQL, [q]
    from claimledger_server.claims.newest import walk_statement

    return walk_statement(q, None, 50, False)


async def run(args: argparse.Namespace) -> dict:
    queries = Path(args.queries).read_text().splitlines()
    pool = await asyncpg.create_pool(
        args.dsn,
        min_size=args.pool,
        max_size=args.pool,
        statement_cache_size=512,
        # As the server's pool: no JIT (db/pool.py). The planner's statement is planned for
        # each query, as the server runs its own planned searches (claims/newest.py): a
        # cached generic plan would walk the primary key for every word, rare ones too.
        server_settings={
            "application_name": APP_NAME,
            "timezone": "UTC",
            "jit": "off",
            **({"plan_cache_mode": "force_custom_plan"} if args.mode == "planner" else {}),
        },
    )
    pids = await backend_pids(pool)
    pg0 = cpu_seconds(pids)
    latencies: list[float] = []
    rows_seen: list[int] = []
    upcoming = itertools.cycle(queries[args.offset :] + queries[: args.offset])
    deadline = time.monotonic() + args.seconds

    async def worker() -> int:
        n = 0
        while time.monotonic() < deadline:
            sql, params = statement(args.mode, next(upcoming))
            t = time.perf_counter()
            rows = await pool.fetch(sql, *params)
            latencies.append(time.perf_counter() - t)
            # The walk answers one row: the page put together, `found` matches (≤ 51).
            rows_seen.append(rows[0]["found"] if args.mode == "walk" else len(rows))
            n += 1
        return n

    t0 = time.monotonic()
    done = sum(await asyncio.gather(*(worker() for _ in range(args.concurrency))))
    elapsed = time.monotonic() - t0
    pg_cpu = cpu_seconds(pids) - pg0
    await pool.close()
    p50, p99 = _latencies(latencies)
    return {
        "rate": done / elapsed,
        "count": done,
        "p50_ms": p50,
        "p99_ms": p99,
        "pg_cpu_s": pg_cpu,
        "pg_us_per_query": pg_cpu / done * 1e6 if done else None,
        "full_pages": sum(1 for n in rows_seen if n == 51) / len(rows_seen) if rows_seen else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["walk", "planner"])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--offset", type=int, default=0, help="start this far into the file")
    args = parser.parse_args()
    t_cpu = time.process_time()
    try:
        import uvloop  # the loop the server runs on

        result = uvloop.run(run(args))
    except ImportError:
        result = asyncio.run(run(args))
    result["cpu_s"] = time.process_time() - t_cpu
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
