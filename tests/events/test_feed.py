"""The changes feed: commit order with no gaps a reader can miss, and a replay from 0 that
rebuilds exactly the live dataset."""

import asyncio
import uuid
from typing import Any

import asyncpg
import msgspec
from claimledger_server.actors.store import ACTORS
from claimledger_server.versioning import store
from claimledger_server.versioning.kinds import KINDS
from support.databases import wait_until_sequenced


async def read_feed(client: Any, after: int = 0, types: str | None = None) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        query = f"/v1/events?after={after}&limit=200" + (f"&types={types}" if types else "")
        page = (await client.get(query)).json()["data"]
        if not page:
            return events
        events += page
        after = page[-1]["seq"]


async def test_a_tailing_reader_never_sees_a_lower_seq_appear(
    client: Any, database_url: str
) -> None:
    await wait_until_sequenced(database_url)
    existing = await read_feed(client)
    start = existing[-1]["seq"] if existing else 0
    pool = await asyncpg.create_pool(database_url, min_size=4, max_size=12)
    tag = uuid.uuid4().hex
    done = asyncio.Event()

    async def writer(n: int, hold: float) -> None:
        # Each change commits after `hold` seconds inside its transaction, so transactions
        # that started (and drew their seq) earlier commit later than others.
        for i in range(10):
            async with pool.acquire() as conn, conn.transaction():
                fields = store.to_fields(ACTORS, {"name": f"feed {tag} {n}-{i}"})
                await store.create(conn, ACTORS, fields, store.Author(None, None))
                await asyncio.sleep(hold if i % 3 == 0 else 0)

    seen: list[int] = []

    async def reader() -> None:
        after = start
        while True:
            finished = done.is_set()
            page = (await client.get(f"/v1/events?after={after}&limit=200")).json()["data"]
            for event in page:
                assert event["seq"] == after + 1, f"after {after} the feed showed {event['seq']}"
                after = event["seq"]
                seen.append(after)
            if finished and not page:
                return
            await asyncio.sleep(0.005)

    tail = asyncio.create_task(reader())
    try:
        await asyncio.gather(*(writer(n, hold=0.05 * (n % 4)) for n in range(8)))
        await wait_until_sequenced(database_url)
        done.set()
        await asyncio.wait_for(tail, 20)
    finally:
        await pool.close()
    ours = [e for e in await read_feed(client, start) if tag in str(e["data"].get("name"))]
    assert len(ours) == 80
    assert seen == list(range(start + 1, start + 1 + len(seen)))
    assert {e["seq"] for e in ours} <= set(seen)


async def test_replaying_from_zero_rebuilds_the_live_dataset(
    client: Any, database_url: str
) -> None:
    actor = (await client.post("/v1/actors", json={"name": "Replay"})).json()
    await client.patch(f"/v1/actors/{actor['id']}", json={"role": "changed"})
    doomed = (await client.post("/v1/actors", json={"name": "Replay doomed"})).json()
    await client.delete(f"/v1/actors/{doomed['id']}")
    await wait_until_sequenced(database_url)

    mirror: dict[str, Any] = {}
    ledger = {kind.name for kind in KINDS.values()}
    for event in await read_feed(client):
        if event["resource"] not in ledger:  # drafts, webhook notices: not the dataset
            continue
        if event["type"].endswith(".deleted"):
            mirror.pop(event["resource_id"], None)
        else:
            mirror[event["resource_id"]] = event["data"]

    conn = await asyncpg.connect(database_url)
    try:
        live: dict[str, Any] = {}
        for kind in KINDS.values():
            for row in await conn.fetch(
                f"SELECT id, doc::text FROM {kind.table} WHERE NOT deleted"
            ):
                live[row["id"]] = msgspec.json.decode(row["doc"])
    finally:
        await conn.close()
    assert mirror == live
    assert mirror[actor["id"]]["role"] == "changed"
    assert doomed["id"] not in mirror


async def test_type_filters_and_single_events(client: Any, database_url: str) -> None:
    actor = (await client.post("/v1/actors", json={"name": "Typed"})).json()
    await client.delete(f"/v1/actors/{actor['id']}")
    await wait_until_sequenced(database_url)
    deletions = await read_feed(client, types="actor.deleted")
    assert deletions
    assert {e["type"] for e in deletions} == {"actor.deleted"}
    mine = [e for e in await read_feed(client, types="actor.*") if e["resource_id"] == actor["id"]]
    assert [e["type"] for e in mine] == ["actor.created", "actor.deleted"]
    assert [e["version"] for e in mine] == [1, 2]
    one = await client.get(f"/v1/events/{mine[0]['id']}")
    assert one.status_code == 200
    assert one.json() == mine[0]
    assert (await client.get("/v1/events/evt_unknown")).status_code == 404
    bad = await client.get("/v1/events?types=claim;drop")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "types"
