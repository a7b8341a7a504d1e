"""Actors: how they reference others, and their list filters."""

from claimledger_server.actors.schemas import ActorFields, ActorKind
from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.store import Filters


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


def filters(*, kind: ActorKind | None, country: str | None, q: str | None) -> Filters:
    found = Filters()
    if kind is not None:
        found.add("kind = {}", kind)
    if country is not None:
        found.add("country = {}", country)
    if q is not None:
        found.search("simple", q)
    return found
