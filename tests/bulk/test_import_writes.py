"""What an import stores for each line is what the REST API stores for the same resource:
the same document byte for byte, a history row with its validity span, and one event, in the
order of the file."""

from typing import Any

import asyncpg
import msgspec
from bulk_instances import NewInstance

NOTE = {"X-Change-Note": "loaded"}
_VARYING = ("id", "external_id", "created_at", "updated_at")


async def _stored(dsn: str, table: str, external_id: str) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    try:
        live = await conn.fetchrow(
            f"SELECT id, refs, doc::text AS doc FROM {table} WHERE external_id = $1", external_id
        )
        assert live is not None
        history = await conn.fetch(
            f"SELECT version, action, valid_to, api_key_id, change_note, refs, doc::text AS doc"
            f" FROM {table}_history WHERE id = $1",
            live["id"],
        )
        events = await conn.fetch(
            "SELECT seq, type, version, data::text AS data FROM events WHERE resource_id = $1",
            live["id"],
        )
    finally:
        await conn.close()
    return {"live": live, "history": history, "events": events}


def _without_varying(doc: str) -> bytes:
    """The document with what must differ between two resources blanked, keys kept in order."""
    decoded = msgspec.json.decode(doc)
    return msgspec.json.encode({k: "·" if k in _VARYING else v for k, v in decoded.items()})


async def test_imported_resources_are_stored_as_posted_ones(new_instance: NewInstance) -> None:
    client, dsn = await new_instance()
    actor = {"name": "Ministry", "kind": "government_body", "country": "UKR"}
    posted = await client.post(
        "/v1/actors", json={**actor, "external_id": "a-posted"}, headers=NOTE
    )
    assert posted.status_code == 201, posted.text
    actor_id = posted.json()["id"]
    source = await client.post("/v1/sources", json={"title": "Briefing", "external_id": "s-1"})
    assert source.status_code == 201, source.text

    def citations(source_id: str, relayed_by_id: str) -> list[dict[str, Any]]:
        return [
            {"source_id": source_id, "quote": "over 3,000"},
            {"source_id": source_id, "relayed_by_id": relayed_by_id},
        ]

    claim = {
        "text": "Over 3,000 were killed.",
        "stated_on": "2025-01-01",
        "stated_on_precision": "month",
        "topics": ["casualties", "losses"],
        "location": {"country": "UKR", "name": "Kursk"},
    }
    response = await client.post(
        "/v1/claims",
        json={
            **claim,
            "claimant_id": actor_id,
            "citations": citations(source.json()["id"], actor_id),
            "subject_ids": [actor_id],
            "external_id": "c-posted",
        },
        headers=NOTE,
    )
    assert response.status_code == 201, response.text
    lines = [
        {"kind": "actor", "external_id": "a-imported", "data": actor},
        {
            "kind": "claim",
            "external_id": "c-imported",
            "data": {
                **claim,
                "claimant_id": "ext:a-posted",
                "subject_ids": ["ext:a-posted"],
                "citations": citations("ext:s-1", "ext:a-posted"),
            },
        },
    ]
    body = b"".join(msgspec.json.encode(line) + b"\n" for line in lines)
    imported = await client.post(
        "/v1/import", content=body, headers={"content-type": "application/x-ndjson", **NOTE}
    )
    assert imported.status_code == 200, imported.text

    seqs = []
    for table, name in (("actors", "a"), ("claims", "c")):
        want = await _stored(dsn, table, f"{name}-posted")
        got = await _stored(dsn, table, f"{name}-imported")
        assert _without_varying(got["live"]["doc"]) == _without_varying(want["live"]["doc"])
        assert got["live"]["refs"] == want["live"]["refs"]
        (revision,) = got["history"]
        assert revision["doc"] == got["live"]["doc"]
        assert revision["refs"] == got["live"]["refs"]
        assert revision["valid_to"] is None
        fields = ("version", "action", "valid_to", "api_key_id", "change_note")
        assert [revision[f] for f in fields] == [want["history"][0][f] for f in fields]
        (event,) = got["events"]
        assert (event["type"], event["version"], event["data"]) == (
            f"{table[:-1]}.created",
            1,
            got["live"]["doc"],
        )
        seqs.append(event["seq"])
    assert seqs == sorted(seqs), "events come in the order of the file's lines"
