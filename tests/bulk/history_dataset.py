"""A dataset with a history: every kind (drafts too), several versions of each with change
notes, tombstones, the v2 fields and the seed, for the tests of backups and restores."""

from pathlib import Path
from typing import Any

import asyncpg
from bulk_dataset import build_dataset
from claimledger_server.bulk.history import HISTORY_KINDS
from test_round_trip import export
from test_v2_round_trip import build_v2_dataset

NDJSON = {"content-type": "application/x-ndjson"}
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_62bc01ecef06bc27.ndjson"
TABLES = [kind.table for kind in HISTORY_KINDS.values()]


async def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def build_history(client: Any) -> None:
    """Every kind, each with several versions, change notes, tombstones in three kinds, v2
    fields, the seed on top of resources it updates, and drafts published and discarded;
    API keys changed in the middle and at the end."""
    made = await build_dataset(client)
    await build_v2_dataset(client)
    await onboard_a_partner(client)
    seeded = await client.post(
        "/v1/import", content=SEED.read_bytes(), headers={**NDJSON, "X-Change-Note": "seed"}
    )
    assert (await ok(seeded))["updated"] > 0  # it updates actors build_dataset made

    claim = made["kirby_claim"]
    for n, status in enumerate(("disputed", "retracted", "unverified")):
        claim = await ok(
            await client.patch(
                f"/v1/claims/{claim['id']}",
                json={"status": status, "topics": ["casualties", f"round-{n}"]},
                headers={"If-Match": f'"{claim["version"]}"', "X-Change-Note": f"review {n}"},
            )
        )
    figure = made["week"]
    for amount in (1100, 1200):
        figure = await ok(
            await client.patch(f"/v1/figures/{figure['id']}", json={"amount": amount})
        )
    # Tombstones: a figure, then the claim it belonged to; a source nothing cites.
    for path in (f"/v1/figures/{made['range']['id']}", f"/v1/claims/{made['later_claim']['id']}"):
        await ok(await client.delete(path, headers={"X-Change-Note": "withdrawn"}))
    cited = await ok(
        await client.post("/v1/sources", json={"kind": "other", "title": "Soon gone"}), 201
    )
    await ok(await client.patch(f"/v1/sources/{cited['id']}", json={"title": "Going"}))
    await ok(await client.delete(f"/v1/sources/{cited['id']}"))

    # Drafts: one reviewed and published (its resources join the ledger), one discarded.
    text = "John Kirby said on Monday that 1,000 North Korean soldiers were killed or wounded."
    source = {"title": "Briefing", "kind": "news_article", "published_on": "2024-12-24"}
    draft = await ok(
        await client.post("/v1/extractions", json={"text": text, "source": source}), 201
    )
    assert draft["claims"], draft
    draft = await ok(
        await client.patch(
            f"/v1/extractions/{draft['id']}",
            json={"source": {"url": "https://news.example/briefing"}},
            headers={"X-Change-Note": "reviewed"},
        )
    )
    await ok(await client.post(f"/v1/extractions/{draft['id']}/publish"))
    other = await ok(await client.post("/v1/extractions", json={"text": text}), 201)
    await ok(await client.post(f"/v1/extractions/{other['id']}/discard"))

    # The feed ends with events the export does not carry: the restored feed must still
    # continue after them.
    last = await ok(await client.post("/v1/keys", json={"name": "last", "scopes": ["read"]}), 201)
    await ok(await client.post(f"/v1/keys/{last['id']}/revoke"))


async def onboard_a_partner(client: Any) -> None:
    """A key made, changed and revoked over HTTP, between changes of the dataset: three
    `api_key.*` events in the feed, which a history export does not carry (keys are not
    part of the dataset)."""
    key = await ok(await client.post("/v1/keys", json={"name": "partner", "scopes": ["read"]}), 201)
    await ok(await client.patch(f"/v1/keys/{key['id']}", json={"rate_limit_per_minute": 600}))
    await ok(await client.post(f"/v1/keys/{key['id']}/revoke"))


def carried(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events a history export carries: every one but those about API keys (the restore
    leaves their positions unused)."""
    return [event for event in events if event["resource"] != "api_key"]


async def history_file(client: Any, **params: str) -> bytes:
    return await export(client, history="true", **params)


def versions_of(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The version lines of a history file: all but its first, the feed line."""
    assert lines[0]["kind"] == "feed", lines[0]
    return lines[1:]


async def every_resource(dsn: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(dsn)
    try:
        return [
            (table, row["id"])
            for table in TABLES
            for row in await conn.fetch(f"SELECT DISTINCT id FROM {table}_history ORDER BY id")
        ]
    finally:
        await conn.close()


async def read_all(client: Any, path: str, **filters: str) -> list[Any]:
    """Every item of a list, page by page. (Filters go here, not in `path`: httpx replaces
    a path's query with `params`.)"""
    items: list[Any] = []
    cursor = None
    while True:
        params = {**filters, "limit": "200", **({"cursor": cursor} if cursor else {})}
        page = await ok(await client.get(path, params=params))
        items += page["data"]
        if not (cursor := page["next_cursor"]):
            return items


async def feed(client: Any, after: int = 0) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while page := (await ok(await client.get(f"/v1/events?after={after}&limit=200")))["data"]:
        events += page
        after = page[-1]["seq"]
    return events
