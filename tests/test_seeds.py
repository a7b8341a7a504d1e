"""The seed article, loaded line by line through the HTTP API exactly as a client would, must
come back as the article says: claimants, relays, dates and precisions, and the numbers."""

from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from claimledger_server.bulk.lines import KINDS_BY_NAME, import_records, ndjson_records
from claimledger_server.versioning.kinds import find_references
from claimledger_server.versioning.store import Author

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_62bc01ecef06bc27.ndjson"


def seed_lines() -> list[dict[str, Any]]:
    return [msgspec.json.decode(line) for line in SEED.read_bytes().splitlines() if line.strip()]


def resolve(data: Any, ids: dict[str, str]) -> Any:
    if isinstance(data, dict):
        return {k: resolve(v, ids) for k, v in data.items()}
    if isinstance(data, list):
        return [resolve(v, ids) for v in data]
    if isinstance(data, str) and data.startswith("ext:"):
        return ids[data.removeprefix("ext:")]
    return data


@pytest.fixture(scope="module")
async def seeded(client: Any) -> dict[str, dict[str, Any]]:
    """external_id → the resource as the API returns it after a plain POST of each line."""
    ids: dict[str, str] = {}
    stored: dict[str, dict[str, Any]] = {}
    for line in seed_lines():
        plural = KINDS_BY_NAME[line["kind"]].table
        body = {**resolve(line["data"], ids), "external_id": line["external_id"]}
        response = await client.post(f"/v1/{plural}", json=body)
        assert response.status_code == 201, (line["external_id"], response.text)
        ids[line["external_id"]] = response.json()["id"]
    for line in seed_lines():
        plural = KINDS_BY_NAME[line["kind"]].table
        response = await client.get(f"/v1/{plural}/{ids[line['external_id']]}")
        assert response.status_code == 200
        stored[line["external_id"]] = response.json()
    return stored


def test_every_reference_points_to_an_earlier_line() -> None:
    seen: set[str] = set()
    for line in seed_lines():
        kind = KINDS_BY_NAME[line["kind"]]
        for ref in find_references(line["data"], kind.references):
            assert ref.id.startswith("ext:"), ref
            assert ref.id.removeprefix("ext:") in seen, (line["external_id"], ref)
        seen.add(line["external_id"])


async def test_actors_the_article_names(seeded: dict[str, dict[str, Any]]) -> None:
    names = {doc["name"] for key, doc in seeded.items() if key.startswith("actor:")}
    for expected in (
        "John Kirby",
        "White House National Security Council",
        "United States",
        "NBC News",
        "Volodymyr Zelenskyy",
        "Ukraine",
        "Ukrainian forces",
        "North Korea",
        "Russia",
        "China",
    ):
        assert expected in names
    kirby = seeded["actor:john-kirby"]
    council = seeded["actor:white-house-national-security-council"]
    assert (kirby["kind"], kirby["role"]) == ("person", "spokesperson")
    assert kirby["parent_id"] == council["id"]
    assert council["parent_id"] == seeded["actor:united-states"]["id"]
    assert seeded["actor:nbc-news"]["kind"] == "media_outlet"
    assert "Zelenskiy" in seeded["actor:volodymyr-zelenskyy"]["aliases"]
    troops = seeded["actor:north-korean-troops-in-russia"]
    assert troops["parent_id"] == seeded["actor:north-korea"]["id"]


async def test_kirby_claims_are_relayed_by_nbc(seeded: dict[str, dict[str, Any]]) -> None:
    kirby, nbc = seeded["actor:john-kirby"]["id"], seeded["actor:nbc-news"]["id"]
    report = seeded["source:nbc-news-report"]
    assert report["publisher_id"] == nbc
    for key in (
        "claim:kirby-some-took-own-lives-rather-than-surrender",
        "claim:kirby-suicides-fear-of-reprisal-against-families",
        "claim:kirby-1000-killed-or-injured-last-week",
        "claim:kirby-leaders-treat-troops-as-expendable",
    ):
        claim = seeded[key]
        assert claim["claimant_id"] == kirby
        assert (claim["stated_on"], claim["stated_on_precision"]) == ("2024-12-27", "day")
        assert any(
            c["source_id"] == report["id"] or c["relayed_by_id"] == nbc for c in claim["citations"]
        )
        assert all(c["relayed_by_id"] in (None, nbc) for c in claim["citations"])
    reprisal = seeded["claim:kirby-suicides-fear-of-reprisal-against-families"]
    assert "fear of reprisal against their families" in reprisal["quote"]


async def test_zelenskyy_claims_cite_the_video_address(
    seeded: dict[str, dict[str, Any]],
) -> None:
    zelenskyy = seeded["actor:volodymyr-zelenskyy"]["id"]
    address = seeded["source:zelenskyy-video-address-2024-12-23"]
    assert address["kind"] == "video_address"
    kursk = seeded["claim:zelenskyy-over-3000-killed-or-wounded-kursk"]
    assert kursk["basis"] == "citing preliminary data"
    assert kursk["location"]["country"] == "RUS"
    china = seeded["claim:zelenskyy-urges-china-to-pressure-north-korea"]
    assert seeded["actor:china"]["id"] in china["subject_ids"]
    for key in (
        "claim:zelenskyy-over-3000-killed-or-wounded-kursk",
        "claim:zelenskyy-some-executed-by-own-forces",
        "claim:zelenskyy-few-captured-severely-wounded-not-saved",
        "claim:zelenskyy-urges-china-to-pressure-north-korea",
    ):
        claim = seeded[key]
        assert claim["claimant_id"] == zelenskyy
        assert (claim["stated_on"], claim["stated_on_precision"]) == ("2024-12-23", "day")
        assert address["id"] in {c["source_id"] for c in claim["citations"]}


async def test_the_competing_numbers(seeded: dict[str, dict[str, Any]]) -> None:
    week = seeded["figure:kirby-1000-killed-or-injured-last-week"]
    assert week["claim_id"] == seeded["claim:kirby-1000-killed-or-injured-last-week"]["id"]
    assert (week["metric"], week["qualifier"], week["amount"]) == (
        "killed_or_wounded",
        "exact",
        1000,
    )
    assert (week["low"], week["high"]) == (1000, 1000)
    assert week["period"] == {
        "start": "2024-12-20",
        "end": "2024-12-27",
        "text": "in the last week",
    }
    kursk = seeded["figure:zelenskyy-over-3000-killed-or-wounded-kursk"]
    assert (kursk["qualifier"], kursk["amount"]) == ("more_than", 3000)
    assert (kursk["low"], kursk["high"]) == (3001, None)
    troops = seeded["actor:north-korean-troops-in-russia"]["id"]
    assert week["subject_id"] == kursk["subject_id"] == troops
    for key, metric in (
        ("figure:kirby-some-took-own-lives", "suicides"),
        ("figure:zelenskyy-some-executed-by-own-forces", "executed"),
        ("figure:zelenskyy-few-taken-prisoner", "captured"),
    ):
        figure = seeded[key]
        assert (figure["metric"], figure["qualifier"]) == (metric, "unspecified")
        assert (figure["amount"], figure["low"], figure["high"]) == (None, None, None)


async def test_the_seed_loader_agrees_with_the_api(
    seeded: dict[str, dict[str, Any]], database_url: str
) -> None:
    """`claimledger seed` upserts by external_id: over what the API stored from the same
    file it finds nothing to change, so it writes no new version."""
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            outcome = await import_records(
                conn, lambda: ndjson_records(SEED.read_bytes()), Author(None, None)
            )
    finally:
        await conn.close()
    assert (outcome.lines, outcome.unchanged) == (len(seed_lines()), len(seed_lines()))
    assert outcome.created == outcome.updated == 0
