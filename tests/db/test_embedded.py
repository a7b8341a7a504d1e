"""The embedded server must start, really stop, and keep its data across restarts."""

import asyncio
import os
from pathlib import Path

import asyncpg
import pytest
from claimledger_server.db.embedded import EmbeddedPostgres

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")  # a zombie is gone too, whoever fails to reap it
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


async def test_start_stop_restart_keeps_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "pg"
    pg = EmbeddedPostgres(data_dir)
    try:
        dsn = await asyncio.wait_for(asyncio.to_thread(pg.start), 120)
        conn = await asyncpg.connect(dsn, timeout=10)
        try:
            assert await conn.fetchval("select 1") == 1
            await conn.execute("create table kept (note text); insert into kept values ('hi')")
        finally:
            await conn.close()
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])

        await asyncio.wait_for(asyncio.to_thread(pg.stop), 60)
        assert _gone(pid)
        assert not (data_dir / "postmaster.pid").exists()
        with pytest.raises(ConnectionRefusedError):  # nothing listens any more
            await asyncpg.connect(dsn, timeout=5)
        pg.stop()  # idempotent

        dsn = await asyncio.wait_for(asyncio.to_thread(pg.start), 120)
        conn = await asyncpg.connect(dsn, timeout=10)
        try:
            assert await conn.fetchval("select note from kept") == "hi"
        finally:
            await conn.close()
    finally:
        await asyncio.wait_for(asyncio.to_thread(pg.stop), 60)
