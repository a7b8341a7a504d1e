"""What holds across keys and processes: the API never leaves an instance without an admin
key; a revocation reaches every process within the key cache's window (at once in the one
that made it); `last_used_at` is written at most once a minute per process and key."""

import asyncio
from datetime import datetime
from typing import Any

import asyncpg
import pytest
from claimledger_server.errors import ApiError
from claimledger_server.keys import store
from factories import assert_problem
from key_helpers import CACHE_SECONDS, bearer, create_key


async def _bootstrap_id(client: Any) -> str:
    [key] = [k for k in (await client.get("/v1/keys")).json()["data"] if k["name"] == "bootstrap"]
    key_id: str = key["id"]
    return key_id


async def test_the_last_admin_key_cannot_be_revoked_or_demoted(instance: Any) -> None:
    async with instance.process() as client:
        bootstrap = await _bootstrap_id(client)
        revoking = await client.post(f"/v1/keys/{bootstrap}/revoke")
        problem = assert_problem(revoking, 409)
        assert problem["type"] == "urn:claimledger:problem:last-admin-key"
        demoting = await client.patch(f"/v1/keys/{bootstrap}", json={"scopes": ["read", "write"]})
        assert assert_problem(demoting, 409)["type"] == problem["type"]
        # Other changes of it stay possible, and a key without admin goes freely.
        renamed = await client.patch(f"/v1/keys/{bootstrap}", json={"name": "first admin"})
        assert renamed.status_code == 200, renamed.text
        writer = await create_key(client, scopes=["write"])
        gone = await client.post(f"/v1/keys/{writer['id']}/revoke")
        assert gone.status_code == 200, gone.text

        # With a second admin key, the first may go; then the second is the last one.
        second = await create_key(client, scopes=["admin"])
        successor = bearer(second["secret"])
        done = await client.post(f"/v1/keys/{bootstrap}/revoke", headers=successor)
        assert done.status_code == 200, done.text
        assert_problem(await client.get("/v1/keys"), 401)
        last = await client.post(f"/v1/keys/{second['id']}/revoke", headers=successor)
        assert assert_problem(last, 409)["type"] == problem["type"]
        listed = (await client.get("/v1/keys", headers=successor)).json()["data"]
        assert [k["id"] for k in listed if k["revoked_at"] is None] == [second["id"]]


async def test_two_admins_revoking_each_other_at_once_leave_one(instance: Any) -> None:
    async with instance.process() as client:
        first = await _bootstrap_id(client)
        second = (await create_key(client, scopes=["admin"]))["id"]
    one, other = await asyncpg.connect(instance.dsn), await asyncpg.connect(instance.dsn)
    try:
        async with one.transaction():
            await store.revoke(one, first, None)
            # The other revocation starts while the first is not committed yet: it waits.
            racing = asyncio.create_task(_revoke_in_transaction(other, second))
            await asyncio.sleep(0.2)
            assert not racing.done()
        with pytest.raises(ApiError) as refused:
            await racing
        assert (refused.value.status, refused.value.slug) == (409, "last-admin-key")
    finally:
        await one.close()
        await other.close()
    assert [k["id"] for k in await _keys(instance) if k["revoked_at"] is None] == [second]


async def _revoke_in_transaction(conn: asyncpg.Connection, key_id: str) -> None:
    async with conn.transaction():
        await store.revoke(conn, key_id, None)


async def test_a_revocation_reaches_other_processes_within_the_cache_window(
    instance: Any,
) -> None:
    async with instance.process() as admin, instance.process() as elsewhere:
        key = await create_key(admin, scopes=["read"])
        reader = bearer(key["secret"])
        assert (await elsewhere.get("/v1/actors?limit=1", headers=reader)).status_code == 200
        assert (await admin.get("/v1/actors?limit=1", headers=reader)).status_code == 200

        revoked = await admin.post(f"/v1/keys/{key['id']}/revoke")
        assert revoked.status_code == 200, revoked.text
        # The process that revoked it refuses it at once; another trusts what it verified...
        assert_problem(await admin.get("/v1/actors?limit=1", headers=reader), 401)
        instance.clock.advance(CACHE_SECONDS - 1)
        assert (await elsewhere.get("/v1/actors?limit=1", headers=reader)).status_code == 200
        # ...until the window has passed.
        instance.clock.advance(2)
        assert_problem(await elsewhere.get("/v1/actors?limit=1", headers=reader), 401)


async def test_new_scopes_reach_other_processes_within_the_cache_window(instance: Any) -> None:
    async with instance.process() as admin, instance.process() as elsewhere:
        key = await create_key(admin, scopes=["read"])
        reader = bearer(key["secret"])
        assert (await elsewhere.get("/v1/actors?limit=1", headers=reader)).status_code == 200
        changed = await admin.patch(f"/v1/keys/{key['id']}", json={"scopes": ["write"]})
        assert changed.status_code == 200, changed.text
        body = {"name": "Written once the window passed"}
        assert_problem(await elsewhere.post("/v1/actors", json=body, headers=reader), 403)
        instance.clock.advance(CACHE_SECONDS + 1)
        made = await elsewhere.post("/v1/actors", json=body, headers=reader)
        assert made.status_code == 201, made.text


async def test_last_used_is_written_at_most_once_a_minute_per_process(
    instance: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded: list[str] = []
    record_use = store.record_use

    async def counted(pool: asyncpg.Pool, key_id: str) -> None:
        recorded.append(key_id)
        await record_use(pool, key_id)

    monkeypatch.setattr(store, "record_use", counted)
    async with instance.process() as client:
        key = await create_key(client, scopes=["read"])
        reader = bearer(key["secret"])
        assert (await _key(instance, key["id"]))["last_used_at"] is None

        for _ in range(3):
            assert (await client.get("/v1/actors?limit=1", headers=reader)).status_code == 200
        first = await _used_after(instance, key["id"], None)
        shown = (await client.get(f"/v1/keys/{key['id']}")).json()
        assert shown["last_used_at"] is not None
        assert shown["version"] == 1  # a use is not a change of the key

        instance.clock.advance(59)
        await client.get("/v1/actors?limit=1", headers=reader)
        instance.clock.advance(2)
        await client.get("/v1/actors?limit=1", headers=reader)
        await _used_after(instance, key["id"], first)
        # Written once in the first minute, and once after it (tasks run in order: one for
        # the request at 59 s would have written before the one at 61 s).
        assert recorded.count(key["id"]) == 2


async def _used_after(instance: Any, key_id: str, moment: datetime | None) -> datetime:
    """`last_used_at` of the key once it is later than `moment` (written in the background)."""
    async with asyncio.timeout(10):
        while True:
            used: datetime | None = (await _key(instance, key_id))["last_used_at"]
            if used is not None and (moment is None or used > moment):
                return used
            await asyncio.sleep(0.02)


async def _keys(instance: Any) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(instance.dsn)
    try:
        return [dict(row) for row in await conn.fetch("SELECT * FROM api_keys ORDER BY id")]
    finally:
        await conn.close()


async def _key(instance: Any, key_id: str) -> dict[str, Any]:
    [key] = [k for k in await _keys(instance) if k["id"] == key_id]
    return key
