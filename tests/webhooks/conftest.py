"""Webhook tests run on databases of their own: endpoints subscribed to `*` would otherwise
queue deliveries for every other test's changes, and `webhook_endpoint.disabled` events
would join the feed other tests replay."""

from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import make_key
from webhook_helpers import FAST, fresh_database
from webhook_receiver import Receiver


@pytest.fixture(scope="session")
async def wh_dsn(server_dsn: str) -> AsyncIterator[str]:
    async with fresh_database(server_dsn) as dsn:
        yield dsn


@pytest.fixture(scope="session")
async def wh_keys(wh_dsn: str) -> dict[str, str]:
    return {s: await make_key(wh_dsn, f"wh-{s}", (s,)) for s in ("read", "write", "admin")}


@pytest.fixture(scope="session")
def wh_app(wh_dsn: str) -> Litestar:
    return create_app(
        Settings(
            database_url=wh_dsn,
            api_key_cache_seconds=0,
            rate_limit_per_minute=100_000_000,
            webhooks=FAST,
        )
    )


@pytest.fixture(scope="session")
async def wh_client(
    wh_app: Litestar, wh_keys: dict[str, str]
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=wh_app) as test_client:
        test_client.headers["Authorization"] = f"Bearer {wh_keys['admin']}"
        yield test_client


@pytest.fixture(scope="session")
async def wh_pool(wh_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(wh_dsn, min_size=1, max_size=20)
    assert pool is not None
    yield pool
    await pool.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()
