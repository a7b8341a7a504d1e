"""One chart, two drawers: the explorer's competing-figures chart (`explore/assets/js/chart.js`,
plotly.js in the browser) and the SDK's `client.figures.timeline(...).plot()`
(`sdk/claimledger/charts.py`, the `plotly` Python package) draw the same traces from the
same API answers, and both follow the encoding docs/design.md states once ("The chart of
competing figures"): its palette is the one both use. The explorer's first drawing of the
chart, before plotly.js has loaded, is held to the chart plotly.js draws in
test_chart_sketch.py."""

import json
import re
from typing import Any

import claimledger
import pytest
from browsing import Api, tab
from claimledger import charts
from claimledger_server.explore.routes import ASSETS
from support.live_server import ROOT

METRIC = "killed_or_wounded"
DESIGN = ROOT / "docs" / "design.md"
# The traces as plotly.js keeps them on the chart's element (what it drew).
DRAWN = "() => JSON.parse(JSON.stringify(document.getElementById('chart').data))"


def design_palette() -> list[str]:
    """The palette as docs/design.md lists it, in order."""
    section = DESIGN.read_text().split("### The chart of competing figures", 1)[1]
    palette = re.search(r"palette[^:]*:\s*((?:`#[0-9A-Fa-f]{6}`[,\s]*)+)", section)
    assert palette, "docs/design.md lists the chart's palette"
    return re.findall(r"#[0-9A-Fa-f]{6}", palette.group(1))


def design_others_colour() -> str:
    section = DESIGN.read_text().split("### The chart of competing figures", 1)[1]
    found = re.search(r"shares?\s+grey\s+\(`(#[0-9A-Fa-f]{6})`\)", section)
    assert found, "docs/design.md names the colour the other claimants share"
    return found.group(1)


def js_constant(source: str, name: str) -> Any:
    found = re.search(rf"const {name} = (\[[^\]]*\]|\"[^\"]*\");", source)
    assert found, name
    return json.loads(re.sub(r",\s*\]", "]", found.group(1)))


def test_both_drawers_use_the_palette_the_design_states() -> None:
    chart_js = (ASSETS / "js" / "chart.js").read_text()
    palette = design_palette()
    assert len(palette) >= 8
    assert js_constant(chart_js, "PALETTE") == palette
    assert list(charts.PALETTE) == palette
    assert js_constant(chart_js, "OTHERS_COLOUR") == charts.OTHERS_COLOUR == design_others_colour()
    assert charts.OTHERS_COLOUR not in palette


def comparable(traces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Traces as JSON values, without what plotly.js adds to the ones it drew (`uid`)."""
    return [
        {k: v for k, v in trace.items() if k != "uid"} for trace in json.loads(json.dumps(traces))
    ]


@pytest.mark.parametrize(
    "subject",
    [
        "actor:north-korean-troops-in-russia",
        "rr:actor:north-korean-troops",
        "rr:actor:russian-forces",
    ],
)
async def test_the_sdk_draws_the_chart_the_explorer_draws(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api, subject: str
) -> None:
    subject_id = (await api.one("actors", subject))["id"]
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        query = f"subject_id={subject_id}&metric={METRIC}"
        await t.open(f"/explore/figures?{query}", "explore:figures:complete")
        drawn = await t.page.evaluate(DRAWN)
    async with claimledger.AsyncClient(explore_url, explore_keys["read"]) as client:
        figure = await client.figures.timeline(subject_id=subject_id, metric=METRIC).plot()
    plotted = json.loads(figure.to_json())["data"]
    assert [t["meta"]["kind"] for t in plotted].count("marks") >= 1
    assert comparable(plotted) == comparable(drawn)
