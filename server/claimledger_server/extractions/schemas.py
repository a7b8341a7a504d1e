"""Drafts (`/v1/extractions`): the actors, claims and figures an extractor proposes from a
text, in the shape of the v2 model but with references by `ref` inside the draft, and with
the character spans each item was found at. Nothing here is in the ledger until publish."""

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType, defstruct

from claimledger_server.actors.schemas import ActorKind
from claimledger_server.bodies import MergePatch
from claimledger_server.common import (
    ActorId,
    ClaimId,
    Day,
    Location,
    LongText,
    Precision,
    ShortText,
    Slug,
    SourceId,
)
from claimledger_server.figures.bounds import GIVEN_BOUNDS, bounds
from claimledger_server.figures.schemas import (
    Accumulation,
    Amount,
    Bound,
    FigureFields,
    Metric,
    Period,
    Qualifier,
)
from claimledger_server.ids import id_meta
from claimledger_server.sources.schemas import SourceFields
from claimledger_server.versioning.documents import derive_schemas

DraftStatus = Literal["draft", "published", "discarded"]
Ref = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$(?!\n)",
        description='A name for an item inside one draft ("a1", "c2"), by which the draft\'s'
        " other items point at it.",
    ),
]
FigureId = Annotated[str, id_meta("fig", "Id of a figure.")]
Offset = Annotated[int, Meta(ge=0, le=1_000_000_000)]
DraftText = Annotated[str, Meta(min_length=1, pattern=r"^[^\x00]*$(?!\n)")]
MAX_ITEMS = 1000
"""Actors, claims, mentions of an actor: more than an article states."""


class Span(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Where an item stands in the draft's `text`: `text[start:end]`, in Unicode code
    points (not bytes, not UTF-16 units); never empty."""

    start: Offset
    end: Offset


class DraftSource(SourceFields, kw_only=True):
    """The source the text comes from: the fields of a source, all optional. `published_on`
    is what relative dates ("on Monday") are resolved against."""

    id: SourceId | None = None
    """An existing source to cite instead of creating one: publish references it as it is
    stored (the other fields then only informed the draft)."""


class DraftActor(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Someone the text names: a claimant, a relay, someone counted."""

    ref: Ref
    name: ShortText
    kind: ActorKind | None = None
    actor_id: ActorId | None = None
    """The registry's actor this one is (matched by name or alias, or set by a reviewer):
    publish references it. Null: publish creates a new actor, if a claim needs it."""
    anonymous: bool = False
    """An unnamed claimant ("Western officials"); see the actor field of that name."""
    mentions: Annotated[list[Span], Meta(max_length=MAX_ITEMS)] = []


class DraftFigure(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A number of the claim, as the figure it publishes as (`claim_id` is the claim's)."""

    metric: Metric
    subject_ref: Ref | None = None
    """The actor counted, by ref."""
    amount: Amount | None = None
    qualifier: Qualifier = "exact"
    amount_max: Amount | None = None
    low: Bound | None = None
    """Given with `qualifier: vague` only (0 when only `high` is); for every other
    qualifier derived from `amount` as a figure's, and any value sent is replaced."""
    high: Bound | None = None
    """As `low`: given with `vague`, derived otherwise (null: unbounded above)."""
    unit: Slug = "people"
    accumulation: Accumulation = "unknown"
    period: Period | None = None
    text: LongText | None = None
    """The phrase as stated."""
    span: Span

    def __post_init__(self) -> None:
        # A merge patch replaces `claims` whole, so a reviewer sends back the bounds read
        # with the draft: they are re-derived, never refused, when the qualifier owns them.
        if self.qualifier != GIVEN_BOUNDS:
            self.low, self.high = bounds(as_figure(self, ""))
        elif self.low is None and self.high is not None:
            self.low = 0


def as_figure(figure: DraftFigure, claim_id: str, subject_id: str | None = None) -> FigureFields:
    """The figure `figure` publishes as (unvalidated: the caller checks it)."""
    vague = figure.qualifier == GIVEN_BOUNDS
    return FigureFields(
        claim_id=claim_id,
        metric=figure.metric,
        subject_id=subject_id,
        amount=figure.amount,
        qualifier=figure.qualifier,
        amount_max=figure.amount_max,
        unit=figure.unit,
        text=figure.text,
        period=figure.period,
        accumulation=figure.accumulation,
        low=figure.low if vague else None,
        high=figure.high if vague else None,
    )


class DraftBasedOn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Whose data the claimant cites ("citing the NIS"): a claim's `based_on`, by ref."""

    actor_ref: Ref | None = None
    text: LongText


class DraftClaim(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An assertion of the text, as the claim it publishes as: actors by ref, the source
    cited (with `relayed_by_ref` and the spans' words as the citation's quote)."""

    ref: Ref
    claimant_ref: Ref
    co_claimant_refs: Annotated[list[Ref], Meta(max_length=50)] = []
    text: LongText
    """The assertion in plain words."""
    quote: LongText | None = None
    """The claimant's words, verbatim."""
    stated_on: Day | None = None
    """When the claimant said it, resolved against the source's `published_on`."""
    stated_on_precision: Precision | None = None
    basis: LongText | None = None
    relayed_by_ref: Ref | None = None
    """The actor that passed the claimant's words on ("according to Yonhap")."""
    location: Location | None = None
    spans: Annotated[list[Span], Meta(max_length=100)] = []
    """The passages that carry the claim; their words, joined by " … ", are the quote of
    the citation publish writes."""
    figures: Annotated[list[DraftFigure], Meta(max_length=100)] = []
    subject_refs: Annotated[list[Ref], Meta(max_length=100)] = []
    """The actors the claim is about."""
    based_on: Annotated[list[DraftBasedOn], Meta(max_length=20)] = []
    topics: Annotated[list[Slug], Meta(max_length=50)] = []

    def __post_init__(self) -> None:
        if self.stated_on is not None and self.stated_on_precision is None:
            self.stated_on_precision = "day"


class Published(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What publishing a draft wrote, and what it referenced."""

    source_id: SourceId
    """The source the claims cite: created by publish, or the draft's `source.id`."""
    actor_ids: dict[Ref, ActorId]
    """Every actor ref a claim needed → the actor: matched (`actor_id`) or created."""
    claim_ids: dict[Ref, ClaimId]
    figure_ids: dict[Ref, list[FigureId]]
    """Claim ref → the ids of its figures, in the order of the claim's `figures`."""
    created_ids: list[str]
    """Every resource publish created, in the order written (their events' order)."""


class ExtractionFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A draft as stored. Only `source`, `actors` and `claims` are edited by clients; the
    server sets the others (create, publish, discard)."""

    status: DraftStatus = "draft"
    extractor: ShortText
    """The extractor that drafted it, as configured (`package.module:Class`)."""
    text: DraftText
    """The text as sent; every span points into it."""
    source: DraftSource = msgspec.field(default_factory=DraftSource)
    actors: Annotated[list[DraftActor], Meta(max_length=MAX_ITEMS)] = []
    claims: Annotated[list[DraftClaim], Meta(max_length=MAX_ITEMS)] = []
    published: Published | None = None
    """Set by publish: the ids it created and referenced; null before."""


class CreateExtraction(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """`POST /v1/extractions`: the text to draft from, and what is known of its source."""

    text: DraftText
    """The article or statement, as plain text. Its length limit is the server's
    `CLAIMLEDGER_EXTRACTION_MAX_CHARS` (100,000 characters unless configured): longer is
    413."""
    source: DraftSource = msgspec.field(default_factory=DraftSource)
    """Optional. With `id`, an existing source: its stored fields fill those not given.
    `published_on` (or `published_at`) dates the text's relative dates."""


ExtractionPatch = defstruct(
    "ExtractionPatch",
    [
        ("source", DraftSource | None | UnsetType, UNSET),
        (
            "actors",
            Annotated[list[DraftActor], Meta(max_length=MAX_ITEMS)] | None | UnsetType,
            UNSET,
        ),
        (
            "claims",
            Annotated[list[DraftClaim], Meta(max_length=MAX_ITEMS)] | None | UnsetType,
            UNSET,
        ),
    ],
    bases=(MergePatch,),
    module=__name__,
)
ExtractionPatch.__doc__ = """A merge patch of a draft: `source` merges member by member;
`actors` and `claims` are arrays, so each replaces the whole list (send it back edited);
`null` empties one."""

# The shapes every resource has, but the patch: only what a reviewer edits.
EXTRACTION = derive_schemas("Extraction", ExtractionFields, [])._replace(patch=ExtractionPatch)


class ExtractedDraft(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What an extractor returns: the actors and claims it found, and the source fields it
    read off the text (a dateline's date, say), which fill those the caller left empty."""

    actors: list[DraftActor] = []
    claims: list[DraftClaim] = []
    source: DraftSource | None = None
