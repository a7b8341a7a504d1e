"""The v2 fields through export and import, and in the changes feed: bounds given for vague
figures (and only for them), partial dates, co-claimants, what a claim is based on, relay
chains, syndication, anonymous actors and the new actor kinds all leave in the export as
written (references as `ext:`), come back byte for byte from an empty database, change
nothing when imported again, and reach feed readers (and so webhooks, which send the same
event) in full."""

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bulk_dataset import EXT, csv_lines, decode_lines
from bulk_instances import Instance, NewInstance, instance
from claimledger_server.bulk.lines import KINDS_BY_NAME
from claimledger_server.versioning.kinds import find_references
from support.databases import wait_until_sequenced
from test_round_trip import export, import_file, revisions

V2 = tuple[Instance, dict[str, dict[str, Any]]]


async def _post(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


async def build_v2_dataset(client: Any) -> dict[str, dict[str, Any]]:
    """Every v2 field, through the API. Keys that sort against the order references need:
    the reprint of a reprint (`source:a-…`) sorts before the reprint it copies
    (`source:m-…`), which sorts before the original (`source:z-…`)."""
    made: dict[str, dict[str, Any]] = {}

    async def actor(key: str, body: dict[str, Any]) -> None:
        assert key not in made, key
        made[key] = await _post(client, "/v1/actors", body)

    await actor(
        "us_intel",
        {
            "external_id": "actor:us-intelligence",
            "name": "US intelligence",
            "kind": "intelligence_agency",
            "country": "USA",
        },
    )
    await actor(
        "hur",
        {
            "external_id": "actor:hur",
            "name": "Defence Intelligence of Ukraine",
            "kind": "intelligence_agency",
            "country": "UKR",
            "aliases": ["HUR"],
        },
    )
    await actor(
        "nis",
        {
            "external_id": "actor:nis",
            "name": "National Intelligence Service",
            "kind": "intelligence_agency",
            "country": "KOR",
            "aliases": ["NIS"],
        },
    )
    await actor(
        "lawmaker",
        {
            "external_id": "actor:lawmaker",
            "name": "a South Korean lawmaker",
            "kind": "person",
            "country": "KOR",
            "anonymous": True,
        },
    )
    await actor(  # no external_id: a via_ids entry exported under its id
        "yonhap", {"name": "Yonhap", "kind": "media_outlet", "country": "KOR"}
    )
    await actor(
        "outlet", {"external_id": "actor:nk-news", "name": "NK News", "kind": "media_outlet"}
    )
    await actor(
        "officials",
        {"external_id": "actor:western-officials", "name": "Western officials", "anonymous": True},
    )
    await actor(
        "un",
        {
            "external_id": "actor:un",
            "name": "United Nations",
            "kind": "international_organization",
        },
    )
    await actor(
        "troops",
        {
            "external_id": "actor:troops",
            "name": "North Korean troops",
            "kind": "armed_force",
            "country": "PRK",
        },
    )

    async def source(key: str, body: dict[str, Any]) -> None:
        assert key not in made, key
        made[key] = await _post(client, "/v1/sources", body)

    await source(  # a date known to the month, no instant
        "original",
        {
            "external_id": "source:z-original",
            "kind": "news_article",
            "title": "The original report",
            "publisher_id": made["yonhap"]["id"],
            "published_on": "2024-10-01",
            "published_on_precision": "month",
        },
    )
    await source(
        "wire",
        {
            "external_id": "source:m-wire",
            "kind": "news_article",
            "title": "The wire copy",
            "republished_from_id": made["original"]["id"],
        },
    )
    await source(  # republishes the wire copy; given its date later, by a PATCH
        "reprint",
        {
            "external_id": "source:a-reprint",
            "kind": "news_article",
            "title": "The reprint of the wire copy",
            "publisher_id": made["outlet"]["id"],
        },
    )
    await source(  # an instant only: its UTC day fills published_on
        "instant",
        {
            "external_id": "source:instant",
            "kind": "press_briefing",
            "title": "A briefing",
            "published_at": "2024-12-27T23:30:00-05:00",
        },
    )
    await source(  # an instant and the local day, which is not its UTC day
        "local_day",
        {
            "external_id": "source:local-day",
            "kind": "official_statement",
            "title": "A statement",
            "published_at": "2024-12-27T23:30:00-05:00",
            "published_on": "2024-12-27",
        },
    )
    await source(  # a date known to the year
        "yearly",
        {
            "external_id": "source:yearly",
            "kind": "report",
            "title": "A yearly report",
            "publisher_id": made["un"]["id"],
            "published_on": "2024-01-01",
            "published_on_precision": "year",
        },
    )
    response = await client.patch(
        f"/v1/sources/{made['reprint']['id']}",
        json={
            "republished_from_id": made["wire"]["id"],
            "published_on": "2024-11-01",
            "published_on_precision": "month",
        },
    )
    assert response.status_code == 200, response.text
    made["reprint"] = response.json()

    async def claim(key: str, body: dict[str, Any]) -> None:
        assert key not in made, key
        made[key] = await _post(client, "/v1/claims", body)

    await claim(  # a joint statement
        "joint",
        {
            "external_id": "claim:joint-estimate",
            "claimant_id": made["us_intel"]["id"],
            "co_claimant_ids": [made["hur"]["id"], made["nis"]["id"]],
            "text": "US, Ukrainian and South Korean intelligence estimate the losses.",
            "stated_on": "2024-12-01",
            "stated_on_precision": "month",
            "citations": [{"source_id": made["instant"]["id"]}],
            "subject_ids": [made["troops"]["id"]],
        },
    )
    await claim(  # the NIS → a lawmaker → Yonhap → NK News
        "relayed",
        {
            "external_id": "claim:nis-via-lawmaker",
            "claimant_id": made["nis"]["id"],
            "text": "North Korean troops suffered losses.",
            "stated_on": "2024-11-01",
            "stated_on_precision": "month",
            "citations": [
                {
                    "source_id": made["reprint"]["id"],
                    "relayed_by_id": made["outlet"]["id"],
                    "quote": "a lawmaker said, citing the NIS",
                    "via_ids": [made["lawmaker"]["id"], made["yonhap"]["id"]],
                },
                {"source_id": made["original"]["id"], "via_ids": [made["lawmaker"]["id"]]},
            ],
            "subject_ids": [made["troops"]["id"]],
        },
    )
    await claim(  # anonymous claimant; based on an actor and on nobody's data
        "officials_claim",
        {
            "external_id": "claim:officials-citing-nis",
            "claimant_id": made["officials"]["id"],
            "text": "Several hundred North Korean troops were killed.",
            "stated_on": "2024-01-01",
            "stated_on_precision": "year",
            "basis": "citing South Korea's spy agency and preliminary data",
            "based_on": [
                {"actor_id": made["nis"]["id"], "text": "citing South Korea's spy agency"},
                {"text": "preliminary data"},
            ],
            "citations": [{"source_id": made["yearly"]["id"]}],
        },
    )

    async def figure(key: str, body: dict[str, Any]) -> None:
        assert key not in made, key
        made[key] = await _post(client, "/v1/figures", body)

    on_troops = {"subject_id": made["troops"]["id"]}
    await figure(
        "several_hundred",
        {
            "external_id": "figure:several-hundred",
            "claim_id": made["officials_claim"]["id"],
            "metric": "killed",
            "qualifier": "vague",
            "low": 300,
            "high": 900,
            "text": "several hundred",
            "period": {
                "start": "2024-12-01",
                "start_precision": "month",
                "end": "2024-12-01",
                "end_precision": "month",
                "text": "in December",
            },
            "accumulation": "incremental",
            **on_troops,
        },
    )
    await figure(  # only an upper bound given: the lower one is 0
        "vague_high",
        {
            "external_id": "figure:vague-high",
            "claim_id": made["officials_claim"]["id"],
            "metric": "captured",
            "qualifier": "vague",
            "high": 99,
            "text": "a few dozen at most",
            **on_troops,
        },
    )
    await figure(  # only a lower bound given: unbounded above
        "vague_low",
        {
            "external_id": "figure:vague-low",
            "claim_id": made["joint"]["id"],
            "metric": "wounded",
            "qualifier": "vague",
            "low": 2000,
            "text": "thousands",
            "accumulation": "cumulative",
            **on_troops,
        },
    )
    await figure(
        "nearly",
        {
            "external_id": "figure:nearly",
            "claim_id": made["relayed"]["id"],
            "metric": "killed_or_wounded",
            "qualifier": "nearly",
            "amount": 1000,
            "text": "nearly 1,000",
            "accumulation": "incremental",
            "period": {"start": "2024-11-01", "end": "2024-11-07", "text": "in the first week"},
            **on_troops,
        },
    )
    await figure(
        "about",
        {
            "external_id": "figure:about",
            "claim_id": made["joint"]["id"],
            "metric": "killed_or_wounded",
            "qualifier": "approximately",
            "amount": 4000,
            "text": "about 4,000",
            "period": {
                "start": "2024-10-01",
                "start_precision": "month",
                "end": "2025-01-13",
                "text": "since October",
            },
            "accumulation": "cumulative",
            **on_troops,
        },
    )
    await figure(
        "battalion",
        {
            "external_id": "figure:battalion",
            "claim_id": made["relayed"]["id"],
            "metric": "deployed",
            "qualifier": "at_most",
            "amount": 1,
            "unit": "battalion",
            "text": "up to a battalion",
            "period": {"start": "2024-01-01", "start_precision": "year", "text": "this year"},
        },
    )
    await figure(
        "exact",
        {
            "external_id": "figure:exact",
            "claim_id": made["joint"]["id"],
            "metric": "killed",
            "amount": 1000,
            **on_troops,
        },
    )
    return made


@pytest.fixture(scope="module")
async def v2(server_dsn: str) -> AsyncIterator[V2]:
    async with instance(server_dsn) as source:
        yield source, await build_v2_dataset(source.client)


def ext(made: dict[str, dict[str, Any]], key: str) -> str:
    """How an export names a resource of the dataset: its external_id, else its id."""
    return EXT + (made[key]["external_id"] or made[key]["id"])


def by_key(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {line["external_id"]: line["data"] for line in lines}


async def test_every_v2_field_leaves_in_the_export(v2: V2) -> None:
    source, made = v2
    data = by_key(decode_lines(await export(source.client)))

    assert data["actor:us-intelligence"]["kind"] == "intelligence_agency"
    assert data["actor:un"]["kind"] == "international_organization"
    assert data["actor:lawmaker"]["anonymous"] is True
    assert data["actor:western-officials"]["anonymous"] is True
    assert data["actor:nis"]["anonymous"] is False

    original = data["source:z-original"]
    assert (original["published_on"], original["published_on_precision"]) == (
        "2024-10-01",
        "month",
    )
    assert "published_at" not in original
    assert "republished_from_id" not in original
    assert data["source:m-wire"]["republished_from_id"] == "ext:source:z-original"
    reprint = data["source:a-reprint"]
    assert reprint["republished_from_id"] == "ext:source:m-wire"
    assert (reprint["published_on"], reprint["published_on_precision"]) == ("2024-11-01", "month")
    yearly = data["source:yearly"]
    assert (yearly["published_on"], yearly["published_on_precision"]) == ("2024-01-01", "year")
    instant = data["source:instant"]  # published_at alone: its UTC day
    assert (instant["published_at"], instant["published_on"]) == (
        "2024-12-28T04:30:00Z",
        "2024-12-28",
    )
    assert instant["published_on_precision"] == "day"
    local_day = data["source:local-day"]  # both given: both kept
    assert (local_day["published_at"], local_day["published_on"]) == (
        "2024-12-28T04:30:00Z",
        "2024-12-27",
    )

    joint = data["claim:joint-estimate"]
    assert joint["claimant_id"] == "ext:actor:us-intelligence"
    assert joint["co_claimant_ids"] == ["ext:actor:hur", "ext:actor:nis"]
    assert (joint["stated_on"], joint["stated_on_precision"]) == ("2024-12-01", "month")
    assert joint["based_on"] == []
    relayed = data["claim:nis-via-lawmaker"]
    assert relayed["citations"] == [
        {
            "source_id": "ext:source:a-reprint",
            "relayed_by_id": "ext:actor:nk-news",
            "quote": "a lawmaker said, citing the NIS",
            "via_ids": ["ext:actor:lawmaker", ext(made, "yonhap")],
        },
        {
            "source_id": "ext:source:z-original",
            "relayed_by_id": None,
            "quote": None,
            "via_ids": ["ext:actor:lawmaker"],
        },
    ]
    assert ext(made, "yonhap") == EXT + made["yonhap"]["id"]
    officials = data["claim:officials-citing-nis"]
    assert officials["claimant_id"] == "ext:actor:western-officials"
    assert officials["based_on"] == [
        {"actor_id": "ext:actor:nis", "text": "citing South Korea's spy agency"},
        {"actor_id": None, "text": "preliminary data"},
    ]
    assert (officials["stated_on"], officials["stated_on_precision"]) == ("2024-01-01", "year")

    about = data["figure:about"]
    assert (about["qualifier"], about["amount"], about["accumulation"]) == (
        "approximately",
        4000,
        "cumulative",
    )
    assert about["period"] == {
        "start": "2024-10-01",
        "start_precision": "month",
        "end": "2025-01-13",
        "end_precision": "day",
        "text": "since October",
    }
    assert data["figure:nearly"]["period"] == {
        "start": "2024-11-01",
        "start_precision": "day",
        "end": "2024-11-07",
        "end_precision": "day",
        "text": "in the first week",
    }
    assert data["figure:battalion"]["period"] == {
        "start": "2024-01-01",
        "start_precision": "year",
        "end": None,
        "end_precision": None,
        "text": "this year",
    }
    assert data["figure:battalion"]["unit"] == "battalion"
    assert data["figure:several-hundred"]["period"]["end_precision"] == "month"
    assert data["figure:several-hundred"]["accumulation"] == "incremental"
    assert data["figure:exact"]["accumulation"] == "unknown"


async def test_bounds_are_exported_only_where_the_caller_gave_them(v2: V2) -> None:
    """A vague figure's `low`/`high` are its caller's words and must travel; every other
    figure's are derived from its amount, so the export leaves them out (the import would
    refuse them)."""
    source, made = v2
    data = by_key(decode_lines(await export(source.client, kinds="figure")))
    several = data["figure:several-hundred"]
    assert (several["qualifier"], several["low"], several["high"]) == ("vague", 300, 900)
    assert "amount" not in several
    # Only `high` given: `low` is 0, stored and exported; re-importing 0 is the same figure.
    vague_high = data["figure:vague-high"]
    assert (vague_high["low"], vague_high["high"]) == (0, 99)
    # Only `low` given: unbounded above, so `high` is null and left out like any null.
    vague_low = data["figure:vague-low"]
    assert vague_low["low"] == 2000
    assert "high" not in vague_low
    for key, (low, high) in {
        "figure:nearly": (900, 999),
        "figure:about": (3600, 4400),
        "figure:battalion": (0, 1),
        "figure:exact": (1000, 1000),
    }.items():
        assert "low" not in data[key], key
        assert "high" not in data[key], key
        # …while the API shows the bounds it derived.
        figure = made[key.removeprefix("figure:").replace("-", "_")]
        assert (figure["low"], figure["high"]) == (low, high), key


async def test_sources_come_after_the_source_they_republish(v2: V2) -> None:
    source, _ = v2
    lines = decode_lines(await export(source.client))
    order = [line["external_id"] for line in lines]
    # By key alone the reprint would come first; the chain puts what it copies first.
    assert "source:a-reprint" < "source:m-wire" < "source:z-original"
    assert order.index("source:z-original") < order.index("source:m-wire")
    assert order.index("source:m-wire") < order.index("source:a-reprint")
    # Only sources: the same lines, in the same order.
    sources_only = decode_lines(await export(source.client, kinds="source"))
    assert sources_only == [line for line in lines if line["kind"] == "source"]
    # Every reference (there are no claim relations here) names an earlier line: chain
    # links, co-claimants, based_on and via_ids too.
    seen: set[str] = set()
    fields: set[str] = set()
    for line in lines:
        for ref in find_references(line["data"], KINDS_BY_NAME[line["kind"]].references):
            assert ref.id.startswith(EXT), ref
            assert ref.id.removeprefix(EXT) in seen, (line["external_id"], ref)
            fields.add(ref.field)
        seen.add(line["external_id"])
    assert {
        "republished_from_id",
        "co_claimant_ids[1]",
        "based_on[0].actor_id",
        "citations[0].via_ids[1]",
    } <= fields


async def test_the_v2_export_imports_into_an_empty_database_byte_for_byte(
    v2: V2, new_instance: NewInstance
) -> None:
    source, made = v2
    first = await export(source.client)
    count = len(decode_lines(first))
    assert count == len(made)

    target = await new_instance()
    report = await import_file(target.client, first)
    assert (report["lines"], report["created"], report["updated"], report["unchanged"]) == (
        count,
        count,
        0,
        0,
    )
    assert report["kinds"] == {
        "actor": {"created": 9, "updated": 0, "unchanged": 0},
        "source": {"created": 6, "updated": 0, "unchanged": 0},
        "claim": {"created": 3, "updated": 0, "unchanged": 0},
        "figure": {"created": 7, "updated": 0, "unchanged": 0},
        "extraction": {"created": 0, "updated": 0, "unchanged": 0},
    }
    assert await export(target.client) == first
    for kinds in ("source", "claim,figure", "actor"):
        assert await export(target.client, kinds=kinds) == await export(source.client, kinds=kinds)

    # The API shows the figures as before the trip, derived bounds included.
    shown = ("qualifier", "amount", "low", "high", "unit", "text", "period", "accumulation")
    for key in ("several_hundred", "vague_high", "vague_low", "nearly", "about", "battalion"):
        figure = made[key]
        listed = await target.client.get(
            "/v1/figures", params={"external_id": figure["external_id"]}
        )
        assert listed.status_code == 200, listed.text
        (copy,) = listed.json()["data"]
        assert copy.keys() == figure.keys()
        assert {f: copy[f] for f in shown} == {f: figure[f] for f in shown}, key


async def test_reimporting_the_v2_export_changes_nothing(v2: V2, new_instance: NewInstance) -> None:
    source, _ = v2
    first = await export(source.client)
    target = await new_instance()
    await import_file(target.client, first)
    count = len(decode_lines(first))
    for app in (source, target):
        before = await revisions(app.dsn)
        report = await import_file(app.client, first)
        assert (report["lines"], report["unchanged"]) == (count, count), report
        assert report["created"] == report["updated"] == 0
        assert await revisions(app.dsn) == before
        assert await export(app.client) == first


async def test_the_v2_sheets_flatten_nested_fields(v2: V2) -> None:
    source, made = v2

    async def rows(kind: str) -> dict[str, dict[str, str]]:
        params = {"format": "csv", "kinds": kind}
        response = await source.client.get("/v1/export", params=params)
        assert response.status_code == 200, response.text
        header, *cells = csv.reader(io.StringIO(response.text, newline=""))
        return {row[0]: dict(zip(header, row, strict=True)) for row in cells}

    def ids(*keys: str) -> list[str]:
        return [made[key]["id"] for key in keys]

    claims = await rows("claim")
    joint = claims[made["joint"]["id"]]
    assert joint["co_claimant_ids"] == " | ".join(ids("hur", "nis"))
    relayed = claims[made["relayed"]["id"]]
    # One item per citation, item for item; a chain inside a citation joins with ",".
    assert relayed["citations.source_id"] == " | ".join(ids("reprint", "original"))
    assert relayed["citations.relayed_by_id"] == f"{made['outlet']['id']} | "
    assert relayed["citations.quote"] == "a lawmaker said, citing the NIS | "
    lawmaker, yonhap = ids("lawmaker", "yonhap")
    assert relayed["citations.via_ids"] == f"{lawmaker},{yonhap} | {lawmaker}"
    officials = claims[made["officials_claim"]["id"]]
    assert officials["based_on.actor_id"] == f"{made['nis']['id']} | "
    assert officials["based_on.text"] == "citing South Korea's spy agency | preliminary data"
    assert (officials["stated_on"], officials["stated_on_precision"]) == ("2024-01-01", "year")

    figures = await rows("figure")
    several = figures[made["several_hundred"]["id"]]
    assert (several["qualifier"], several["low"], several["high"]) == ("vague", "300", "900")
    assert several["period.start_precision"] == several["period.end_precision"] == "month"
    assert several["claim.stated_on_precision"] == "year"
    assert several["claim.claimant_id"] == made["officials"]["id"]
    joint_figures = [row for row in figures.values() if row["claim_id"] == made["joint"]["id"]]
    for row in joint_figures:
        assert row["claim.co_claimant_ids"] == " | ".join(ids("hur", "nis"))

    sources = await rows("source")
    reprinted = made["reprint"]["republished_from_id"]
    assert reprinted
    assert sources[made["reprint"]["id"]]["republished_from_id"] == reprinted
    actors = await rows("actor")
    assert actors[made["lawmaker"]["id"]]["anonymous"] == "true"


async def test_the_v2_lines_round_trip_in_csv(v2: V2, new_instance: NewInstance) -> None:
    """Import lines written as CSV (`kind,external_id,data`) carry every nested field."""
    source, _ = v2
    ndjson = await export(source.client)
    csv_file = csv_lines(ndjson)
    spreadsheet = await new_instance()
    report = await import_file(spreadsheet.client, csv_file, "text/csv")
    assert report["created"] == len(decode_lines(ndjson))
    assert await export(spreadsheet.client) == ndjson
    again = await import_file(spreadsheet.client, csv_file, "text/csv")
    assert again["unchanged"] == len(decode_lines(ndjson))


async def _feed(client: Any, types: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        response = await client.get("/v1/events", params={"after": after, "types": types})
        assert response.status_code == 200, response.text
        page = response.json()["data"]
        if not page:
            return events
        events += page
        after = page[-1]["seq"]


async def test_the_feed_carries_the_v2_fields(v2: V2) -> None:
    """Feed readers (and webhook receivers, which get the same event) see every new field in
    `data`: the resource as the API shows it, derived bounds included."""
    source, made = v2
    await wait_until_sequenced(source.dsn)
    created = {
        (e["type"], e["resource_id"]): e
        for e in await _feed(source.client, "claim.created,figure.created,source.*")
    }

    def data(event_type: str, key: str) -> dict[str, Any]:
        found: dict[str, Any] = created[(event_type, made[key]["id"])]["data"]
        return found

    joint = data("claim.created", "joint")
    assert joint == made["joint"]
    assert joint["co_claimant_ids"] == [made["hur"]["id"], made["nis"]["id"]]
    assert joint["stated_on_precision"] == "month"
    relayed = data("claim.created", "relayed")
    assert relayed == made["relayed"]
    assert relayed["citations"][0]["via_ids"] == [made["lawmaker"]["id"], made["yonhap"]["id"]]
    officials = data("claim.created", "officials_claim")
    assert officials == made["officials_claim"]
    assert officials["based_on"] == [
        {"actor_id": made["nis"]["id"], "text": "citing South Korea's spy agency"},
        {"actor_id": None, "text": "preliminary data"},
    ]

    several = data("figure.created", "several_hundred")
    assert several == made["several_hundred"]
    assert (several["qualifier"], several["low"], several["high"]) == ("vague", 300, 900)
    assert several["period"]["start_precision"] == several["period"]["end_precision"] == "month"
    assert several["accumulation"] == "incremental"
    nearly = data("figure.created", "nearly")
    assert (nearly["qualifier"], nearly["low"], nearly["high"]) == ("nearly", 900, 999)
    about = data("figure.created", "about")
    assert (about["low"], about["high"], about["accumulation"]) == (3600, 4400, "cumulative")

    # The reprint got its chain link and its date by an update.
    update = created[("source.updated", made["reprint"]["id"])]
    assert update["version"] == 2
    assert update["data"] == made["reprint"]
    assert update["data"]["republished_from_id"] == made["wire"]["id"]
    assert (update["data"]["published_on"], update["data"]["published_on_precision"]) == (
        "2024-11-01",
        "month",
    )
    first = created[("source.created", made["reprint"]["id"])]["data"]
    assert (first["republished_from_id"], first["published_on"]) == (None, None)
    original = data("source.created", "original")
    assert (original["published_on"], original["published_on_precision"]) == (
        "2024-10-01",
        "month",
    )
    assert original["published_at"] is None
    instant = data("source.created", "instant")
    assert (instant["published_at"], instant["published_on"]) == (
        "2024-12-28T04:30:00Z",
        "2024-12-28",
    )
