"""Claims: their references, the rules across their fields, and their list filters."""

from datetime import date

from claimledger_server.claims.schemas import ClaimFields, ClaimStatus
from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.store import Filters


def _precision_errors(stated_on: date | None, precision: str | None) -> list[FieldError]:
    if stated_on is None:
        if precision is not None:
            return [FieldError("stated_on_precision", "is set but stated_on is not")]
        return []
    if precision == "month" and stated_on.day != 1:
        return [FieldError("stated_on", "with month precision, use the first day of the month")]
    if precision == "year" and (stated_on.month, stated_on.day) != (1, 1):
        return [FieldError("stated_on", "with year precision, use January 1st of the year")]
    return []


def _duplicates(field: str, values: list[object]) -> list[FieldError]:
    seen: set[object] = set()
    for i, value in enumerate(values):
        if value in seen:
            return [FieldError(f"{field}[{i}]", "appears more than once")]
        seen.add(value)
    return []


def _check(fields: ClaimFields, claim_id: str | None) -> list[FieldError]:
    errors = _precision_errors(fields.stated_on, fields.stated_on_precision)
    errors += _duplicates("subject_ids", list(fields.subject_ids))
    errors += _duplicates("topics", list(fields.topics))
    errors += _duplicates("relations", [(r.claim_id, r.relation) for r in fields.relations])
    errors += [
        FieldError(f"relations[{i}].claim_id", "a claim cannot relate to itself")
        for i, r in enumerate(fields.relations)
        if r.claim_id == claim_id
    ]
    return errors


CLAIMS = register(
    ResourceKind(
        name="claim",
        table="claims",
        prefix="clm",
        fields=ClaimFields,
        references={
            "claimant_id": "actors",
            "subject_ids[]": "actors",
            "citations[].source_id": "sources",
            "citations[].relayed_by_id": "actors",
            "relations[].claim_id": "claims",
        },
        check=_check,
    )
)


TEXT_SEARCH_CONFIG = "english"


def filters(
    *,
    claimant_id: str | None,
    subject_id: str | None,
    status: ClaimStatus | None,
    topic: str | None,
    stated_from: date | None,
    stated_to: date | None,
    country: str | None,
    q: str | None,
) -> Filters:
    found = Filters()
    if claimant_id is not None:
        found.add("claimant_id = {}", claimant_id)
    if subject_id is not None:
        found.add("subject_ids @> ARRAY[{}]::text[]", subject_id)
    if status is not None:
        found.add("status = {}", status)
    if topic is not None:
        found.add("topics @> ARRAY[{}]::text[]", topic)
    if stated_from is not None:
        found.add("stated_on >= {}", stated_from)
    if stated_to is not None:
        found.add("stated_on <= {}", stated_to)
    if country is not None:
        found.add("country = {}", country)
    if q is not None:
        found.search(TEXT_SEARCH_CONFIG, q)
    return found
