"""The explorer in a real browser (headless Chromium): signing in and out, searching,
a claim's page, comparing versions, an actor's page, keyboard use and a phone's width.
Every tab also checks that it loaded nothing from another origin and hit no script error
(`browsing.tab`). The competing-figures chart has its own module (test_figures_chart.py)."""

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

from browsing import PHONE, Api, Tab, tab

KEY_ITEM = "claimledger.apiKey"
STEP = "\u203a"  # the single right-pointing angle quotation mark between levels


async def texts(t: Tab, selector: str) -> list[str]:
    return [text.strip() for text in await t.page.locator(selector).all_text_contents()]


async def test_the_key_stays_in_the_tab_and_signing_out_forgets_it(
    browser: Any, explore_url: str, explore_keys: dict[str, str]
) -> None:
    async with tab(browser, explore_url) as t:
        t.failed_loads_expected = True  # the wrong key's 401
        await t.open("/explore/claims")
        await t.page.fill("#api-key", "clk_not_a_key_at_all")
        await t.page.click("form.sign-in button[type=submit]")
        await t.page.wait_for_selector("form.sign-in [role=alert]")
        assert "not valid" in await t.page.inner_text("form.sign-in [role=alert]")
        await t.screenshot("sign-in-refused")

        key = explore_keys["read"]
        await t.page.fill("#api-key", key)
        async with t.page.expect_request(lambda r: "/v1/claims" in r.url) as asked:
            await t.page.click("form.sign-in button[type=submit]")
        await t.wait_for_mark("explore:search:data")
        headers = await (await asked.value).all_headers()
        assert headers["authorization"] == f"Bearer {key}"
        assert await t.page.evaluate(f"sessionStorage.getItem('{KEY_ITEM}')") == key
        assert await t.page.evaluate("localStorage.length") == 0
        assert await t.page.context.cookies() == []
        assert not [url for url in t.requests if key in url]

        await t.page.click("#sign-out")
        await t.page.wait_for_selector("form.sign-in")
        assert await t.page.evaluate(f"sessionStorage.getItem('{KEY_ITEM}')") is None
        # A reload does not bring the key back either.
        await t.open("/explore/claims")
        await t.page.wait_for_selector("form.sign-in")


async def test_a_read_key_is_enough_and_the_page_asks_again_when_it_is_refused(
    browser: Any, explore_url: str, explore_keys: dict[str, str]
) -> None:
    async with tab(browser, explore_url) as t:
        t.failed_loads_expected = True
        await t.sign_in(explore_keys["read"])
        await t.page.evaluate(f"sessionStorage.setItem('{KEY_ITEM}', 'clk_revoked_meanwhile')")
        await t.open("/explore/actors")
        await t.page.wait_for_selector("form.sign-in [role=alert]")
        assert await t.page.evaluate(f"sessionStorage.getItem('{KEY_ITEM}')") is None


async def test_search_shows_what_the_api_finds_and_pages_through_it(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        async with t.after("explore:search:data"):
            await t.page.fill("#f-q", "troops")
            await t.page.press("#f-q", "Enter")
        assert parse_qs(urlsplit(t.page.url).query) == {"q": ["troops"]}
        expected = (await api.get("/v1/claims", q="troops", limit=20))["data"]
        assert expected
        assert await texts(t, "ol.claims .claim-link") == [c["text"] for c in expected]
        await t.screenshot("search-troops")

        # No filter: the first page, then the next one by its link.
        await t.open("/explore/claims", "explore:search:data")
        first = await api.get("/v1/claims", limit=20)
        assert first["next_cursor"], "the test data has more than one page of claims"
        assert await texts(t, "ol.claims .claim-link") == [c["text"] for c in first["data"]]
        async with t.after("explore:search:data"):
            await t.page.click("text=Next page →")
        second = (await api.get("/v1/claims", limit=20, cursor=first["next_cursor"]))["data"]
        assert await texts(t, "ol.claims .claim-link") == [c["text"] for c in second]
        assert await t.page.locator("text=← First page").count() == 1


async def test_an_actor_is_chosen_by_name_and_filters_by_id(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    kirby = await api.one("actors", "actor:john-kirby")
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.page.type("#f-claimant_id", "Kirby")
        await t.page.wait_for_function(
            "() => document.querySelectorAll('#f-claimant_id-options option').length > 0"
        )
        offered = await t.page.eval_on_selector_all(
            "#f-claimant_id-options option", "options => options.map(o => o.value)"
        )
        choice = f"John Kirby ({kirby['id']})"
        assert choice in offered
        async with t.after("explore:search:data"):
            await t.page.fill("#f-claimant_id", choice)
            await t.page.press("#f-claimant_id", "Enter")
        assert parse_qs(urlsplit(t.page.url).query) == {"claimant_id": [kirby["id"]]}
        expected = (await api.get("/v1/claims", claimant_id=kirby["id"], limit=20))["data"]
        assert len(expected) >= 4
        assert await texts(t, "ol.claims .claim-link") == [c["text"] for c in expected]
        # The field shows the name again on the filtered page, not the bare id.
        await t.page.wait_for_function(
            "choice => document.querySelector('#f-claimant_id').value === choice", arg=choice
        )


async def test_a_claim_page_shows_claimant_chain_figures_citations_and_relations(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    claim = await api.one("claims", "claim:zelenskyy-over-3000-killed-or-wounded-kursk")
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open(f"/explore/claims/{claim['id']}", "explore:claim:data")
        assert await t.page.inner_text("h1") == claim["text"]
        await t.page.wait_for_selector(".chain a")
        claimant = await t.page.inner_text("dl.facts dd >> nth=0")
        assert claimant == "Volodymyr Zelenskyy, President of Ukraine — part of Ukraine"
        figures = (await api.get("/v1/figures", claim_id=claim["id"]))["data"]
        rows = t.page.locator("tr[data-figure-id]")
        assert await rows.count() == len(figures) == 1
        assert await rows.locator("td.num").inner_text() == "3,001 or more"
        assert "over 3,000 soldiers killed or wounded" in await rows.inner_text()
        sources = [await api.get(f"/v1/sources/{c['source_id']}") for c in claim["citations"]]
        assert await texts(t, ".citation .source-title") == [s["title"] for s in sources]
        assert claim["citations"][1]["quote"] in await t.page.inner_text(".citations")
        await t.screenshot("claim")

        # Relations both ways: this claim names none; one claim says it corroborates another.
        naming = await api.one("claims", "claim:kirby-1000-killed-or-injured-last-week")
        named_id = naming["relations"][0]["claim_id"]
        await t.open(f"/explore/claims/{named_id}", "explore:claim:data")
        incoming = await texts(t, "ul.relations li[data-direction=incoming]")
        assert incoming == [f"{naming['text']} corroborates this claim"]
        await t.open(f"/explore/claims/{naming['id']}", "explore:claim:data")
        outgoing = await texts(t, "ul.relations li[data-direction=outgoing]")
        assert len(outgoing) == len(naming["relations"])
        assert all(text.startswith("This claim corroborates ") for text in outgoing)


async def test_a_claim_page_shows_the_relay_chain_and_co_claimants(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    relayed = await api.one("claims", "rr:claim:nis-2024-12-19")
    citation = next(c for c in relayed["citations"] if c.get("via_ids"))
    chain = [relayed["claimant_id"], *citation["via_ids"], citation["relayed_by_id"]]
    names = [(await api.get(f"/v1/actors/{actor_id}"))["name"] for actor_id in chain]
    joint = await api.one("claims", "rr:claim:g7-2024-11-05")
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open(f"/explore/claims/{relayed['id']}", "explore:claim:data")
        expected = "Relayed: " + " → ".join(names) + " → this source"
        await t.page.wait_for_function(
            "expected => [...document.querySelectorAll('.relay')]"
            ".some(p => p.textContent === expected)",
            arg=expected,
        )
        await t.screenshot("claim-relay-chain")
        await t.open(f"/explore/claims/{joint['id']}", "explore:claim:data")
        co = [(await api.get(f"/v1/actors/{a}"))["name"] for a in joint["co_claimant_ids"]]
        await t.page.wait_for_function(
            "expected =>"
            " document.querySelector('dl.facts dd:nth-of-type(2)').textContent === expected",
            arg=", ".join(co),
        )


async def test_two_versions_are_compared_and_a_past_one_is_viewed(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    claim = await api.one("claims", "claim:kirby-leaders-treat-troops-as-expendable")
    changed_text = claim["text"].replace("expendable", "entirely expendable")
    # Version 2 at least a second after version 1: the page's moment field has seconds.
    await asyncio.sleep(1.1)
    response = await api.client.patch(
        f"/v1/claims/{claim['id']}",
        json={"status": "disputed", "text": changed_text},
        headers={
            "If-Match": f'"{claim["version"]}"',
            "X-Change-Note": "reviewed",
        },
    )
    assert response.status_code == 200, response.text
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open(f"/explore/claims/{claim['id']}", "explore:claim:data")
        await t.page.wait_for_selector("form.compare-form")
        assert await t.page.input_value("#f-from") == "1"
        assert await t.page.input_value("#f-to") == "2"
        async with t.after("explore:diff:data"):
            await t.page.click("form.compare-form button")
        assert parse_qs(urlsplit(t.page.url).query) == {"diff": ["1-2"]}
        assert await t.page.evaluate("document.activeElement.id") == "diff-title"
        rows = {
            await row.get_attribute("data-path"): row
            for row in await t.page.locator("table.diff tbody tr").all()
        }
        assert set(rows) == {"/status", "/text"}
        assert await rows["/status"].locator("td.before").inner_text() == "unverified"
        assert await rows["/status"].locator("td.after").inner_text() == "disputed"
        inserted = await rows["/text"].locator("td.after ins").all_text_contents()
        assert [text.strip() for text in inserted] == ["entirely"]
        assert await rows["/text"].locator("td.before").inner_text() == claim["text"]
        await t.screenshot("claim-diff")

        # The same comparison from its URL alone (shared, reloaded), backwards this time.
        await t.open(f"/explore/claims/{claim['id']}?diff=2-1", "explore:diff:data")
        status = t.page.locator("table.diff tr[data-path='/status']")
        assert await status.locator("td.after").inner_text() == "unverified"

        async with t.after("explore:claim:data"):
            await t.page.click("text=View version 1")
        assert "as_of" in parse_qs(urlsplit(t.page.url).query)
        assert await t.page.inner_text("h1") == claim["text"]
        assert "version 1" in await t.page.inner_text(".as-of")

        # Any moment, typed in: just before version 2 was recorded.
        versions = (await api.get(f"/v1/claims/{claim['id']}/versions"))["data"]
        before_change = versions[1]["recorded_at"][:19]  # a second early at most
        async with t.after("explore:claim:data"):
            await t.page.fill("#f-view-as-of", before_change)
            await t.page.click("form.as-of-form button")
        then = await api.get(f"/v1/claims/{claim['id']}", as_of=f"{before_change}Z")
        assert f"(version {then['version']})" in await t.page.inner_text(".as-of")


async def test_an_actor_page_shows_hierarchy_aliases_ids_and_claims(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    council = await api.one("actors", "actor:white-house-national-security-council")
    kirby = await api.one("actors", "actor:john-kirby")
    states = await api.one("actors", "actor:united-states")
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open(f"/explore/actors/{kirby['id']}", "explore:actor:data")
        await t.page.wait_for_function(
            "step => document.querySelector('.chain').textContent.includes(step)", arg=STEP
        )
        hierarchy = ["United States", "White House National Security Council", "John Kirby"]
        assert await t.page.inner_text(".chain") == f" {STEP} ".join(hierarchy)
        await t.page.wait_for_selector("ol.claims")
        by_kirby = (await api.get("/v1/claims", claimant_id=kirby["id"], limit=10))["data"]
        shown = await texts(t, "section:has(h2:text('Claims by this actor')) .claim-link")
        assert shown == [c["text"] for c in by_kirby]
        await t.screenshot("actor")

        await t.open(f"/explore/actors/{council['id']}", "explore:actor:data")
        assert "; ".join(council["aliases"]) in await t.page.inner_text("dl.facts")
        await t.page.wait_for_selector("ul.actors")
        assert "John Kirby" in await texts(t, "ul.actors a")

        await t.open(f"/explore/actors/{states['id']}", "explore:actor:data")
        assert "wikidata Q30" in await t.page.inner_text("dl.facts")


async def test_it_works_with_the_keyboard(
    browser: Any, explore_url: str, explore_keys: dict[str, str]
) -> None:
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open("/explore/claims", "explore:search:data")
        await t.page.keyboard.press("Tab")
        assert await t.page.evaluate("document.activeElement.textContent") == "Skip to content"
        await t.page.keyboard.press("Enter")
        assert await t.page.evaluate("document.activeElement.id") == "main"
        await t.page.keyboard.press("Tab")
        focused = await t.page.evaluate(
            "() => [document.activeElement.id,"
            " getComputedStyle(document.activeElement).outlineStyle]"
        )
        assert focused == ["f-q", "solid"], "the first field takes the focus, visibly"
        # Every field has a label.
        unlabelled = await t.page.evaluate(
            """() => [...document.querySelectorAll('input, select')]
                .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length))
                .map(el => el.id || el.name)"""
        )
        assert unlabelled == []
        # Tab to the first claim and open it with Enter: its heading takes the focus.
        first_claim = await t.page.get_attribute("ol.claims .claim-link >> nth=0", "href")
        for _ in range(40):
            await t.page.keyboard.press("Tab")
            if await t.page.evaluate("document.activeElement.classList.contains('claim-link')"):
                break
        async with t.after("explore:claim:data"):
            await t.page.keyboard.press("Enter")
        assert urlsplit(t.page.url).path == first_claim
        await t.page.wait_for_function("() => document.activeElement.tagName === 'H1'")
        # Back, with the browser's own history.
        async with t.after("explore:search:data"):
            await t.page.go_back()
        assert urlsplit(t.page.url).path == "/explore/claims"


async def test_pages_read_on_a_phone_without_sideways_scrolling(
    browser: Any, explore_url: str, explore_keys: dict[str, str], api: Api
) -> None:
    claim = await api.one("claims", "rr:claim:nis-2024-12-19")
    async with tab(browser, explore_url, PHONE) as t:
        await t.sign_in(explore_keys["read"])
        for name, path, mark in [
            ("phone-search", "/explore/claims?q=Kursk", "explore:search:data"),
            ("phone-claim", f"/explore/claims/{claim['id']}", "explore:claim:data"),
            ("phone-actors", "/explore/actors?q=north", "explore:actors:data"),
        ]:
            await t.open(path, mark)
            await t.page.wait_for_load_state("networkidle")
            overflow = await t.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
            await t.screenshot(name)


async def test_an_unknown_explorer_address_says_so(
    browser: Any, explore_url: str, explore_keys: dict[str, str]
) -> None:
    async with tab(browser, explore_url) as t:
        await t.sign_in(explore_keys["read"])
        await t.open("/explore/nothing/here")
        await t.page.wait_for_selector("h1:text('No such page')")
