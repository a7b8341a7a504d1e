"""How the pages load (issue 14's speed, asserted by what happens, never by how long it
takes): the claim and figures pages start their first API requests while the rest of the
explorer's scripts are still loading (early.js), a page asks the API once for each answer,
and the chart library is downloaded once — after the figures table, and in advance on the
other pages."""

import asyncio
import contextlib
from typing import Any

import pytest
from browsing import Api, Tab, figures_path, tab

KEY_ITEM = "claimledger.apiKey"
HELD_SECONDS = 10
PLOTLY = "/plotly-basic.min.js"


async def signed_in(t: Tab, key: str) -> None:
    """Signed in without loading a page that asks the API: the key where sign-in puts it.
    Done once that page's prefetch of the chart library (made when the browser is idle) was
    asked for: made later, it would count among the next page's requests."""
    async with t.page.expect_request(lambda request: request.url.endswith(PLOTLY)):
        await t.open("/explore/nowhere")
    await t.page.evaluate("([item, key]) => sessionStorage.setItem(item, key)", [KEY_ITEM, key])


async def first_requests_while_the_pages_wait(
    t: Tab, path: str, mark: str, wanted: list[str]
) -> None:
    """Open `path` with the pages' modules (app.js and those it imports, joined in
    bundle.js) held back until the API requests starting with each of `wanted` were made
    (or 10 s passed): only early.js can make them meanwhile."""
    asked: set[str] = set()
    all_asked = asyncio.Event()

    def seen(request: Any) -> None:
        for prefix in wanted:
            if request.url.startswith(t.base_url + prefix):
                asked.add(prefix)
        if len(asked) == len(wanted):
            all_asked.set()

    asked_while_held: list[bool] = []

    async def hold(route: Any) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_asked.wait(), HELD_SECONDS)
        asked_while_held.append(all_asked.is_set())
        await route.continue_()

    t.page.on("request", seen)
    await t.page.route("**/js/bundle.js", hold)
    await t.open(path, mark)
    assert asked == set(wanted)
    assert asked_while_held, "bundle.js was loaded"
    assert all(asked_while_held), "the page's first requests waited for its scripts"


def api_requests(t: Tab) -> list[str]:
    return [url for url in t.requests if "/v1/" in url]


@pytest.fixture
async def subject_id(api: Api) -> str:
    return str((await api.one("actors", "rr:actor:north-korean-troops"))["id"])


async def test_the_figures_page_asks_for_its_table_and_timeline_before_its_scripts_run(
    browser: Any, explore_url: str, explore_keys: dict[str, str], subject_id: str
) -> None:
    async with tab(browser, explore_url) as t:
        await signed_in(t, explore_keys["read"])
        t.requests.clear()
        await first_requests_while_the_pages_wait(
            t,
            figures_path(subject_id, "killed_or_wounded"),
            "explore:figures:complete",
            ["/v1/figures/summary?", "/v1/figures/timeline?"],
        )
        asked = api_requests(t)
        assert len(asked) == len(set(asked)), asked  # the page took the answers under way
        assert sum("/v1/figures/summary?" in url for url in asked) == 1
        assert int(await t.page.evaluate("document.getElementById('chart').dataset.marks")) > 0
        library = [url for url in t.requests if url.endswith(PLOTLY)]
        assert len(library) == 1, library


async def test_the_claim_page_asks_for_its_claim_before_its_scripts_run(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    claim = await api.one("claims", "claim:kirby-1000-killed-or-injured-last-week")
    async with tab(browser, explore_url) as t:
        await signed_in(t, explore_keys["read"])
        t.requests.clear()
        await first_requests_while_the_pages_wait(
            t,
            f"/explore/claims/{claim['id']}",
            "explore:claim:data",
            [f"/v1/claims/{claim['id']}?"],
        )
        asked = api_requests(t)
        assert sum(url.startswith(f"{explore_url}/v1/claims/{claim['id']}?") for url in asked) == 1
        assert claim["text"] in await t.page.inner_text("main")


async def test_a_refused_key_on_an_early_request_asks_for_a_new_one(
    browser: Any, explore_url: str, api: Api
) -> None:
    claim = await api.one("claims", "claim:kirby-1000-killed-or-injured-last-week")
    async with tab(browser, explore_url) as t:
        t.failed_loads_expected = True
        await signed_in(t, "clk_revoked_meanwhile")
        await t.open(f"/explore/claims/{claim['id']}")
        await t.page.wait_for_selector("form.sign-in [role=alert]")
        assert "not accepted" in await t.page.inner_text("form.sign-in [role=alert]")
        assert await t.page.evaluate(f"sessionStorage.getItem('{KEY_ITEM}')") is None


async def test_other_pages_fetch_the_chart_library_in_advance_once(
    browser: Any, explore_url: str, explore_keys: dict[str, str]
) -> None:
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])  # the search page, then idle
        await t.page.wait_for_function("document.querySelectorAll('[data-plotly]').length > 0")
        links = await t.page.eval_on_selector_all(
            "[data-plotly]", "links => links.map(l => [l.rel, l.dataset.plotly])"
        )
        assert links == [["prefetch", "prefetch"]]
        library = [url for url in t.requests if url.endswith(PLOTLY)]
        assert len(library) == 1, library
