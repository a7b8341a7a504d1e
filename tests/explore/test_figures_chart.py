"""The competing-figures page in a real browser: its chart has one mark per entry of the
API's timeline, at the entry's day, with the entry's bounds (read from the chart's own
data), an open end for each figure without an upper bound, the derived sums the summary
lists; and its table is the summary's."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import PHONE, Api, Tab, figures_path, tab

METRIC = "killed_or_wounded"
# The marks, bars and open ends the chart drew: Plotly keeps each trace's data on the element.
CHART_DATA = """() => {
  const traces = document.getElementById('chart').data;
  const of = (kind) => traces.filter(t => t.meta && t.meta.kind === kind);
  const points = of('marks').flatMap(t => t.customdata.map((c, i) => ({
    figure_id: c[0], claimant_id: c[1], claim_id: c[2], low: c[3], high: c[4],
    derived_from: c[5], kind: c[6], stated_on: t.x[i], y: t.y[i] })));
  return {
    marks: points.filter(p => p.kind === 'stated'),
    derived: points.filter(p => p.kind === 'derived'),
    bars: of('bounds').reduce((n, t) => n + t.x.length, 0),
    open_bars: of('open').reduce((n, t) => n + t.x.length, 0),
    arrowheads: of('open-ends').reduce((n, t) => n + t.x.length, 0),
  };
}"""


def key(point: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(point[name] for name in ("figure_id", "claimant_id", "stated_on"))


async def open_figures(t: Tab, subject_id: str, **filters: str) -> None:
    await t.open(figures_path(subject_id, METRIC, **filters), "explore:figures:complete")


@pytest.mark.parametrize(
    "subject",
    [
        "actor:north-korean-troops-in-russia",
        "rr:actor:north-korean-troops",
        "rr:actor:russian-forces",
    ],
)
async def test_the_chart_draws_the_timeline_and_the_table_is_the_summary(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api, subject: str
) -> None:
    subject_id = (await api.one("actors", subject))["id"]
    entries = await api.pages("/v1/figures/timeline", subject_id=subject_id, metric=METRIC)
    summary = (await api.get("/v1/figures/summary", subject_id=subject_id, metric=METRIC))["data"]
    derived = [
        entry
        for group in summary
        if group["accumulation"] == "cumulative" and group["unit"] == "people"
        for entry in group["claimants"]
        if entry["derived"]
    ]
    assert entries, "the test data has a timeline for this subject"
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await open_figures(t, subject_id)
        chart = await t.page.evaluate(CHART_DATA)
        await t.screenshot(f"figures-{subject.split(':')[-1]}")

    dated = [e for e in entries if e["stated_on"]]
    expected = [
        {
            "figure_id": e["figure"]["id"],
            "claimant_id": e["claimant_id"],
            "claim_id": e["claim"]["id"],
            "low": e["figure"]["low"],
            "high": e["figure"]["high"],
            "stated_on": e["stated_on"],
        }
        for e in dated
    ]
    drawn = [{name: m[name] for name in expected[0]} for m in chart["marks"]]
    assert sorted(drawn, key=key) == sorted(expected, key=key)
    for mark in chart["marks"]:  # a mark lies within its bounds; none stated: on the axis
        if mark["low"] is None:
            assert mark["y"] == 0
        else:
            assert mark["low"] <= mark["y"] <= (mark["high"] or mark["y"])

    assert [(d["claim_id"], d["derived_from"]) for d in chart["derived"]] == [
        (e["claim"]["id"], e["derived"]["derived_from"]) for e in derived
    ]
    bounded = [e["figure"] for e in dated if e["figure"]["low"] is not None]
    bounded += [e["derived"] for e in derived]
    unbounded_above = [b for b in bounded if b["high"] is None]
    assert chart["bars"] == len(bounded) - len(unbounded_above)
    assert chart["open_bars"] == chart["arrowheads"] == len(unbounded_above)

    # The table: one section per summary group, one row per claimant's latest entry.
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await open_figures(t, subject_id)
        sections = t.page.locator("section.group")
        shown = {}
        for index in range(await sections.count()):
            section = sections.nth(index)
            group = (
                await section.get_attribute("data-accumulation"),
                await section.get_attribute("data-unit"),
            )
            rows = section.locator("tr[data-claimant-id]")
            shown[group] = [
                await rows.nth(i).get_attribute("data-claimant-id")
                for i in range(await rows.count())
            ]
    assert shown == {
        (g["accumulation"], g["unit"]): [c["claimant_id"] for c in g["claimants"]] for g in summary
    }


async def test_the_filters_narrow_the_table_and_travel_in_the_url(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    subject_id = (await api.one("actors", "rr:actor:north-korean-troops"))["id"]
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await open_figures(t, subject_id)
        await t.page.click("details.filters-box summary")
        await t.page.select_option("#f-accumulation", "incremental")
        async with t.after("explore:figures:complete"):
            await t.page.click("details.filters-box button[type=submit]")
        query = parse_qs(urlsplit(t.page.url).query)
        assert query["accumulation"] == ["incremental"]
        assert query["subject_id"] == [subject_id]
        accumulations = await t.page.eval_on_selector_all(
            "section.group", "sections => sections.map(s => s.dataset.accumulation)"
        )
        assert set(accumulations) == {"incremental"}
        # The chart still shows the running totals (the timeline is cumulative figures only).
        marks = (await t.page.evaluate(CHART_DATA))["marks"]
        assert len(marks) == len(
            await api.pages("/v1/figures/timeline", subject_id=subject_id, metric=METRIC)
        )

        # As of a moment before anything was recorded: nothing to show, said plainly.
        await open_figures(t, subject_id, as_of="2000-01-01T00:00:00Z")
        assert (await t.page.evaluate(CHART_DATA))["marks"] == []
        assert "No figures match" in await t.page.inner_text(".figures-grid")


async def test_the_figures_page_reads_on_a_phone(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    subject_id = (await api.one("actors", "rr:actor:north-korean-troops"))["id"]
    async with tab(browser, explore_url, PHONE) as t:
        await t.sign_in(explore_keys["read"])
        await open_figures(t, subject_id)
        overflow = await t.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        await t.screenshot("phone-figures")
        await t.open("/explore/figures", "explore:figures-index:data")
        await t.screenshot("phone-figures-index")
