"""How the benchmark judges its targets (`bench/harness/targets.py`, `bench/harness/v2_reads.py`):
a ratio or a p99 passes or misses by its target, a measurement with too many failed requests is
INVALID rather than judged, and what was not measured says why. The numbers here are made up;
the measuring is the bench's."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def harness() -> Iterator[tuple[Any, Any]]:
    sys.path.insert(0, str(_BENCH))
    try:
        from harness import targets, v2_reads

        yield targets, v2_reads
    finally:
        sys.path.remove(str(_BENCH))


def measured(rps: float, p99_ms: float = 5.0, errors: int = 0) -> dict[str, Any]:
    summary = {
        "rps": rps,
        "p99_ms": p99_ms,
        "p50_ms": p99_ms / 2,
        "errors": errors,
        "requests": 100_000,
        "max_peak_rss_mb": 90.0,
    }
    return {"summary": summary, "runs": [{"extra": {}}]}


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in rows}


def test_a_ratio_passes_or_misses_by_its_target(harness: Any) -> None:
    targets, _ = harness
    results = {"floor_uvicorn": measured(10_000), "app_get_id": measured(8_000, p99_ms=16)}
    rows = by_name(targets.target_rows(results))
    assert rows["GET by id vs floor"]["value"] == "0.80\u00d7"  # the multiplication sign
    assert rows["GET by id vs floor"]["result"] == "PASS"
    assert rows["GET by id p99 (32 conns, 1 worker)"]["result"] == "**MISS**"
    results["app_get_id"] = measured(7_000, p99_ms=15)
    rows = by_name(targets.target_rows(results))
    assert rows["GET by id vs floor"]["result"] == "**MISS**"
    assert rows["GET by id p99 (32 conns, 1 worker)"]["result"] == "PASS"


def test_too_many_failed_requests_make_a_row_invalid_not_fast(harness: Any) -> None:
    targets, _ = harness
    results = {"floor_uvicorn": measured(10_000), "app_get_id": measured(9_000, errors=5_000)}
    row = by_name(targets.target_rows(results))["GET by id vs floor"]
    assert row["result"] == "**INVALID**: app_get_id (5,000 errors)"


def test_what_was_not_measured_says_why(harness: Any) -> None:
    targets, _ = harness
    results = {"app_import": {"not_measured": "failed: connection refused"}}
    row = by_name(targets.target_rows(results))["POST /v1/import vs COPY of the same rows"]
    assert (row["measured"], row["value"], row["result"]) == (
        "failed: connection refused",
        "—",
        "not measured",
    )


def test_a_drain_in_batches_is_flagged(harness: Any) -> None:
    targets, _ = harness
    hooks = measured(1_500, p99_ms=40)
    drain = {
        "stalled_share": 0.6,
        "stalls": 40,
        "per_second": [124, 0, 0, 124, 0, 0],
        "batch_and_wait": True,
        "median_burst": 124,
        "longest_stall_s": 3.0,
    }
    hooks["runs"] = [{"extra": {"drain": drain}}]
    row = by_name(targets.target_rows({"app_webhooks": hooks}))[
        "webhook drain without batch-and-wait stalls"
    ]
    assert row["result"] == "**BATCH-AND-WAIT**: bursts of 124, longest gap 3.00 s"


def test_v2_reads_judge_repeated_questions_and_report_new_ones(harness: Any) -> None:
    _, v2_reads = harness
    results = {
        "app_summary_subject": measured(2_000, p99_ms=60),
        "app_summary_fresh": measured(300, p99_ms=180),
        "app_summary_fresh_c1": measured(80, p99_ms=20),
    }
    rows = by_name(v2_reads.target_rows(results))
    every_metric = rows["v2: summary ?subject_id (1,000 figures), every metric p99"]
    assert (every_metric["measured"], every_metric["result"]) == (
        "60.00 ms (2,000 req/s)",
        "**MISS**",
    )
    fresh = "v2: summary ?subject_id&metric&stated_to, a question not asked before"
    assert rows[f"{fresh} p99"]["result"] == "reported"
    assert rows[f"{fresh}, 1 connection p99"]["result"] == "PASS"
    assert "v2: list claims ?source_id p99" not in rows  # neither measured nor tried
