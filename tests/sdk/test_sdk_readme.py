"""The examples of sdk/README.md run, copy-pasted, against a live server."""

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from claimledger_server.cli import seed_directory
from support.databases import fresh_database, make_key
from support.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "sdk" / "README.md"


def example(heading: str) -> str:
    """The first ```python block under a `## heading` of the README."""
    section = README.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, f"no python example under {heading!r}"
    return match.group(1)


@pytest.mark.parametrize(
    "heading", ["Quick start", "Async client", "API keys", "Mirroring the dataset"]
)
def test_readme_example_runs(heading: str, sdk_server: str, admin_key: str, tmp_path: Path) -> None:
    env = {**os.environ, "CLAIMLEDGER_API_KEY": admin_key, "CLAIMLEDGER_BASE_URL": sdk_server}
    run = subprocess.run(
        [sys.executable, "-c", example(heading)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    if heading == "Quick start":
        lines = run.stdout.splitlines()
        assert lines[:3] == ["1000 1000", "2", "unverified"]
        assert lines[3:5] == ["1 created None", "2 updated status reviewed"]
    if heading == "Mirroring the dataset":
        assert (tmp_path / "claimledger.db").exists()
        assert run.stdout.splitlines()[-1] == "None"
        again = subprocess.run(
            [sys.executable, "-c", example(heading)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("0 changes applied")  # resumed from the file


@pytest.fixture(scope="module")
async def seeded_database(server_dsn: str) -> AsyncIterator[tuple[str, str]]:
    """A database holding the seed article, as `make serve` loads it, and a read key."""
    async with fresh_database(server_dsn, "claimledger_sdk_seeded") as dsn:
        await asyncio.to_thread(seed_directory, dsn, ROOT / "seeds")
        yield dsn, await make_key(dsn, "sdk-readme", ("read",))


@pytest.fixture(scope="module")
def seeded_server(
    seeded_database: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log = tmp_path_factory.mktemp("seeded-server") / "uvicorn.log"
    with live_server(seeded_database[0], log, {"CLAIMLEDGER_WEBHOOK_WORKER": "0"}) as url:
        yield url


def shown_outputs(code: str) -> list[str]:
    """The comment lines right under each `print(...)`: what the example says it prints."""
    shown: list[str] = []
    lines = code.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("print("):
            for after in lines[index + 1 :]:
                if not after.startswith("#"):
                    break
                shown.append(after.removeprefix("# ").removeprefix("#"))
    return shown


def run_on_the_seed(code: str, server: str, key: str, workdir: Path) -> None:
    """Run a README example against the seeded server; it must print what it shows."""
    env = {**os.environ, "CLAIMLEDGER_API_KEY": key, "CLAIMLEDGER_BASE_URL": server}
    run = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert [line.rstrip() for line in run.stdout.splitlines()] == shown_outputs(code)


def test_the_notebook_example_prints_what_it_shows(
    seeded_server: str, seeded_database: tuple[str, str], tmp_path: Path
) -> None:
    code = example("DataFrames and spreadsheets")
    run_on_the_seed(code, seeded_server, seeded_database[1], tmp_path)
    sheet = (tmp_path / "claimledger-figures.csv").read_bytes()
    assert sheet.startswith(b"\xef\xbb\xbfid,version,")


def test_the_chart_example_prints_what_it_shows(
    seeded_server: str, seeded_database: tuple[str, str], tmp_path: Path
) -> None:
    code = example("Charts")
    run_on_the_seed(code, seeded_server, seeded_database[1], tmp_path)
    page = (tmp_path / "north-korean-troops.html").read_text()
    assert page.startswith("<!doctype html>")
    assert "plotly.js v" in page  # the library is inside: the page opens offline
    assert not re.search(r"<script[^>]*\bsrc=", page), "no script is fetched from elsewhere"
