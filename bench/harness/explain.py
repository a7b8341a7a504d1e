"""EXPLAIN (ANALYZE, BUFFERS) of every list filter on the benchmark dataset, with the SQL the
server itself builds: the kinds' own `filters()` and `store.list_page()` are called with a
connection that explains each statement instead of running it. Needs PYTHONPATH to point at
the benchmarked server source. Prints one JSON document."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

SCAN = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
    r"(?: Backward)?(?: using| on) (\w+)"
)


class ExplainingConnection:
    """Stands in for an asyncpg connection in `list_page` and the search: explains each
    query, then runs it (the search reads ids from its ranking for the page's query)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.captured: list[dict[str, Any]] = []

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        explain = "EXPLAIN (ANALYZE, BUFFERS) " + sql
        await self.conn.fetch(explain, *args)  # warm the cache; the second run is reported
        t = time.perf_counter()
        rows = await self.conn.fetch(explain, *args)
        wall = (time.perf_counter() - t) * 1000
        plan = "\n".join(r[0] for r in rows)
        m = re.search(r"Execution Time: ([\d.]+) ms", plan)
        self.captured.append(
            {
                "sql": " ".join(sql.split()),
                "args": [str(a) for a in args],
                "plan": plan,
                "execution_ms": float(m.group(1)) if m else None,
                "wall_ms": round(wall, 2),
                "scans": sorted({f"{kind} {name}" for kind, name in SCAN.findall(plan)}),
            }
        )
        return await self.conn.fetch(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


class _OneConnectionPool:
    """What the search needs of a pool: `acquire()`, here always the explaining connection."""

    def __init__(self, conn: ExplainingConnection) -> None:
        self.conn = conn

    def acquire(self) -> Any:
        return contextlib.nullcontext(self.conn)


async def explain_search(conn: asyncpg.Connection, q: str, n: int) -> list[dict[str, Any]]:
    """The two statements of a current-time `?q=` (claims/search.py): ranking the matches
    (a cache miss) and reading a page of them by id with the watermark (every request)."""
    from claimledger_server.claims import search
    from claimledger_server.claims import store as claims_store
    from claimledger_server.versioning.routes import ListParams
    from litestar.datastructures import State

    explaining = ExplainingConnection(conn)
    found = _call_filters(claims_store.filters, {})
    page = ListParams(50, None, False, None, None, None)
    await search.ranked_page(State({"read_pool": _OneConnectionPool(explaining)}), found, q, page)
    names = [f"claims ?q={q} ({n} matches): ranking, a cache miss", f"claims ?q={q}: cached page"]
    return [{"name": name, **c} for name, c in zip(names, explaining.captured, strict=False)]


def _call_filters(func: Any, chosen: dict[str, Any]) -> Any:
    params = inspect.signature(func).parameters
    unknown = set(chosen) - set(params)
    if unknown:
        raise TypeError(f"filters() has no {', '.join(sorted(unknown))}")
    return func(**{name: chosen.get(name) for name in params})


async def main(dsn: str, samples: dict[str, Any]) -> list[dict[str, Any]]:
    from claimledger_server.actors import store as actors_store
    from claimledger_server.claims import store as claims_store
    from claimledger_server.figures import store as figures_store
    from claimledger_server.sources import store as sources_store
    from claimledger_server.versioning import store

    conn = await asyncpg.connect(dsn)
    await conn.execute("SET timezone = 'UTC'")
    heavy, normal = samples["heavy_claimant"], samples["normal_claimant"]
    hn, nn = samples.get("heavy_count", "?"), samples.get("normal_count", "?")
    late = date(2025, 6, 1)
    early = date(2016, 1, 1)
    as_of = datetime.now(UTC) - timedelta(days=200)
    cases: list[tuple[str, Any, dict[str, Any], dict[str, Any]]] = [
        (
            f"claims ?claimant_id (median claimant, {nn} claims)",
            claims_store.CLAIMS,
            {"claimant_id": normal},
            {},
        ),
        (
            f"claims ?claimant_id (heaviest claimant, {hn} claims)",
            claims_store.CLAIMS,
            {"claimant_id": heavy},
            {},
        ),
        (
            "claims ?claimant_id&stated_from=2016-01-01 (scenario shape, early date)",
            claims_store.CLAIMS,
            {"claimant_id": normal, "stated_from": early},
            {},
        ),
        (
            "claims ?claimant_id&stated_from=2025-06-01 (scenario shape, late date)",
            claims_store.CLAIMS,
            {"claimant_id": normal, "stated_from": late},
            {},
        ),
        (
            "claims ?claimant_id(heavy)&stated_from=2025-06-01",
            claims_store.CLAIMS,
            {"claimant_id": heavy, "stated_from": late},
            {},
        ),
        ("claims ?subject_id", claims_store.CLAIMS, {"subject_id": normal}, {}),
        ("claims ?status=refuted", claims_store.CLAIMS, {"status": "refuted"}, {}),
        ("claims ?topic=nuclear-safety", claims_store.CLAIMS, {"topic": "nuclear-safety"}, {}),
        ("claims ?country=MMR", claims_store.CLAIMS, {"country": "MMR"}, {}),
        (
            "claims ?stated_from=2025-06-01&stated_to=2025-06-07",
            claims_store.CLAIMS,
            {"stated_from": late, "stated_to": late + timedelta(days=6)},
            {},
        ),
        (
            "claims ?q=kursk&as_of (history table, uncached)",
            claims_store.CLAIMS,
            {"q": "kursk"},
            {"as_of": as_of},
        ),
        (
            "claims ?updated_since=(30 days ago)",
            claims_store.CLAIMS,
            {},
            {"updated_since": datetime.now(UTC) - timedelta(days=30)},
        ),
        (
            "claims ?claimant_id&as_of (history table)",
            claims_store.CLAIMS,
            {"claimant_id": normal},
            {"as_of": as_of},
        ),
        ("claims ?external_id", claims_store.CLAIMS, {}, {"external_id": "bench-claim-503"}),
        ("actors ?kind=person", actors_store.ACTORS, {"kind": "person"}, {}),
        ("actors ?country=UKR", actors_store.ACTORS, {"country": "UKR"}, {}),
        ("actors ?q=outlet", actors_store.ACTORS, {"q": "outlet"}, {}),
        (
            "sources ?publisher_id",
            sources_store.SOURCES,
            {"publisher_id": samples["publisher"]},
            {},
        ),
        ("sources ?kind=report", sources_store.SOURCES, {"kind": "report"}, {}),
        ("sources ?q=kursk", sources_store.SOURCES, {"q": "kursk"}, {}),
        ("figures ?claim_id", figures_store.FIGURES, {"claim_id": samples["figure_claim"]}, {}),
        (
            "figures ?subject_id&metric=killed",
            figures_store.FIGURES,
            {"subject_id": normal, "metric": "killed"},
            {},
        ),
        ("figures ?min_low=19000", figures_store.FIGURES, {"min_low": 19000}, {}),
    ]
    filter_funcs = {
        "claims": claims_store.filters,
        "actors": actors_store.filters,
        "sources": sources_store.filters,
        "figures": figures_store.filters,
    }
    out = []
    for name, kind, chosen, page in cases:
        explaining = ExplainingConnection(conn)
        entry: dict[str, Any] = {"name": name}
        try:
            found = _call_filters(filter_funcs[kind.table], chosen)
            await store.list_page(
                explaining,
                kind,
                found,
                limit=50,
                cursor=None,
                include_deleted=False,
                external_id=page.get("external_id"),
                updated_since=page.get("updated_since"),
                as_of=page.get("as_of"),
            )
            entry.update(explaining.captured[-1])
        except Exception as exc:  # a filter renamed or removed by a later change
            entry["error"] = f"{type(exc).__name__}: {exc}"
        out.append(entry)
    for q, n in samples["q_examples"]:
        try:
            out += await explain_search(conn, q, n)
        except Exception as exc:  # the search module renamed or reshaped by a later change
            out.append({"name": f"claims ?q={q}", "error": f"{type(exc).__name__}: {exc}"})
    # The statement behind GET /v1/claims/{id}, for comparison.
    extra = ExplainingConnection(conn)
    await extra.fetch(
        "SELECT version, deleted, doc::text AS doc FROM claims WHERE id = $1", samples["claim_id"]
    )
    out.append({"name": "GET /v1/claims/{id} statement", **extra.captured[-1]})
    await conn.close()
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--samples", required=True, help="JSON file of sample values")
    args = parser.parse_args()
    with open(args.samples) as f:
        samples = json.load(f)
    print(json.dumps(asyncio.run(main(args.dsn, samples)), default=str))
