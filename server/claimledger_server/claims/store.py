"""Claims: their references, the rules across their fields, and their list filters."""

from datetime import date, datetime

from claimledger_server.claims.schemas import ClaimFields, ClaimStatus
from claimledger_server.dates import precision_errors
from claimledger_server.errors import FieldError
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.lists import Filters


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


def refs_in_role(*roles: str) -> str:
    """FROM and WHERE of the claim_refs rows (migrations 0013, 0015) naming `{}` (an actor's
    or a source's id) in one of `roles`: `claimant`, `co_claimant`, `relayer` or `source`."""
    if len(roles) == 1:
        return f"claim_refs WHERE ref_id = {{}} AND role = '{roles[0]}'"
    return f"claim_refs WHERE ref_id = {{}} AND role IN ({', '.join(map(repr, roles))})"


def _span_on_refs(stated_from: date | None, stated_to: date | None) -> tuple[str, list[date]]:
    """The `stated_from`/`stated_to` tests below, on claim_refs' copy of the stated span."""
    tests, values = "", list[date]()
    if stated_from is not None:
        tests, values = tests + " AND stated_on_end >= {}", [*values, stated_from]
    if stated_to is not None:
        tests, values = tests + " AND stated_on <= {}", [*values, stated_to]
    return tests, values


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
    # relayed_by_id, source_id and co-claimants read claim_refs (migrations 0013, 0015),
    # which lists each actor's or source's claims in id order with their stated span, so the
    # date tests run there too and a page stops after its rows; a claimant's own claims come
    # from claims_claimant_span, one scan per alternative (`Filters.any_of`). The
    # history table (`as_of`) has no such table: its GIN indexes answer there.
    span, span_values = _span_on_refs(stated_from, stated_to)
    if claimant_id is not None and as_of is None:
        with found.any_of():
            found.add("claimant_id = {}", claimant_id)
            rows = refs_in_role("co_claimant") + span
            found.add_ids_from("claim_id", rows, claimant_id, *span_values)
    elif claimant_id is not None:
        found.add(
            "(claimant_id = {} OR co_claimant_ids @> ARRAY[{}]::text[])", claimant_id, claimant_id
        )
    for role, ref_id, history_array in (
        ("relayer", relayed_by_id, "relayed_by_ids"),
        ("source", source_id, "source_ids"),
    ):
        if ref_id is None:
            continue
        if as_of is None:
            found.add_ids_from("claim_id", refs_in_role(role) + span, ref_id, *span_values)
        else:
            found.add(f"{history_array} @> ARRAY[{{}}]::text[]", ref_id)
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
