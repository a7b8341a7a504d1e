"""The extractor interface: a deployment names its own extractor class in the `extractor`
setting, and the drafting processes build and run it with the registry as its gazetteer."""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import factories
import httpx
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from drafts import PATH, create_draft, surname
from factories import assert_problem
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.live_server import live_server


@asynccontextmanager
async def app_with(
    database_url: str, api_keys: dict[str, str], extractor: str
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    settings = Settings(
        database_url=database_url,
        api_key_cache_seconds=0,
        rate_limit_per_minute=100_000_000,
        extractor=extractor,
        extraction_processes=1,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {api_keys['admin']}"
        yield client


async def test_an_extractor_named_in_the_settings_drafts(
    database_url: str, api_keys: dict[str, str]
) -> None:
    path = "plugged_extractors:FirstLineExtractor"
    async with app_with(database_url, api_keys, path) as client:
        name = f"Halyna {surname()}"
        text = f"{name}\n40 were killed at the depot\nDated 2024-12-27"
        first = await create_draft(client, text, title="Depot strike")
        assert first["extractor"] == path
        assert first["actors"][0]["actor_id"] is None  # not in the registry yet
        figure = first["claims"][0]["figures"][0]
        assert (figure["qualifier"], figure["low"], figure["high"]) == ("approximately", 36, 44)
        assert first["source"]["published_on"] == "2024-12-27"  # read off the text
        assert first["source"]["title"] == "Depot strike"  # as given

        # The drafting process sees a registry change at the next draft.
        known = await factories.actor(client, name=name)
        second = await create_draft(client, text, published_on="2024-12-28")
        assert second["actors"][0]["actor_id"] == known["id"]
        assert second["source"]["published_on"] == "2024-12-28"  # the caller's wins
        renamed = await client.patch(f"/v1/actors/{known['id']}", json={"aliases": ["Halia"]})
        assert renamed.status_code == 200
        third = await create_draft(client, "Halia\n3 were wounded\n")
        assert third["actors"][0]["actor_id"] == known["id"]


@pytest.mark.parametrize(
    ("extractor", "detail"),
    [
        ("plugged_extractors:OutOfBoundsExtractor", "claims[0].spans[0]"),
        ("plugged_extractors:FailingExtractor", "RuntimeError"),
    ],
)
async def test_a_faulty_extractor_is_a_server_error_and_stores_nothing(
    database_url: str, api_keys: dict[str, str], extractor: str, detail: str
) -> None:
    async with app_with(database_url, api_keys, extractor) as client:
        text = f"Something {surname()} happened."
        problem = assert_problem(await client.post(PATH, json={"text": text}), 500)
        assert problem["type"].endswith("extractor-failed")
        assert detail in problem["detail"]
        listed = await factories.list_all(client, PATH, status="draft")
        assert all(draft["text"] != text for draft in listed)


@pytest.mark.parametrize(
    "extractor",
    [
        "plugged_extractors",
        "plugged_extractors:Missing",
        "no_such_module_here:Extractor",
        "os:sep",
    ],
)
def test_a_misnamed_extractor_stops_the_start(extractor: str) -> None:
    with pytest.raises(SystemExit, match="CLAIMLEDGER_EXTRACTOR"):
        create_app(Settings(database_url="postgresql://unused", extractor=extractor))


def test_the_extractor_setting_comes_from_the_environment() -> None:
    env = {"CLAIMLEDGER_EXTRACTOR": "plugged_extractors:FirstLineExtractor"}
    settings = Settings.from_env({**os.environ, **env, "CLAIMLEDGER_EXTRACTION_PROCESSES": "2"})
    assert (settings.extractor, settings.extraction_processes) == (env["CLAIMLEDGER_EXTRACTOR"], 2)
    assert Settings.from_env({}).extractor == "claimledger_server.extractions.rules:RuleExtractor"
    for bad in (
        {"CLAIMLEDGER_EXTRACTION_PROCESSES": "0"},
        {"CLAIMLEDGER_EXTRACTION_MAX_CHARS": "x"},
    ):
        with pytest.raises(SystemExit):
            Settings.from_env(bad)


@pytest.mark.slow
async def test_drafting_does_not_hold_the_event_loop(
    database_url: str,
    api_keys: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the extractor works (here: until the test lets it finish), a real server (the
    test client serialises requests) answers reads."""
    here = str(Path(__file__).parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [here, os.getenv("PYTHONPATH")])))
    env = {
        "CLAIMLEDGER_EXTRACTOR": "plugged_extractors:WaitingExtractor",
        "CLAIMLEDGER_WEBHOOK_WORKER": "0",
        "CLAIMLEDGER_API_KEY_CACHE_SECONDS": "0",
    }
    go, started = tmp_path / "go", tmp_path / "go.started"
    headers = {"Authorization": f"Bearer {api_keys['admin']}"}
    with live_server(database_url, tmp_path / "server.log", env) as url:
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
            made = (await client.post("/v1/actors", json={"name": "Reader"})).json()
            drafting = asyncio.create_task(client.post(PATH, json={"text": str(go)}))
            async with asyncio.timeout(30):
                while not started.exists():  # noqa: ASYNC110 - another process writes it
                    await asyncio.sleep(0.01)
            for _ in range(3):
                response = await client.get(f"/v1/actors/{made['id']}", timeout=5)
                assert response.status_code == 200
            assert not drafting.done()
            go.touch()
            response = await drafting
    assert response.status_code == 201, response.text
    assert response.json()["claims"][0]["text"] == "waited"
