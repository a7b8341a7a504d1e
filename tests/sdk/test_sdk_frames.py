"""`to_pandas()` and `to_polars()` on every pager, against a live server: one row per item,
typed columns (dates as dates, bounds as nullable integers), named as the CSV export names
its columns — which the last tests check against the server's own spelling of the rule."""

import csv
import datetime as dt
import io
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import claimledger
import msgspec
import pandas as pd
import polars as pl
import pytest
from claimledger import models
from claimledger.frames import columns_of, item_model
from claimledger.operations import bulk
from claimledger_server.bulk.columns import Column, cell
from claimledger_server.bulk.spreadsheet import SHEETS
from support.databases import wait_until_sequenced

Made = dict[str, Any]


@pytest.fixture(scope="module")
def made(sdk_server: str, admin_key: str) -> Iterator[Made]:
    """A claimant, a subject of its own (so lists filter down to this dataset), a source,
    a claim with two citations, and three figures: exact, unbounded above, and no number."""
    key = uuid.uuid4().hex[:10]
    with claimledger.Client(sdk_server, admin_key, max_retries=0) as client:
        state = client.actors.create(name="Frames state", kind="state", external_id=f"f:{key}")
        kirby = client.actors.create(
            name="John Kirby",
            kind="person",
            parent_id=state.id,
            aliases=["Kirby", "J. Kirby"],
            external_ids={"wikidata": "Q6249000"},
        )
        troops = client.actors.create(name=f"Troops {key}", kind="armed_force")
        outlet = client.actors.create(name="NBC News", kind="media_outlet")
        report = client.sources.create(
            kind="news_article",
            title='Report: "1,000", in the last week',
            publisher_id=outlet.id,
            published_at=dt.datetime(2024, 12, 27, 18, 0, tzinfo=dt.UTC),
        )
        address = client.sources.create(
            kind="video_address", title="Evening address", published_on="2024-12-23"
        )
        claim = client.claims.create(
            claimant_id=kirby.id,
            text="1,000 North Korean troops were killed or injured in the last week.",
            quote="=killed or injured",
            stated_on="2024-12-27",
            citations=[
                {"source_id": report.id, "relayed_by_id": outlet.id, "via_ids": [state.id]},
                {"source_id": address.id, "quote": "Зеленський: «понад 3 000»"},
            ],
            subject_ids=[troops.id],
            location=models.Location(name="Kursk", country="RUS", lat=51.73, lon=-36.19),
            topics=["casualties", "frames"],
        )
        client.claims.update(claim, status="disputed")
        on_troops = {"claim_id": claim.id, "subject_id": troops.id, "unit": "people"}
        week = client.figures.create(
            **on_troops,
            metric="killed_or_wounded",
            amount=1000,
            accumulation="cumulative",
            period={"start": "2024-12-20", "end": "2024-12-27", "text": "in the last week"},
        )
        over = client.figures.create(
            **on_troops,
            metric="killed_or_wounded",
            amount=3000,
            qualifier="more_than",
            accumulation="cumulative",
        )
        some = client.figures.create(**on_troops, metric="executed", qualifier="unspecified")
        yield {
            "state": state,
            "kirby": kirby,
            "troops": troops,
            "outlet": outlet,
            "report": report,
            "address": address,
            "claim": claim,
            "week": week,
            "over": over,
            "some": some,
        }


def names(model: type[msgspec.Struct]) -> list[str]:
    return [column.name for column in columns_of(model)]


def test_a_claims_frame_in_pandas(sdk: claimledger.Client, made: Made) -> None:
    frame = sdk.claims.list(claimant_id=made["kirby"].id).to_pandas()
    assert list(frame.columns) == names(models.Claim)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["id"] == made["claim"].id
    assert row["version"] == 2
    assert row["status"] == "disputed"
    assert row["stated_on"] == pd.Timestamp("2024-12-27")
    assert row["citations.source_id"] == [made["report"].id, made["address"].id]
    assert row["citations.relayed_by_id"] == [made["outlet"].id, None]
    assert row["citations.via_ids"] == [[made["state"].id], []]
    assert row["citations.quote"] == [None, "Зеленський: «понад 3 000»"]
    assert row["topics"] == ["casualties", "frames"]
    assert (row["location.name"], row["location.lon"]) == ("Kursk", -36.19)
    assert row["location.admin1"] is pd.NA
    assert row["basis"] is pd.NA

    types = frame.dtypes
    assert types["id"] == "string"
    assert types["text"] == "string"
    assert types["version"] == "Int64"
    assert types["deleted"] == "boolean"
    assert types["stated_on"] == "datetime64[s]"
    assert types["location.lat"] == "Float64"
    assert types["topics"] == "object"
    assert types["citations.source_id"] == "object"


def test_bounds_are_nullable_integers(sdk: claimledger.Client, made: Made) -> None:
    frame = sdk.figures.list(subject_id=made["troops"].id).to_pandas().set_index("id")
    assert frame.dtypes["low"] == frame.dtypes["high"] == frame.dtypes["amount"] == "Int64"
    week, over, some = (frame.loc[made[key].id] for key in ("week", "over", "some"))
    assert (week["low"], week["high"], week["amount"]) == (1000, 1000, 1000)
    assert over["low"] == 3001
    assert over["high"] is pd.NA  # unbounded above: missing, never a float NaN
    assert some["low"] is pd.NA
    assert some["amount"] is pd.NA
    assert frame.dtypes["period.start"] == "datetime64[s]"
    assert week["period.start"] == pd.Timestamp("2024-12-20")
    assert pd.isna(over["period.start"])
    assert frame["high"].isna().sum() == 2

    polars = sdk.figures.list(subject_id=made["troops"].id).to_polars().sort("id")
    assert polars.schema["low"] == polars.schema["high"] == pl.Int64
    assert polars.schema["period.start"] == pl.Date
    by_id = {row["id"]: row for row in polars.iter_rows(named=True)}
    assert by_id[made["over"].id]["high"] is None
    assert by_id[made["week"].id]["period.end"] == dt.date(2024, 12, 27)
    assert polars["high"].null_count() == 2


def test_a_claims_frame_in_polars(sdk: claimledger.Client, made: Made) -> None:
    frame = sdk.claims.list(claimant_id=made["kirby"].id).to_polars()
    assert frame.columns == names(models.Claim)
    schema = frame.schema
    assert schema["id"] == pl.String
    assert schema["version"] == pl.Int64
    assert schema["deleted"] == pl.Boolean
    assert schema["stated_on"] == pl.Date
    assert schema["location.lat"] == pl.Float64
    assert schema["topics"] == pl.List(pl.String)
    assert schema["citations.via_ids"] == pl.List(pl.List(pl.String))
    (row,) = frame.iter_rows(named=True)
    assert row["stated_on"] == dt.date(2024, 12, 27)
    assert row["citations.relayed_by_id"] == [made["outlet"].id, None]
    # Lists of objects line up item for item: explode gives one row per citation.
    citations = frame.explode(["citations.source_id", "citations.relayed_by_id"])
    assert citations["citations.source_id"].to_list() == [made["report"].id, made["address"].id]


def test_sources_and_actors(sdk: claimledger.Client, made: Made) -> None:
    sources = sdk.sources.list(publisher_id=made["outlet"].id).to_pandas()
    assert sources.dtypes["published_at"] == "datetime64[us, UTC]"
    assert sources.dtypes["published_on"] == "datetime64[s]"
    (published,) = sources["published_at"]
    assert published == pd.Timestamp("2024-12-27T18:00:00Z")
    actors = sdk.actors.list(parent_id=made["state"].id).to_polars()
    assert actors["external_ids"].to_list() == [[{"key": "wikidata", "value": "Q6249000"}]]
    assert actors["aliases"].to_list() == [["Kirby", "J. Kirby"]]
    in_pandas = sdk.actors.list(parent_id=made["state"].id).to_pandas()
    assert in_pandas["external_ids"].tolist() == [{"wikidata": "Q6249000"}]
    assert in_pandas.dtypes["anonymous"] == "boolean"


def test_an_empty_pager_gives_an_empty_frame_with_every_column(
    sdk: claimledger.Client, made: Made
) -> None:
    full = sdk.figures.list(subject_id=made["troops"].id).to_pandas()
    empty = sdk.figures.list(external_id=f"none:{uuid.uuid4().hex}").to_pandas()
    assert len(empty) == 0
    assert list(empty.columns) == list(full.columns) == names(models.Figure)
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()

    full_pl = sdk.figures.list(subject_id=made["troops"].id).to_polars()
    empty_pl = sdk.figures.list(external_id=f"none:{uuid.uuid4().hex}").to_polars()
    assert empty_pl.height == 0
    assert empty_pl.schema == full_pl.schema


def test_the_timeline_and_the_summary(sdk: claimledger.Client, made: Made) -> None:
    timeline = sdk.figures.timeline(subject_id=made["troops"].id, metric="killed_or_wounded")
    frame = timeline.to_pandas()
    assert len(frame) == 2
    assert set(frame["claimant.name"]) == {"John Kirby"}
    assert frame.dtypes["stated_on"] == "datetime64[s]"
    assert frame.dtypes["figure.high"] == "Int64"
    assert frame.dtypes["claim.stated_on"] == "datetime64[s]"
    assert sorted(frame["figure.low"].tolist()) == [1000, 3001]

    summary = sdk.figures.summary(subject_id=made["troops"].id).to_polars()
    assert summary.schema["claimants.figure.high"] == pl.List(pl.Int64)
    assert summary.schema["claimants.claim.stated_on"] == pl.List(pl.Date)
    groups = {row["metric"]: row for row in summary.iter_rows(named=True)}
    assert groups["killed_or_wounded"]["low"] == 1000
    assert groups["killed_or_wounded"]["high"] is None
    assert groups["killed_or_wounded"]["claimants.claimant.name"] == ["John Kirby"]


@pytest.fixture
async def recent_events(database_url: str) -> int:
    """A feed position a few events before the end."""
    await wait_until_sequenced(database_url)
    conn = await asyncpg.connect(database_url)
    try:
        last = await conn.fetchval("SELECT coalesce(max(position), 0) FROM events")
    finally:
        await conn.close()
    return max(0, int(last) - 4)


PAGERS: dict[str, Callable[[claimledger.Client, Made, int], Any]] = {
    "actors": lambda c, m, _: c.actors.list(parent_id=m["state"].id),
    "sources": lambda c, m, _: c.sources.list(publisher_id=m["outlet"].id),
    "claims": lambda c, m, _: c.claims.list(subject_id=m["troops"].id),
    "figures": lambda c, m, _: c.figures.list(subject_id=m["troops"].id),
    "versions": lambda c, m, _: c.claims.versions(m["claim"]),
    "summary": lambda c, m, _: c.figures.summary(subject_id=m["troops"].id),
    "timeline": lambda c, m, _: c.figures.timeline(
        subject_id=m["troops"].id, metric="killed_or_wounded"
    ),
    "events": lambda c, _, after: c.events.list(after=after),
    "webhooks": lambda c, _m, _a: c.webhooks.list(),
    "keys": lambda c, _m, _a: c.keys.list(),
}


@pytest.mark.parametrize("name", list(PAGERS))
def test_every_pager_gives_both_frames(
    sdk: claimledger.Client, made: Made, recent_events: int, name: str
) -> None:
    pager = PAGERS[name](sdk, made, recent_events)
    model = item_model(pager._operation.response)
    items = list(pager)
    if name != "webhooks":
        assert items, name
    in_pandas, in_polars = pager.to_pandas(), pager.to_polars()
    assert list(in_pandas.columns) == in_polars.columns == names(model)
    assert len(in_pandas) == in_polars.height == len(items)


async def test_async_pagers(async_sdk: claimledger.AsyncClient, made: Made) -> None:
    pager = async_sdk.figures.list(subject_id=made["troops"].id)
    in_pandas = await pager.to_pandas()
    in_polars = await pager.to_polars()
    assert len(in_pandas) == in_polars.height == 3
    assert in_pandas.dtypes["high"] == "Int64"
    assert in_polars.schema["high"] == pl.Int64


def test_without_pandas_or_polars_the_error_names_the_extra(
    admin_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No server on this port: the check comes before any request.
    with claimledger.Client("http://127.0.0.1:9", admin_key, max_retries=0) as offline:
        for name in ("pandas", "polars"):
            monkeypatch.setitem(sys.modules, name, None)  # `import` raises ImportError
            with pytest.raises(ImportError, match=rf"pip install 'claimledger-sdk\[{name}\]'"):
                getattr(offline.claims.list(), f"to_{name}")()


def test_the_sdk_imports_without_pandas_or_polars() -> None:
    probe = """
import sys
sys.modules["pandas"] = sys.modules["polars"] = None
import claimledger, claimledger.frames, claimledger.pagination
pager = claimledger.Client("http://127.0.0.1:9", "clk_x", max_retries=0).claims.list()
try:
    pager.to_pandas()
except ImportError as exc:
    print(exc)
"""
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert "claimledger-sdk[pandas]" in run.stdout


# The CSV export and the frames name the same columns.

KINDS = {
    "actor": models.Actor,
    "source": models.Source,
    "claim": models.Claim,
    "figure": models.Figure,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_frames_and_the_csv_export_name_the_same_columns(kind: str) -> None:
    sheet = SHEETS[kind]
    exported = [c.name for c in sheet.columns if c.name not in sheet.context_names]
    assert sorted(exported) == sorted(names(KINDS[kind]))
    # Where the server spells out an object's members in its own order, the SDK's models
    # (generated from the OpenAPI document) list them by name; the fields stay in order.
    top = [name for name in exported if "." not in name]
    assert top == [name for name in names(KINDS[kind]) if "." not in name]


def _csv_rows(client: claimledger.Client, kind: str) -> dict[str, dict[str, str]]:
    body = client.request(bulk.export_resources(format="csv", kinds=kind))
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def _as_json(column: Column, value: Any) -> Any:
    """A polars value back as the API's JSON has it (dates as ISO text, maps as objects),
    for the server's cell writer."""
    if column.kind == "map":
        return {item["key"]: item["value"] for item in value or []}
    return msgspec.to_builtins(value)


FRAMED: dict[str, Callable[[claimledger.Client, Made], Any]] = {
    "actor": lambda c, m: c.actors.list(parent_id=m["state"].id),
    "source": lambda c, m: c.sources.list(publisher_id=m["outlet"].id),
    "claim": lambda c, m: c.claims.list(claimant_id=m["kirby"].id),
    "figure": lambda c, m: c.figures.list(subject_id=m["troops"].id),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_frame_values_are_the_csv_cells(sdk: claimledger.Client, made: Made, kind: str) -> None:
    rows = _csv_rows(sdk, kind)
    columns = {column.name: column for column in SHEETS[kind].columns}
    frame = FRAMED[kind](sdk, made).to_polars()
    assert frame.height >= 1
    for values in frame.iter_rows(named=True):
        row = rows[values["id"]]
        for name, value in values.items():
            assert cell(columns[name], _as_json(columns[name], value)) == row[name], name
