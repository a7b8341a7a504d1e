"""Actors: people, states, bodies, forces, outlets — anyone who claims, relays or is counted."""

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from claimledger_server.common import ActorId, ExternalId, LongText, ShortText
from claimledger_server.countries import Country
from claimledger_server.versioning.documents import derive_schemas

ActorKind = Literal[
    "person",
    "state",
    "government_body",
    "armed_force",
    "armed_group",
    "media_outlet",
    "organization",
    "intelligence_agency",
    "international_organization",
]
ExternalIds = Annotated[
    dict[
        Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$(?!\n)")],
        Annotated[str, Meta(min_length=1, max_length=200, pattern=r"^[^\x00]*$(?!\n)")],
    ],
    Meta(
        max_length=20,
        description='Identifiers in other datasets, e.g. {"wikidata": "Q3874799"}.',
    ),
]


class ActorFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The writable fields of an actor."""

    external_id: ExternalId | None = None
    name: ShortText
    kind: ActorKind | None = None
    aliases: Annotated[list[ShortText], Meta(max_length=50)] = []
    country: Country | None = None
    """ISO 3166-1 alpha-3."""
    parent_id: ActorId | None = None
    """The body this actor belongs to or speaks for: spokesperson → council → state."""
    role: ShortText | None = None
    description: LongText | None = None
    external_ids: ExternalIds = {}
    anonymous: bool = False
    """An unnamed claimant ("Western officials", "a South Korean lawmaker"): `name` is the
    description reporting used. Two anonymous actors are never taken to be the same one."""


ACTOR = derive_schemas("Actor", ActorFields, [])
