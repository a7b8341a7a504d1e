"""The shared write statements: one version (every REST write) and many new resources at once
(an import's creates) store the same row, history row and event."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import msgspec
import pytest
from claimledger_server.actors.store import ACTORS
from claimledger_server.ids import new_id
from claimledger_server.versioning import store
from claimledger_server.versioning.kinds import Ref
from claimledger_server.versioning.writes import (
    Author,
    insert_sql,
    version_of,
    write,
    write_created,
)
from factories import uid


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside a transaction that is rolled back."""
    connection = await asyncpg.connect(database_url)
    try:
        async with connection.transaction():
            yield connection
            raise _RollBack
    except _RollBack:
        pass
    finally:
        await connection.close()


class _RollBack(Exception):
    pass


def _actor_document(name: str, now: datetime) -> dict[str, object]:
    fields = store.to_fields(ACTORS, {"name": name, "external_id": uid("writes")})
    return store._document(ACTORS, new_id(ACTORS.prefix), 1, now, now, fields)


async def _stored(conn: asyncpg.Connection, resource_id: str) -> tuple[object, ...]:
    live = await conn.fetchrow(
        "SELECT version, updated_at, created_at, deleted, external_id, refs, doc::text AS doc"
        " FROM actors WHERE id = $1",
        resource_id,
    )
    history = await conn.fetchrow(
        "SELECT version, updated_at, created_at, deleted, external_id, refs, doc::text AS doc,"
        " action, valid_to, api_key_id, change_note FROM actors_history WHERE id = $1",
        resource_id,
    )
    event = await conn.fetchrow(
        "SELECT type, occurred_at, resource, version, data::text AS data, seq"
        " FROM events WHERE resource_id = $1",
        resource_id,
    )
    assert live is not None
    assert history is not None
    assert event is not None
    return tuple(live), tuple(history), tuple(event)


async def test_many_creates_store_what_one_create_stores(conn: asyncpg.Connection) -> None:
    now = datetime(2025, 3, 14, 12, tzinfo=UTC)
    author = Author(None, "a note")
    one = _actor_document("written alone", now)
    await write(conn, ACTORS, insert_sql(ACTORS), one, [], "created", author)
    many = [_actor_document(f"written together {i}", now + timedelta(seconds=i)) for i in range(3)]
    await write_created(conn, ACTORS, [version_of(d, [], "created") for d in many], author)

    alone_live, alone_history, alone_event = await _stored(conn, str(one["id"]))
    for document in many:
        live, history, event = await _stored(conn, str(document["id"]))
        text = msgspec.json.encode(document).decode()
        expected = (document["updated_at"], document["created_at"], document["external_id"])
        assert live == (1, expected[0], expected[1], False, expected[2], [], text)
        assert history == (*live, "created", None, None, "a note")
        assert event[:5] == ("actor.created", document["updated_at"], "actor", 1, text)
        # Apart from what differs by construction, the same as the single write.
        assert (live[0], live[3], live[5]) == (alone_live[0], alone_live[3], alone_live[5])
        assert history[7:] == alone_history[7:]
        assert (event[0], event[2], event[3]) == (alone_event[0], alone_event[2], alone_event[3])
    seqs = [(await _stored(conn, str(d["id"])))[2][5] for d in many]
    assert seqs == sorted(seqs), "events take the order of the versions"


@pytest.mark.parametrize("odd", ['a"quote', "a\\backslash", "a,comma", "{braces}", "NULL", " "])
async def test_references_are_stored_exactly(conn: asyncpg.Connection, odd: str) -> None:
    now = datetime.now(UTC)
    document = _actor_document("refers", now)
    refs = [Ref("parent_id", "actors", odd), Ref("x", "actors", "act_plain")]
    await write_created(conn, ACTORS, [version_of(document, refs, "created")], Author(None, None))
    live, history, _ = await _stored(conn, str(document["id"]))
    assert live[5] == history[5] == sorted([odd, "act_plain"])
