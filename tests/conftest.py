"""Test fixtures: every run gets its own fresh database on a real PostgreSQL —
`TEST_DATABASE_URL` when set (CI points it at the machine's server), otherwise the embedded
one — migrated once and dropped at the end."""

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from claimledger_server.app import create_app
from claimledger_server.auth import create_key
from claimledger_server.config import Settings
from claimledger_server.db.migrate import migrate
from litestar import Litestar
from litestar.testing import AsyncTestClient

ROOT = Path(__file__).resolve().parent.parent
# The suite makes thousands of requests a minute with one key, in this process and in the
# servers it starts; rate limiting has its own tests with keys that set a low limit.
os.environ.setdefault("CLAIMLEDGER_RATE_LIMIT_PER_MINUTE", "100000000")


def with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """A PostgreSQL server to create test databases on."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    from claimledger_server.db.embedded import EmbeddedPostgres

    with EmbeddedPostgres(ROOT / ".data" / "test-pg") as server:
        yield server.start()


@pytest.fixture(scope="session")
async def database_url(server_dsn: str) -> AsyncIterator[str]:
    name = f"claimledger_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = with_database(server_dsn, name)
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
async def api_keys(database_url: str) -> dict[str, str]:
    """One key per scope, plus a revoked one."""
    conn = await asyncpg.connect(database_url)
    try:
        keys = {
            scope: await create_key(conn, f"test-{scope}", (scope,))
            for scope in ("read", "write", "admin")
        }
        keys["revoked"] = await create_key(conn, "test-revoked", ("admin",))
        await conn.execute("UPDATE api_keys SET revoked_at = now() WHERE name = 'test-revoked'")
    finally:
        await conn.close()
    return keys


@pytest.fixture(scope="session")
def app(database_url: str) -> Litestar:
    return create_app(
        Settings(
            database_url=database_url,
            api_key_cache_seconds=0,
            rate_limit_per_minute=100_000_000,
        )
    )


@pytest.fixture(scope="session")
async def client(
    app: Litestar, api_keys: dict[str, str]
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An admin client; pass `headers=` to act as another key."""
    async with AsyncTestClient(app=app) as test_client:
        test_client.headers["Authorization"] = f"Bearer {api_keys['admin']}"
        yield test_client
