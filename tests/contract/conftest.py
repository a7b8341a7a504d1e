"""A real ClaimLedger server for the contract tests: uvicorn in a subprocess on a free
loopback port, on its own freshly migrated database.

The fuzzer writes thousands of resources — including the request examples of the OpenAPI
document, whose external_ids (`actor:john-kirby`…) are the seed's — so it gets a database of
its own on the same PostgreSQL server instead of sharing `database_url` with the other tests,
whose creates would then collide with its leftovers (409)."""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from claimledger_server.auth import create_key
from claimledger_server.db.migrate import migrate

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30


@pytest.fixture(scope="session")
async def contract_database_url(server_dsn: str) -> AsyncIterator[str]:
    name = f"claimledger_contract_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/" + name))
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        yield dsn
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def contract_admin_key(contract_database_url: str) -> str:
    conn = await asyncpg.connect(contract_database_url)
    try:
        return await create_key(conn, "contract-tests", ("admin",))
    finally:
        await conn.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # The fuzzer sends thousands of requests a minute with one key; it tests the contract,
        # not the rate limiter, so the limit must not turn its requests into 429s.
        "CLAIMLEDGER_RATE_LIMIT_PER_MINUTE": "100000000",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("DATABASE_READ_URL", None)
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "claimledger_server.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def _wait_until_ready(process: subprocess.Popen[bytes], url: str) -> bool:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def live_server(
    contract_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a running server (`http://127.0.0.1:<port>`). Its log is in the pytest
    temporary directory and is shown if it does not come up."""
    log = tmp_path_factory.mktemp("live-server") / "uvicorn.log"
    for _attempt in range(3):  # another process may take the port between probe and bind
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        process = _start(contract_database_url, port, log)
        if _wait_until_ready(process, url):
            break
        _stop(process)
    else:
        pytest.fail(f"the server did not start; its log:\n{log.read_text()[-5000:]}")
    try:
        yield url
    finally:
        died = process.poll()
        _stop(process)
    if died is not None:
        pytest.fail(f"the server exited early ({died}); its log:\n{log.read_text()[-5000:]}")


@pytest.fixture(autouse=True)
def _schemathesis_node_id_compat(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's `from_fixture` reads `item._nodeid`, which pytest 9.2 renamed;
    give the item the attribute it reads (a no-op where it exists). Drop this once
    schemathesis supports pytest 9.2 (or pin `pytest<9.2`)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
