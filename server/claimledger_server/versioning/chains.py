"""Chain links (`ResourceKind.chain_link`: an actor's `parent_id`, a source's
`republished_from_id`) never close a cycle: the check follows the whole chain, and the writes
that set a link run one at a time per kind."""

import hashlib
from typing import Any

import asyncpg
import msgspec

from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind


def sets_chain_link(kind: ResourceKind, patch: dict[str, Any]) -> bool:
    """Whether a merge patch points the kind's `chain_link` somewhere: the writes that must
    hold `lock_chain` (taken before anything else, see there)."""
    return kind.chain_link is not None and patch.get(kind.chain_link) is not None


async def lock_chain(conn: asyncpg.Connection, kind: ResourceKind) -> None:
    """Serialise the writes that point a `chain_link` of this kind somewhere, until this
    transaction ends. Each checks for a cycle against what is committed, so two of them
    running side by side could each close half of one (with B → C stored, A → B and C → A
    both pass); one at a time, the second sees the first. A write takes this lock before
    locking its own row: a writer that held the row and waited for the lock could be waited
    for by the lock's holder, which locks (FOR SHARE) the row it now points at. An import
    holds it from its first such line until it commits."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _chain_lock_id(kind))


def _chain_lock_id(kind: ResourceKind) -> int:
    digest = hashlib.sha256(f"claimledger chain link\0{kind.table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def chain_errors(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    fields: msgspec.Struct,
    resource_id: str | None,
    stored_link: str | None,
) -> list[FieldError]:
    """Pointing `chain_link` at a resource whose own chain already leads back here would
    close a cycle (A → B → A), and leave no parent or no original. Only an update that
    changes the link can close one: a new resource has nothing pointing at it yet, and an
    unchanged link was checked when it was written."""
    link = kind.chain_link
    target = None if link is None else getattr(fields, link)
    if link is None or target is None or resource_id is None or target == stored_link:
        return []
    if target == resource_id:
        return [FieldError(link, f"a {kind.name} cannot point at itself")]
    # The whole chain, however long: UNION (not UNION ALL) drops an id already reached, so
    # the walk stops where the chain ends or, should the table hold a cycle, once round it.
    reaches_back = await conn.fetchval(
        f"""WITH RECURSIVE chain(id) AS (
                SELECT $1::text
                UNION
                SELECT t.doc->>'{link}' FROM {kind.table} t JOIN chain ON t.id = chain.id
            )
            SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2)""",
        target,
        resource_id,
    )
    if reaches_back:
        return [FieldError(link, f"{target} already leads back to {resource_id} by {link}")]
    return []
