"""Export → import into an empty database → export again gives the same bytes; importing
an export back into its own database changes nothing."""

import csv
import io
from datetime import datetime
from typing import Any

import asyncpg
from bulk_dataset import EXT, build_dataset, csv_lines, decode_lines
from bulk_instances import Instance, NewInstance, instance
from claimledger_server.bulk.lines import KINDS_BY_NAME
from claimledger_server.versioning.kinds import find_references

NDJSON = {"content-type": "application/x-ndjson"}
Populated = tuple[Instance, dict[str, Any]]


async def export(client: Any, **params: str) -> bytes:
    response = await client.get("/v1/export", params=params)
    assert response.status_code == 200, response.text
    body: bytes = response.content
    return body


async def import_file(client: Any, body: bytes, media_type: str = NDJSON["content-type"]) -> Any:
    response = await client.post("/v1/import", content=body, headers={"content-type": media_type})
    assert response.status_code == 200, response.text
    return response.json()


async def revisions(dsn: str) -> int:
    """Every version ever written, and every event: a re-import must add to neither."""
    conn = await asyncpg.connect(dsn)
    try:
        total = 0
        for table in ("actors", "sources", "claims", "figures"):
            total += await conn.fetchval(f"SELECT count(*) FROM {table}_history")
        return total + int(await conn.fetchval("SELECT count(*) FROM events"))
    finally:
        await conn.close()


async def test_export_imports_into_an_empty_database_and_exports_the_same(
    populated: Populated, new_instance: NewInstance
) -> None:
    source, made = populated
    first = await export(source.client)
    lines = decode_lines(first)
    live = [key for key in made if key != "gone"]
    assert len(lines) == len(live)

    target = await new_instance()
    report = await import_file(target.client, first)
    assert (report["lines"], report["created"], report["updated"], report["unchanged"]) == (
        len(live),
        len(live),
        0,
        0,
    )
    assert report["kinds"] == {
        "actor": {"created": 6, "updated": 0, "unchanged": 0},
        "source": {"created": 2, "updated": 0, "unchanged": 0},
        "claim": {"created": 3, "updated": 0, "unchanged": 0},
        "figure": {"created": 3, "updated": 0, "unchanged": 0},
        "extraction": {"created": 0, "updated": 0, "unchanged": 0},
    }
    assert await export(target.client) == first

    # The same lines in CSV import as well, into yet another empty database.
    spreadsheet = await new_instance()
    csv_file = csv_lines(first)
    assert (await import_file(spreadsheet.client, csv_file, "text/csv"))["created"] == len(live)
    assert await export(spreadsheet.client) == first


async def test_reimporting_an_export_changes_nothing(
    populated: Populated, new_instance: NewInstance
) -> None:
    source, _ = populated
    first = await export(source.client)
    target = await new_instance()
    await import_file(target.client, first)

    for app in (source, target):
        before = await revisions(app.dsn)
        report = await import_file(app.client, first)
        count = len(decode_lines(first))
        assert (report["lines"], report["unchanged"]) == (count, count), report
        assert report["created"] == report["updated"] == 0
        assert await revisions(app.dsn) == before
        assert await export(app.client) == first


async def test_the_export_line_shape(populated: Populated) -> None:
    source, made = populated
    lines = decode_lines(await export(source.client))
    kinds = [line["kind"] for line in lines]
    assert kinds == sorted(kinds, key=["actor", "source", "claim", "figure"].index)
    by_key = {line["external_id"]: line for line in lines}
    for line in lines:
        assert set(line) == {"kind", "external_id", "data"}
        assert not {"id", "version", "created_at", "updated_at", "deleted", "external_id"} & set(
            line["data"]
        )
    # Keys: the external_id, else the id.
    assert made["nsc"]["id"] in by_key
    assert made["address"]["id"] in by_key
    assert made["over"]["id"] in by_key
    assert "actor:gone" not in by_key
    # Every reference is `ext:` and, but for claim relations, names an earlier line.
    seen: set[str] = set()
    for line in lines:
        kind = KINDS_BY_NAME[line["kind"]]
        for ref in find_references(line["data"], kind.references):
            assert ref.id.startswith(EXT), ref
            assert ref.id.removeprefix(EXT) in by_key, ref
            if not ref.field.startswith("relations["):
                assert ref.id.removeprefix(EXT) in seen, (line["external_id"], ref)
        seen.add(line["external_id"])
    # Parents first, even where the child's key sorts first.
    order = [line["external_id"] for line in lines]
    assert order.index("actor:united-states") < order.index(made["nsc"]["id"])
    assert order.index(made["nsc"]["id"]) < order.index("actor:a-kirby")
    assert order.index("actor:ukraine") < order.index("actor:zelenskyy")
    kirby_claim = by_key["claim:kirby-1000"]["data"]
    assert kirby_claim["claimant_id"] == "ext:actor:a-kirby"
    assert kirby_claim["citations"] == [
        {
            "source_id": "ext:source:nbc-report",
            "relayed_by_id": "ext:=HYPERLINK(nbc)",
            "quote": "Kirby said",
            "via_ids": [],
        }
    ]
    assert kirby_claim["relations"] == [
        {"claim_id": f"ext:{made['zelenskyy_claim']['id']}", "relation": "contradicts"}
    ]
    assert "quote" in kirby_claim
    assert "basis" not in kirby_claim  # null fields are left out
    week = by_key["figure:kirby-1000"]["data"]
    assert "low" not in week
    assert "high" not in week
    assert week["claim_id"] == "ext:claim:kirby-1000"


async def test_csv_lines_quote_and_guard_against_formulas(populated: Populated) -> None:
    """Import lines in CSV: `data` is JSON text (a newline stays escaped, one row per line)
    and an external_id a spreadsheet would run as a formula is read without its guard."""
    source, made = populated
    csv_file = csv_lines(await export(source.client))
    rows = list(csv.reader(io.StringIO(csv_file.decode(), newline="")))
    keys = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(nbc)" in keys
    address = next(row for row in rows if row[1] == made["address"]["id"])
    assert "\\n" in address[2]
    assert csv_file.count(b"\r\n") == len(rows)
    report = await import_file(source.client, csv_file, "text/csv")
    assert report["unchanged"] == report["lines"] == len(rows) - 1


async def test_export_as_of_is_the_dataset_as_it_was(new_instance: NewInstance) -> None:
    source = await new_instance()
    made = await build_dataset(source.client)
    then = await export(source.client)
    conn = await asyncpg.connect(source.dsn)
    try:
        moment: datetime = await conn.fetchval("SELECT clock_timestamp()")
    finally:
        await conn.close()
    client = source.client
    claim_id = made["kirby_claim"]["id"]
    assert (await client.patch(f"/v1/claims/{claim_id}", json={"status": "refuted"})).is_success
    ukraine = made["ukraine"]["id"]
    patched = await client.patch(f"/v1/actors/{ukraine}", json={"external_id": "actor:ua"})
    assert patched.is_success
    assert (await client.delete(f"/v1/figures/{made['range']['id']}")).is_success
    new = await client.post("/v1/actors", json={"external_id": "actor:new", "name": "New"})
    assert new.status_code == 201

    assert await export(client, as_of=moment.isoformat()) == then
    now = decode_lines(await export(client))
    keys = {line["external_id"] for line in now}
    assert {"actor:ua", "actor:new"} <= keys
    assert not {"actor:ukraine", "figure:range"} & keys
    zelenskyy = next(line for line in now if line["external_id"] == "actor:zelenskyy")
    assert zelenskyy["data"]["parent_id"] == "ext:actor:ua"
    # Before anything existed: an empty file, which imports as an empty file.
    assert await export(client, as_of="2000-01-01T00:00:00Z") == b""


async def test_export_of_some_kinds(populated: Populated, new_instance: NewInstance) -> None:
    source, _ = populated
    lines = decode_lines(await export(source.client, kinds="figure,actor"))
    kinds = [line["kind"] for line in lines]
    assert kinds == ["actor"] * 6 + ["figure"] * 3
    # Figures only: their claims must be stored where they are imported.
    figures = await export(source.client, kinds="figure")
    assert (await import_file(source.client, figures))["unchanged"] == 3
    empty = await new_instance()
    response = await empty.client.post("/v1/import", content=figures, headers=NDJSON)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"data.claim_id", "data.subject_id"}


async def test_the_shared_test_database_round_trips(client: Any, server_dsn: str) -> None:
    """Whatever the tests before this one left in the shared database (odd text, every
    field, deleted and re-pointed resources) goes through the same round trip."""
    first = await export(client)
    async with instance(server_dsn) as target:
        report = await import_file(target.client, first)
        assert report["created"] == report["lines"] == len(decode_lines(first))
        assert await export(target.client) == first
        report = await import_file(target.client, csv_lines(first), "text/csv")
        assert report["unchanged"] == len(decode_lines(first))
    report = await import_file(client, first)
    assert report["unchanged"] == report["lines"], report
