"""Hot standbys for the tests and the benchmark: which PostgreSQL binaries can run one, and
waiting for one to stream and to catch up. The server never makes a standby (it reads from
the one DATABASE_READ_URL names): the tests make theirs with `EmbeddedPostgres(standby_of=)`
(tests/support/replica.py), the benchmark one of the machine's cluster
(bench/harness/replica_reads.py)."""

import asyncio
import re
import shutil
import subprocess
from pathlib import Path

import asyncpg

from claimledger_server.db import embedded

NEEDED = ("initdb", "pg_ctl", "postgres", "pg_basebackup")
WAIT_SECONDS = 60.0


def major_version(bin_dir: Path) -> int | None:
    """The major version of the `postgres` in `bin_dir` ("postgres (PostgreSQL) 15.20")."""
    try:
        found = subprocess.run(  # noqa: S603 -- a binary found on this machine, no shell
            [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    match = re.search(r"\) (\d+)", found.stdout)
    return int(match[1]) if match else None


def server_binaries(major: int | None = None) -> Path | None:
    """A folder with PostgreSQL's server binaries: the embedded server's, else the newest of
    the machine's (Debian's /usr/lib/postgresql/<major>/bin, or `pg_config`'s). With
    `major`, only binaries of that major version: a standby runs its primary's major."""
    folders = [embedded.BIN_DIR]
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        majors = [p for p in debian.iterdir() if p.name.isdigit()]
        folders += [p / "bin" for p in sorted(majors, key=lambda p: -int(p.name))]
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)  # noqa: S603
        if found.returncode == 0:
            folders.append(Path(found.stdout.strip()))
    for folder in folders:
        if all((folder / name).is_file() for name in NEEDED) and (
            major is None or major_version(folder) == major
        ):
            return folder
    return None


async def wait_streaming(standby_dsn: str, within_seconds: float = WAIT_SECONDS) -> None:
    """Wait until the standby's WAL receiver streams from its primary."""
    conn = await asyncpg.connect(standby_dsn)
    try:
        async with asyncio.timeout(within_seconds):
            # Polling: the WAL receiver's state has no notification a client can wait on.
            while await conn.fetchval("SELECT status FROM pg_stat_wal_receiver") != "streaming":  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def wait_replayed(
    primary_dsn: str, standby_dsn: str, within_seconds: float = WAIT_SECONDS
) -> None:
    """Wait until the standby has replayed everything the primary wrote so far."""
    primary = await asyncpg.connect(primary_dsn)
    standby = await asyncpg.connect(standby_dsn)
    try:
        target = await primary.fetchval("SELECT pg_current_wal_insert_lsn()")
        async with asyncio.timeout(within_seconds):
            # Polling: replay has no notification either.
            while (await standby.fetchval("SELECT pg_last_wal_replay_lsn()") or 0) < target:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await standby.close()
        await primary.close()
