"""Fixtures for the SDK tests: a live server (uvicorn in a subprocess on a free loopback port,
on the session's test database) and SDK clients pointed at it with an admin key.

That server runs no webhook delivery worker, so it never takes deliveries other tests queue
in the shared database; `webhook_server` is a second one, with a worker, on a database of
its own, for the end-to-end delivery test."""

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
import claimledger
import httpx
import pytest
from claimledger_server.auth import create_key
from claimledger_server.db.migrate import migrate

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(
    database_url: str, port: int, log: Path, settings: dict[str, str]
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **settings,
        "DATABASE_URL": database_url,
        "CLAIMLEDGER_API_KEY_CACHE_SECONDS": "0",
        "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "1",  # receivers in tests are on loopback
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("DATABASE_READ_URL", None)
    command = [
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
    ]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def _ready(process: subprocess.Popen[bytes], url: str) -> bool:
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


def _serve(database_url: str, log: Path, settings: dict[str, str]) -> Iterator[str]:
    for _attempt in range(3):  # another process may take the port between probe and bind
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        process = _start(database_url, port, log, settings)
        if _ready(process, url):
            break
        _stop(process)
    else:
        pytest.fail(f"the server did not start; its log:\n{log.read_text()[-5000:]}")
    try:
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def sdk_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a live server on the session's test database."""
    log = tmp_path_factory.mktemp("sdk-server") / "uvicorn.log"
    yield from _serve(database_url, log, {"CLAIMLEDGER_WEBHOOK_WORKER": "0"})


@pytest.fixture(scope="session")
async def webhook_database_url(server_dsn: str) -> AsyncIterator[str]:
    """A database of its own for the server whose worker delivers webhooks."""
    name = f"claimledger_sdk_hooks_{secrets.token_hex(4)}"
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
async def webhook_admin_key(webhook_database_url: str) -> str:
    conn = await asyncpg.connect(webhook_database_url)
    try:
        return await create_key(conn, "sdk-webhook-tests", ("admin",))
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def webhook_server(
    webhook_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a live server whose worker delivers webhooks promptly."""
    log = tmp_path_factory.mktemp("sdk-webhook-server") / "uvicorn.log"
    settings = {"CLAIMLEDGER_WEBHOOK_WORKER": "1", "CLAIMLEDGER_WEBHOOK_POLL_SECONDS": "0.2"}
    yield from _serve(webhook_database_url, log, settings)


@pytest.fixture(scope="session")
def admin_key(api_keys: dict[str, str]) -> str:
    return api_keys["admin"]


@pytest.fixture
def sdk(sdk_server: str, admin_key: str) -> Iterator[claimledger.Client]:
    """A sync SDK client on the live server."""
    with claimledger.Client(sdk_server, admin_key, max_retries=0) as client:
        yield client


@pytest.fixture
async def async_sdk(sdk_server: str, admin_key: str) -> AsyncIterator[claimledger.AsyncClient]:
    """An async SDK client on the live server."""
    async with claimledger.AsyncClient(sdk_server, admin_key, max_retries=0) as client:
        yield client
