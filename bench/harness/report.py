"""Writes one run as a dated markdown section at the top of bench/results.md, keeping every
previous section below it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HEADER = """# ClaimLedger benchmark results

Written by `make bench` (`bench/run.py`); the newest run is first, earlier runs are kept below
for comparison. Targets are ratios against references measured in the same run (issue 6).
Each scenario: 3 × 10 s after a warm-up, median reported; scenarios compared with each other
(the API and its references) are measured round-robin, run by run, so a machine that others
also use slows them alike. "CPU-s" is the CPU time the server processes (from /proc) used
during one 10 s run; "PG CPU-s" the same for the PostgreSQL backends serving them.
"""
MARKER = "\n<!-- runs below: newest first -->\n"

LABELS = {
    "app_get_id": "GET /v1/claims/{id} (auth + rate limit + ETag)",
    "app_list_claimant": "GET /v1/claims?claimant_id=…&stated_from=… (page of 50)",
    "app_list_q": "GET /v1/claims?q=… (full text, newest first, page of 50)",
    "app_list_q_fresh": "GET /v1/claims?q=… (full text, newest first, a query not asked before,"
    " page of 50)",
    "app_list_q_relevance": "GET /v1/claims?q=…&sort=relevance (page of 50)",
    "app_list_q_fresh_relevance": "GET /v1/claims?q=…&sort=relevance (a query not asked before,"
    " every match ranked, page of 50; 4 connections)",
    "sql_newest_walk": "SQL alone: newest-first walk over the bucketed index, a new query each"
    " (queries/s)",
    "sql_newest_planner": "SQL alone: ORDER BY id DESC LIMIT 51 as PostgreSQL plans it, a new"
    " query each (queries/s)",
    "app_summary_subject_metric": "GET /v1/figures/summary?subject_id=(1,000 figures)&metric=…",
    "app_summary_subject": "GET /v1/figures/summary?subject_id=(1,000 figures)",
    "app_summary_cumulative": "GET /v1/figures/summary?subject_id=…&accumulation=cumulative"
    "&period_from=…&period_to=…",
    "app_timeline": "GET /v1/figures/timeline?subject_id=…&metric=…&unit=people (first page)",
    "app_timeline_later": "GET /v1/figures/timeline, later pages (cursor)",
    "app_summary_subject_metric_c1": "summary ?subject_id&metric=…, 1 connection (one user)",
    "app_summary_subject_c1": "summary ?subject_id, 1 connection (one user)",
    "app_timeline_c1": "timeline, first page, 1 connection (one user)",
    "app_claims_source": "GET /v1/claims?source_id=… (page of 50)",
    "app_claims_relayed": "GET /v1/claims?relayed_by_id=… (an outlet; page of 50)",
    "app_claims_related": "GET /v1/claims?related_to=… (page of 50)",
    "app_claims_coclaimant": "GET /v1/claims?claimant_id=… (co-claimant heavy; page of 50)",
    "app_actors_wikidata": "GET /v1/actors?external_ids.wikidata=…",
    "app_actors_parent": "GET /v1/actors?parent_id=… (page of 50)",
    "app_post": "POST /v1/claims (Idempotency-Key)",
    "app_import": "POST /v1/import (1,000-claim NDJSON files; rate in claims/s)",
    "app_webhooks": "Webhook deliveries to a loopback receiver",
    "app_export": "GET /v1/export (1M claims, streamed)",
    "app_page200_identity": "GET /v1/claims?claimant_id=…&limit=200, Accept-Encoding: identity",
    "app_page200_gzip": "GET /v1/claims?claimant_id=…&limit=200, Accept-Encoding: gzip",
    "app_page200_br": "GET /v1/claims?claimant_id=…&limit=200, Accept-Encoding: br",
    "app_get_id_w1b": "GET /v1/claims/{id}, 1 worker (interleaved with the 2-worker runs)",
    "app_get_id_w2": "GET /v1/claims/{id}, `--workers 2` (server and wrk on both cores)",
    "app_get_id_nolog": "GET /v1/claims/{id} on uvicorn without access log (same app, 1 worker)",
    "app_get_id_granian": "GET /v1/claims/{id} on granian, no access log (same app, 1 worker)",
    "app_get_id_nometrics": "GET /v1/claims/{id} on uvicorn, CLAIMLEDGER_METRICS=false (1 worker)",
    "app_get_id_mpmetrics": "GET /v1/claims/{id} on uvicorn, metrics in multiprocess files (1 worker)",
    "app_get_id_replica": "GET /v1/claims/{id} through a hot standby, with a consistency token",
    "app_get_id_primary": "GET /v1/claims/{id} from the primary, same token (interleaved with the standby)",
    "app_webhooks_1worker": "Webhook backlog drained by 1 `claimledger worker` (deliveries/s)",
    "app_webhooks_2workers": "Webhook backlog drained by 2 `claimledger worker` processes",
    "floor_uvicorn": "floor: bare Litestar + asyncpg + msgspec, uvicorn",
    "floor_uvicorn_b": "floor on uvicorn again (interleaved with granian)",
    "floor_granian": "floor: bare Litestar + asyncpg + msgspec, granian",
    "peer": "peer: FastAPI + SQLAlchemy 2 async ORM, uvicorn",
    "raw_select": "raw asyncpg select-by-id loop (rows/s)",
    "raw_insert": "raw asyncpg loop, POST /v1/claims' statements in one transaction (tx/s)",
    "pg_copy": "PostgreSQL COPY of the import's rows, 1,000 a transaction, rolled back (claims/s)",
}


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def measurements_table(scenarios: dict[str, Any]) -> list[str]:
    lines = [
        "| scenario | req/s (median) | p50 ms | p99 ms | server CPU-s / 10 s | CPU µs/req"
        " | PG CPU-s / 10 s | peak RSS MB | errors | runs (req/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key, label in LABELS.items():
        entry = scenarios.get(key)
        if entry is None:
            continue
        if "not_measured" in entry:
            lines.append(f"| {label} | not measured: {entry['not_measured']} | | | | | | | | |")
            continue
        s = dict(entry["summary"])
        for k in ("p50_ms", "p99_ms", "pg_cpu_s", "cpu_s", "max_peak_rss_mb"):
            if not s.get(k):
                s[k] = None  # not measured for this scenario
        per_req = s["cpu_s"] / (s["rps"] * 10) * 1e6 if s["rps"] and s["cpu_s"] else None
        lines.append(
            f"| {label} | {_f(s['rps'], 0)} {'' if s['unit'] == 'req/s' else s['unit']} |"
            f" {_f(s['p50_ms'], 2)} | {_f(s['p99_ms'], 2)} | {_f(s['cpu_s'], 2)} |"
            f" {_f(per_req, 0)} | {_f(s['pg_cpu_s'], 2)} | {_f(s['max_peak_rss_mb'], 0)} |"
            f" {s['errors']} | {', '.join(f'{r:,.0f}' for r in s['runs_rps'])} |"
        )
    return lines


def targets_table(targets: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target (issue 6) | measured | reference | ratio / value | target | result |",
        "|---|---|---|---:|---|---|",
    ]
    for t in targets:
        lines.append(
            f"| {t['name']} | {t['measured']} | {t['reference']} | {t['value']} |"
            f" {t['target']} | {t['result']} |"
        )
    return lines


def compression_table(found: dict[str, Any]) -> list[str]:
    """Issue 13.8: bytes on the wire and server CPU, per coding, against identity."""
    page, export = found.get("page", {}), found.get("export", {})
    plain_page, plain_export = page.get("identity", {}), export.get("identity", {})
    lines = [
        "| answer | coding | on the wire | vs identity | server CPU | vs identity |"
        " throughput |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for coding in ("identity", "gzip", "br"):
        p = page.get(coding, {})
        if "not_measured" in p or not p:
            lines.append(f"| page of 200 claims | {coding} | not measured: {p.get('not_measured')}"
                         " | | | | |")
        else:
            wire, cpu = p["wire_bytes_per_request"], p["cpu_us_per_request"]
            lines.append(
                f"| page of 200 claims | {coding} | {_f(wire / 1024, 1)} KiB / request |"
                f" {_ratio(wire, plain_page.get('wire_bytes_per_request'))} |"
                f" {_f(cpu, 0)} µs / request |"
                f" {_ratio(cpu, plain_page.get('cpu_us_per_request'))} | {_f(p['rps'], 0)} req/s |"
            )
    for coding in ("identity", "gzip", "br"):
        e = export.get(coding, {})
        if "not_measured" in e or not e:
            lines.append(f"| export (NDJSON) | {coding} | not measured: {e.get('not_measured')}"
                         " | | | | |")
            continue
        wire_share = e["wire_mib"] / e["mib"] if e["mib"] else None
        lines.append(
            f"| export (NDJSON) | {coding} | {_f(wire_share, 3)} MiB / MiB of NDJSON |"
            f" {_ratio(wire_share, 1.0)} | {_f(e['cpu_s_per_mib'] * 1000, 1)} ms / MiB |"
            f" {_ratio(e['cpu_s_per_mib'], plain_export.get('cpu_s_per_mib'))} |"
            f" {_f(e['mib_per_s'], 1)} MiB/s ({e['lines']:,} lines in {e['seconds']:.0f} s,"
            f" RSS +{e['rss_growth_mb']:.0f} MB) |"
        )
    return lines


def _ratio(value: float | None, reference: float | None) -> str:
    return f"{value / reference:.2f}×" if value is not None and reference else "—"


def render(run: dict[str, Any]) -> str:
    m = run["machine"]
    out = [f"## {run['date']} — {run['status']}", ""]
    out += [
        f"- machine: {m['nproc']} cores, {m['cpu']}, {m['memory']}; PostgreSQL"
        f" {m['postgres']}; Python {m['python']}",
        f"- commit: `{run['commit']}`; benchmarked source: {run['source']}",
        f"- load: {run['load_note']}",
        f"- pinning: {run['pinning']}",
        f"- dataset: {run['dataset']}",
        f"- run time: {run['elapsed']}",
        "",
        "### Targets",
        "",
        *targets_table(run["targets"]),
        "",
        "### Measurements",
        "",
        *measurements_table(run["scenarios"]),
        "",
    ]
    if run.get("compression"):
        found = run["compression"]
        out += [
            "### Compression (issue 13.8)",
            "",
            f"`{found['page_path'].split('claimant_id=')[0]}claimant_id=…&limit=200` (wrk,"
            " codings interleaved, bytes including headers) and `GET /v1/export?kinds=claim`"
            f" (one export per coding, at most {found['export_seconds']} s each); server CPU"
            " from /proc, per request and per MiB of the NDJSON the export decodes to.",
            "",
            *compression_table(found),
            "",
        ]
    elif run.get("compression_error"):
        out += ["### Compression (issue 13.8)", "", f"not measured: {run['compression_error']}", ""]
    paint = run["scenarios"].get("explore_paint", {})
    if paint.get("table"):
        chosen = paint["chosen"]
        out += [
            "### Explorer: first paint with data (issue 14.6)",
            "",
            f"Chromium (headless, Playwright), {paint['runs']} runs, ms since navigation; a"
            f" `claimledger serve` of its own (1 worker, core 0). The subject counted by the"
            f" most figures ({int(chosen['subject_figures']):,}; {chosen['running_totals']}"
            f" running totals of `{chosen['metric']}`) and a claim about it. Cold: the page's"
            " first visit in an empty browser profile; signed in: opened right after the"
            " sign-in page (scripts cached, chart library fetched); warm: the same page in a"
            " new tab after two visits (files from the HTTP cache, compiled code from V8's"
            " code cache). `harness/explore_paint.py` says what each mark is.",
            "",
            *paint["table"],
            "",
        ]
    if run.get("notes"):
        out += ["### Notes", "", *[f"- {n}" for n in run["notes"]], ""]
    prof = run.get("profile")
    if prof:
        out += [
            f"### Profile: GET /v1/claims/{{id}}, 1 worker, py-spy {prof['samples']:,} samples"
            " (on-CPU, 20 s under the same wrk load as the measured runs)",
            "",
            "Where the CPU goes, by component of the leaf frame (sums to 100%):",
            "",
            "| component | % of samples |",
            "|---|---:|",
            *[f"| {a} | {p} |" for a, p in prof["components"][:10]],
            f"| everything else | {round(sum(p for _, p in prof['components'][10:]), 1)} |",
            "",
            "By call site: the innermost frame of our code in the sampled stack (file:line) →"
            " the component the time was spent in. Stacks resumed from the event loop may"
            ' start below our frames; they show as "no frame of ours".',
            "",
            "| call site → component | % of samples |",
            "|---|---:|",
            *[f"| `{a}` | {p} |" for a, p in prof["sites"]],
            "",
            "Top frames by self time:",
            "",
            "| frame | self % |",
            "|---|---:|",
            *[f"| `{f}` | {p} |" for f, p in prof["self"]],
            "",
            "Top frames by inclusive time:",
            "",
            "| frame | inclusive % |",
            "|---|---:|",
            *[f"| `{f}` | {p} |" for f, p in prof["inclusive"]],
            "",
        ]
    elif run.get("profile_error"):
        out += ["### Profile", "", f"not recorded: {run['profile_error']}", ""]
    plans = run.get("explain") or []
    if plans:
        out += [
            f"### EXPLAIN ANALYZE of the list filters ({run['claims']:,} claims; SQL built by"
            " the server's own `filters()` + `list_page()`, second execution reported)",
            "",
            "| filter | execution ms | scans |",
            "|---|---:|---|",
        ]
        for p in plans:
            if "error" in p:
                out.append(f"| {p['name']} | error | {p['error']} |")
                continue
            scans = ", ".join(p["scans"])
            flag = " **(seq scan)**" if "Seq Scan" in scans else ""
            if p.get("v2"):
                flag = _v2_flag(p)
            out.append(f"| {p['name']} | {_f(p['execution_ms'], 2)} | {scans}{flag} |")
        out += ["", f"The SQL and the whole plans: [{PLANS}]({PLANS}) (this run's only).", ""]
    return "\n".join(out) + "\n"


PLANS = "plans.md"
BIG_TABLES = ("claims", "figures", "actors")


def _removed(walk: str) -> int:
    """The row count of `pkey_walks`' "claims_pkey (11,139 rows removed by the filter)"."""
    return int(walk.split("(", 1)[1].split()[0].replace(",", ""))


def _v2_flag(plan: dict[str, Any]) -> str:
    """Issue 10: each new filter must use an index. A sequential scan of claims, figures or
    actors (or their histories) is flagged, and so is a walk of a primary key that filters
    row by row (an id-ordered page whose filter no index serves); the indexes of migrations
    0010 and later that the plan uses are named."""
    seq = [
        s.split()[-1]
        for s in plan["scans"]
        if s.startswith("Seq Scan") and s.split()[-1].removesuffix("_history") in BIG_TABLES
    ]
    new = plan.get("new_indexes") or []
    note = f" (new: {', '.join(new)})" if new else ""
    if seq:
        return f"{note} **(SEQ SCAN on {', '.join(seq)}: no index used for this filter)**"
    walks = [w for w in plan.get("pkey_walks", []) if _removed(w) >= 1_000]
    if walks:
        return f"{note} **(walks {', '.join(walks)}: no index serves this filter's page)**"
    return note


def render_plans(run: dict[str, Any]) -> str:
    out = [
        f"# EXPLAIN ANALYZE of the list filters, run of {run['date']}",
        "",
        f"Written by `make bench` with each run (the summary is in results.md); commit"
        f" `{run['commit']}`, {run['claims']:,} claims, second execution of each query.",
        "",
    ]
    for p in run.get("explain") or []:
        if "plan" in p:
            out += [f"## {p['name']}", "", "```", p["sql"], "", p["plan"], "```", ""]
    return "\n".join(out)


def write(path: Path, run: dict[str, Any]) -> None:
    previous = ""
    if path.exists():
        text = path.read_text()
        previous = text.split(MARKER, 1)[1] if MARKER in text else text
    path.write_text(HEADER + MARKER + "\n" + render(run) + previous.lstrip("\n"))
    if run.get("explain"):
        path.with_name(PLANS).write_text(render_plans(run))
