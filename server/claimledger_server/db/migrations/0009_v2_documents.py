"""Stored documents take the v2 shape, and figures said `approximately` get v2's bounds.

1. Shape, in place, on live rows and history alike: the members v2 adds appear with their
   defaults (`co_claimant_ids: []`, `anonymous: false`, a dated period's precisions, a
   source's `published_on` from its `published_at`), so every document of a kind has the
   same members. No version is written: what each version said does not change, and its
   derived values (a figure's `low`/`high`) stay as they were then.
2. Re-derivation: "about 4,000" bounded 4,000 to 4,000 in v1 and bounds 3,600 to 4,400
   now. Each live figure whose bounds change gets a new version through the one write path,
   with its event and a change note saying why; the versions before it read as they were.
"""

import logging
from typing import Any

import asyncpg
import msgspec
from claimledger_server.errors import ApiError
from claimledger_server.figures.store import FIGURES
from claimledger_server.versioning import store
from claimledger_server.versioning.kinds import KINDS, ResourceKind
from claimledger_server.versioning.writes import Author

logger = logging.getLogger(__name__)
_META = ("id", "version", "created_at", "updated_at", "deleted")
_BATCH = 1000
REDERIVED_NOTE = (
    "v2: `approximately` now bounds the true number within ±10 % of the amount, instead of"
    " at the amount itself; bounds re-derived by migration 0009."
)


def v2_shape(kind: ResourceKind, document: dict[str, Any]) -> dict[str, Any]:
    fields = store.to_fields(kind, kind.writable(document))
    derived = kind.derive(fields)
    return {
        **{name: document[name] for name in _META},
        **msgspec.to_builtins(fields),
        **{name: document.get(name) for name in derived},
    }


async def _reshape(conn: asyncpg.Connection, kind: ResourceKind, table: str) -> None:
    changed: list[tuple[str, int, str]] = []

    async def flush() -> None:
        await conn.executemany(
            f"UPDATE {table} SET doc = $3::json WHERE id = $1 AND version = $2", changed
        )
        changed.clear()

    async for row in conn.cursor(f"SELECT id, version, doc::text AS doc FROM {table}"):
        stored = row["doc"]
        shaped = msgspec.json.encode(v2_shape(kind, msgspec.json.decode(stored))).decode()
        if shaped != stored:
            changed.append((row["id"], row["version"], shaped))
            if len(changed) >= _BATCH:
                await flush()
    if changed:
        await flush()


async def apply(conn: asyncpg.Connection) -> None:
    for kind in KINDS.values():
        for table in (kind.table, f"{kind.table}_history"):
            await _reshape(conn, kind, table)
    author = Author(api_key_id=None, change_note=REDERIVED_NOTE)
    approximate = await conn.fetch(
        "SELECT id, low, high, doc::text AS doc FROM figures"
        " WHERE NOT deleted AND doc->>'qualifier' = 'approximately' ORDER BY id"
    )
    for row in approximate:
        fields = store.to_fields(FIGURES, FIGURES.writable(msgspec.json.decode(row["doc"])))
        derived = FIGURES.derive(fields)
        if (derived["low"], derived["high"]) == (row["low"], row["high"]):
            continue
        try:
            await store.update(conn, FIGURES, row["id"], {}, None, author, rederive=True)
        except ApiError as exc:
            # "about 9 quadrillion": 1.1 N would pass the largest bound v2 stores. v1
            # accepted it; it keeps its v1 version rather than stop every upgrade.
            logger.warning("figure %s keeps its v1 bounds: %s", row["id"], exc.detail)
