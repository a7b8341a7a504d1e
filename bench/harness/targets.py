"""The targets table of a bench run: one row per target of issues 6 and 13 (and the reported
ratios beside them), judged from the run's results (`Bench.results`: per scenario key, a
measured `summary` or the reason it was `not_measured`).

Every row has the one shape `row()` makes; the scenario modules with targets of their own
(`replica_reads`, `webhook_workers`, `explore_paint`, `v2_reads`) build theirs with it too.
A throughput ratio whose measurements had too many failed requests is marked INVALID rather
than judged: a fast error is not a fast answer."""

from __future__ import annotations

from typing import Any

from harness.arrivals import MAX_STALLED_SHARE, STALL_SECONDS, per_second_text


def row(name: str, measured: str, reference: str, value: str, target: str, result: str) -> dict:
    return {
        "name": name,
        "measured": measured,
        "reference": reference,
        "value": value,
        "target": target,
        "result": result,
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


class Rows:
    """The rows being built from one run's results."""

    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results
        self.rows: list[dict[str, Any]] = []

    def summary(self, key: str) -> dict[str, Any] | None:
        found = self.results.get(key)
        return found["summary"] if found and "summary" in found else None

    def why(self, key: str) -> str:
        found = self.results.get(key)
        return found.get("not_measured", "not measured") if found else "not measured"

    def _invalid(self, keys: tuple[str, ...]) -> str:
        bad = []
        for key in keys:
            x = self.summary(key)
            if x and key != "app_webhooks" and x["errors"] > max(10, x["requests"] // 100):
                bad.append(f"{key} ({x['errors']:,} errors)")
        return ", ".join(bad)

    def add(
        self,
        name: str,
        measured: str,
        reference: str,
        value: float | None,
        target: str,
        ok: bool | None,
        fmt: str = "{:.2f}×",
        src: tuple[str, ...] = (),
    ) -> None:
        """A row judged by `ok` (None: reported only); INVALID when a measurement in `src`
        failed too many requests."""
        invalid = self._invalid(src)
        if value is None:
            result = "not measured"
        elif invalid:
            result = f"**INVALID**: {invalid}"
        elif ok is None:
            result = "reported"
        else:
            result = "PASS" if ok else "**MISS**"
        shown = "—" if value is None else fmt.format(value)
        self.rows.append(row(name, measured, reference, shown, target, result))

    def p99(
        self, name: str, key: str, most: float | None, target: str, with_rps: bool = False
    ) -> None:
        """The p99 of `key` against `most` ms (None: reported against `target`'s words)."""
        x = self.summary(key)
        if x is None:
            return
        self.add(
            name,
            f"{x['p99_ms']:.2f} ms" + (f" ({x['rps']:,.0f} req/s)" if with_rps else ""),
            "—",
            x["p99_ms"],
            target,
            None if most is None else x["p99_ms"] <= most,
            "{:.2f} ms",
            src=(key,),
        )

    def against(self, name: str, key: str, reference: str, label: str, least: float) -> None:
        """Throughput of `key` as a ratio to `reference`'s, judged against `least`."""
        x, ref = self.summary(key), self.summary(reference)
        if not (x and ref):
            return
        r = ratio(x["rps"], ref["rps"])
        self.add(
            name,
            f"{x['rps']:,.0f} req/s",
            f"{label} {ref['rps']:,.0f} req/s",
            r,
            f"≥ {least}×",
            r is not None and r >= least,
            src=(key, reference),
        )

    def peak_rss(self, name: str, keys: tuple[str, ...]) -> None:
        peaks = [x["max_peak_rss_mb"] for x in map(self.summary, keys) if x]
        if peaks:
            top = max(peaks)
            self.add(name, f"{top:.0f} MB peak", "—", top, "≤ 150 MB", top <= 150, "{:.0f} MB")

    def asgi_servers(self, name: str, a_key: str, b_key: str, server: str) -> None:
        """granian (`a_key`) against uvicorn (`b_key`): which to run, not a target."""
        a, b = self.summary(a_key), self.summary(b_key)
        if not (a and b):
            return
        r = ratio(a["rps"], b["rps"])
        verdict = (
            "granian faster"
            if r and r > 1.03
            else "uvicorn faster"
            if r and r < 0.97
            else "equal within 3%"
        )
        self.rows.append(
            row(
                name,
                f"granian {a['rps']:,.0f} req/s",
                f"uvicorn {b['rps']:,.0f} req/s",
                f"{r:.2f}×" if r else "—",
                f"choose the faster ({server})",
                verdict,
            )
        )


# (key, label, least ratio to the floor, greatest p99 ms, issue); None: reported only
LISTS: list[tuple[str, str, float | None, float | None, str]] = [
    ("app_list_claimant", "list claimant_id+stated_from", 0.5, 25, "issue 6"),
    ("app_list_q", "list q= full text (newest first, asked before)", 0.5, 25, "issue 6"),
    (
        "app_list_q_fresh",
        "list q= full text newest first, a new query each request",
        0.25,
        100,
        "issue 13.6",
    ),
    ("app_list_q_relevance", "list q=&sort=relevance, asked before", 0.5, 25, "issue 6"),
    (
        "app_list_q_fresh_relevance",
        "list q=&sort=relevance, a new query each request (4 connections)",
        None,
        None,
        "issue 13.6: documented cost",
    ),
]


def _reads(t: Rows) -> None:
    t.against("GET by id vs floor", "app_get_id", "floor_uvicorn", "floor", 0.75)
    t.against("GET by id vs peer", "app_get_id", "peer", "peer", 2.5)
    t.p99("GET by id p99 (32 conns, 1 worker)", "app_get_id", 15, "≤ 15 ms")
    floor = t.summary("floor_uvicorn")
    for key, label, least, most, issue in LISTS:
        x = t.summary(key)
        if not (x and floor):
            continue
        r = ratio(x["rps"], floor["rps"])
        t.add(
            f"{label} vs floor's single row",
            f"{x['rps']:,.0f} req/s",
            f"floor {floor['rps']:,.0f} req/s",
            r,
            f"≥ {least}× ({issue})" if least is not None else f"none ({issue})",
            None if least is None else r is not None and r >= least,
            src=(key, "floor_uvicorn"),
        )
        target = f"≤ {most} ms ({issue})" if most is not None else f"none ({issue})"
        t.p99(f"{label} p99", key, most, target)
    walk, planner = t.summary("sql_newest_walk"), t.summary("sql_newest_planner")
    if walk and planner:
        r = ratio(walk["rps"], planner["rps"])
        t.add(
            "newest-first search in SQL alone, a new query each: bucket walk (0020) vs planner",
            f"walk {walk['rps']:,.0f} queries/s, p99 {walk['p99_ms']:.1f} ms",
            f"planner {planner['rps']:,.0f} queries/s, p99 {planner['p99_ms']:.1f} ms",
            r,
            "the server runs the faster (issue 13.6)",
            r is not None and r >= 1,
        )


def _writes(t: Rows) -> None:
    post, raw_insert = t.summary("app_post"), t.summary("raw_insert")
    if post and raw_insert:
        r = ratio(post["rps"], raw_insert["rps"])
        t.add(
            "POST /v1/claims vs raw asyncpg transaction loop",
            f"{post['rps']:,.0f} req/s",
            f"raw {raw_insert['rps']:,.0f} tx/s",
            r,
            "≥ 0.6×",
            r is not None and r >= 0.6,
            src=("app_post", "raw_insert"),
        )
    name = "POST /v1/import vs COPY of the same rows"
    imp, copy = t.summary("app_import"), t.summary("pg_copy")
    if imp and copy:
        r = ratio(imp["rps"], copy["rps"])
        t.add(
            name,
            f"{imp['rps']:,.0f} claims/s",
            f"COPY {copy['rps']:,.0f} claims/s",
            r,
            "≥ 0.25×",
            r is not None and r >= 0.25,
            src=("app_import", "pg_copy"),
        )
    else:
        t.add(name, t.why("app_import"), "COPY", None, "≥ 0.25×", None)


def _webhooks(t: Rows) -> None:
    hooks = t.summary("app_webhooks")
    if not hooks:
        t.add(
            "webhooks ≥ 1,000 deliveries/s, p50 ≤ 50 ms",
            t.why("app_webhooks"),
            "—",
            None,
            "≥ 1,000/s; ≤ 50 ms",
            None,
        )
        return
    t.add(
        "webhook deliveries/s (1 worker)",
        f"{hooks['rps']:,.0f}/s",
        "—",
        hooks["rps"],
        "≥ 1,000/s",
        hooks["rps"] >= 1000,
        "{:,.0f}/s",
    )
    drain = t.results["app_webhooks"]["runs"][0].get("extra", {}).get("drain")
    if drain:
        t.add(
            "webhook drain without batch-and-wait stalls",
            f"{drain['stalled_share']:.0%} of the drain in {drain['stalls']} stalls",
            f"per second: {per_second_text(drain['per_second'])}",
            drain["stalled_share"] * 100,
            f"< {MAX_STALLED_SHARE:.0%} in gaps ≥ {STALL_SECONDS:g} s",
            not drain["batch_and_wait"],
            "{:.0f}%",
        )
        if drain["batch_and_wait"]:
            t.rows[-1]["result"] = (
                f"**BATCH-AND-WAIT**: bursts of {drain['median_burst']}, longest gap"
                f" {drain['longest_stall_s']:.2f} s"
            )
    t.add(
        "webhook commit→delivery p50",
        f"{hooks['p50_ms']:.1f} ms",
        "—",
        hooks["p50_ms"],
        "≤ 50 ms",
        0 < hooks["p50_ms"] <= 50,
        "{:.1f} ms",
    )


def _memory(t: Rows) -> None:
    t.peak_rss("server RSS under the read load", ("app_get_id", *(key for key, *_ in LISTS)))
    export = t.results.get("app_export")
    if export and "runs" in export:
        extra = export["runs"][0]["extra"]
        growth = extra["rss_growth_mb"]
        t.add(
            f"GET /v1/export of {extra['lines']:,} claims"
            f"{'' if extra.get('complete', True) else ' (cut at the time bound)'}: RSS growth",
            f"+{growth:.0f} MB",
            "—",
            growth,
            "< 50 MB",
            growth < 50,
            "{:.0f} MB",
        )
    else:
        name = "GET /v1/export of 1M claims: flat memory"
        t.add(name, t.why("app_export"), "—", None, "< 50 MB", None)


def _processes(t: Rows) -> None:
    w2, w1 = t.summary("app_get_id_w2"), t.summary("app_get_id_w1b") or t.summary("app_get_id")
    if w1 and w2:
        r = ratio(w2["rps"], w1["rps"])
        t.add(
            "scaling: --workers 2 vs 1 (GET by id, interleaved)",
            f"{w2['rps']:,.0f} req/s",
            f"1 worker {w1['rps']:,.0f} req/s",
            r,
            "≥ 1.3×",
            r is not None and r >= 1.3,
            src=("app_get_id_w1b", "app_get_id_w2"),
        )
    t.asgi_servers(
        "ASGI server, floor app: granian vs uvicorn", "floor_granian", "floor_uvicorn_b", "floor"
    )
    t.asgi_servers(
        "ASGI server, our app: granian vs uvicorn (both without access log)",
        "app_get_id_granian",
        "app_get_id_nolog",
        "our app",
    )


def _metrics_overhead(t: Rows) -> None:
    # The metrics' cost is a few % of a request: within the ±20 % that throughput moves
    # between runs here, so the target is judged on instructions per request (callgrind,
    # harness/instructions.py), and the throughput ratio is reported beside it.
    without = t.summary("app_get_id_nometrics")
    without_ir = t.results.get("instr_get_id_off", {}).get("instructions")
    for key, ir_key, mode in (
        ("app_get_id_nolog", "instr_get_id_memory", "1 process, in memory"),
        ("app_get_id_mpmetrics", "instr_get_id_files", "files, as `serve --workers N`"),
    ):
        measured_ir = t.results.get(ir_key, {}).get("instructions")
        if measured_ir and without_ir:
            overhead = measured_ir["per_request"] / without_ir["per_request"] - 1
            t.add(
                f"metrics overhead on GET by id ({mode}, instructions per request)",
                f"{measured_ir['per_request']:,.0f}",
                f"CLAIMLEDGER_METRICS=false {without_ir['per_request']:,.0f}",
                overhead * 100,
                "≤ 5 % (issue 13)",
                overhead <= 0.05,
                "{:.1f} %",
            )
        else:
            name = f"metrics overhead on GET by id ({mode})"
            t.add(name, t.why(ir_key), "—", None, "≤ 5 %", None)
        measured = t.summary(key)
        if measured and without:
            t.add(
                f"metrics overhead on GET by id ({mode}, req/s, interleaved)",
                f"{measured['rps']:,.0f} req/s",
                f"CLAIMLEDGER_METRICS=false {without['rps']:,.0f} req/s",
                (1 - measured["rps"] / without["rps"]) * 100,
                "reported: judged on instructions",
                None,
                "{:.1f} %",
                src=(key, "app_get_id_nometrics"),
            )


def target_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of issue 6's and 13's targets measured by bench/run.py's own scenarios."""
    t = Rows(results)
    for part in (_reads, _writes, _webhooks, _memory, _processes, _metrics_overhead):
        part(t)
    return t.rows
