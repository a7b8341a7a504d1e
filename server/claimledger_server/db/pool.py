"""Connection pools. JSON columns pass through as text: documents are encoded once with
msgspec when written and sent to clients byte-for-byte when read."""

import asyncpg
from asyncpg.pool import PoolConnectionProxy


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool reset hook: nothing to undo. asyncpg has already rolled back any open transaction
    and dropped client-side listeners; its default reset would also send RESET ALL, UNLISTEN,
    CLOSE ALL and an advisory-unlock round trip on every release (a sixth of a fast read's
    cost), for session state this code never leaves behind: settings are fixed at connect,
    cursors and advisory locks are transaction-scoped, and the one LISTEN (the sequencer's)
    is undone before its connection goes back."""


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        # Statements are built per request from a small fixed set; caching them is a win.
        statement_cache_size=512,
        server_settings={"application_name": "claimledger", "timezone": "UTC"},
        reset=_keep_session,
    )
    assert pool is not None
    return pool


def usable(conn: PoolConnectionProxy) -> bool:
    """Whether a connection held for a long time (a LISTEN) can still be used: not when the
    server closed it, nor when the pool took it back after losing it (a server restart), in
    which case even asking `is_closed()` raises."""
    try:
        return not conn.is_closed()
    except asyncpg.InterfaceError:
        return False
