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
    published_on: date | None
    published_on_precision: Precision | None
    republished_from_id: str | None


class ClaimBrief(msgspec.Struct):
    """The claim a figure was stated in, in short: what was said, when, and by whom."""

    id: str
    text: str
    stated_on: date | None
    stated_on_precision: Precision | None
    claimant_id: str
    co_claimant_ids: list[str] = []
    """The other claimants of a joint statement; each has an entry of its own."""


class SourcedCitation(msgspec.Struct):
    """A citation of the claim, with its source."""

    source_id: str
    relayed_by_id: str | None
    quote: str | None
    source: SourceBrief | None
    """Null only if the source is deleted (or was, as of)."""
    via_ids: list[str] = []
    """The actors between the claimant and `relayed_by_id`, from the claimant's side."""


class DerivedFigure(msgspec.Struct):
    """A `killed_or_wounded` amount a claim states only in parts: its `killed` and its
    `wounded` figure of the same subject, unit, accumulation and period, added up at read
    time. Never stored."""

    derived_from: list[str]
    """The ids of the parts: the `killed` figure, then the `wounded` one."""
    low: int
    """The sum of the parts' lower bounds."""
    high: int | None
    """The sum of the parts' upper bounds; null when either part is unbounded above."""
    period: Period | None
    """The period both parts cover, with its precisions."""


class ClaimantFigure(msgspec.Struct):
    """One claimant's latest entry in a group: the one whose claim was stated last (then
    the one changed last). An entry is a stated figure (`figure`) or, in a
    `killed_or_wounded` group, a sum derived from a claim's parts (`derived`); exactly one
    of the two is set."""

    claimant_id: str
    claimant: ActorBrief | None
    figure_count: int
    """How many figures of the group this claimant stated (jointly stated ones included)."""
    derived_count: int
    """How many derived entries of the group this claimant has."""
    figure: FIGURE.resource | None  # type: ignore[name-defined]
    derived: DerivedFigure | None
    claim: ClaimBrief
    citations: list[SourcedCitation]


class FigureGroup(msgspec.Struct):
    """The figures about one subject, metric, unit and accumulation, and who says how
    many."""

    subject_id: str | None
    metric: Metric
    unit: str
    accumulation: Accumulation
    low: int | None
    """The smallest `low` of the group's entries; null when none states a number."""
    high: int | None
    """The largest `high`; null when any entry is unbounded above ("over 3,000") or none
    states a number. `unspecified` figures ("some") widen neither bound."""
    figure_count: int
    """Stated figures."""
    derived_count: int
    """Derived entries (`killed_or_wounded` only); they widen the envelope like figures."""
    claimant_count: int
    """Distinct claimants, co-claimants included."""
    unspecified_count: int
    """Figures that state no number (`qualifier: unspecified`); counted, not bounded."""
    claimants: list[ClaimantFigure]
    """Each claimant's latest entry, the most recently stated first."""


class FigureSummary(msgspec.Struct):
    data: list[FigureGroup]
    next_cursor: str | None


# GET /v1/figures/timeline: one subject's running totals, claim by claim.


class TimelineEntry(msgspec.Struct):
    """One cumulative figure as one of its claimants stated it. A joint statement gives
    one entry per claimant, so each claimant's line can be drawn on its own."""

    claimant_id: str
    claimant: ActorBrief | None
    """Null only if the actor is deleted (or was, as of)."""
    stated_on: date | None
    """The claim's `stated_on` (the first day of its span when only the month or year is
    known); entries without one come last."""
    stated_on_precision: Precision | None
    figure: FIGURE.resource  # type: ignore[name-defined]
    claim: ClaimBrief


class FigureTimeline(msgspec.Struct):
    data: list[TimelineEntry]
    next_cursor: str | None
