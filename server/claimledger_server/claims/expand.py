"""`GET /v1/claims/{id}?expand=…`: the claim with its neighbours inline.

An allow-list, each entry at most two levels deep, and one batched query per expansion
(`= ANY($1)`; `relations` adds one for the claims naming this one, at most
`INCOMING_LIMIT` of them), so the cost of a read is bounded by the list, never by the
data."""

from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.claims.store import CLAIMS
from claimledger_server.figures.store import FIGURES
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning.snapshots import current_at, documents, table_at

EXPANSIONS = ("claimant", "figures", "relations", "citations.source")
"""Every expansion there is, in the order they appear in `expanded`."""
_ONE = "(" + "|".join(name.replace(".", r"\.") for name in EXPANSIONS) + ")"
EXPAND_PATTERN = f"^{_ONE}(,{_ONE})*$"
"""What `expand` holds: the parameter declares it, so Litestar refuses anything else (an
empty value, spaces, an unknown name) with a 400 naming `expand`."""


def parse_expand(value: str | None) -> list[str]:
    """`relations,figures` (a value `EXPAND_PATTERN` matches) → the expansions asked for,
    in `EXPANSIONS` order."""
    asked = set(value.split(",")) if value else set()
    return [name for name in EXPANSIONS if name in asked]


def _raw(body: bytes | None) -> msgspec.Raw | None:
    return None if body is None else msgspec.Raw(body)


async def _figures_of(
    conn: asyncpg.Connection, claim_id: str, as_of: datetime | None
) -> list[msgspec.Raw]:
    sql = f"SELECT f.doc::text AS doc FROM {table_at(FIGURES, as_of)} f"
    sql += " WHERE f.claim_id = $1 AND NOT f.deleted"
    args: list[Any] = [claim_id]
    if as_of is not None:
        sql += " AND " + current_at("f", "$2")
        args.append(as_of)
    rows = await conn.fetch(sql + " ORDER BY f.id", *args)
    return [msgspec.Raw(row["doc"].encode()) for row in rows]


INCOMING_LIMIT = 100
"""At most this many claims naming a claim are expanded (the oldest); `GET
/v1/claims?related_to=` lists them all, page by page."""


async def _incoming(
    conn: asyncpg.Connection, claim_id: str, as_of: datetime | None
) -> list[dict[str, Any]]:
    """The relations other claims have to `claim_id`, as `{claim_id, relation, direction:
    "incoming", claim}` with the other claim's id and document, oldest claim first; found
    through the GIN index on related_claim_ids."""
    sql = f"SELECT c.id, c.doc::text AS doc FROM {table_at(CLAIMS, as_of)} c"
    sql += " WHERE c.related_claim_ids @> ARRAY[$1]::text[] AND NOT c.deleted"
    args: list[Any] = [claim_id]
    if as_of is not None:
        sql += " AND " + current_at("c", "$2")
        args.append(as_of)
    rows = await conn.fetch(f"{sql} ORDER BY c.id LIMIT {INCOMING_LIMIT}", *args)
    incoming = []
    for row in rows:
        other: dict[str, Any] = msgspec.json.decode(row["doc"])
        incoming += [
            {
                "claim_id": row["id"],
                "relation": relation["relation"],
                "direction": "incoming",
                "claim": msgspec.Raw(row["doc"].encode()),
            }
            for relation in other["relations"]
            if relation["claim_id"] == claim_id
        ]
    return incoming


async def expand_claim(
    conn: asyncpg.Connection, body: bytes, names: list[str], as_of: datetime | None
) -> bytes:
    """`body` (a stored claim document) with an `expanded` member holding each expansion
    in `names`, every neighbour as it is now or, with `as_of`, as it was then."""
    claim: dict[str, Any] = msgspec.json.decode(body)
    expanded: dict[str, Any] = {}
    for name in names:
        if name == "claimant":
            found = await documents(conn, ACTORS, [claim["claimant_id"]], as_of)
            expanded["claimant"] = _raw(found.get(claim["claimant_id"]))
        elif name == "figures":
            expanded["figures"] = await _figures_of(conn, claim["id"], as_of)
        elif name == "relations":
            relations = claim["relations"]
            found = await documents(conn, CLAIMS, [r["claim_id"] for r in relations], as_of)
            outgoing = [
                {**r, "direction": "outgoing", "claim": _raw(found.get(r["claim_id"]))}
                for r in relations
            ]
            expanded["relations"] = outgoing + await _incoming(conn, claim["id"], as_of)
        elif name == "citations.source":
            citations = claim["citations"]
            found = await documents(conn, SOURCES, [c["source_id"] for c in citations], as_of)
            expanded["citations"] = [
                {"source_id": c["source_id"], "source": _raw(found.get(c["source_id"]))}
                for c in citations
            ]
    # The stored document is a JSON object written by msgspec: add one last member.
    assert body.endswith(b"}")
    return body[:-1] + b',"expanded":' + msgspec.json.encode(expanded) + b"}"
