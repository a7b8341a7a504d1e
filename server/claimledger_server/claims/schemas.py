"""Claims: who asserted what, when, citing which sources, about whom and where."""

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType, defstruct
from msgspec.structs import fields

from claimledger_server.actors.schemas import ACTOR
from claimledger_server.common import (
    ActorId,
    ClaimId,
    Day,
    ExternalId,
    Location,
    LongText,
    Precision,
    Slug,
    SourceId,
)
from claimledger_server.figures.schemas import FIGURE
from claimledger_server.sources.schemas import SOURCE
from claimledger_server.versioning.documents import derive_schemas

ClaimStatus = Literal["unverified", "corroborated", "disputed", "refuted", "retracted"]
RelationKind = Literal["corroborates", "contradicts", "supersedes"]


class Citation(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Where the claim was reported, and who passed it on."""

    source_id: SourceId
    relayed_by_id: ActorId | None = None
    """The actor that relayed the claimant's words (e.g. NBC News reporting Kirby)."""
    quote: LongText | None = None
    """The passage of this source that carries the claim, verbatim."""
    via_ids: Annotated[list[ActorId], Meta(max_length=20)] = []
    """The chain between the claimant and `relayed_by_id`, in order: the NIS briefed a
    lawmaker, who told the outlet, is `via_ids: [lawmaker]` with the outlet relaying."""


class BasedOn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Whose data or account the claimant cites ("citing the NIS")."""

    actor_id: ActorId | None = None
    """The actor cited, when it is known to the ledger; null for "preliminary data"."""
    text: LongText
    """The words of the attribution, e.g. "citing South Korea's spy agency"."""


class Relation(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    claim_id: ClaimId
    relation: RelationKind


class ClaimFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The writable fields of a claim."""

    external_id: ExternalId | None = None
    claimant_id: ActorId
    """The actor who asserted it."""
    text: LongText
    """The assertion in plain words."""
    quote: LongText | None = None
    """The claimant's words, verbatim."""
    stated_on: Day | None = None
    """When the claimant said it (not when a source published it)."""
    stated_on_precision: Precision | None = None
    """How much of `stated_on` is known; "month" and "year" dates use the first day.
    Defaults to "day" when `stated_on` is given."""
    basis: LongText | None = None
    """What the claimant said the claim rests on, e.g. "citing preliminary data"."""
    citations: Annotated[list[Citation], Meta(max_length=100)] = []
    subject_ids: Annotated[list[ActorId], Meta(max_length=100)] = []
    """The actors the claim is about."""
    location: Location | None = None
    topics: Annotated[list[Slug], Meta(max_length=50)] = []
    status: ClaimStatus = "unverified"
    relations: Annotated[list[Relation], Meta(max_length=100)] = []
    co_claimant_ids: Annotated[list[ActorId], Meta(max_length=50)] = []
    """The other actors of a joint statement ("US, Ukrainian and South Korean intelligence
    estimate…"): each counts as a claimant in every filter and summary."""
    based_on: Annotated[list[BasedOn], Meta(max_length=20)] = []
    """Whose data the claimant cites; `basis` keeps the free text."""

    def __post_init__(self) -> None:
        if self.stated_on is not None and self.stated_on_precision is None:
            self.stated_on_precision = "day"


CLAIM = derive_schemas("Claim", ClaimFields, [])

# What `GET /v1/claims/{id}?expand=…` adds: the claim's fields unchanged, plus `expanded`
# with one member per expansion asked for. Documentation types: the server writes the
# stored documents into the body as they are.
RelatedClaim = defstruct(
    "RelatedClaim",
    [
        ("claim_id", Annotated[str, Meta(description="The other claim.")]),
        ("relation", RelationKind),
        (
            "direction",
            Annotated[
                Literal["outgoing", "incoming"],
                Meta(
                    description='"outgoing": this claim\'s own relation to the other claim'
                    ' (it corroborates, contradicts or supersedes it); "incoming": the other'
                    " claim's relation to this one."
                ),
            ],
        ),
        (
            "claim",
            Annotated[
                CLAIM.resource | None,
                Meta(description="The related claim; null if it is deleted (or was, as of)."),
            ],
        ),
    ],
    module=__name__,
)
CitedSource = defstruct(
    "CitedSource",
    [
        ("source_id", str),
        (
            "source",
            Annotated[
                SOURCE.resource | None,
                Meta(description="The cited source; null if it is deleted (or was, as of)."),
            ],
        ),
    ],
    module=__name__,
)
ClaimExpansions = defstruct(
    "ClaimExpansions",
    [
        (
            "claimant",
            Annotated[
                ACTOR.resource | UnsetType | None,
                Meta(description="`expand=claimant`: the actor who made the claim."),
            ],
            UNSET,
        ),
        (
            "figures",
            Annotated[
                list[FIGURE.resource] | UnsetType,  # type: ignore[name-defined]
                Meta(description="`expand=figures`: the claim's live figures, oldest first."),
            ],
            UNSET,
        ),
        (
            "relations",
            Annotated[
                list[RelatedClaim] | UnsetType,  # type: ignore[valid-type]
                Meta(
                    description="`expand=relations`: the claim's own `relations[]` in order"
                    " (`outgoing`), then the relations of other claims to it (`incoming`,"
                    " oldest claim first, at most 100 claims), each with the related claim."
                ),
            ],
            UNSET,
        ),
        (
            "citations",
            Annotated[
                list[CitedSource] | UnsetType,  # type: ignore[valid-type]
                Meta(
                    description="`expand=citations.source`: `citations[]` in the same order,"
                    " with each cited source."
                ),
            ],
            UNSET,
        ),
    ],
    module=__name__,
    omit_defaults=True,
)
ExpandedClaim = defstruct(
    "ExpandedClaim",
    [
        *((info.encode_name, info.type) for info in fields(CLAIM.resource)),
        (
            "expanded",
            Annotated[
                ClaimExpansions | UnsetType,
                Meta(description="Present when `expand` is given: the neighbours asked for."),
            ],
            UNSET,
        ),
    ],
    module=__name__,
    omit_defaults=True,
)
