"""The history export (`GET /v1/export?history=true`): every version of every resource, with
its id, number, time, API key, change note, snapshot and the id and feed position of its
event — one `HistoryLine` per version, streamed from a server-side cursor inside one
read-only REPEATABLE READ transaction like the plain export (`store.py`), so the file is one
consistent snapshot and never held in memory whole. `restore.py` applies such a file to an
empty instance.

The first line is a `FeedLine`: the feed's last position in the same snapshot, so the
restored feed continues after it even where the feed ends with events the file does not
carry (`api_key.*`).

Kinds come in dependency order (actors, sources, claims, figures, then the drafts of
`/v1/extractions`, which only this export carries); within a kind by id, each resource's
versions in order. A reference may name a resource on a later line (a parent actor created
after its child, claim relations in a cycle): the import checks references once the whole
file is read."""

from collections.abc import AsyncIterator
from datetime import datetime

import asyncpg
import msgspec

from claimledger_server.bulk.lines import KINDS_BY_NAME
from claimledger_server.bulk.schemas import FeedLine, HistoryEvent
from claimledger_server.bulk.store import PREFETCH, in_chunks
from claimledger_server.events.sequencer import LAST_POSITION
from claimledger_server.extractions.store import EXTRACTIONS
from claimledger_server.transactions import snapshot
from claimledger_server.versioning.kinds import ResourceKind

HISTORY_KINDS: dict[str, ResourceKind] = {**KINDS_BY_NAME, EXTRACTIONS.name: EXTRACTIONS}
"""The kinds a history export carries, in the order it writes them."""


class _Line(msgspec.Struct):
    """`HistoryLine` as written: the snapshot goes out as stored, without decoding it."""

    kind: str
    id: str
    version: int
    action: str
    recorded_at: datetime
    api_key_id: str | None
    change_note: str | None
    event: HistoryEvent | None
    data: msgspec.Raw


def history_sql(kind: ResourceKind) -> str:
    """Every version of the kind, by id and version (the history's primary key, so rows
    stream in index order without a sort), each with the event that announced it."""
    return f"""
        SELECT h.id, h.version, h.action, h.updated_at, h.api_key_id, h.change_note,
               h.doc::text AS doc, e.id AS event_id, e.position
          FROM {kind.table}_history h
          LEFT JOIN LATERAL (
              SELECT e.id, e.position FROM events e
               WHERE e.resource_id = h.id AND e.version = h.version
                 AND e.resource = '{kind.name}'
               ORDER BY e.seq
               LIMIT 1
          ) e ON true
         ORDER BY h.id, h.version"""


def _line(kind: ResourceKind, row: asyncpg.Record) -> _Line:
    event_id = row["event_id"]
    return _Line(
        kind.name,
        row["id"],
        row["version"],
        row["action"],
        row["updated_at"],
        row["api_key_id"],
        row["change_note"],
        None if event_id is None else HistoryEvent(event_id, row["position"]),
        msgspec.Raw(row["doc"].encode()),
    )


async def history_chunks(pool: asyncpg.Pool, kinds: list[str]) -> AsyncIterator[bytes]:
    """The history export file, in chunks (`bulk.store.in_chunks`)."""

    async def lines() -> AsyncIterator[bytes]:
        encoder = msgspec.json.Encoder()
        async with snapshot(pool) as conn:
            yield encoder.encode(FeedLine("feed", await conn.fetchval(LAST_POSITION)))
            for name, kind in HISTORY_KINDS.items():
                if name not in kinds:
                    continue
                async for row in conn.cursor(history_sql(kind), prefetch=PREFETCH):
                    yield encoder.encode(_line(kind, row))

    async for chunk in in_chunks(lines()):
        yield chunk
