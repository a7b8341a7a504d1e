"""Actors: how they reference others, and their list filters."""

from collections.abc import Mapping

import msgspec

from claimledger_server.actors.schemas import ActorFields, ActorKind
from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.lists import Filters


def _check(fields: ActorFields, actor_id: str | None) -> list[FieldError]:
    errors = []
    if len(set(fields.aliases)) != len(fields.aliases):
        errors.append(FieldError("aliases", "aliases must be unique"))
    return errors


ACTORS = register(
    ResourceKind(
        name="actor",
        table="actors",
        prefix="act",
        fields=ActorFields,
        references={"parent_id": "actors"},
        check=_check,
        chain_link="parent_id",
    )
)


def filters(
    *,
    kind: ActorKind | None,
    country: str | None,
    q: str | None,
    parent_id: str | None = None,
    anonymous: bool | None = None,
    external_ids: Mapping[str, str] | None = None,
) -> Filters:
    """`external_ids`: scheme → value pairs the actor must all have, e.g. {"wikidata":
    "Q423"}."""
    found = Filters()
    if kind is not None:
        found.add("kind = {}", kind)
    if country is not None:
        found.add("country = {}", country)
    if parent_id is not None:
        found.add("parent_id = {}", parent_id)
    if anonymous is not None:
        found.add("anonymous = {}", anonymous)
    if external_ids:
        # Containment of every pair at once, answered by the GIN index actors_external_ids
        # on this very expression (migration 0010).
        found.add(
            "(doc::jsonb -> 'external_ids') @> {}::jsonb",
            msgspec.json.encode(dict(external_ids)).decode(),
        )
    if q is not None:
        found.search("simple", q)
    return found
