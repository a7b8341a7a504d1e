"""`claimledger keys`, the bootstrap and recovery path: it works on the database directly,
through the same store as the API, and announces nothing in the feed (an instance being
restored needs its first key while it is still empty)."""

import asyncio
import uuid

import asyncpg
import pytest
from claimledger_server.cli import main
from claimledger_server.keys import store


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _events_about(database_url: str, key_id: str) -> int:
    async def count() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            found: int = await conn.fetchval(
                "SELECT count(*) FROM events WHERE resource_id = $1", key_id
            )
            return found
        finally:
            await conn.close()

    return asyncio.run(count())


def _active(database_url: str, secret: str) -> bool:
    async def look() -> bool:
        conn = await asyncpg.connect(database_url)
        try:
            return await store.find_active_key(conn, secret) is not None
        finally:
            await conn.close()

    return asyncio.run(look())


def test_create_list_and_revoke(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    name = f"cli {uuid.uuid4().hex}"
    status, out, _ = _cli(
        capsys, "keys", "create", "--name", name, "--scopes", "write,read", "--rate-limit", "77"
    )
    assert status == 0
    secret = out.strip()
    assert secret.startswith("clk_")
    assert out == secret + "\n"  # only the key: `KEY=$(claimledger keys create …)`
    assert _active(database_url, secret)

    status, out, _ = _cli(capsys, "keys", "list")
    assert status == 0
    assert secret not in out
    [line] = [line for line in out.splitlines() if line.endswith(f"\t{name}")]
    key_id, prefix, scopes, limit, state, _ = line.split("\t")
    assert (prefix, scopes, limit, state) == (f"{secret[:10]}…", "read,write", "77/min", "active")

    status, _, err = _cli(capsys, "keys", "revoke", key_id)
    assert (status, err) == (0, f"revoked {key_id}\n")
    assert not _active(database_url, secret)
    status, out, _ = _cli(capsys, "keys", "list")
    [line] = [line for line in out.splitlines() if line.startswith(f"{key_id}\t")]
    assert line.split("\t")[4].startswith("revoked 20")
    status, _, err = _cli(capsys, "keys", "revoke", key_id)
    assert (status, err) == (1, f"no active key {key_id}\n")
    assert _events_about(database_url, key_id) == 0
