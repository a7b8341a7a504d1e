"""GET /v1/export?format=csv: one kind per file, one column per field, read back with the
csv module exactly as written — quotes, newlines, commas and any script — and never run as
a formula by a spreadsheet."""

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from bulk_dataset import build_dataset
from bulk_instances import Instance, NewInstance
from claimledger_server.bulk import spreadsheet
from claimledger_server.bulk.spreadsheet import SHEETS, sheet_chunks
from factories import assert_problem

Populated = tuple[Instance, dict[str, Any]]

META = ["id", "version", "created_at", "updated_at", "deleted", "external_id"]
LOCATION = [f"location.{m}" for m in ("name", "country", "admin1", "lat", "lon")]
COLUMNS = {
    "actor": [
        *META,
        *("name", "kind", "aliases", "country", "parent_id", "parent.name", "role"),
        *("description", "external_ids", "anonymous"),
    ],
    "source": [
        *META,
        *("kind", "title", "url", "publisher_id", "publisher.name", "published_at"),
        *("language", "archived_url", "content_sha256", "published_on"),
        *("published_on_precision", "republished_from_id"),
    ],
    "claim": [
        *META,
        *("claimant_id", "claimant.name", "text", "quote", "stated_on", "stated_on_precision"),
        "basis",
        *("citations.source_id", "citations.relayed_by_id", "citations.quote"),
        "citations.via_ids",
        "subject_ids",
        *LOCATION,
        *("topics", "status", "relations.claim_id", "relations.relation", "co_claimant_ids"),
        *("based_on.actor_id", "based_on.text"),
    ],
    "figure": [
        *META,
        *("claim_id", "claim.claimant_id", "claim.claimant.name", "claim.co_claimant_ids"),
        *("claim.stated_on", "claim.stated_on_precision"),
        *("metric", "subject_id", "subject.name", "amount", "qualifier", "amount_max", "unit"),
        "text",
        *("period.start", "period.start_precision", "period.end", "period.end_precision"),
        *("period.text", "accumulation", *LOCATION, "low", "high"),
    ],
}
PLURAL = {"actor": "actors", "source": "sources", "claim": "claims", "figure": "figures"}
PREFIX = {"actor": "act_", "source": "src_", "claim": "clm_", "figure": "fig_"}
DOC = Path(__file__).resolve().parents[2] / "docs" / "spreadsheets.md"


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_the_columns_are_documented(kind: str) -> None:
    """docs/spreadsheets.md has a table per kind naming every column, in order."""
    section = DOC.read_text(encoding="utf-8").split(f"#### `{kind}`\n", 1)[1]
    section = section.split("\n#", 1)[0]
    assert re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE) == COLUMNS[kind]


async def sheet(client: Any, kind: str, **params: str) -> list[dict[str, str]]:
    """The rows of a kind's CSV export, by column name."""
    response = await client.get("/v1/export", params={"format": "csv", "kinds": kind, **params})
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert rows, "a CSV export always has its header"
    assert all(len(row) == len(rows[0]) for row in rows)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("kind", list(COLUMNS))
async def test_every_kind_exports_as_a_sheet_of_its_own(populated: Populated, kind: str) -> None:
    source, made = populated
    response = await source.client.get("/v1/export", params={"format": "csv", "kinds": kind})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="claimledger-{PLURAL[kind]}.csv"'
    assert not response.content.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(response.text)))
    assert header == COLUMNS[kind] == [column.name for column in SHEETS[kind].columns]
    assert response.text.endswith("\r\n")

    rows = await sheet(source.client, kind)
    live = [
        resource["id"]
        for key, resource in made.items()
        if key != "gone" and resource["id"].startswith(PREFIX[kind])
    ]
    assert sorted(row["id"] for row in rows) == sorted(live)
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)  # creation order
    assert {row["deleted"] for row in rows} == {"false"}


async def test_a_claim_row_flattens_its_fields(populated: Populated) -> None:
    source, made = populated
    rows = {row["id"]: row for row in await sheet(source.client, "claim")}
    kirby = rows[made["kirby_claim"]["id"]]
    assert kirby["claimant_id"] == made["kirby"]["id"]
    assert kirby["claimant.name"] == "John Kirby"
    assert kirby["stated_on"] == "2024-12-27"
    assert kirby["stated_on_precision"] == "day"
    assert kirby["basis"] == ""  # null: an empty cell
    assert kirby["citations.source_id"] == made["report"]["id"]
    assert kirby["citations.relayed_by_id"] == made["nbc"]["id"]
    assert kirby["citations.quote"] == "Kirby said"
    assert kirby["citations.via_ids"] == ""
    assert kirby["subject_ids"] == f"{made['ukraine']['id']} | {made['us']['id']}"
    assert [kirby[c] for c in LOCATION] == ["Kursk", "RUS", "", "51.73", "36.19"]
    assert kirby["topics"] == "casualties"
    assert kirby["relations.claim_id"] == made["zelenskyy_claim"]["id"]
    assert kirby["relations.relation"] == "contradicts"
    assert kirby["version"] == str(made["kirby_claim"]["version"])
    assert kirby["created_at"] == made["kirby_claim"]["created_at"]

    later = rows[made["later_claim"]["id"]]
    assert later["relations.claim_id"] == (
        f"{made['zelenskyy_claim']['id']} | {made['kirby_claim']['id']}"
    )
    assert later["relations.relation"] == "supersedes | corroborates"
    assert later["stated_on"] == later["stated_on_precision"] == ""
    zelenskyy = rows[made["zelenskyy_claim"]["id"]]
    assert zelenskyy["claimant.name"] == "Володимир Зеленський"
    assert (zelenskyy["stated_on"], zelenskyy["stated_on_precision"]) == ("2024-12-01", "month")


async def test_a_figure_row_says_who_stated_it_and_when(populated: Populated) -> None:
    source, made = populated
    rows = {row["id"]: row for row in await sheet(source.client, "figure")}
    week = rows[made["week"]["id"]]
    assert week["claim_id"] == made["kirby_claim"]["id"]
    assert week["claim.claimant_id"] == made["kirby"]["id"]
    assert week["claim.claimant.name"] == "John Kirby"
    assert week["claim.co_claimant_ids"] == ""
    assert (week["claim.stated_on"], week["claim.stated_on_precision"]) == ("2024-12-27", "day")
    assert (week["subject_id"], week["subject.name"]) == (made["ukraine"]["id"], "Ukraine")
    assert (week["amount"], week["qualifier"], week["low"], week["high"]) == (
        "1000",
        "exact",
        "1000",
        "1000",
    )
    assert (week["period.start"], week["period.end"]) == ("2024-12-20", "2024-12-27")
    assert week["period.start_precision"] == "day"
    assert week["period.text"] == "in the last week"
    over = rows[made["over"]["id"]]
    assert (over["low"], over["high"], over["subject.name"]) == ("3001", "", "")
    assert over["claim.claimant.name"] == "Володимир Зеленський"
    assert over["claim.stated_on_precision"] == "month"


async def test_actor_and_source_rows(populated: Populated) -> None:
    source, made = populated
    actors = {row["id"]: row for row in await sheet(source.client, "actor")}
    us = actors[made["us"]["id"]]
    assert us["aliases"] == "USA | US"
    assert us["external_ids"] == "wikidata=Q30"
    assert us["anonymous"] == "false"
    assert us["parent_id"] == us["parent.name"] == ""
    kirby = actors[made["kirby"]["id"]]
    assert (kirby["parent_id"], kirby["parent.name"]) == (
        made["nsc"]["id"],
        "National Security Council",
    )
    assert actors[made["nbc"]["id"]]["external_id"] == "'=HYPERLINK(nbc)"
    assert actors[made["nsc"]["id"]]["external_id"] == ""

    sources = {row["id"]: row for row in await sheet(source.client, "source")}
    report = sources[made["report"]["id"]]
    assert (report["publisher_id"], report["publisher.name"]) == (made["nbc"]["id"], "NBC News")
    assert report["published_at"] == made["report"]["published_at"]
    assert report["published_on"] == "2024-12-27"
    address = sources[made["address"]["id"]]
    assert address["title"] == 'Evening address: "quoted", with, commas\nand a second line'


async def test_tricky_text_reads_back_exactly(new_instance: NewInstance) -> None:
    app = await new_instance()
    client = app.client
    tricky = 'Said: "over 3,000",\r\nthen — «більше 3 000», 3千人 🙂'
    actor = await client.post("/v1/actors", json={"name": "=SUM(A1:A9)", "aliases": ["-1", "a"]})
    assert actor.status_code == 201, actor.text
    body = {
        "claimant_id": actor.json()["id"],
        "text": tricky,
        "quote": "+cmd|' /C calc'!A0",
        "basis": "@here 'quoted'",
        "location": {"name": "Somewhere, far", "lat": -33.92, "lon": -70.5},
        "topics": ["a", "b"],
    }
    made = await client.post("/v1/claims", json=body)
    assert made.status_code == 201, made.text

    response = await client.get("/v1/export", params={"format": "csv", "kinds": "claim"})
    assert '"Said: ""over 3,000"",\r\nthen' in response.text  # quoted as RFC 4180 says
    (row,) = await sheet(client, "claim")
    assert row["text"] == tricky
    assert row["claimant.name"] == "'=SUM(A1:A9)"
    assert row["quote"] == "'+cmd|' /C calc'!A0"
    assert row["basis"] == "'@here 'quoted'"
    assert row["location.name"] == "Somewhere, far"
    assert (row["location.lat"], row["location.lon"]) == ("-33.92", "-70.5")  # numbers stay
    (person,) = await sheet(client, "actor")
    assert person["name"] == "'=SUM(A1:A9)"
    assert person["aliases"] == "'-1 | a"


async def test_bom_for_excel(populated: Populated) -> None:
    source, _ = populated
    plain = await source.client.get("/v1/export", params={"format": "csv", "kinds": "actor"})
    marked = await source.client.get(
        "/v1/export", params={"format": "csv", "kinds": "actor", "bom": "true"}
    )
    assert marked.status_code == 200, marked.text
    assert marked.content == b"\xef\xbb\xbf" + plain.content
    assert marked.content.decode("utf-8-sig") == plain.text
    off = await source.client.get(
        "/v1/export", params={"format": "csv", "kinds": "actor", "bom": "false"}
    )
    assert off.content == plain.content


@pytest.mark.parametrize(
    "params",
    [
        {"format": "csv", "kinds": "claim,figure"},
        {"format": "csv", "kinds": "actor,source,claim,figure"},
        {"format": "csv"},
    ],
)
async def test_a_csv_export_takes_exactly_one_kind(client: Any, params: dict[str, str]) -> None:
    problem = assert_problem(await client.get("/v1/export", params=params), 422, "kinds")
    assert "exactly one kind" in problem["errors"][0]["message"]


async def test_bom_is_for_csv_only(client: Any) -> None:
    response = await client.get("/v1/export", params={"bom": "true", "kinds": "actor"})
    assert_problem(response, 422, "bom")
    assert_problem(await client.get("/v1/export", params={"bom": "yes"}), 400, "bom")


async def test_the_sheet_as_of_a_moment(new_instance: NewInstance) -> None:
    app = await new_instance()
    made = await build_dataset(app.client)
    before = await sheet(app.client, "figure")
    conn = await asyncpg.connect(app.dsn)
    try:
        moment: datetime = await conn.fetchval("SELECT clock_timestamp()")
    finally:
        await conn.close()
    client = app.client
    kirby = made["kirby"]["id"]
    assert (await client.patch(f"/v1/actors/{kirby}", json={"name": "J. Kirby"})).is_success
    claim = made["kirby_claim"]["id"]
    patched = await client.patch(f"/v1/claims/{claim}", json={"stated_on": "2024-12-28"})
    assert patched.is_success
    assert (await client.delete(f"/v1/figures/{made['range']['id']}")).is_success

    assert await sheet(client, "figure", as_of=moment.isoformat()) == before
    now = {row["id"]: row for row in await sheet(client, "figure")}
    assert made["range"]["id"] not in now
    week = now[made["week"]["id"]]
    assert (week["claim.claimant.name"], week["claim.stated_on"]) == ("J. Kirby", "2024-12-28")
    assert await sheet(client, "claim", as_of="2000-01-01T00:00:00Z") == []


async def test_the_sheet_is_written_in_chunks(
    populated: Populated, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are sent as they are read, never gathered into one body."""
    source, _ = populated
    monkeypatch.setattr(spreadsheet, "CHUNK_BYTES", 1)
    async with asyncpg.create_pool(source.dsn, min_size=1, max_size=1) as pool:
        chunks = [chunk async for chunk in sheet_chunks(pool, "actor", None, False)]
    whole = (await source.client.get("/v1/export?format=csv&kinds=actor")).content
    assert b"".join(chunks) == whole
    assert len(chunks) == whole.count(b"\r\n") - 1  # the header goes with the first row


async def test_the_sheet_does_not_import(populated: Populated) -> None:
    source, _ = populated
    exported = await source.client.get("/v1/export", params={"format": "csv", "kinds": "actor"})
    response = await source.client.post(
        "/v1/import", content=exported.content, headers={"content-type": "text/csv"}
    )
    problem = assert_problem(response, 422)
    [error] = problem["errors"]
    assert (error["line"], error["field"]) == (1, "header")
    assert "import the NDJSON export" in error["message"]
