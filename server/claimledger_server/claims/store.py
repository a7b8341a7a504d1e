"""Claims: their references, the rules across their fields, and their list filters."""

from datetime import date, datetime

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
        ends = {fields.claimant_id, *fields.co_claimant_ids, citation.relayed_by_id}
        errors += [
            FieldError(f"citations[{i}].via_ids[{j}]", "is a claimant or the relaying actor")
            for j, actor in enumerate(citation.via_ids)
            if actor in ends
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

_RELATED = (
    "(related_claim_ids @> ARRAY[{{0}}]::text[] OR id = ANY(("
    "SELECT related_claim_ids FROM {own} WHERE id = {{0}} AND NOT deleted AND {current}"
    ")::text[]))"
)


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
    source_id: str | None = None,
    relayed_by_id: str | None = None,
    related_to: str | None = None,
    as_of: datetime | None = None,
) -> Filters:
    """The list filters of claims. `as_of` is the time the list is read at (None: now); only
    `related_to` needs it, to read that claim's own relations as they were then."""
    found = Filters()
    if claimant_id is not None:
        # The claimant or a co-claimant, as two alternatives rather than one OR, so that a
        # page is two id-ordered scans merged (versioning.store `add_any`): the claimant's
        # claims through claims_claimant_span and the joint statements through
        # claim_co_claimants (migration 0012), each stopping after a page. As one OR the
        # planner walks the primary key or sorts every claim of the claimant (1-45 ms for
        # the heaviest claimant of the 1M-claim benchmark). The history table (`as_of`)
        # has no such pairs table: its GIN index answers there.
        co_claimant = (
            "id IN (SELECT claim_id FROM claim_co_claimants WHERE actor_id = {})"
            if as_of is None
            else "co_claimant_ids @> ARRAY[{}]::text[]"
        )
        found.add_any(("claimant_id = {}", co_claimant), claimant_id)
    if subject_id is not None:
        found.add("subject_ids @> ARRAY[{}]::text[]", subject_id)
    if status is not None:
        found.add("status = {}", status)
    if topic is not None:
        found.add("topics @> ARRAY[{}]::text[]", topic)
    # A month or year date stands for its whole span (dates.py): the filter's range must
    # overlap it. Undated claims match neither bound.
    if stated_from is not None:
        found.add("stated_on_end >= {}", stated_from)
    if stated_to is not None:
        found.add("stated_on <= {}", stated_to)
    if country is not None:
        found.add("country = {}", country)
    if source_id is not None:
        found.add("source_ids @> ARRAY[{}]::text[]", source_id)
    if relayed_by_id is not None:
        found.add("relayed_by_ids @> ARRAY[{}]::text[]", relayed_by_id)
    if related_to is not None:
        # Either direction: the claims whose relations name it (GIN on related_claim_ids),
        # and those it names itself: its own relations, read from its version current at
        # `as_of` (none once it is deleted) and looked up by primary key.
        if as_of is None:
            found.add(_RELATED.format(own="claims", current="true"), related_to)
        else:
            current = "updated_at <= {1} AND (valid_to IS NULL OR valid_to > {1})"
            found.add(_RELATED.format(own="claims_history", current=current), related_to, as_of)
    if q is not None:
        found.search(TEXT_SEARCH_CONFIG, q)
    return found
