"""A small dataset built through the API with everything an export must carry across:
parent chains (a child whose key sorts before its parents, a parent created after its
child), resources without an external_id, an external_id a spreadsheet would run as a
formula, citations relayed by an actor, a claim-relation cycle, figures, text with quotes,
commas, newlines and non-Latin script, and a deleted actor."""

import csv
import io
from typing import Any

import msgspec
from claimledger_server.bulk.lines import csv_escape

EXT = "ext:"


async def _post(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


async def _patch(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.patch(path, json=body)
    assert response.status_code == 200, response.text
    changed: dict[str, Any] = response.json()
    return changed


async def build_dataset(client: Any) -> dict[str, dict[str, Any]]:
    made: dict[str, dict[str, Any]] = {}
    made["us"] = await _post(
        client,
        "/v1/actors",
        {
            "external_id": "actor:united-states",
            "name": "United States",
            "kind": "state",
            "country": "USA",
            "aliases": ["USA", "US"],
            "external_ids": {"wikidata": "Q30"},
        },
    )
    made["nsc"] = await _post(  # no external_id: exported under its id
        client,
        "/v1/actors",
        {
            "name": "National Security Council",
            "kind": "government_body",
            "parent_id": made["us"]["id"],
        },
    )
    made["kirby"] = await _post(  # sorts before its parents by key
        client,
        "/v1/actors",
        {
            "external_id": "actor:a-kirby",
            "name": "John Kirby",
            "kind": "person",
            "parent_id": made["nsc"]["id"],
            "role": "spokesperson",
        },
    )
    made["nbc"] = await _post(
        client,
        "/v1/actors",
        {"external_id": "=HYPERLINK(nbc)", "name": "NBC News", "kind": "media_outlet"},
    )
    made["zelenskyy"] = await _post(
        client,
        "/v1/actors",
        {
            "external_id": "actor:zelenskyy",
            "name": "Володимир Зеленський",
            "aliases": ["Zelenskiy"],
        },
    )
    made["ukraine"] = await _post(
        client, "/v1/actors", {"external_id": "actor:ukraine", "name": "Ukraine", "kind": "state"}
    )
    # A parent created after its child.
    made["zelenskyy"] = await _patch(
        client, f"/v1/actors/{made['zelenskyy']['id']}", {"parent_id": made["ukraine"]["id"]}
    )
    gone = await _post(client, "/v1/actors", {"external_id": "actor:gone", "name": "Gone"})
    assert (await client.delete(f"/v1/actors/{gone['id']}")).status_code == 200
    made["gone"] = gone

    made["report"] = await _post(
        client,
        "/v1/sources",
        {
            "external_id": "source:nbc-report",
            "kind": "news_article",
            "title": "North Korean troops",
            "url": "https://news.example/north-korean-troops",
            "publisher_id": made["nbc"]["id"],
            "published_at": "2024-12-27T18:00:00+01:00",
            "language": "en",
        },
    )
    made["address"] = await _post(  # no external_id
        client,
        "/v1/sources",
        {
            "kind": "video_address",
            "title": 'Evening address: "quoted", with, commas\nand a second line',
            "language": "uk",
        },
    )
    made["kirby_claim"] = await _post(
        client,
        "/v1/claims",
        {
            "external_id": "claim:kirby-1000",
            "claimant_id": made["kirby"]["id"],
            "text": "1,000 North Korean troops were killed or injured in the last week.",
            "quote": "had been killed or injured",
            "stated_on": "2024-12-27",
            "citations": [
                {
                    "source_id": made["report"]["id"],
                    "relayed_by_id": made["nbc"]["id"],
                    "quote": "Kirby said",
                }
            ],
            "subject_ids": [made["ukraine"]["id"], made["us"]["id"]],
            "location": {"name": "Kursk", "country": "RUS", "lat": 51.73, "lon": 36.19},
            "topics": ["casualties"],
        },
    )
    made["zelenskyy_claim"] = await _post(  # no external_id
        client,
        "/v1/claims",
        {
            "claimant_id": made["zelenskyy"]["id"],
            "text": "Over 3,000 North Korean soldiers were killed or wounded.",
            "stated_on": "2024-12-01",
            "stated_on_precision": "month",
            "basis": "citing preliminary data",
            "citations": [{"source_id": made["address"]["id"]}],
            "relations": [{"claim_id": made["kirby_claim"]["id"], "relation": "contradicts"}],
            "status": "disputed",
        },
    )
    # A cycle: the first claim now contradicts the second, which contradicts it.
    made["kirby_claim"] = await _patch(
        client,
        f"/v1/claims/{made['kirby_claim']['id']}",
        {"relations": [{"claim_id": made["zelenskyy_claim"]["id"], "relation": "contradicts"}]},
    )
    made["later_claim"] = await _post(
        client,
        "/v1/claims",
        {
            "external_id": "claim:0-later",
            "claimant_id": made["zelenskyy"]["id"],
            "text": "An update.",
            "relations": [
                {"claim_id": made["zelenskyy_claim"]["id"], "relation": "supersedes"},
                {"claim_id": made["kirby_claim"]["id"], "relation": "corroborates"},
            ],
        },
    )
    made["week"] = await _post(
        client,
        "/v1/figures",
        {
            "external_id": "figure:kirby-1000",
            "claim_id": made["kirby_claim"]["id"],
            "metric": "killed_or_wounded",
            "subject_id": made["ukraine"]["id"],
            "amount": 1000,
            "period": {"start": "2024-12-20", "end": "2024-12-27", "text": "in the last week"},
            "accumulation": "incremental",
        },
    )
    made["over"] = await _post(  # no external_id
        client,
        "/v1/figures",
        {
            "claim_id": made["zelenskyy_claim"]["id"],
            "metric": "killed_or_wounded",
            "qualifier": "more_than",
            "amount": 3000,
        },
    )
    made["range"] = await _post(
        client,
        "/v1/figures",
        {
            "external_id": "figure:range",
            "claim_id": made["later_claim"]["id"],
            "metric": "captured",
            "qualifier": "range",
            "amount": 200,
            "amount_max": 300,
        },
    )
    return made


def decode_lines(body: bytes) -> list[dict[str, Any]]:
    assert body.endswith(b"\n") or not body
    return [msgspec.json.decode(line) for line in body.splitlines()]


def csv_lines(ndjson: bytes) -> bytes:
    """An NDJSON file's lines as the CSV import reads them: `kind,external_id,data`, with
    `data` as JSON text and a formula-like external_id guarded by a leading `'`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["kind", "external_id", "data"])
    for line in decode_lines(ndjson):
        data = msgspec.json.encode(line["data"]).decode()
        writer.writerow([line["kind"], csv_escape(line["external_id"]), data])
    return buffer.getvalue().encode()
