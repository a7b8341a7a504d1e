"""Test fixtures: every run gets its own fresh database on a real PostgreSQL —
`TEST_DATABASE_URL` when set (CI points it at the machine's server), otherwise the embedded
one — migrated once and dropped at the end."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings, WebhookSettings
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import fresh_database, make_key, with_database
from support.replica import StreamingPair, streaming_pair

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


@pytest.fixture(scope="session")
async def streaming_replica() -> AsyncIterator[StreamingPair]:
    """A primary of its own and a hot standby streaming from it (`support/replica.py`),
    started for the tests that ask for it and stopped at the end of the session."""
    async with streaming_pair() as pair:
        yield pair


@pytest.fixture(scope="session")
async def replica_database_urls(
    streaming_replica: StreamingPair,
) -> AsyncIterator[tuple[str, str]]:
    """A fresh migrated database on the replica pair's primary: its DSN there and on the
    standby, once the standby has it too."""
    async with fresh_database(streaming_replica.primary_dsn, "claimledger_replica") as dsn:
        await streaming_replica.caught_up()
        yield dsn, with_database(streaming_replica.standby_dsn, urlsplit(dsn).path[1:])


@pytest.fixture(scope="session")
def replica_app(replica_database_urls: tuple[str, str]) -> Litestar:
    """The app on the replica pair: writes to the primary, reads from the standby."""
    primary, standby = replica_database_urls
    return create_app(
        Settings(
            database_url=primary,
            database_read_url=standby,
            replica_wait_seconds=0.05,
            api_key_cache_seconds=60,
            rate_limit_per_minute=100_000_000,
            webhooks=WebhookSettings(worker=False),
        )
    )


@pytest.fixture(scope="session")
async def replica_admin_key(replica_database_urls: tuple[str, str]) -> str:
    return await make_key(replica_database_urls[0], "replica-admin", ("admin",))


@pytest.fixture(scope="session")
async def replica_client(
    replica_app: Litestar, replica_admin_key: str
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An admin client of `replica_app`."""
    async with AsyncTestClient(app=replica_app) as test_client:
        test_client.headers["Authorization"] = f"Bearer {replica_admin_key}"
        yield test_client
