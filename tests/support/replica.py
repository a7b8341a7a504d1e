"""A real streaming replica for the tests that need one.

The machine's PostgreSQL may not take replication connections (the CI one's pg_hba.conf has
no `replication` line, and it cannot be restarted from here), so the tests run a primary of
their own — initdb, on a free loopback port in a temp dir — and a hot standby of it made with
`pg_basebackup -R`, streaming from it on another port. Both use the embedded server's
binaries (the `pgserver` wheel), else a PostgreSQL installed on the machine."""

import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from claimledger_server.db import embedded
from claimledger_server.db.embedded import EmbeddedPostgres

NEEDED = ("initdb", "pg_ctl", "postgres", "pg_basebackup")
STREAMING_SECONDS = 60
# Test clusters: nothing to keep after a crash. Commits stay synchronous: the standby only
# receives WAL the primary has flushed, and an asynchronous commit would make every read
# after a write wait for the WAL writer.
SETTINGS = {"fsync": "off", "full_page_writes": "off", "max_connections": "100"}


def postgres_binaries() -> Path | None:
    """A folder with PostgreSQL's server binaries: the embedded server's, else the newest
    of the machine's (Debian's /usr/lib/postgresql/<major>/bin, or `pg_config`'s)."""
    folders = [embedded.BIN_DIR]
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        majors = [p for p in debian.iterdir() if p.name.isdigit()]
        folders += [p / "bin" for p in sorted(majors, key=lambda p: -int(p.name))]
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if found.returncode == 0:
            folders.append(Path(found.stdout.strip()))
    return next((f for f in folders if all((f / name).is_file() for name in NEEDED)), None)


@dataclass
class StreamingPair:
    primary_dsn: str
    """The `postgres` database of the primary."""
    standby_dsn: str
    """The same on the standby."""

    async def caught_up(self, within_seconds: float = STREAMING_SECONDS) -> None:
        """Wait until the standby has replayed everything the primary wrote so far."""
        primary = await asyncpg.connect(self.primary_dsn)
        standby = await asyncpg.connect(self.standby_dsn)
        try:
            target = await primary.fetchval("SELECT pg_current_wal_insert_lsn()")
            async with asyncio.timeout(within_seconds):
                # Polling: replay has no notification a client can wait on.
                while (await standby.fetchval("SELECT pg_last_wal_replay_lsn()") or 0) < target:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
        finally:
            await standby.close()
            await primary.close()

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


async def _streaming(standby_dsn: str) -> None:
    conn = await asyncpg.connect(standby_dsn)
    try:
        async with asyncio.timeout(STREAMING_SECONDS):
            # Polling: the WAL receiver's state has no notification either.
            while await conn.fetchval("SELECT status FROM pg_stat_wal_receiver") != "streaming":  # noqa: ASYNC110
                await asyncio.sleep(0.05)
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
    bin_dir = postgres_binaries()
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
            await _streaming(pair.standby_dsn)
            yield pair
        finally:
            standby.stop()
    finally:
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)
