"""Figures: their references, rules, derived bounds and list filters."""

from datetime import date, datetime
from typing import Any

from claimledger_server.claims.store import refs_in_role
from claimledger_server.errors import FieldError
from claimledger_server.figures.bounds import GIVEN_BOUNDS, bounds, consistency_errors
from claimledger_server.figures.schemas import FigureFields, Metric
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.lists import Filters


def _check(fields: FigureFields, figure_id: str | None) -> list[FieldError]:
    return consistency_errors(fields)


def _derive(fields: FigureFields) -> dict[str, Any]:
    low, high = bounds(fields)
    return {"low": low, "high": high}


def _written(kind: ResourceKind, document: dict[str, Any]) -> dict[str, Any]:
    """Bounds are the caller's only for `vague`; otherwise they are the server's."""
    written = {name: document[name] for name in kind.field_names if name in document}
    if written.get("qualifier") != GIVEN_BOUNDS:
        written["low"] = written["high"] = None
    return written


FIGURES = register(
    ResourceKind(
        name="figure",
        table="figures",
        prefix="fig",
        fields=FigureFields,
        references={"claim_id": "claims", "subject_id": "actors"},
        check=_check,
        cleared_with={
            "period.start": "period.start_precision",
            "period.end": "period.end_precision",
        },
        derive=_derive,
        written=_written,
    )
)


def filters(
    *,
    claim_id: str | None,
    subject_id: str | None,
    metric: Metric | None,
    min_low: int | None,
    max_high: int | None,
) -> Filters:
    found = Filters()
    if claim_id is not None:
        found.add("claim_id = {}", claim_id)
    if subject_id is not None:
        found.add("subject_id = {}", subject_id)
    if metric is not None:
        found.add("metric = {}", metric)
    if min_low is not None:
        found.add("low >= {}", min_low)
    if max_high is not None:
        found.add("high <= {}", max_high)
    return found


# The summary and the timeline read figures with their claims (`f` and `c`) and share
# these filters, so a date or a claimant means the same thing in both.


def claim_filters(
    found: Filters,
    *,
    claimant_id: str | None,
    stated_from: date | None,
    stated_to: date | None,
    as_of: datetime | None,
) -> None:
    """`claimant_id`: the claim's claimant or one of its co-claimants. `stated_from` /
    `stated_to`: the claim's stated span (a month or year date stands for all of it, see
    `dates.py`) overlaps the range; a claim without `stated_on` matches neither."""
    if claimant_id is not None and as_of is None:
        # claim_refs (migration 0013): the actor's claims through one btree, whatever else
        # is filtered (a summary of everything one claimant said has no subject to start from).
        found.add(
            f"c.id IN (SELECT claim_id FROM {refs_in_role('claimant', 'co_claimant')})",
            claimant_id,
        )
    elif claimant_id is not None:
        found.add(
            "(c.claimant_id = {} OR c.co_claimant_ids @> ARRAY[{}]::text[])",
            claimant_id,
            claimant_id,
        )
    if stated_from is not None:
        found.add("c.stated_on_end >= {}", stated_from)
    if stated_to is not None:
        found.add("c.stated_on <= {}", stated_to)


def period_filters(found: Filters, *, period_from: date | None, period_to: date | None) -> None:
    """The figure's period overlaps [period_from, period_to]. The period spans from the
    first day of its start to the last day of its end, precisions applied. A missing start
    or end is not known, so it bounds nothing on its side (the period may reach that far);
    a period with neither date (or no period) is nowhere in time and matches no period
    filter."""
    dated = "(f.period_start IS NOT NULL OR f.period_end IS NOT NULL)"
    if period_from is not None:
        found.add(f"{dated} AND (f.period_end IS NULL OR f.period_end >= {{}})", period_from)
    if period_to is not None:
        found.add(f"{dated} AND (f.period_start IS NULL OR f.period_start <= {{}})", period_to)
