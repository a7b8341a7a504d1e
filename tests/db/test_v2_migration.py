"""Migrations 0008 and 0009 on a database that holds v1 data: documents take the v2 shape in
place, `approximately` figures get a new version with v2's bounds and a change note, and
every version written before reads as it was."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec
import pytest
from claimledger_server.db.migrate import available, migrate
from claimledger_server.versioning.kinds import KINDS
from claimledger_server.versioning.writes import Author, insert_sql, write
from support.databases import fresh_database

LAST_V1 = 7
V1_MOMENT = datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def _v1(resource_id: str, **fields: Any) -> dict[str, Any]:
    """A document as v1 wrote it: the meta fields, then the v1 fields."""
    return {
        "id": resource_id,
        "version": 1,
        "created_at": V1_MOMENT,
        "updated_at": V1_MOMENT,
        "deleted": False,
        **fields,
    }


ACTOR = _v1(
    "act_01v1actor",
    external_id=None,
    name="Volodymyr Zelenskyy",
    kind="person",
    aliases=[],
    country="UKR",
    parent_id=None,
    role=None,
    description=None,
    external_ids={},
)
SOURCE = _v1(
    "src_01v1source",
    external_id=None,
    kind="video_address",
    title="Evening address",
    url=None,
    publisher_id=None,
    published_at=datetime(2024, 12, 23, 21, 30, tzinfo=UTC),
    language="uk",
    archived_url=None,
    content_sha256=None,
)
CLAIM = _v1(
    "clm_01v1claim",
    external_id=None,
    claimant_id=ACTOR["id"],
    text="About 4,000 North Korean soldiers were killed or wounded.",
    quote=None,
    stated_on="2025-01-06",
    stated_on_precision="day",
    basis=None,
    citations=[{"source_id": SOURCE["id"], "relayed_by_id": None, "quote": None}],
    subject_ids=[],
    location=None,
    topics=[],
    status="unverified",
    relations=[],
)


def _figure(resource_id: str, qualifier: str, amount: int, low: int, high: int) -> dict[str, Any]:
    return _v1(
        resource_id,
        external_id=None,
        claim_id=CLAIM["id"],
        metric="killed_or_wounded",
        subject_id=None,
        amount=amount,
        qualifier=qualifier,
        amount_max=None,
        unit="people",
        text=None,
        period={"start": "2024-10-01", "end": "2025-01-06", "text": "since October"},
        accumulation="cumulative",
        location=None,
        low=low,
        high=high,
    )


ABOUT = _figure("fig_01v1about", "approximately", 4000, 4000, 4000)  # v1: the point itself
EXACT = _figure("fig_01v1exact", "exact", 1000, 1000, 1000)
# "about 9 quadrillion": v1 took it; 1.1 N would pass the largest bound v2 stores (2^53).
HUGE = _figure("fig_01v1huge", "approximately", 9 * 10**15, 9 * 10**15, 9 * 10**15)
V1_DOCUMENTS = [("actors", ACTOR), ("sources", SOURCE), ("claims", CLAIM)]
V1_DOCUMENTS += [("figures", ABOUT), ("figures", EXACT), ("figures", HUGE)]


@pytest.fixture(scope="module")
async def migrated(server_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A database holding v1 data, written at migration 7, then migrated to the end."""
    async with fresh_database(server_dsn, "claimledger_v2mig", migrate_upto=LAST_V1) as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            async with conn.transaction():
                for table, document in V1_DOCUMENTS:
                    kind = KINDS[table]
                    await write(
                        conn, kind, insert_sql(kind), document, [], "created", Author(None, None)
                    )
            applied = await migrate(conn)
            assert applied == [name for number, name, _ in available() if number > LAST_V1]
            yield conn
        finally:
            await conn.close()


async def _doc(conn: asyncpg.Connection, table: str, resource_id: str) -> dict[str, Any]:
    row = await conn.fetchval(f"SELECT doc::text FROM {table} WHERE id = $1", resource_id)
    return msgspec.json.decode(row)  # type: ignore[no-any-return]


async def test_approximately_gets_a_new_version_with_v2_bounds(
    migrated: asyncpg.Connection,
) -> None:
    figure = await _doc(migrated, "figures", ABOUT["id"])
    assert (figure["version"], figure["low"], figure["high"]) == (2, 3600, 4400)
    revision = await migrated.fetchrow(
        "SELECT action, change_note, api_key_id FROM figures_history WHERE id = $1 AND version = 2",
        ABOUT["id"],
    )
    assert revision["action"] == "updated"
    assert "±10 %" in revision["change_note"]
    assert revision["api_key_id"] is None
    event = await migrated.fetchrow(
        "SELECT type, version, data::text AS data FROM events WHERE resource_id = $1"
        " ORDER BY occurred_at DESC LIMIT 1",
        ABOUT["id"],
    )
    assert (event["type"], event["version"]) == ("figure.updated", 2)
    assert msgspec.json.decode(event["data"])["low"] == 3600


async def test_history_before_the_migration_reads_as_it_was(migrated: asyncpg.Connection) -> None:
    first = await migrated.fetchval(
        "SELECT doc::text FROM figures_history WHERE id = $1 AND version = 1", ABOUT["id"]
    )
    as_was = msgspec.json.decode(first)
    assert (as_was["low"], as_was["high"]) == (4000, 4000)  # v1's bounds, not re-derived
    assert as_was["amount"] == 4000
    assert as_was["period"]["start"] == "2024-10-01"


async def test_figures_whose_bounds_stay_get_no_version(migrated: asyncpg.Connection) -> None:
    exact = await _doc(migrated, "figures", EXACT["id"])
    assert (exact["version"], exact["low"], exact["high"]) == (1, 1000, 1000)
    versions = await migrated.fetchval(
        "SELECT count(*) FROM figures_history WHERE id = $1", EXACT["id"]
    )
    assert versions == 1


async def test_a_figure_v2_cannot_bound_keeps_its_v1_version(
    migrated: asyncpg.Connection,
) -> None:
    huge = await _doc(migrated, "figures", HUGE["id"])
    assert (huge["version"], huge["low"], huge["high"]) == (1, 9 * 10**15, 9 * 10**15)


async def test_documents_take_the_v2_shape_in_place(migrated: asyncpg.Connection) -> None:
    actor = await _doc(migrated, "actors", ACTOR["id"])
    assert (actor["version"], actor["anonymous"]) == (1, False)
    source = await _doc(migrated, "sources", SOURCE["id"])
    assert source["version"] == 1
    assert (source["published_on"], source["published_on_precision"]) == ("2024-12-23", "day")
    assert source["republished_from_id"] is None
    claim = await _doc(migrated, "claims", CLAIM["id"])
    assert claim["version"] == 1
    assert (claim["co_claimant_ids"], claim["based_on"]) == ([], [])
    assert claim["citations"][0]["via_ids"] == []
    exact = await _doc(migrated, "figures", EXACT["id"])
    assert exact["period"] == {
        "start": "2024-10-01",
        "start_precision": "day",
        "end": "2025-01-06",
        "end_precision": "day",
        "text": "since October",
    }
    # The history rows have the same shape, and the generated columns follow them.
    history = await migrated.fetchrow(
        "SELECT doc::text AS doc, published_on FROM sources_history WHERE id = $1", SOURCE["id"]
    )
    assert msgspec.json.decode(history["doc"])["published_on"] == "2024-12-23"
    assert history["published_on"].isoformat() == "2024-12-23"


async def test_a_v2_document_lists_its_members_in_declared_order(
    migrated: asyncpg.Connection,
) -> None:
    claim = await _doc(migrated, "claims", CLAIM["id"])
    assert list(claim)[:5] == ["id", "version", "created_at", "updated_at", "deleted"]
    assert list(claim)[-2:] == ["co_claimant_ids", "based_on"]
    assert claim["created_at"] == "2025-01-02T03:04:05.678000Z"


async def test_migrating_again_applies_nothing(migrated: asyncpg.Connection) -> None:
    assert await migrate(migrated) == []
