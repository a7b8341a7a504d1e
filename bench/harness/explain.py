"""EXPLAIN (ANALYZE, BUFFERS) of every list filter on the benchmark dataset, with the SQL the
server itself builds: the kinds' own `filters()` and `lists.list_page()` are called with a
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
from pathlib import Path
from typing import Any

import asyncpg

SCAN = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
    r"(?: Backward)?(?: using| on) (\w+)"
)


PKEY_SCAN = re.compile(r"Index Scan(?: Backward)? using (\w+_pkey) on (\w+)")


def pkey_walks(plan: str) -> list[str]:
    """Primary-key scans that test a filter on each row instead of seeking (no Index Cond):
    an `ORDER BY id LIMIT` page whose filter has no usable index walks the table in id
    order until it has a page, which costs as much as a sequential scan when matches are
    rare. Each as "index (N rows removed by the filter)"."""
    lines = plan.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = PKEY_SCAN.search(line)
        if not m:
            continue
        indent = len(line) - len(line.lstrip())
        details = []
        for detail in lines[i + 1 :]:
            stripped = detail.lstrip()
            if stripped.startswith("->") or len(detail) - len(stripped) <= indent:
                break
            details.append(stripped)
        if any(d.startswith("Index Cond:") for d in details):
            continue
        removed = next(
            (d.split(":", 1)[1].strip() for d in details if d.startswith("Rows Removed by")), "0"
        )
        if any(d.startswith("Filter:") for d in details):
            found.append(f"{m.group(1)} ({int(removed):,} rows removed by the filter)")
    return found


class ExplainingConnection:
    """Stands in for an asyncpg connection in `list_page` and the search: explains each
    query, then runs it (the search reads ids from its ranking for the page's query)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.captured: list[dict[str, Any]] = []

    async def fetch(self, sql: str, *args: Any, timeout: float | None = None) -> list[Any]:
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
                "pkey_walks": pkey_walks(plan),
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
    """The statements of a current-time `?q=` (issue 13.6): newest first (claims/newest.py,
    the default: the walk over the bucketed index, one statement), and by relevance
    (claims/search.py: ranking every match, a cache miss, then reading a page of them by id
    with the watermark)."""
    from claimledger_server.claims import newest, search
    from claimledger_server.claims import store as claims_store
    from claimledger_server.config import Settings
    from claimledger_server.versioning.routes import ListParams
    from litestar.datastructures import State

    explaining = ExplainingConnection(conn)
    page = ListParams(50, None, False, None, None, None)
    pool = _OneConnectionPool(explaining)
    found = _call_filters(claims_store.filters, {})
    await newest.newest_page(State({"settings": Settings()}), pool, found, q, page, q)
    found = _call_filters(claims_store.filters, {})
    await search.ranked_page(State({"settings": Settings()}), pool, found, q, page)
    names = [
        f"claims ?q={q} ({n} matches): newest first, a page not kept",
        f"claims ?q={q}&sort=relevance: ranking every match, a cache miss",
        f"claims ?q={q}&sort=relevance: cached page",
    ]
    return [{"name": name, **c} for name, c in zip(names, explaining.captured, strict=False)]


def v2_indexes() -> dict[str, str]:
    """Index name → migration file, for the indexes made by migrations 0010 and later (the
    ones issue 10 adds for its filters, the summary and the timeline)."""
    import claimledger_server

    folder = Path(claimledger_server.__file__).parent / "db" / "migrations"
    found = {}
    for path in sorted(folder.glob("*")):
        if not path.name[:4].isdigit() or int(path.name[:4]) < 10:
            continue
        text = path.read_text()
        for name in CREATE_INDEX.findall(text):
            found[name] = path.name
        for table in CREATE_TABLE.findall(text):  # a side table's primary key is its index
            found[f"{table}_pkey"] = path.name
    return found


CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(\w+)", re.IGNORECASE)
CREATE_INDEX = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\w+)",
    re.IGNORECASE,
)


def _query(cls: Any, chosen: dict[str, Any]) -> Any:
    """A NamedTuple query (SummaryQuery, TimelineQuery) with `chosen` set, the rest None."""
    unknown = set(chosen) - set(cls._fields)
    if unknown:
        raise TypeError(f"{cls.__name__} has no {', '.join(sorted(unknown))}")
    return cls(**{name: chosen.get(name) for name in cls._fields})


async def explain_v2_figures(conn: asyncpg.Connection, samples: dict[str, Any]) -> list[Any]:
    """The statements of GET /v1/figures/summary and /timeline for the subject counted by
    ~1,000 figures, as the server builds them (summarize() and timeline() are called with a
    connection that explains each statement)."""
    from claimledger_server.figures import store as figures_store

    hot = samples["hot_subject"]
    metric = samples.get("hot_metric", "killed")
    as_of = datetime.now(UTC) - timedelta(days=200)
    window = {"period_from": date(2020, 1, 1), "period_to": date(2021, 6, 30)}
    out: list[dict[str, Any]] = []
    try:
        from claimledger_server.figures import summary as summary_module

        summarize, summary_query = summary_module.summarize, summary_module.SummaryQuery
    except ImportError:  # the summary still in figures/store.py
        summarize = figures_store.summarize
        summary_query = figures_store.SummaryQuery
    cases = [
        (f"figures/summary ?subject_id ({samples.get('hot_figures', '?')} figures)", {}),
        (f"figures/summary ?subject_id&metric={metric}", {"metric": metric}),
        (
            "figures/summary ?subject_id&accumulation=cumulative&period_from/to",
            {"accumulation": "cumulative", **window},
        ),
        (
            f"figures/summary ?subject_id&metric={metric}&as_of (history tables)",
            {"metric": metric, "as_of": as_of},
        ),
        (
            "figures/summary ?accumulation=cumulative&period_from/to (no subject)",
            {"accumulation": "cumulative", **window, "subject_id": None},
        ),
    ]
    for name, chosen in cases:
        explaining = ExplainingConnection(conn)
        try:
            query = _query(summary_query, {"subject_id": hot, "limit": 50, **chosen})
            await summarize(explaining, query)
        except Exception as exc:  # renamed or reshaped by a later change
            out.append({"name": name, "v2": True, "error": f"{type(exc).__name__}: {exc}"})
            continue
        parts = ["groups", "cited sources", "statement 3", "statement 4"]
        for part, captured in zip(parts, explaining.captured, strict=False):
            out.append({"name": f"{name}: {part}", "v2": True, **captured})
    try:
        from claimledger_server.figures import timeline as timeline_module
    except ImportError as exc:
        return [*out, {"name": "figures/timeline", "v2": True, "error": repr(exc)}]
    for name, chosen in (
        (f"figures/timeline ?subject_id&metric={metric}&unit=people, first page", {}),
        (f"figures/timeline ?subject_id&metric={metric}&unit=people&as_of", {"as_of": as_of}),
    ):
        explaining = ExplainingConnection(conn)
        try:
            query = _query(
                timeline_module.TimelineQuery,
                {"subject_id": hot, "metric": metric, "unit": "people", "limit": 50, **chosen},
            )
            page = await timeline_module.timeline(explaining, query)
            out.append({"name": name, "v2": True, **explaining.captured[0]})
            if page.next_cursor and "as_of" not in chosen:
                explaining = ExplainingConnection(conn)
                await timeline_module.timeline(explaining, query._replace(cursor=page.next_cursor))
                out.append(
                    {
                        "name": f"{name[: -len('first page')]}second page",
                        "v2": True,
                        **explaining.captured[0],
                    }
                )
        except Exception as exc:
            out.append({"name": name, "v2": True, "error": f"{type(exc).__name__}: {exc}"})
    return out


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
    from claimledger_server.versioning.lists import list_page

    conn = await asyncpg.connect(dsn, server_settings={"jit": "off"})  # as the server's pool
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
    # Issue 10's provenance filters: each must use an index (the report flags a seq scan).
    co_heavy = samples["co_claimant"]
    v2_cases: list[tuple[str, Any, dict[str, Any], dict[str, Any]]] = [
        ("claims ?source_id", claims_store.CLAIMS, {"source_id": samples["cited_source"]}, {}),
        (
            f"claims ?relayed_by_id (an outlet, ~{samples.get('relayer_count', '?')} claims)",
            claims_store.CLAIMS,
            {"relayed_by_id": samples["relayer"]},
            {},
        ),
        ("claims ?related_to", claims_store.CLAIMS, {"related_to": samples["related"]}, {}),
        (
            f"claims ?claimant_id (co-claimant heavy: {samples.get('co_claimant_count', '?')}"
            " claims as co-claimant)",
            claims_store.CLAIMS,
            {"claimant_id": co_heavy},
            {},
        ),
        (
            "claims ?claimant_id(co-claimant heavy)&stated_from=2025-06-01",
            claims_store.CLAIMS,
            {"claimant_id": co_heavy, "stated_from": late},
            {},
        ),
        (
            "claims ?stated_from=2025-06-01&stated_to=2025-06-07 (precision: stated_on_end)",
            claims_store.CLAIMS,
            {"stated_from": late, "stated_to": late + timedelta(days=6)},
            {},
        ),
        (
            "claims ?claimant_id(co-claimant heavy)&as_of (history table)",
            claims_store.CLAIMS,
            {"claimant_id": co_heavy},
            {"as_of": as_of},
        ),
        (
            "claims ?related_to&as_of (history table)",
            claims_store.CLAIMS,
            {"related_to": samples["related"]},
            {"as_of": as_of},
        ),
        ("actors ?parent_id", actors_store.ACTORS, {"parent_id": samples["parent"]}, {}),
        ("actors ?anonymous=true", actors_store.ACTORS, {"anonymous": True}, {}),
        (
            "sources ?republished_from_id",
            sources_store.SOURCES,
            {"republished_from_id": samples["republished"]},
            {},
        ),
        (
            "actors ?external_ids.wikidata",
            actors_store.ACTORS,
            {"external_ids": {"wikidata": samples["wikidata"]}},
            {},
        ),
    ]
    cases += [(f"v2: {name}", *rest) for name, *rest in v2_cases]
    filter_funcs = {
        "claims": claims_store.filters,
        "actors": actors_store.filters,
        "sources": sources_store.filters,
        "figures": figures_store.filters,
    }
    out = []
    for name, kind, chosen, page in cases:
        explaining = ExplainingConnection(conn)
        entry: dict[str, Any] = {"name": name, "v2": name.startswith("v2: ")}
        try:
            func = filter_funcs[kind.table]
            if page.get("as_of") and "as_of" in inspect.signature(func).parameters:
                chosen = {**chosen, "as_of": page["as_of"]}  # claims: related_to reads it
            found = _call_filters(func, chosen)
            await list_page(
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
    try:
        out += [{**e, "name": f"v2: {e['name']}"} for e in await explain_v2_figures(conn, samples)]
    except Exception as exc:  # noqa: BLE001
        out.append({"name": "v2: figures", "v2": True, "error": f"{type(exc).__name__}: {exc}"})
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
    new = v2_indexes()
    for entry in out:
        used = [s.split()[-1] for s in entry.get("scans", [])]
        entry["new_indexes"] = [f"{i} ({new[i]})" for i in used if i in new]
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--samples", required=True, help="JSON file of sample values")
    args = parser.parse_args()
    with open(args.samples) as f:
        samples = json.load(f)
    print(json.dumps(asyncio.run(main(args.dsn, samples)), default=str))
