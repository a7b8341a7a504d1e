"""Fixtures for the explorer's tests: a live server on a database of its own holding the seed
article and the labelled real reporting, keys, and a headless Chromium driven by Playwright.

The browser is Debian's `chromium` (`.ci/run` installs it), launched from its path: nothing
is downloaded (`playwright install` is never run). Without it, or without the `playwright`
package, the browser tests are skipped with the reason shown in the summary. Screenshots go
to `.artifacts/screenshots/` (kept by CI as artifacts, ignored by git)."""

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browsing import Api, paint_dataset
from support.databases import fresh_database, make_key
from support.live_server import ROOT, live_server

CHROMIUM = os.environ.get("CLAIMLEDGER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DATA_FILES = [
    *sorted((ROOT / "seeds").glob("*.ndjson")),
    ROOT / "tests" / "figures" / "real_reporting.ndjson",
]


@pytest.fixture(scope="session")
async def explore_database(server_dsn: str) -> AsyncIterator[str]:
    async with fresh_database(server_dsn, "claimledger_explore") as dsn:
        yield dsn


@pytest.fixture(scope="session")
async def explore_keys(explore_database: str) -> dict[str, str]:
    return {
        scope: await make_key(explore_database, f"explore-{scope}", (scope,))
        for scope in ("read", "write")
    }


@pytest.fixture(scope="session")
def explore_url(
    explore_database: str, explore_keys: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A live server with the seed article and the real reporting loaded through the API."""
    log = tmp_path_factory.mktemp("explore-server") / "uvicorn.log"
    env = {"CLAIMLEDGER_WEBHOOK_WORKER": "0", "CLAIMLEDGER_API_KEY_CACHE_SECONDS": "0"}
    with live_server(explore_database, log, env) as url:
        headers = {
            "Authorization": f"Bearer {explore_keys['write']}",
            "Content-Type": "application/x-ndjson",
        }
        for path in DATA_FILES:
            response = httpx.post(
                f"{url}/v1/import", content=path.read_bytes(), headers=headers, timeout=60
            )
            assert response.status_code == 200, response.text
        yield url


@pytest.fixture(scope="session")
async def api(explore_url: str, explore_keys: dict[str, str]) -> AsyncIterator[Api]:
    """The API with the write key (the pages are read with the read key)."""
    client = Api(explore_url, explore_keys["write"])
    yield client
    await client.client.aclose()


@pytest.fixture(scope="session")
async def paint_subject(api: Api) -> str:
    """The subject of browsing.paint_dataset(), imported once (its id)."""
    response = await api.client.post(
        "/v1/import",
        content=paint_dataset(),
        headers={"Content-Type": "application/x-ndjson"},
        timeout=300,
    )
    assert response.status_code == 200, response.text
    return str((await api.one("actors", "paint:subject"))["id"])


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the `playwright` package is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (there is one at {found}: set CLAIMLEDGER_CHROMIUM)" if found else ""
        return f"no Chromium at {CHROMIUM}{hint}; install Debian's: apt-get install chromium"
    return None


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    reason = browser_missing()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
