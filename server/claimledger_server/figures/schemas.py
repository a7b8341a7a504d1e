"""Figures: the numbers inside a claim, kept as they were stated ("over 3,000"), with the
bounds they imply derived by the server."""

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from claimledger_server.actors.schemas import ActorKind
from claimledger_server.common import (
    ActorId,
    ClaimId,
    Day,
    ExternalId,
    Location,
    LongText,
    Precision,
    Slug,
)
from claimledger_server.sources.schemas import SourceKind
from claimledger_server.versioning.documents import derive_schemas

Metric = Literal[
    "killed",
    "wounded",
    "killed_or_wounded",
    "captured",
    "missing",
    "deployed",
    "suicides",
    "executed",
    "displaced",
    "detained",
    "other",
]
Qualifier = Literal[
    "exact",
    "approximately",
    "at_least",
    "more_than",
    "at_most",
    "fewer_than",
    "range",
    "nearly",
    "vague",
    "unspecified",
]
Accumulation = Literal["cumulative", "incremental", "unknown"]
# 2^53 - 1: every amount survives a round trip through JSON parsers that use doubles.
MAX_AMOUNT = 9_007_199_254_740_991
Amount = Annotated[int, Meta(ge=0, le=MAX_AMOUNT)]
Bound = Annotated[int, Meta(ge=0, le=MAX_AMOUNT + 1)]


class Period(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The span a number covers; `text` keeps the words ("in the last week") even when
    the dates are not known. "since October" said on 2025-01-13 is start 2024-10-01 with
    `start_precision` "month", end 2025-01-13."""

    start: Day | None = None
    start_precision: Precision | None = None
    """How much of `start` is known; "day" when `start` is given without it."""
    end: Day | None = None
    end_precision: Precision | None = None
    """How much of `end` is known; "day" when `end` is given without it."""
    text: LongText | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.start_precision is None:
            self.start_precision = "day"
        if self.end is not None and self.end_precision is None:
            self.end_precision = "day"


class FigureFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The writable fields of a figure."""

    external_id: ExternalId | None = None
    claim_id: ClaimId
    metric: Metric
    subject_id: ActorId | None = None
    """The actor counted (e.g. the North Korean troops)."""
    amount: Amount | None = None
    qualifier: Qualifier = "exact"
    amount_max: Amount | None = None
    """Upper end, for `range` only."""
    unit: Slug = "people"
    text: LongText | None = None
    """The phrase exactly as stated, e.g. "over 3,000 soldiers killed or wounded"."""
    period: Period | None = None
    accumulation: Accumulation = "unknown"
    """`cumulative`: a running total up to the end of the period; `incremental`: within
    the period only. Summaries never put the two in one group."""
    location: Location | None = None
    low: Bound | None = None
    """Inclusive lower bound. Given by the caller with `qualifier: vague` (0 when only
    `high` is given); for every other qualifier the server derives it, and a request that
    gives it is refused."""
    high: Bound | None = None
    """Inclusive upper bound, null when unbounded above. Given by the caller with
    `qualifier: vague`; derived for every other qualifier."""


FIGURE = derive_schemas("Figure", FigureFields, [])


# GET /v1/figures/summary: competing figures side by side.


class ActorBrief(msgspec.Struct):
    """Who an actor is, in short."""

    id: str
    name: str
    kind: ActorKind | None


class SourceBrief(msgspec.Struct):
    """What a source is, in short."""

    id: str
    kind: SourceKind
    title: str | None
    url: str | None
    publisher_id: str | None
    published_at: datetime | None


class ClaimBrief(msgspec.Struct):
    """The claim a figure was stated in, in short."""

    id: str
    text: str
    stated_on: date | None
    stated_on_precision: Precision | None


class SourcedCitation(msgspec.Struct):
    """A citation of the claim, with its source."""

    source_id: str
    relayed_by_id: str | None
    quote: str | None
    source: SourceBrief | None
    """Null only if the source is deleted (or was, as of)."""


class ClaimantFigure(msgspec.Struct):
    """One claimant's latest figure in a group: the one whose claim was stated last (then
    the one changed last)."""

    claimant_id: str
    claimant: ActorBrief | None
    figure_count: int
    """How many figures of the group this claimant stated."""
    figure: FIGURE.resource  # type: ignore[name-defined]
    claim: ClaimBrief
    citations: list[SourcedCitation]


class FigureGroup(msgspec.Struct):
    """The figures about one subject, metric and unit, and who says how many."""

    subject_id: str | None
    metric: Metric
    unit: str
    low: int | None
    """The smallest `low` of the group's figures; null when none states a number."""
    high: int | None
    """The largest `high`; null when any figure is unbounded above ("over 3,000") or none
    states a number. `unspecified` figures ("some") widen neither bound."""
    figure_count: int
    claimant_count: int
    """Distinct claimants."""
    unspecified_count: int
    """Figures that state no number (`qualifier: unspecified`); counted, not bounded."""
    claimants: list[ClaimantFigure]
    """Each claimant's latest figure, the most recently stated first."""


class FigureSummary(msgspec.Struct):
    data: list[FigureGroup]
    next_cursor: str | None
