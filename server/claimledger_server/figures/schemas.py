"""Figures: the numbers inside a claim, kept as they were stated ("over 3,000"), with the
bounds they imply derived by the server."""

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from claimledger_server.common import ActorId, ClaimId, ExternalId, Location, LongText, Slug
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
    "unspecified",
]
Accumulation = Literal["cumulative", "incremental", "unknown"]
# 2^53 - 1: every amount survives a round trip through JSON parsers that use doubles.
MAX_AMOUNT = 9_007_199_254_740_991
Amount = Annotated[int, Meta(ge=0, le=MAX_AMOUNT)]
Bound = Annotated[int, Meta(ge=0, le=MAX_AMOUNT + 1)]


class Period(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The span a number covers; `text` keeps the words ("in the last week") even when
    the dates are not known."""

    start: date | None = None
    end: date | None = None
    text: LongText | None = None


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
    location: Location | None = None


FIGURE = derive_schemas(
    "Figure",
    FigureFields,
    [
        ("low", Annotated[Bound | None, Meta(description="Inclusive lower bound; derived.")]),
        (
            "high",
            Annotated[
                Bound | None,
                Meta(description="Inclusive upper bound, null when unbounded; derived."),
            ],
        ),
    ],
)
