"""A real streaming replica for the tests that need one.

The machine's PostgreSQL may not take replication connections (the CI one's pg_hba.conf has
no `replication` line, and it cannot be restarted from here), so the tests run a primary of
their own — initdb, on a free loopback port in a temp dir — and a hot standby of it made with
`pg_basebackup -R`, streaming from it on another port. Both use the embedded server's
binaries (the `pgserver` wheel), else a PostgreSQL installed on the machine."""

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from claimledger_server.db.embedded import EmbeddedPostgres
from claimledger_server.db.standby import server_binaries, wait_replayed, wait_streaming

# Test clusters: nothing to keep after a crash. Commits stay synchronous: the standby only
# receives WAL the primary has flushed, and an asynchronous commit would make every read
# after a write wait for the WAL writer.
SETTINGS = {"fsync": "off", "full_page_writes": "off", "max_connections": "100"}


@dataclass
class StreamingPair:
    primary_dsn: str
    """The `postgres` database of the primary."""
    standby_dsn: str
    """The same on the standby."""

    async def caught_up(self) -> None:
        """Wait until the standby has replayed everything the primary wrote so far."""
        await wait_replayed(self.primary_dsn, self.standby_dsn)

    async def pause_replay(self) -> None:
        await self._on_standby("SELECT pg_wal_replay_pause()")

    async def resume_replay(self) -> None:
        await self._on_standby("SELECT pg_wal_replay_resume()")

    async def _on_standby(self, statement: str) -> None:
        conn = await asyncpg.connect(self.standby_dsn)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()


@asynccontextmanager
async def streaming_pair() -> AsyncIterator[StreamingPair]:
    """A primary and its hot standby, streaming, in a temp dir; both stopped and the dir
    removed on exit. (Starting and stopping them blocks: nothing else runs while a session
    fixture is set up.)

    Not in pytest's temp dirs: as root the servers run as another user, who must traverse
    the dir's parents, and every pytest session (another checkout's, say) makes
    /tmp/pytest-of-root private again and prunes old sessions' dirs."""
    bin_dir = server_binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (pgserver wheel or a system install)")
    folder = Path(tempfile.mkdtemp(prefix="claimledger-replica-"))
    primary = EmbeddedPostgres(folder / "primary", bin_dir=bin_dir, settings=SETTINGS)
    try:
        primary_dsn = primary.start()
        standby = EmbeddedPostgres(
            folder / "standby", bin_dir=bin_dir, standby_of=primary_dsn, settings=SETTINGS
        )
        try:
            pair = StreamingPair(primary_dsn, standby.start())
            await wait_streaming(pair.standby_dsn)
            yield pair
        finally:
            standby.stop()
    finally:
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)
