"""Fresh, empty databases, each served by its own app instance: an export must import into
a database that has never seen its data."""

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from claimledger_server.app import create_app
from claimledger_server.auth import create_key
from claimledger_server.config import Settings
from claimledger_server.db.migrate import migrate
from litestar import Litestar
from litestar.testing import AsyncTestClient


class Instance(NamedTuple):
    client: AsyncTestClient[Litestar]
    dsn: str


NewInstance = Callable[..., Awaitable[Instance]]


@asynccontextmanager
async def instance(server_dsn: str, **settings: Any) -> AsyncIterator[Instance]:
    name = f"claimledger_bulk_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/" + name))
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn)
            key = await create_key(conn, "bulk-tests", ("admin",))
        finally:
            await conn.close()
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
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
