"""Throwaway databases on the test PostgreSQL server, and API keys in them."""

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from claimledger_server.db.migrate import migrate
from claimledger_server.keys.store import create_key, revoke_named


def with_database(dsn: str, name: str) -> str:
    """`dsn` pointed at database `name` on the same server."""
    return urlunsplit(urlsplit(dsn)._replace(path="/" + name))


@asynccontextmanager
async def fresh_database(
    server_dsn: str, prefix: str = "claimledger_test", migrate_upto: int | None = None
) -> AsyncIterator[str]:
    """A new database on `server_dsn`'s server, named `<prefix>_<random>`, migrated (up to
    `migrate_upto` when given); yields its DSN and drops it (forcibly) on exit."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = with_database(server_dsn, name)
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn, migrate_upto)
        finally:
            await conn.close()
        yield dsn
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def make_key(
    dsn: str,
    name: str,
    scopes: tuple[str, ...],
    rate_limit_per_minute: int | None = None,
    *,
    revoked: bool = False,
) -> str:
    """Store an API key in the database at `dsn` and return its secret."""
    conn = await asyncpg.connect(dsn)
    try:
        key = await create_key(conn, name, scopes, rate_limit_per_minute)
        if revoked:
            await revoke_named(conn, name)
        return key
    finally:
        await conn.close()


async def wait_until_sequenced(database_url: str, within_seconds: float = 10.0) -> None:
    """Wait until the sequencer has given every committed event its feed position."""
    conn = await asyncpg.connect(database_url)
    try:
        async with asyncio.timeout(within_seconds):
            # Polling the database: there is no in-process event to wait on.
            while await conn.fetchval("SELECT count(*) FROM events WHERE position IS NULL"):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    finally:
        await conn.close()
