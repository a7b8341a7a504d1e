"""What a new user meets first: `make` finds Python without printing errors, `serve` stops
on Ctrl-C or SIGTERM with status 0, and its local admin key stays the same across restarts."""

import asyncio
import os
import re
import shutil
import signal
import stat
import subprocess
from pathlib import Path

import asyncpg
import httpx
import pytest
from claimledger_server.keys.store import find_active_key
from claimledger_server.local_key import FILE_NAME, NAME, local_admin_key
from support.databases import fresh_database
from support.live_server import ROOT
from support.serve_process import Serve, serving

KEY = re.compile(r"^  (clk_\S+)$", re.MULTILINE)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_probes_for_python_silently(tmp_path: Path) -> None:
    # A version manager's shims: on PATH, but "command not found" when run.
    for version in ("python3.13", "python3.12"):
        shim = tmp_path / version
        shim.write_text(f"#!/bin/sh\necho 'pyenv: {version}: command not found' >&2\nexit 127\n")
        shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHON", None)
    done = subprocess.run(
        ["make", "-n", "-B", "venv"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    (command,) = [line for line in done.stdout.splitlines() if line.endswith(" -m venv .venv")]
    python = command.removesuffix(" -m venv .venv")
    assert not python.startswith(str(tmp_path))
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == "True"


def serve_twice(database_url: str, data_dir: Path) -> tuple[str, Serve, Serve]:
    """Start, use and stop `serve --local-key` twice: with SIGTERM, then with SIGINT; with
    the log lines for people, as `make serve` does."""
    options = ("--local-key", "--log-format", "text")
    with serving(database_url, data_dir, *options, stop_with=signal.SIGTERM) as first:
        key = (data_dir / FILE_NAME).read_text().strip()
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{first.url}/v1/actors", headers=headers).status_code == 200
    with serving(database_url, data_dir, *options, stop_with=signal.SIGINT) as second:
        assert httpx.get(f"{second.url}/v1/actors", headers=headers).status_code == 200
    return key, first, second


@pytest.mark.slow
async def test_the_local_key_survives_a_restart_and_stops_are_clean(
    server_dsn: str, tmp_path: Path
) -> None:
    async with fresh_database(server_dsn, "claimledger_serve") as dsn:
        key, first, second = await asyncio.to_thread(serve_twice, dsn, tmp_path)
    key_file = (tmp_path / FILE_NAME).resolve()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert KEY.findall(first.output) == [key]
    assert f"new; saved in {key_file}" in first.output
    assert KEY.findall(second.output) == [key]
    assert f"the same as last run; kept in {key_file}" in second.output
    for stopped in (first, second):
        assert stopped.process.returncode == 0, stopped.output
        assert "Traceback" not in stopped.output
        last = stopped.output.rstrip().splitlines()[-1]
        assert last.endswith(" INFO claimledger.cli: stopped"), stopped.output[-2000:]


async def test_a_local_key_is_replaced_only_when_it_no_longer_works(
    database_url: str, tmp_path: Path
) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        first = await local_admin_key(conn, tmp_path)
        assert not first.reused
        again = await local_admin_key(conn, tmp_path)
        assert again == first._replace(reused=True)

        await conn.execute("UPDATE api_keys SET revoked_at = now() WHERE name = $1", NAME)
        renewed = await local_admin_key(conn, tmp_path)
        assert not renewed.reused
        assert renewed.secret != first.secret
        assert (tmp_path / FILE_NAME).read_text().strip() == renewed.secret

        (tmp_path / FILE_NAME).unlink()  # deleting the file asks for a new key
        fresh = await local_admin_key(conn, tmp_path)
        assert not fresh.reused
        assert await find_active_key(conn, renewed.secret) is None  # the lost one is revoked
        active = await conn.fetchval(
            "SELECT count(*) FROM api_keys WHERE name = $1 AND revoked_at IS NULL", NAME
        )
        assert active == 1

        (tmp_path / FILE_NAME).write_text("clk_not-a-key\n")  # e.g. from another database
        assert not (await local_admin_key(conn, tmp_path)).reused
    finally:
        await conn.execute("UPDATE api_keys SET revoked_at = now() WHERE name = $1", NAME)
        await conn.close()
