"""Raw asyncpg reference loops, with no HTTP in front:

- `select`: select one claim by id (the API's exact query), N concurrent tasks on a pool.
- `insert`: the statements `POST /v1/claims` runs, in one transaction each: idempotency lock
  and lookup, the references' FOR SHARE check, clock_timestamp(), the one-statement write
  (live row + history row + event) and the idempotency record.
- `copy`: PostgreSQL COPY of the rows an import of the same claims writes (live, history,
  event), 1,000 claims a transaction.

Each invocation is one run; it prints one JSON line with rate, latencies, its own CPU seconds
and peak RSS. Run with the project's venv: `python -m harness.refs select --dsn ...`."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import msgspec
from harness.dataset import EVENT_COLUMNS, HISTORY_COLUMNS, LIVE_COLUMNS, ulid
from harness.procs import cpu_seconds

GET_SQL = "SELECT version, deleted, doc::text AS doc FROM claims WHERE id = $1"

# What POST /v1/claims runs (versioning/store.py, idempotency.py), statement for statement.
LOCK_SQL = "SELECT pg_try_advisory_xact_lock($1)"
IDEMPOTENCY_SELECT = (
    "SELECT fingerprint, status, headers::text AS headers, body FROM idempotency_keys"
    " WHERE api_key_id = $1 AND key = $2 AND expires_at > now()"
)
REFS_SQL = "SELECT id, deleted FROM {table} WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE"
WRITE_SQL = """
    WITH written AS (INSERT INTO claims
            (id, version, updated_at, created_at, deleted, external_id, refs, doc)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)),
    superseded AS (
        UPDATE claims_history SET valid_to = $3 WHERE id = $1 AND valid_to IS NULL
    ),
    revision AS (
        INSERT INTO claims_history
            (id, version, updated_at, created_at, deleted, external_id, refs, doc,
             action, api_key_id, change_note)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    )
    INSERT INTO events (id, type, occurred_at, resource, resource_id, version, data)
    VALUES ($12, 'claim.' || $9, $3, 'claim', $1, $2, $8)
"""
IDEMPOTENCY_INSERT = """INSERT INTO idempotency_keys
       (api_key_id, key, fingerprint, status, headers, body, expires_at)
   VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval)
   ON CONFLICT (api_key_id, key) DO UPDATE
       SET fingerprint = excluded.fingerprint, status = excluded.status,
           headers = excluded.headers, body = excluded.body,
           created_at = now(), expires_at = excluded.expires_at"""


APP_NAME = "bench-ref"


async def backend_pids(conn: asyncpg.Connection | asyncpg.Pool) -> list[int]:
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1", APP_NAME
    )
    return [r["pid"] for r in rows]


def new_id(prefix: str, rnd: random.Random) -> str:
    return ulid(prefix, int(time.time() * 1000), rnd)


def claim_document(
    cid: str, now: datetime, claimant: str, source: str, subject: str, text: str
) -> dict:
    """A claim as the server stores it (the shape the dataset check verified)."""
    return {
        "id": cid,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "deleted": False,
        "external_id": None,
        "claimant_id": claimant,
        "text": text,
        "quote": None,
        "stated_on": "2025-03-14",
        "stated_on_precision": "day",
        "basis": None,
        "citations": [{"source_id": source, "relayed_by_id": None, "quote": None}],
        "subject_ids": [subject],
        "location": {"name": "Kursk", "country": "UKR", "admin1": None, "lat": None, "lon": None},
        "topics": ["casualties"],
        "status": "unverified",
        "relations": [],
    }


def _latencies(samples: list[float]) -> tuple[float, float]:
    if not samples:
        return 0.0, 0.0
    ordered = sorted(samples)
    return (
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    )


async def run_select(args: argparse.Namespace) -> dict:
    ids = Path(args.ids).read_text().split()
    pool = await asyncpg.create_pool(
        args.dsn,
        min_size=args.pool,
        max_size=args.pool,
        statement_cache_size=512,
        server_settings={"application_name": APP_NAME, "timezone": "UTC"},
    )
    pids = await backend_pids(pool)
    pg0 = cpu_seconds(pids)
    latencies: list[float] = []
    deadline = time.monotonic() + args.seconds

    async def worker(seed: int) -> int:
        rnd, n = random.Random(seed), 0
        while time.monotonic() < deadline:
            t = time.perf_counter()
            row = await pool.fetchrow(GET_SQL, rnd.choice(ids))
            latencies.append(time.perf_counter() - t)
            assert row is not None
            msgspec.Raw(row["doc"].encode())
            n += 1
        return n

    t0 = time.monotonic()
    done = sum(await asyncio.gather(*(worker(i) for i in range(args.concurrency))))
    elapsed = time.monotonic() - t0
    pg_cpu = cpu_seconds(pids) - pg0
    await pool.close()
    p50, p99 = _latencies(latencies)
    return {"rate": done / elapsed, "count": done, "p50_ms": p50, "p99_ms": p99, "pg_cpu_s": pg_cpu}


async def run_insert(args: argparse.Namespace) -> dict:
    actors = Path(args.actors).read_text().split()
    sources = Path(args.sources).read_text().split()
    pool = await asyncpg.create_pool(
        args.dsn,
        min_size=args.pool,
        max_size=args.pool,
        statement_cache_size=512,
        server_settings={"application_name": APP_NAME, "timezone": "UTC"},
    )
    pids = await backend_pids(pool)
    pg0 = cpu_seconds(pids)
    latencies: list[float] = []
    deadline = time.monotonic() + args.seconds
    api_key_id = "key_benchrawloop"
    words = "troops killed wounded drone strike village region ministry claimed".split()

    async def one(rnd: random.Random, n: int) -> None:
        key = f"raw-{args.nonce}-{n}-{rnd.getrandbits(32)}"
        claimant, source, subject = rnd.choice(actors), rnd.choice(sources), rnd.choice(actors)
        body_in = msgspec.json.encode({"claimant_id": claimant, "text": "x", "source": source})
        fingerprint = hashlib.sha256(b"POST /v1/claims?\n" + body_in).digest()
        lock = int.from_bytes(
            hashlib.sha256(f"{api_key_id}\0{key}".encode()).digest()[:8], "big", signed=True
        )
        async with pool.acquire() as conn, conn.transaction():
            await conn.fetchval(LOCK_SQL, lock)
            await conn.fetchrow(IDEMPOTENCY_SELECT, api_key_id, key)
            await conn.fetch(REFS_SQL.format(table="actors"), sorted({claimant, subject}))
            await conn.fetch(REFS_SQL.format(table="sources"), [source])
            now = await conn.fetchval("SELECT clock_timestamp()")
            cid = new_id("clm", rnd)
            text = " ".join(rnd.choices(words, k=14))
            body = msgspec.json.encode(claim_document(cid, now, claimant, source, subject, text))
            await conn.execute(
                WRITE_SQL,
                cid,
                1,
                now,
                now,
                False,
                None,
                sorted({claimant, source, subject}),
                body.decode(),
                "created",
                api_key_id,
                None,
                new_id("evt", rnd),
            )
            headers = msgspec.json.encode({"ETag": '"1"', "Location": f"/v1/claims/{cid}"})
            await conn.execute(
                IDEMPOTENCY_INSERT,
                api_key_id,
                key,
                fingerprint,
                201,
                headers.decode(),
                body,
                timedelta(hours=24),
            )

    async def worker(seed: int) -> int:
        rnd, n = random.Random(seed * 7919 + int(time.time())), 0
        while time.monotonic() < deadline:
            t = time.perf_counter()
            await one(rnd, seed * 10_000_000 + n)
            latencies.append(time.perf_counter() - t)
            n += 1
        return n

    t0 = time.monotonic()
    done = sum(await asyncio.gather(*(worker(i) for i in range(args.concurrency))))
    elapsed = time.monotonic() - t0
    pg_cpu = cpu_seconds(pids) - pg0
    await pool.close()
    p50, p99 = _latencies(latencies)
    return {"rate": done / elapsed, "count": done, "p50_ms": p50, "p99_ms": p99, "pg_cpu_s": pg_cpu}


def copy_batch(
    rnd: random.Random, actors: list[str], sources: list[str], n: int, ms: int
) -> tuple[list, list, list]:
    """Rows an import of `n` new claims writes: live, history, event."""
    live, hist, events = [], [], []
    words = "troops killed wounded drone strike village region ministry claimed".split()
    for i in range(n):
        now = datetime.fromtimestamp((ms + i) / 1000, UTC)
        cid = ulid("clm", ms + i, rnd)
        claimant, source, subject = rnd.choice(actors), rnd.choice(sources), rnd.choice(actors)
        doc = claim_document(
            cid, now, claimant, source, subject, " ".join(rnd.choices(words, k=14))
        )
        doc["external_id"] = f"copy-{ms}-{i}-{rnd.getrandbits(24)}"
        body = msgspec.json.encode(doc).decode()
        refs = sorted({claimant, source, subject})
        live.append((cid, 1, now, now, False, doc["external_id"], refs, body))
        hist.append(
            (
                cid,
                1,
                now,
                now,
                False,
                doc["external_id"],
                refs,
                body,
                "created",
                None,
                "key_benchcopy",
                None,
            )
        )
        events.append((ulid("evt", ms + i, rnd), "claim.created", now, "claim", cid, 1, body, None))
    return live, hist, events


async def run_copy(args: argparse.Namespace) -> dict:
    actors = Path(args.actors).read_text().split()
    sources = Path(args.sources).read_text().split()
    rnd = random.Random(int(time.time()))
    conn = await asyncpg.connect(args.dsn, server_settings={"application_name": APP_NAME})
    pids = await backend_pids(conn)
    pg0 = cpu_seconds(pids)
    latencies: list[float] = []
    done = 0
    busy = 0.0
    deadline = time.monotonic() + args.seconds
    ms = int(time.time() * 1000)
    while time.monotonic() < deadline:
        ms += args.batch
        live, hist, events = copy_batch(rnd, actors, sources, args.batch, ms)  # not timed
        t = time.perf_counter()
        tx = conn.transaction()
        await tx.start()
        try:
            await conn.copy_records_to_table("claims", records=live, columns=LIVE_COLUMNS)
            await conn.copy_records_to_table(
                "claims_history", records=hist, columns=HISTORY_COLUMNS
            )
            await conn.copy_records_to_table("events", records=events, columns=EVENT_COLUMNS)
            # Rolled back, so the dataset later scenarios read stays the same size; a commit
            # would add one WAL flush (~1 ms) per 1,000 claims.
        finally:
            await tx.rollback()
        spent = time.perf_counter() - t
        busy += spent
        latencies.append(spent)
        done += args.batch
    pg_cpu = cpu_seconds(pids) - pg0
    await conn.close()
    p50, p99 = _latencies(latencies)
    return {
        "rate": done / busy if busy else 0.0,
        "count": done,
        "p50_ms": p50,
        "p99_ms": p99,
        "batches": len(latencies),
        "pg_cpu_s": pg_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["select", "insert", "copy"])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--ids")
    parser.add_argument("--actors")
    parser.add_argument("--sources")
    parser.add_argument("--nonce", default="x")
    args = parser.parse_args()
    runner = {"select": run_select, "insert": run_insert, "copy": run_copy}[args.mode]
    t_cpu = time.process_time()
    try:
        import uvloop  # the loop the server runs on

        result = uvloop.run(runner(args))
    except ImportError:
        result = asyncio.run(runner(args))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_s"] = time.process_time() - t_cpu
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
