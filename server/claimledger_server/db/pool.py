"""Connection pools. JSON columns pass through as text: documents are encoded once with
msgspec when written and sent to clients byte-for-byte when read."""

import asyncpg


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        # Statements are built per request from a small fixed set; caching them is a win.
        statement_cache_size=512,
        server_settings={"application_name": "claimledger", "timezone": "UTC"},
    )
    assert pool is not None
    return pool
