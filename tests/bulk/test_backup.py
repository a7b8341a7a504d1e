"""The README's backup, run as it is written: `pg_dump --format=custom` of a serving
instance, `pg_restore` into an empty database, and the restored instance answers as the
original did — the same versions of every resource, the same feed, the same history export,
the API keys too — and needs no migration (its `schema_migrations` came along)."""

import asyncio
import re
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from bulk_instances import Instance, instance
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.db.migrate import migrate
from history_dataset import build_history, every_resource, feed, history_file, read_all
from litestar.testing import AsyncTestClient
from support.databases import wait_until_sequenced, with_database

TOOLS = ("pg_dump", "pg_restore", "vacuumdb")


def _major(version_text: str) -> int:
    """`pg_dump (PostgreSQL) 15.20 (Debian …)` → 15."""
    found = re.search(r"\) (\d+)", version_text)
    assert found, version_text
    return int(found.group(1))


async def _run(*command: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, (command, output.decode())
    return output.decode()


@pytest.fixture(scope="module")
async def serving(server_dsn: str) -> AsyncIterator[Instance]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not on PATH: the backup test runs the real tools")
    conn = await asyncpg.connect(server_dsn)
    try:
        server_major = int(await conn.fetchval("SHOW server_version_num")) // 10000
    finally:
        await conn.close()
    tools_major = _major(await _run("pg_dump", "--version"))
    if tools_major < server_major:
        pytest.skip(f"pg_dump {tools_major} on PATH cannot dump this PostgreSQL {server_major}")
    async with instance(server_dsn) as source:
        await build_history(source.client)
        await wait_until_sequenced(source.dsn)
        yield source


@pytest.fixture
async def empty_database(server_dsn: str) -> AsyncIterator[str]:
    """A new database with nothing in it, not even the migrations: what `createdb` makes."""
    name = f"claimledger_restore_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(server_dsn, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_pg_dump_and_pg_restore_give_the_same_instance(
    serving: Instance, empty_database: str, tmp_path: Path
) -> None:
    dump = tmp_path / "claimledger.dump"
    # As the README says, while the instance serves (the dump is one snapshot of it).
    await _run(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={dump}",
        f"--dbname={serving.dsn}",
    )
    await _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={empty_database}",
        str(dump),
    )
    await _run("vacuumdb", "--analyze-only", f"--dbname={empty_database}")

    conn = await asyncpg.connect(empty_database)
    try:
        assert await migrate(conn) == []  # schema_migrations came along: nothing to apply
    finally:
        await conn.close()
    app = create_app(Settings(database_url=empty_database, api_key_cache_seconds=0))
    async with AsyncTestClient(app=app) as restored:
        # The API keys came along: the original's key works on the restored instance.
        restored.headers["Authorization"] = serving.client.headers["Authorization"]
        original = serving.client
        resources = await every_resource(serving.dsn)
        assert resources
        assert await every_resource(empty_database) == resources
        for table, resource_id in resources:
            path = f"/v1/{table}/{resource_id}/versions"
            assert await read_all(restored, path) == await read_all(original, path)
        assert await feed(restored) == await feed(original)
        assert await history_file(restored) == await history_file(original)
