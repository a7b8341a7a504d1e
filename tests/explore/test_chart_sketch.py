"""The chart's first drawing is the chart: the competing-figures page sketches its chart in
plain SVG as soon as the timeline is in (`explore/assets/js/sketch.js`), and plotly.js's
interactive chart takes its place once the library has loaded. Here the library is held
back until the sketch has been read, then let through: the sketch must have one mark per
entry of the API's timeline (and per derived sum), each where its values put it on the
sketch's own axes, and the very marks plotly.js then draws — the same outline, size,
colour and stroke, within a few pixels of the same place — with the same bars, open ends
and legend."""

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import pytest
from browsing import LAPTOP, PHONE, Api, Tab, figures_path, tab

LIBRARY = "**/vendor/plotly-basic.min.js"
# What the sketch drew: its plot area; per trace, in the traces' order, its marks (scatter)
# or rectangles (bars); the ticks of its axes; its legend.
SKETCH = """() => {
  const svg = document.querySelector('#chart > svg.chart-sketch');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const at = (element) => element.getAttribute('transform').match(/-?[0-9.]+/g).map(Number);
  const number = (element, name) => Number(element.getAttribute(name) || 0);
  return {
    scale,
    plot: svg.dataset.plot.split(',').map(Number),
    points: [...svg.querySelectorAll('.points > .trace')].map((g) => [...g.children].map((p) => ({
      d: p.getAttribute('d'), fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),
      stroke_width: number(p, 'stroke-width'), opacity: Number(p.getAttribute('opacity') || 1),
      claim_id: p.dataset.claimId || null, at: at(p) }))),
    bars: [...svg.querySelectorAll('.bars > .trace')].map((g) =>
      [...g.querySelectorAll('rect:not([fill^=url])')].map((r) => ({
        fill: r.getAttribute('fill'), opacity: number(g, 'opacity'),
        box: ['x', 'y', 'width', 'height'].map((n) => number(r, n)) }))),
    ticks: [...svg.querySelectorAll('text[data-axis]')].map((t) => ({
      axis: t.dataset.axis, value: Number(t.dataset.value), text: t.textContent,
      at: number(t, t.dataset.axis) })),
    legend: [...svg.querySelectorAll('.legend-entry text')].map((t) => t.textContent),
  };
}"""
# What plotly.js drew: its plot area, its traces' data, and each scatter point's outline,
# style and place.
DRAWN = """() => {
  const chart = document.getElementById('chart');
  const size = chart._fullLayout._size;
  const data = (bars) => chart.data.filter((t) => (t.type === 'bar') === bars)
    .map((t) => ({ kind: t.meta.kind, x: t.x, y: t.y, base: t.base || null,
      customdata: t.customdata || null, colour: t.marker.color }));
  const groups = [...chart.querySelectorAll('.scatterlayer .trace')];
  return {
    plot: [size.l, size.t, size.w, size.h],
    scatter: data(false),
    bars: data(true),
    points: groups.map((g) => [...g.querySelectorAll('path.point')].map((p) => {
      const [x, y] = p.getAttribute('transform').match(/-?[0-9.]+/g).map(Number);
      return { d: p.getAttribute('d'), fill: p.style.fill, stroke: p.style.stroke,
        stroke_width: parseFloat(p.style.strokeWidth || '0'),
        opacity: Number(p.style.opacity || 1), at: [size.l + x, size.t + y] };
    })),
    legend: [...chart.querySelectorAll('.legend .legendtext')].map((t) => t.textContent),
  };
}"""


def rgb(colour: str | None) -> str | None:
    """A #rrggbb (or #rgb) colour as a browser writes a computed one, `rgb(r, g, b)`."""
    if not colour or not colour.startswith("#"):
        return colour
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def linear(ticks: list[dict[str, Any]], axis: str) -> tuple[float, float]:
    """The sketch's scale along `axis` from its tick labels: pixel = a + b * value."""
    points = [(t["value"], t["at"]) for t in ticks if t["axis"] == axis]
    assert len(points) >= 2, f"the sketch labels its {axis} axis"
    (v0, p0), (v1, p1) = points[0], points[-1]
    slope = (p1 - p0) / (v1 - v0)
    return p0 - slope * v0, slope


def day_ms(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000


@asynccontextmanager
async def library_held(t: Tab) -> AsyncIterator[asyncio.Event]:
    """Hold the chart library's download until the event is set (on leaving, at the latest)."""
    release = asyncio.Event()

    async def hold(route: Any) -> None:
        await release.wait()
        await route.continue_()

    await t.page.route(LIBRARY, hold)
    try:
        yield release
    finally:
        release.set()


async def sketch_then_chart(
    t: Tab, subject_id: str, metric: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open the figures page with the library held back: the sketch of the whole timeline,
    then (the library let through) plotly.js's chart."""
    async with library_held(t) as release:
        await t.open(figures_path(subject_id, metric), "explore:figures:chart")
        # Later pages of the timeline are sketched as they come, before the library.
        await t.page.wait_for_selector("#chart[data-complete=true] > svg.chart-sketch")
        sketch = await t.page.evaluate(SKETCH)
        name = f"chart-{subject_id[-6:]}-{t.page.viewport_size['width']}"
        await t.screenshot(f"{name}-sketch", ".chart-panel")
        release.set()
        await t.wait_for_mark("explore:figures:complete")
        await t.screenshot(f"{name}-plotly", ".chart-panel")
    assert await t.page.evaluate("document.querySelector('#chart svg.chart-sketch')") is None
    return sketch, await t.page.evaluate(DRAWN)


def at_index(value: Any, index: int) -> Any:
    """A trace attribute's value for one point: per point (a list) or for all."""
    return value[index] if isinstance(value, list) else value


def assert_on_its_axes(sketch: dict[str, Any], drawn: dict[str, Any]) -> None:
    """Every mark and bar of the sketch sits where its trace's values put it on the axes
    the sketch labels."""
    x0, dx = linear(sketch["ticks"], "x")
    y0, dy = linear(sketch["ticks"], "y")
    assert len(sketch["points"]) == len(drawn["scatter"])
    for marks, trace in zip(sketch["points"], drawn["scatter"], strict=True):
        assert len(marks) == len(trace["x"]), trace["kind"]
        for mark, day, value in zip(marks, trace["x"], trace["y"], strict=True):
            x, y = mark["at"]
            assert abs(x - (x0 + dx * day_ms(day))) <= 1, (mark, day)
            assert abs(y - (y0 + dy * value)) <= 1, (mark, value)
    assert len(sketch["bars"]) == len(drawn["bars"])
    for rects, trace in zip(sketch["bars"], drawn["bars"], strict=True):
        assert len(rects) == len(trace["x"]), trace["kind"]
        for i, rect in enumerate(rects):
            left, top, width, height = rect["box"]
            low, extent = trace["base"][i], trace["y"][i]
            # In whole pixels, a thin bar widened to the pixels it touches, as plotly.js does.
            assert abs(left + width / 2 - (x0 + dx * day_ms(trace["x"][i]))) <= 1.5, rect
            assert abs(top - (y0 + dy * (low + extent))) <= 1.5, rect
            assert abs(top + height - (y0 + dy * low)) <= 1.5, rect
            assert rect["fill"] == at_index(trace["colour"], i), rect


def assert_same_marks(sketch: dict[str, Any], drawn: dict[str, Any]) -> None:
    """The sketch's marks are plotly.js's, one for one, in the same place."""
    assert [len(marks) for marks in sketch["points"]] == [len(ps) for ps in drawn["points"]]
    pairs = zip(chain(*sketch["points"]), chain(*drawn["points"]), strict=True)
    for ours, theirs in pairs:
        what = (ours, theirs)
        assert ours["d"] == theirs["d"], what  # outline and size
        assert ours["opacity"] == theirs["opacity"], what
        assert rgb(ours["fill"]) == theirs["fill"], what
        if ours["stroke_width"] or theirs["stroke_width"]:
            assert ours["stroke_width"] == theirs["stroke_width"], what
            assert rgb(ours["stroke"]) == theirs["stroke"], what
        x, y = (v * sketch["scale"] for v in ours["at"])
        assert abs(x - theirs["at"][0]) <= 4, what
        assert abs(y - theirs["at"][1]) <= 4, what
    # A legend taller than half the chart scrolls in plotly.js; the sketch shows its top.
    assert sketch["legend"] == drawn["legend"][: len(sketch["legend"])]


async def expected_marks(api: Api, subject_id: str, metric: str) -> list[tuple[Any, ...]]:
    """The API's timeline entries (dated) and the summary's derived sums, as the chart's keys."""
    entries = await api.pages("/v1/figures/timeline", subject_id=subject_id, metric=metric)
    summary = (await api.get("/v1/figures/summary", subject_id=subject_id, metric=metric))["data"]
    marks = [
        ("stated", e["figure"]["id"], e["claimant_id"], e["claim"]["id"], e["stated_on"])
        for e in entries
        if e["stated_on"]
    ]
    marks += [
        ("derived", None, c["claimant_id"], c["claim"]["id"], c["claim"]["stated_on"])
        for g in summary
        if g["accumulation"] == "cumulative" and g["unit"] == "people"
        for c in g["claimants"]
        if c["derived"] and c["claim"]["stated_on"]
    ]
    return sorted(marks, key=repr)


def drawn_marks(drawn: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The marks' keys, from the traces both drew (`customdata`, as chart.js builds it)."""
    marks = [
        (data[6], data[0], data[1], data[2], day)
        for trace in drawn["scatter"]
        if trace["kind"] == "marks"
        for data, day in zip(trace["customdata"], trace["x"], strict=True)
    ]
    return sorted(marks, key=repr)


@pytest.mark.parametrize(
    ("subject", "metric", "viewport"),
    [
        ("paint", "killed", LAPTOP),
        ("paint", "killed", PHONE),
        ("rr:actor:north-korean-troops", "killed_or_wounded", LAPTOP),
        ("rr:actor:russian-forces", "killed_or_wounded", LAPTOP),
    ],
)
async def test_the_sketch_draws_the_timeline_and_the_marks_plotly_then_draws(
    browser: Any,
    explore_url: str,
    explore_keys: dict[str, str],
    api: Api,
    paint_subject: str,
    subject: str,
    metric: str,
    viewport: dict[str, int],
) -> None:
    subject_id = paint_subject if subject == "paint" else (await api.one("actors", subject))["id"]
    async with tab(browser, explore_url, viewport) as t:
        await t.sign_in(explore_keys["read"])
        sketch, drawn = await sketch_then_chart(t, subject_id, metric)
        overflow = await t.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    # The traces hold the API's marks; the sketch drew each where plotly.js then drew it.
    assert drawn_marks(drawn) == await expected_marks(api, subject_id, metric)
    assert_on_its_axes(sketch, drawn)
    assert_same_marks(sketch, drawn)
    kinds = [trace["kind"] for trace in drawn["bars"]]
    arrowheads = [t for t in drawn["scatter"] if t["kind"] == "open-ends"]
    open_bars = sketch["bars"][kinds.index("open")]
    assert len(open_bars) == sum(len(t["x"]) for t in arrowheads)
    assert overflow <= 0
    # plotly.js's plot area is the sketch's, within a few pixels.
    for ours, theirs in zip(sketch["plot"], drawn["plot"], strict=True):
        assert abs(ours * sketch["scale"] - theirs) <= 6, (sketch["plot"], drawn["plot"])


async def test_a_mark_of_the_sketch_opens_its_claim(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    subject_id = (await api.one("actors", "rr:actor:north-korean-troops"))["id"]
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        async with library_held(t):
            await t.open(figures_path(subject_id, "killed_or_wounded"), "explore:figures:chart")
            mark = t.page.locator("#chart svg.chart-sketch .points [data-claim-id]").first
            claim_id = await mark.get_attribute("data-claim-id")
            await mark.click()
            await t.wait_for_mark("explore:claim:data")
            assert re.search(rf"/explore/claims/{claim_id}$", t.page.url)
