"""Actors: how they reference others, and their list filters."""

import asyncpg

from claimledger_server.actors.schemas import ActorFields, ActorKind
from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.store import Filters


def _check(fields: ActorFields, actor_id: str | None) -> list[FieldError]:
    errors = []
    if fields.parent_id is not None and fields.parent_id == actor_id:
        errors.append(FieldError("parent_id", "an actor cannot be its own parent"))
    if len(set(fields.aliases)) != len(fields.aliases):
        errors.append(FieldError("aliases", "aliases must be unique"))
    return errors


async def _check_parent_chain(
    conn: asyncpg.Connection, fields: ActorFields, actor_id: str | None
) -> list[FieldError]:
    """A → B → A would make "the body this actor belongs to" meaningless."""
    if actor_id is None or fields.parent_id is None:
        return []
    if await conn.fetchval(_PARENT_CHAIN_HAS, fields.parent_id, actor_id):
        return [FieldError("parent_id", f"{actor_id} is already an ancestor of this parent")]
    return []


_PARENT_CHAIN_HAS = """
    WITH RECURSIVE chain(id, depth) AS (
        SELECT $1::text, 0
        UNION ALL
        SELECT a.doc->>'parent_id', chain.depth + 1
          FROM actors a JOIN chain ON a.id = chain.id
         WHERE chain.depth < 100
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2)
"""

ACTORS = register(
    ResourceKind(
        name="actor",
        table="actors",
        prefix="act",
        fields=ActorFields,
        references={"parent_id": "actors"},
        check=_check,
        check_stored=_check_parent_chain,
    )
)


def filters(*, kind: ActorKind | None, country: str | None, q: str | None) -> Filters:
    found = Filters()
    if kind is not None:
        found.add("kind = {}", kind)
    if country is not None:
        found.add("country = {}", country)
    if q is not None:
        found.search("simple", q)
    return found
