"""Fresh, empty databases, each served by its own app instance: an export must import into
a database that has never seen its data."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

from claimledger_server.app import create_app
from claimledger_server.config import Settings
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import fresh_database, make_key


class Instance(NamedTuple):
    client: AsyncTestClient[Litestar]
    dsn: str


NewInstance = Callable[..., Awaitable[Instance]]


@asynccontextmanager
async def instance(server_dsn: str, **settings: Any) -> AsyncIterator[Instance]:
    async with fresh_database(server_dsn, "claimledger_bulk") as dsn:
        key = await make_key(dsn, "bulk-tests", ("admin",))
        app = create_app(
            Settings(
                database_url=dsn,
                api_key_cache_seconds=0,
                rate_limit_per_minute=100_000_000,
                **settings,
            )
        )
        async with AsyncTestClient(app=app) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            yield Instance(client, dsn)
