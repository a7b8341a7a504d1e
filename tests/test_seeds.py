"""The seed article, loaded line by line through the HTTP API exactly as a client would, must
come back as the article says: claimants, relays, dates and precisions, and the numbers."""

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from claimledger_server.bulk.lines import KINDS_BY_NAME, import_records, ndjson_records
from claimledger_server.cli import seed_directory
from claimledger_server.versioning.kinds import find_references
from claimledger_server.versioning.store import Author
from support.databases import fresh_database

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
    article = seeded["source:seed-article"]
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
        # Kirby's words reached both sources through NBC News: its own report, and the seed
        # article, which has them "as per a report in NBC News". Nobody stood between Kirby
        # and NBC News, so neither citation has a `via_ids` chain.
        by_source = {c["source_id"]: c for c in claim["citations"]}
        assert set(by_source) == {report["id"], article["id"]}
        for citation in by_source.values():
            assert (citation["relayed_by_id"], citation["via_ids"]) == (nbc, [])
    reprisal = seeded["claim:kirby-suicides-fear-of-reprisal-against-families"]
    assert "fear of reprisal against their families" in reprisal["quote"]
    # Only Kirby's words came through NBC News.
    for key, doc in seeded.items():
        if key.startswith("claim:") and doc["claimant_id"] != kirby:
            assert all(c["relayed_by_id"] is None for c in doc["citations"]), key
            assert all(c["via_ids"] == [] for c in doc["citations"]), key


async def test_zelenskyy_claims_cite_the_video_address(
    seeded: dict[str, dict[str, Any]],
) -> None:
    zelenskyy = seeded["actor:volodymyr-zelenskyy"]["id"]
    address = seeded["source:zelenskyy-video-address-2024-12-23"]
    assert address["kind"] == "video_address"
    kursk = seeded["claim:zelenskyy-over-3000-killed-or-wounded-kursk"]
    assert kursk["basis"] == "citing preliminary data"
    # "citing preliminary data": no actor the article names stands behind it.
    assert kursk["based_on"] == [{"actor_id": None, "text": "preliminary data"}]
    for key, doc in seeded.items():
        if key.startswith("claim:") and key != "claim:zelenskyy-over-3000-killed-or-wounded-kursk":
            assert (doc["based_on"], doc["co_claimant_ids"]) == ([], []), key
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
    # "in the last week" said on 2024-12-27: both ends known to the day.
    assert week["period"] == {
        "start": "2024-12-20",
        "start_precision": "day",
        "end": "2024-12-27",
        "end_precision": "day",
        "text": "in the last week",
    }
    kursk = seeded["figure:zelenskyy-over-3000-killed-or-wounded-kursk"]
    assert (kursk["qualifier"], kursk["amount"]) == ("more_than", 3000)
    assert (kursk["low"], kursk["high"]) == (3001, None)
    troops = seeded["actor:north-korean-troops-in-russia"]["id"]
    assert week["subject_id"] == kursk["subject_id"] == troops
    # "some": no magnitude at all.
    for key, metric in (
        ("figure:kirby-some-took-own-lives", "suicides"),
        ("figure:zelenskyy-some-executed-by-own-forces", "executed"),
    ):
        figure = seeded[key]
        assert (figure["metric"], figure["qualifier"]) == (metric, "unspecified")
        assert (figure["amount"], figure["low"], figure["high"]) == (None, None, None)
    # "a few North Korean soldiers prisoner, but they … could not be saved": a few taken,
    # the same few dead; "a few" is 2-5 in the design's lexicon of vague words.
    for key, metric in (
        ("figure:zelenskyy-few-taken-prisoner", "captured"),
        ("figure:zelenskyy-captured-could-not-be-saved", "killed"),
    ):
        figure = seeded[key]
        assert (figure["metric"], figure["qualifier"]) == (metric, "vague")
        assert (figure["amount"], figure["low"], figure["high"]) == (None, 2, 5)
        assert "a few" in figure["text"]


async def test_the_figures_say_what_they_accumulate(seeded: dict[str, dict[str, Any]]) -> None:
    """A weekly toll and a running total are different quantities: "in the last week alone"
    counts that week only; "over 3,000 … killed or wounded in the Kursk region" is the toll
    so far. The article gives no span for the others."""
    accumulation = {
        key: doc["accumulation"] for key, doc in seeded.items() if key.startswith("figure:")
    }
    assert accumulation == {
        "figure:kirby-1000-killed-or-injured-last-week": "incremental",
        "figure:zelenskyy-over-3000-killed-or-wounded-kursk": "cumulative",
        "figure:zelenskyy-some-executed-by-own-forces": "unknown",
        "figure:zelenskyy-few-taken-prisoner": "unknown",
        "figure:zelenskyy-captured-could-not-be-saved": "unknown",
        "figure:kirby-some-took-own-lives": "unknown",
    }
    # "in the last week" is the only span the article gives a figure.
    periods = {key for key, doc in seeded.items() if key.startswith("figure:") and doc["period"]}
    assert periods == {"figure:kirby-1000-killed-or-injured-last-week"}


async def test_sources_carry_the_dates_the_article_gives(
    seeded: dict[str, dict[str, Any]],
) -> None:
    """Zelenskyy "said on Monday (December 23)" "in his video address": its day is known,
    its instant is not. No seed source has an instant of publication."""
    address = seeded["source:zelenskyy-video-address-2024-12-23"]
    assert (address["published_on"], address["published_on_precision"]) == ("2024-12-23", "day")
    assert address["published_at"] is None
    for line in seed_lines():
        if line["kind"] == "source":
            assert "published_at" not in line["data"], line["external_id"]
            assert seeded[line["external_id"]]["published_at"] is None
    # The article is no reprint of NBC News's report: it carries Zelenskyy's words too.
    assert all(
        doc["republished_from_id"] is None
        for key, doc in seeded.items()
        if key.startswith("source:")
    )
    # Everyone the article names is named: no anonymous actor.
    assert not any(doc["anonymous"] for key, doc in seeded.items() if key.startswith("actor:"))


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


async def _revisions(dsn: str) -> int:
    """Every version ever written, and every event."""
    conn = await asyncpg.connect(dsn)
    try:
        total = 0
        for kind in KINDS_BY_NAME.values():
            total += await conn.fetchval(f"SELECT count(*) FROM {kind.table}_history")
        return total + int(await conn.fetchval("SELECT count(*) FROM events"))
    finally:
        await conn.close()


async def test_claimledger_seed_twice_writes_once(server_dsn: str) -> None:
    """`claimledger seed` (`make serve` runs it at every start) loads the file into an empty
    database; run again, it finds every line unchanged and writes no version, no event."""
    count = len(seed_lines())
    async with fresh_database(server_dsn, "claimledger_seed") as dsn:
        # seed_directory runs its own event loop, as the command does.
        first = await asyncio.to_thread(seed_directory, dsn, SEED.parent)
        assert f"{SEED.name}: {count} created, 0 updated, 0 unchanged" in first.split("; ")
        before = await _revisions(dsn)
        second = await asyncio.to_thread(seed_directory, dsn, SEED.parent)
        assert f"{SEED.name}: 0 created, 0 updated, {count} unchanged" in second.split("; ")
        assert await _revisions(dsn) == before
