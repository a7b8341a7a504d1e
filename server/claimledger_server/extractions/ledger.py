"""How a draft becomes ledger resources: the source, the new actors, the claims and their
figures it publishes as, each checked by its own kind's rules — and every error named by
where it stands in the draft (`claims[0].figures[1].qualifier`, not `qualifier`).

Editing a draft runs the same plan with placeholder ids, so a draft that passes review
publishes; only what depends on the ledger at that moment (a matched actor deleted since)
or on a draft being complete (a source that can be identified, at least one claim) waits
for publish."""

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.claims.store import CLAIMS
from claimledger_server.errors import ApiError, FieldError, invalid
from claimledger_server.extractions.schemas import (
    DraftClaim,
    DraftSource,
    ExtractionFields,
    Published,
    Span,
    as_figure,
)
from claimledger_server.figures.store import FIGURES
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning import store
from claimledger_server.versioning.kinds import Ref, ResourceKind, find_references

QUOTE_JOINER = " … "
"""Between the words of a claim's spans in its citation's quote."""

Rename = tuple[re.Pattern[str], str]
_CLAIM_NAMES: list[Rename] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^claimant_id\b", "claimant_ref"),
        (r"^co_claimant_ids\b", "co_claimant_refs"),
        (r"^subject_ids\b", "subject_refs"),
        (r"^based_on\[(\d+)\]\.actor_id\b", r"based_on[\1].actor_ref"),
        (r"^citations\[0\]\.relayed_by_id\b", "relayed_by_ref"),
        (r"^citations\[0\]\.quote\b", "spans"),
    )
]
_FIGURE_NAMES: list[Rename] = [(re.compile(r"^subject_id\b"), "subject_ref")]
_NO_NAMES: list[Rename] = []


class Planned(NamedTuple):
    """One ledger resource to create."""

    kind: ResourceKind
    id: str
    fields: msgspec.Struct


class Plan(NamedTuple):
    resources: list[Planned]
    """In the order to write them: the source, actors, claims, figures."""
    published: Published


def _renamed(error: FieldError, prefix: str, names: list[Rename]) -> FieldError:
    field = error.field if error.field != "body" else ""
    for pattern, replacement in names:
        field, count = pattern.subn(replacement, field, count=1)
        if count:
            break
    return FieldError(f"{prefix}.{field}" if field else prefix, error.message)


def _checked(
    kind: ResourceKind, document: dict[str, Any], prefix: str, names: list[Rename]
) -> tuple[msgspec.Struct | None, list[FieldError]]:
    """`document` as `kind`'s fields, and the errors of its rules under the draft's names."""
    try:
        fields = store.to_fields(kind, document)
    except ApiError as exc:
        return None, [_renamed(e, prefix, names) for e in exc.errors or []]
    return fields, [_renamed(e, prefix, names) for e in kind.check(fields, None)]


_OUTSIDE = "must satisfy 0 <= start < end <= {} (the length of the text)"


def span_errors(field: str, spans: list[Span], length: int) -> list[FieldError]:
    return [
        FieldError(f"{field}[{i}]", _OUTSIDE.format(length))
        for i, span in enumerate(spans)
        if not span.start < span.end <= length
    ]


def claim_refs(claim: DraftClaim) -> Iterator[tuple[str, str]]:
    """(field inside the claim, actor ref) of every actor the claim names."""
    yield "claimant_ref", claim.claimant_ref
    for i, ref in enumerate(claim.co_claimant_refs):
        yield f"co_claimant_refs[{i}]", ref
    if claim.relayed_by_ref is not None:
        yield "relayed_by_ref", claim.relayed_by_ref
    for i, ref in enumerate(claim.subject_refs):
        yield f"subject_refs[{i}]", ref
    for i, basis in enumerate(claim.based_on):
        if basis.actor_ref is not None:
            yield f"based_on[{i}].actor_ref", basis.actor_ref
    for i, figure in enumerate(claim.figures):
        if figure.subject_ref is not None:
            yield f"figures[{i}].subject_ref", figure.subject_ref


def _shape_errors(draft: ExtractionFields) -> list[FieldError]:
    """Refs that are unique and resolve, spans inside the text."""
    length = len(draft.text)
    errors: list[FieldError] = []
    actors: set[str] = set()
    for i, actor in enumerate(draft.actors):
        if actor.ref in actors:
            errors.append(FieldError(f"actors[{i}].ref", "appears more than once"))
        actors.add(actor.ref)
        errors += span_errors(f"actors[{i}].mentions", actor.mentions, length)
    claims: set[str] = set()
    for i, claim in enumerate(draft.claims):
        if claim.ref in claims:
            errors.append(FieldError(f"claims[{i}].ref", "appears more than once"))
        claims.add(claim.ref)
        errors += [
            FieldError(f"claims[{i}].{field}", f"no actor has ref {ref!r}")
            for field, ref in claim_refs(claim)
            if ref not in actors
        ]
        errors += span_errors(f"claims[{i}].spans", claim.spans, length)
        errors += [
            FieldError(f"claims[{i}].figures[{j}].span", _OUTSIDE.format(length))
            for j, figure in enumerate(claim.figures)
            if not figure.span.start < figure.span.end <= length
        ]
    return errors


def _source_fields(
    source: DraftSource, *, publishing: bool
) -> tuple[msgspec.Struct | None, list[FieldError]]:
    written = msgspec.to_builtins(source)
    del written["id"]
    if not publishing and written["title"] is None and written["url"] is None:
        written["title"] = "-"  # the rest is checked now; identifying it waits for publish
    return _checked(SOURCES, written, "source", _NO_NAMES)


def source_errors(source: DraftSource) -> list[FieldError]:
    """The rules a draft's new source breaks (that it names no title or url waits for
    publish); none for an existing source (`id`), which publish cites as stored."""
    return [] if source.id is not None else _source_fields(source, publishing=False)[1]


def plan(draft: ExtractionFields, new_id: Callable[[str], str], *, publishing: bool) -> Plan:
    """The resources `draft` publishes as, with ids from `new_id(prefix)`; 422 naming every
    rule a part of it breaks. `publishing`: also what only publish needs (a source that can
    be identified, a claim)."""
    errors = _shape_errors(draft)
    if errors:
        raise invalid(errors)
    resources: list[Planned] = []
    source_id = draft.source.id
    if source_id is None:
        fields, errors = _source_fields(draft.source, publishing=publishing)
        source_id = new_id(SOURCES.prefix)
        if fields is not None:
            resources.append(Planned(SOURCES, source_id, fields))
    needed = {ref for claim in draft.claims for _, ref in claim_refs(claim)}
    actor_ids: dict[str, str] = {}
    for i, actor in enumerate(draft.actors):
        if actor.ref not in needed:
            continue  # named in the text, but no claim needs it in the ledger
        if actor.actor_id is not None:
            actor_ids[actor.ref] = actor.actor_id
            continue
        document = {"name": actor.name, "kind": actor.kind, "anonymous": actor.anonymous}
        fields, found = _checked(ACTORS, document, f"actors[{i}]", _NO_NAMES)
        errors += found
        actor_ids[actor.ref] = new_id(ACTORS.prefix)
        if fields is not None:
            resources.append(Planned(ACTORS, actor_ids[actor.ref], fields))
    claim_ids: dict[str, str] = {}
    figure_ids: dict[str, list[str]] = {}
    figures: list[Planned] = []
    for i, claim in enumerate(draft.claims):
        claim_id = claim_ids[claim.ref] = new_id(CLAIMS.prefix)
        document = _claim_document(draft, claim, source_id, actor_ids)
        fields, found = _checked(CLAIMS, document, f"claims[{i}]", _CLAIM_NAMES)
        errors += found
        if fields is not None:
            resources.append(Planned(CLAIMS, claim_id, fields))
        figure_ids[claim.ref] = []
        for j, figure in enumerate(claim.figures):
            subject = None if figure.subject_ref is None else actor_ids[figure.subject_ref]
            document = msgspec.to_builtins(as_figure(figure, claim_id, subject))
            fields, found = _checked(FIGURES, document, f"claims[{i}].figures[{j}]", _FIGURE_NAMES)
            errors += found
            figure_ids[claim.ref].append(new_id(FIGURES.prefix))
            if fields is not None:
                figures.append(Planned(FIGURES, figure_ids[claim.ref][-1], fields))
    if publishing and not draft.claims:
        errors.append(FieldError("claims", "a draft without claims has nothing to publish"))
    if errors:
        raise invalid(errors)
    resources += figures
    published = Published(
        source_id=source_id,
        actor_ids=actor_ids,
        claim_ids=claim_ids,
        figure_ids=figure_ids,
        created_ids=[planned.id for planned in resources],
    )
    return Plan(resources, published)


def _claim_document(
    draft: ExtractionFields, claim: DraftClaim, source_id: str, actor_ids: dict[str, str]
) -> dict[str, Any]:
    quote = QUOTE_JOINER.join(draft.text[span.start : span.end] for span in claim.spans)
    subjects = [*claim.subject_refs]
    subjects += [
        figure.subject_ref
        for figure in claim.figures
        if figure.subject_ref is not None and figure.subject_ref not in subjects
    ]
    citation = {
        "source_id": source_id,
        "relayed_by_id": None if claim.relayed_by_ref is None else actor_ids[claim.relayed_by_ref],
        "quote": quote or None,
    }
    return {
        "claimant_id": actor_ids[claim.claimant_ref],
        "co_claimant_ids": [actor_ids[ref] for ref in claim.co_claimant_refs],
        "text": claim.text,
        "quote": claim.quote,
        "stated_on": None if claim.stated_on is None else claim.stated_on.isoformat(),
        "stated_on_precision": claim.stated_on_precision,
        "basis": claim.basis,
        "citations": [citation],
        "subject_ids": list(dict.fromkeys(actor_ids[ref] for ref in subjects)),
        "location": msgspec.to_builtins(claim.location),
        "topics": claim.topics,
        "based_on": [
            {
                "actor_id": None if basis.actor_ref is None else actor_ids[basis.actor_ref],
                "text": basis.text,
            }
            for basis in claim.based_on
        ],
    }


def live_references(draft: ExtractionFields) -> list[Ref]:
    """The ledger resources the draft names by id, under the draft's field names: matched
    actors, and the source (or its publisher and original)."""
    refs = [
        Ref(f"actors[{i}].actor_id", "actors", actor.actor_id)
        for i, actor in enumerate(draft.actors)
        if actor.actor_id is not None
    ]
    return refs + source_references(draft.source)


def source_references(source: DraftSource) -> list[Ref]:
    """`source.id`, `source.publisher_id`, `source.republished_from_id` when set."""
    return [
        ref._replace(field=f"source.{ref.field}")
        for ref in find_references(
            msgspec.to_builtins(source), {"id": "sources", **SOURCES.references}
        )
    ]
