"""A browser tab on the explorer, as the browser tests use it: sign in, go to a page and
wait for its data, read the page's performance marks, take a screenshot. Every request the
tab makes is recorded, so a test can assert that none left the server's origin."""

import asyncio
import json
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from support.live_server import ROOT

WAIT_MS = 30_000
# Marks are awaited with a PerformanceObserver in the page: Playwright's wait_for_function
# would first inject its own script (60-90 ms of the page's main thread, in the middle of
# the load whose moments the page is marking).
MARK_SEEN = """name => new Promise((resolve) => {
  const seen = () => performance.getEntriesByName(name, 'mark').length > 0;
  if (seen()) return resolve(true);
  const observer = new PerformanceObserver(() => {
    if (seen()) { observer.disconnect(); resolve(true); }
  });
  observer.observe({ type: 'mark' });
})"""
ARTIFACTS = ROOT / ".artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PAINT_FIGURES = 1_000
PAINT_CLAIMANTS = 24


class Tab:
    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.failed_loads_expected = False
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        # The browser logs every non-2xx answer; a test that provokes one says so.
        expected = self.failed_loads_expected and message.text.startswith("Failed to load")
        if message.type == "error" and not expected:
            self.errors.append(message.text)

    async def open(self, path: str, mark: str | None = None) -> None:
        """Go to `path` (a full load) and wait until the page marks `mark` (its data drawn)."""
        await self.page.goto(self.base_url + path)
        if mark:
            await self.wait_for_mark(mark)

    async def wait_for_mark(self, mark: str) -> None:
        try:
            await asyncio.wait_for(self.page.evaluate(MARK_SEEN, mark), WAIT_MS / 1000)
        except TimeoutError:
            raise AssertionError(f"the page set no mark {mark!r} in {WAIT_MS} ms") from None

    @asynccontextmanager
    async def after(self, mark: str) -> AsyncIterator[None]:
        """Wait, after the block (a click, a key), until the page sets `mark` once more."""
        seen = await self.page.evaluate(
            "name => performance.getEntriesByName(name, 'mark').length", mark
        )
        yield
        await self.page.wait_for_function(
            "([name, seen]) => performance.getEntriesByName(name, 'mark').length > seen",
            arg=[mark, seen],
            timeout=WAIT_MS,
        )

    async def mark_ms(self, name: str) -> float:
        """When the page set mark `name`, in ms since navigation started."""
        value = await self.page.evaluate(
            "name => performance.getEntriesByName(name, 'mark').at(-1)?.startTime ?? null", name
        )
        assert value is not None, f"the page set no mark {name!r}"
        return float(value)

    async def sign_in(self, key: str) -> None:
        await self.open("/explore")
        await self.page.fill("#api-key", key)
        await self.page.click("form.sign-in button[type=submit]")
        await self.wait_for_mark("explore:search:data")

    async def screenshot(self, name: str, selector: str | None = None) -> Path:
        """The whole page, or the element `selector` names, in SCREENSHOTS/`name`.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if selector:
            await self.page.locator(selector).screenshot(path=str(path))
        else:
            await self.page.screenshot(path=str(path), full_page=True)
        return path

    def foreign_requests(self) -> list[str]:
        """Requests to any origin but the server's."""
        origin = urlsplit(self.base_url)[:2]
        return [url for url in self.requests if urlsplit(url)[:2] != origin]


@asynccontextmanager
async def tab(browser: Any, base_url: str, viewport: dict[str, int] = LAPTOP) -> AsyncIterator[Tab]:
    """A tab in a fresh browser context (its own cache and session storage); on leaving,
    asserts that it loaded nothing from another origin and met no script error."""
    context = await browser.new_context(viewport=viewport)
    try:
        opened = Tab(await context.new_page(), base_url)
        yield opened
        assert not opened.foreign_requests(), opened.foreign_requests()
        assert not opened.errors, opened.errors
    finally:
        await context.close()


class Api:
    """The live server's JSON API, for what a test compares the page with."""

    def __init__(self, url: str, key: str) -> None:
        self.client = httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30
        )

    async def get(self, path: str, **params: Any) -> Any:
        response = await self.client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def one(self, kind: str, external_id: str) -> dict[str, Any]:
        found = (await self.get(f"/v1/{kind}", external_id=external_id))["data"]
        assert len(found) == 1, (kind, external_id, found)
        return dict(found[0])

    async def pages(self, path: str, **params: Any) -> list[Any]:
        items: list[Any] = []
        cursor = None
        while True:
            page = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            body = await self.get(path, **params, **page)
            items += body["data"]
            cursor = body["next_cursor"]
            if not cursor:
                return items


def paint_dataset() -> bytes:
    """A subject counted by 1,000 cumulative figures of 24 claimants (a dozen report on it
    again and again), stated over ten years, as import lines: issue 14's speed target's
    subject, and a chart with every kind of mark on five pages of the timeline."""
    rnd = random.Random(14)
    lines: list[dict[str, Any]] = [
        {"kind": "actor", "external_id": "paint:subject", "data": {"name": "Paint subject"}},
    ]
    for n in range(PAINT_CLAIMANTS):
        data = {"name": f"Paint claimant {n:02}", "kind": "armed_force"}
        lines.append({"kind": "actor", "external_id": f"paint:claimant-{n}", "data": data})
    start = date(2015, 1, 1)
    for i in range(PAINT_FIGURES):
        claimant = rnd.randrange(12) if rnd.random() < 0.6 else rnd.randrange(PAINT_CLAIMANTS)
        stated = start + timedelta(days=rnd.randrange(3_650))
        amount = (stated - start).days * 3 + rnd.randrange(1, 400)
        figure: dict[str, Any] = {"amount": amount, "qualifier": "exact"}
        r = rnd.random()
        if r < 0.15:
            figure = {"amount": amount, "qualifier": "more_than"}
        elif r < 0.30:
            figure = {"amount": amount, "qualifier": "range", "amount_max": amount + 500}
        elif r < 0.32:
            figure = {"qualifier": "unspecified"}
        claim = {
            "claimant_id": f"ext:paint:claimant-{claimant}",
            "text": f"Paint claim {i}: the toll so far.",
            "stated_on": stated.isoformat(),
            "subject_ids": ["ext:paint:subject"],
        }
        lines.append({"kind": "claim", "external_id": f"paint:claim-{i}", "data": claim})
        figure |= {
            "claim_id": f"ext:paint:claim-{i}",
            "metric": "killed",
            "subject_id": "ext:paint:subject",
            "accumulation": "cumulative",
            "text": "the toll so far",
        }
        lines.append({"kind": "figure", "external_id": f"paint:figure-{i}", "data": figure})
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def figures_path(subject_id: str, metric: str, **filters: str) -> str:
    """The explorer's figures page for a subject and a metric (and any other filters)."""
    return "/explore/figures?" + urlencode({"subject_id": subject_id, "metric": metric, **filters})
