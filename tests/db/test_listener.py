"""db.pool.Listener gives its connection back whatever interrupts it: a pool waits for every
connection it lent before it closes, so one lost to a cancellation hangs the app's stop."""

import asyncio
from typing import Any

import pytest
from asyncpg.connection import Connection
from claimledger_server.db.pool import Listener, create_pool, usable


async def forever(*_: Any) -> None:
    await asyncio.Event().wait()


def ignore(*_: object) -> None:
    pass


# The stand-in for a hanging UNLISTEN leaves the callback registered (asyncpg's own removes it
# before it waits), so the release warns about it.
@pytest.mark.filterwarnings("ignore::asyncpg.InterfaceWarning")
@pytest.mark.parametrize("step", ["add_listener", "remove_listener"])
async def test_a_cancelled_listen_or_unlisten_returns_the_connection(
    database_url: str, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    listener = Listener(pool, "claimledger_test_channel", ignore)
    try:
        if step == "remove_listener":
            await listener.connection()
        monkeypatch.setattr(Connection, step, forever)
        task = asyncio.create_task(
            listener.connection() if step == "add_listener" else listener.close()
        )
        await asyncio.sleep(0.1)  # the task now waits in the LISTEN or UNLISTEN
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        monkeypatch.undo()
        await listener.close()
    finally:
        # Without the connection back, this waits forever.
        await asyncio.wait_for(pool.close(), timeout=10)


async def test_close_returns_a_connection_the_server_closed(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=2)
    listener = Listener(pool, "claimledger_test_channel", ignore)
    try:
        conn = await listener.connection()
        await pool.execute("SELECT pg_terminate_backend($1)", conn.get_server_pid())
        for _ in range(50):  # the client learns of it when the socket closes
            if not usable(conn):
                break
            await asyncio.sleep(0.05)
        await listener.close()
    finally:
        await asyncio.wait_for(pool.close(), timeout=10)
