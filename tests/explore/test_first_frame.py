"""What the figures page keeps out of the frame that first shows its data (issue 14's speed,
asserted by what happens, never by how long it takes): no Intl formatter is set up (the
first one loads the browser's locale data), the chart is drawn at the width the page's
last layout left (and again when that width changes), and the groups of the table below
the first are laid out only when they come near the screen."""

from typing import Any

from browsing import PHONE, Api, figures_path, tab
from test_chart_sketch import library_held

# Counts every Intl number formatter the page sets up, and every toLocaleString of a number.
COUNT_INTL = """
window.intlUses = 0;
const NumberFormat = Intl.NumberFormat;
Intl.NumberFormat = new Proxy(NumberFormat, {
  construct(target, args) { window.intlUses += 1; return new target(...args); },
  apply(target, self, args) { window.intlUses += 1; return target(...args); },
});
const toLocaleString = Number.prototype.toLocaleString;
Number.prototype.toLocaleString = function (...args) {
  window.intlUses += 1;
  return toLocaleString.apply(this, args);
};
"""
# format.js's numbers beside Intl's, for values of every shape.
NUMBERS = """async () => {
  const format = await import(`${document.documentElement.dataset.static}/js/format.js`);
  const values = [0, 7, 999, 1000, 12345, -1234567, 1e15, 2 ** 53 - 1, 2 ** 53 + 2, 2.5,
    1234.5678, 0.0004, -0.25, 1e21, NaN, Infinity];
  const intl = new Intl.NumberFormat("en");
  const tick = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });
  return values.map((v) =>
    [String(v), format.number(v), intl.format(v), format.grouped(v), tick.format(v)]);
}"""
SKETCH_WIDTH = """() => [
  document.querySelector('#chart > svg.chart-sketch').viewBox.baseVal.width,
  document.getElementById('chart').clientWidth,
]"""


async def test_numbers_read_as_intl_writes_them_and_the_first_paint_sets_up_no_intl(
    browser: Any, explore_url: str, explore_keys: dict[str, str], paint_subject: str
) -> None:
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.page.add_init_script(COUNT_INTL)
        async with library_held(t):
            await t.open(figures_path(paint_subject, "killed"), "explore:figures:chart")
            await t.wait_for_mark("explore:figures:table")
            assert await t.page.evaluate("window.intlUses") == 0
        for value, number, intl, grouped, tick in await t.page.evaluate(NUMBERS):
            assert number == intl, value
            assert grouped == tick, value


async def test_the_sketch_is_drawn_at_the_charts_width_and_again_when_it_changes(
    browser: Any, explore_url: str, explore_keys: dict[str, str], paint_subject: str
) -> None:
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        async with library_held(t):
            await t.open(figures_path(paint_subject, "killed"), "explore:figures:chart")
            drawn, width = await t.page.evaluate(SKETCH_WIDTH)
            assert drawn == width
            await t.page.set_viewport_size(PHONE)
            await t.page.wait_for_function(f"({SKETCH_WIDTH})()[1] < {width}")
            await t.page.wait_for_function(f"(([a, b]) => a === b)(({SKETCH_WIDTH})())")
            drawn, narrow = await t.page.evaluate(SKETCH_WIDTH)
            assert drawn == narrow < width


async def test_groups_below_the_first_are_laid_out_when_they_come_near_the_screen(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    subject_id = (await api.one("actors", "rr:actor:north-korean-troops"))["id"]
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open(figures_path(subject_id, "killed_or_wounded"), "explore:figures:table")
        shown = await t.page.eval_on_selector_all(
            "section.group", "groups => groups.map(g => getComputedStyle(g).contentVisibility)"
        )
        assert len(shown) >= 2, shown
        assert shown == ["visible"] + ["auto"] * (len(shown) - 1)
        # Their text is the page's all the same: found, read and reached by the keyboard.
        last = t.page.locator("section.group").last
        assert "Claimant" in await last.inner_text()
        await last.locator("a").first.focus()
        assert await t.page.evaluate("document.activeElement.closest('section.group') !== null")
