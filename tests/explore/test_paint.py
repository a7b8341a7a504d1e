"""How soon the claim page and the figures page show their data, for a subject counted by
1,000 figures (issue 14's speed target: first paint with data within 300 ms, on the bench
dataset). The pages mark the moment in the browser's performance timeline (the chart's
first paint is its sketch, test_chart_sketch.py; plotly.js's interactive chart follows); this
test reads the marks and prints them (and writes `.artifacts/paint-times.json`). It asserts what was
drawn, never how fast: a timed unit test on a shared machine would only be flaky. The bench
measures the same on the 1M-claim dataset (`bench/harness/explore_paint.py`)."""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from browsing import ARTIFACTS, PAINT_CLAIMANTS, PAINT_FIGURES, Api, Tab, tab

KEY_ITEM = "claimledger.apiKey"


async def signed_in_at(t: Tab, key: str) -> None:
    """Signed in without the search page: the key put where the sign-in form puts it."""
    await t.open("/explore")
    await t.page.evaluate("([item, key]) => sessionStorage.setItem(item, key)", [KEY_ITEM, key])


async def test_first_paint_with_data_for_1000_figures(
    browser: Any,
    explore_url: str,
    explore_keys: dict[str, str],
    api: Api,
    paint_subject: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    query = urlencode({"subject_id": paint_subject, "metric": "killed"})
    figures_page = f"/explore/figures?{query}"
    claim = await api.one("claims", "paint:claim-0")
    timings: dict[str, dict[str, float]] = {}
    async with tab(browser, explore_url) as t:
        await signed_in_at(t, explore_keys["read"])
        for visit in ("first visit", "second visit"):
            await t.open(figures_page, "explore:figures:complete")
            marks = await t.page.evaluate("document.getElementById('chart').dataset.marks")
            timings[f"figures page, {visit}"] = {
                "table": await t.mark_ms("explore:figures:table"),
                "chart sketched (first 200)": await t.mark_ms("explore:figures:chart"),
                "interactive chart": await t.mark_ms("explore:figures:interactive"),
                f"interactive chart (all {marks})": await t.mark_ms("explore:figures:complete"),
            }
            assert int(marks) == PAINT_FIGURES  # every claim has a date: every figure has its mark
        await t.screenshot("figures-1000")
        # The table shows 20 claimants a group at first; a button shows the others.
        rows = t.page.locator("section.group[data-accumulation=cumulative] tr[data-claimant-id]")
        assert await rows.count() == 20
        await t.page.click("text=Show the 4 other claimants")
        assert await rows.count() == PAINT_CLAIMANTS
        focused = await t.page.evaluate("document.activeElement.closest('tr').rowIndex")
        assert focused == 21, "the first row shown gets the focus"
        await t.open(f"/explore/claims/{claim['id']}", "explore:claim:data")
        timings["claim page"] = {"claim": await t.mark_ms("explore:claim:data")}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "paint-times.json").write_text(json.dumps(timings, indent=2) + "\n")
    with capsys.disabled():
        print("\nexplorer: first paint with data, ms since navigation (test data, this machine)")
        for page, marks_ms in timings.items():
            shown = ", ".join(f"{name} {ms:.0f}" for name, ms in marks_ms.items())
            print(f"  {page}: {shown}")
