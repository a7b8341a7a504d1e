"""Test fixtures: every run gets its own fresh database on a real PostgreSQL —
`TEST_DATABASE_URL` when set (CI points it at the machine's server), otherwise the embedded
one — migrated once and dropped at the end."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import fresh_database, make_key

ROOT = Path(__file__).resolve().parent.parent
# The suite makes thousands of requests a minute with one key, in this process and in the
# servers it starts; rate limiting has its own tests with keys that set a low limit.
os.environ.setdefault("CLAIMLEDGER_RATE_LIMIT_PER_MINUTE", "100000000")
# Likewise for failed authentications from one address (schemathesis probes every operation
# with wrong keys); `test_auth_failures.py` tests that budget with low limits.
os.environ.setdefault("CLAIMLEDGER_AUTH_FAILURES_PER_MINUTE", "100000000")


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
    async with fresh_database(server_dsn, "claimledger_test") as dsn:
        yield dsn


@pytest.fixture(scope="session")
async def api_keys(database_url: str) -> dict[str, str]:
    """One key per scope, plus a revoked one."""
    keys = {
        scope: await make_key(database_url, f"test-{scope}", (scope,))
        for scope in ("read", "write", "admin")
    }
    keys["revoked"] = await make_key(database_url, "test-revoked", ("admin",), revoked=True)
    return keys


@pytest.fixture(scope="session")
def app(database_url: str) -> Litestar:
    return create_app(
        Settings(
            database_url=database_url,
            api_key_cache_seconds=0,
            rate_limit_per_minute=100_000_000,
            auth_failures_per_minute=100_000_000,
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


@pytest.fixture
async def rate_window(database_url: str) -> None:
    """Rate-limit budgets are counted per calendar minute of the database's clock: a test
    that counts one exactly starts with at least 10 s of its minute left."""
    conn = await asyncpg.connect(database_url)
    try:
        left = await conn.fetchval(
            "SELECT extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now())"
        )
    finally:
        await conn.close()
    if left < 10:
        await asyncio.sleep(float(left) + 0.1)
