"""Figures: their references, rules, derived bounds and list filters."""

from typing import Any

from claimledger_server.errors import FieldError
from claimledger_server.figures.bounds import bounds, consistency_errors
from claimledger_server.figures.schemas import FigureFields, Metric
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.store import Filters


def _check(fields: FigureFields, figure_id: str | None) -> list[FieldError]:
    return consistency_errors(fields)


def _derive(fields: FigureFields) -> dict[str, Any]:
    low, high = bounds(fields)
    return {"low": low, "high": high}


FIGURES = register(
    ResourceKind(
        name="figure",
        table="figures",
        prefix="fig",
        fields=FigureFields,
        references={"claim_id": "claims", "subject_id": "actors"},
        check=_check,
        derive=_derive,
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
