"""Helpers shared by the webhook tests."""

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
from claimledger_server.actors.store import ACTORS
from claimledger_server.app import create_app
from claimledger_server.config import Settings, WebhookSettings
from claimledger_server.versioning import store as versions
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support import databases

FAST = WebhookSettings(
    worker=False,  # tests run workers themselves, to control when they send
    allow_private=True,
    timeout_seconds=2.0,
    retry_schedule=(0, 0.05, 0.1, 0.2, 0.2, 0.2),
    poll_seconds=0.2,
)


@asynccontextmanager
async def fresh_database(server_dsn: str) -> AsyncIterator[str]:
    """A new, migrated database of the webhook tests' own, dropped on exit."""
    async with databases.fresh_database(server_dsn, "claimledger_wh") as dsn:
        yield dsn


async def write_actors(
    pool: asyncpg.Pool, names: list[str], parallel: int = 8, pause: float = 0.0
) -> None:
    """Create actors straight through the versioning core, `parallel` at a time, each
    writer pausing `pause` seconds between its changes."""
    queue = list(names)

    async def writer() -> None:
        while queue:
            name = queue.pop()
            async with pool.acquire() as conn, conn.transaction():
                fields = versions.to_fields(ACTORS, {"name": name})
                await versions.create(conn, ACTORS, fields, versions.Author(None, None))
            if pause:
                await asyncio.sleep(pause)

    await asyncio.gather(*(writer() for _ in range(parallel)))


async def eventually(check: Callable[[], Any], within: float = 30.0, every: float = 0.02) -> Any:
    """Poll `check` (plain or async) until it gives something truthy; fail after `within`
    seconds."""
    async with asyncio.timeout(within):
        while True:
            result = check()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            await asyncio.sleep(every)


@asynccontextmanager
async def admin_client(
    dsn: str, keys: dict[str, str], **settings: Any
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A test client of an app of its own, as admin, with `FAST` webhook settings changed
    by the `webhooks` overrides in `settings` and the other app settings as given."""
    webhooks = msgspec.structs.replace(FAST, **settings.pop("webhooks", {}))
    app = create_app(Settings(database_url=dsn, webhooks=webhooks, **settings))
    async with AsyncTestClient(app=app) as client:
        client.headers["Authorization"] = f"Bearer {keys['admin']}"
        yield client
