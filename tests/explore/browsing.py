"""A browser tab on the explorer, as the browser tests use it: sign in, go to a page and
wait for its data, read the page's performance marks, take a screenshot. Every request the
tab makes is recorded, so a test can assert that none left the server's origin."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from support.live_server import ROOT

WAIT_MS = 30_000
ARTIFACTS = ROOT / ".artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


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
        await self.page.wait_for_function(
            "name => performance.getEntriesByName(name, 'mark').length > 0",
            arg=mark,
            timeout=WAIT_MS,
        )

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

    async def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
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
