"""Claims: their references, the rules across their fields, and their list filters."""

from datetime import date

from claimledger_server.claims.schemas import ClaimFields, ClaimStatus
from claimledger_server.dates import precision_errors
from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.store import Filters


def _duplicates(field: str, values: list[object]) -> list[FieldError]:
    seen: set[object] = set()
    for i, value in enumerate(values):
        if value in seen:
            return [FieldError(f"{field}[{i}]", "appears more than once")]
        seen.add(value)
    return []


def _check(fields: ClaimFields, claim_id: str | None) -> list[FieldError]:
    errors = precision_errors(
        "stated_on", fields.stated_on, "stated_on_precision", fields.stated_on_precision
    )
    errors += _duplicates("co_claimant_ids", list(fields.co_claimant_ids))
    errors += [
        FieldError(f"co_claimant_ids[{i}]", "is the claimant_id already")
        for i, actor in enumerate(fields.co_claimant_ids)
        if actor == fields.claimant_id
    ]
    for i, citation in enumerate(fields.citations):
        # The chain runs claimant → via_ids… → relayed_by_id; nobody appears in it twice.
        errors += _duplicates(f"citations[{i}].via_ids", list(citation.via_ids))
        errors += [
            FieldError(f"citations[{i}].via_ids[{j}]", "is the claimant or the relaying actor")
            for j, actor in enumerate(citation.via_ids)
            if actor in (fields.claimant_id, citation.relayed_by_id)
        ]
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
            "citations[].via_ids[]": "actors",
            "relations[].claim_id": "claims",
            "co_claimant_ids[]": "actors",
            "based_on[].actor_id": "actors",
        },
        check=_check,
        cleared_with={"stated_on": "stated_on_precision"},
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
