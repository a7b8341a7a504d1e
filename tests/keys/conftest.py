"""Instances of their own for the tests that need to know every key there is (the last admin
key) or to hold keys in a cache (the revocation window): a fresh database with one admin key
made the bootstrap way, served by apps whose key caches run on a clock the test turns."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from key_helpers import CACHE_SECONDS
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import fresh_database, make_key


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Instance:
    dsn: str
    admin_key: str
    """Made by `make_key`, as `claimledger keys create` makes one."""
    clock: Clock = field(default_factory=Clock)

    @asynccontextmanager
    async def process(self) -> AsyncIterator[AsyncTestClient[Litestar]]:
        """An API process of the instance (its own key cache, on the instance's clock),
        through a client that sends the admin key unless told otherwise."""
        app = create_app(
            Settings(
                database_url=self.dsn,
                api_key_cache_seconds=CACHE_SECONDS,
                rate_limit_per_minute=100_000_000,
            )
        )
        app.state.key_cache.clock = self.clock
        async with AsyncTestClient(app=app) as client:
            client.headers["Authorization"] = f"Bearer {self.admin_key}"
            yield client


@pytest.fixture
async def instance(server_dsn: str) -> AsyncIterator[Instance]:
    async with fresh_database(server_dsn, "claimledger_keys") as dsn:
        yield Instance(dsn, await make_key(dsn, "bootstrap", ("admin",)))
