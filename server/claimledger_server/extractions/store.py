"""Drafts: their kind in the versioning core, their rules, and the writes a review makes —
edit, publish (the ledger resources, through the one write path, in the transaction that
marks the draft published) and discard.

Drafts are versioned as every resource is (row, history, `extraction.*` events in the
changes feed and to webhooks subscribed to them: a review tool can follow the queue). They
are not part of the ledger, so the kind is not registered among the ledger's kinds: no
resource references a draft, a draft's ids hold no resource back from being deleted, and
imports and exports leave drafts out."""

import itertools
import logging
from typing import Any

import asyncpg
import msgspec

from claimledger_server.errors import ApiError, FieldError, invalid
from claimledger_server.extractions import ledger
from claimledger_server.extractions.schemas import DraftSource, DraftStatus, ExtractionFields
from claimledger_server.ids import new_id
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning import store
from claimledger_server.versioning.documents import Document
from claimledger_server.versioning.kinds import ResourceKind
from claimledger_server.versioning.lists import Filters
from claimledger_server.versioning.writes import Author

log = logging.getLogger("claimledger.extractions")


def draft_errors(fields: ExtractionFields, extraction_id: str | None = None) -> list[FieldError]:
    """Every rule the draft breaks, named where it stands in the draft: refs that resolve,
    spans inside the text, and each resource it would publish as valid by its kind's rules
    (`ledger.plan`). What depends on the ledger (a matched actor still live) and what only
    publish needs (a source to cite, a claim) are checked by `edit` and `publish`. (Every
    kind's check gets the resource's id; a draft's rules do not depend on it.)"""
    placeholders = itertools.count()
    try:
        ledger.plan(fields, lambda prefix: f"{prefix}_draft{next(placeholders)}", publishing=False)
    except ApiError as exc:
        return list(exc.errors or [])
    return []


EXTRACTIONS = ResourceKind(
    name="extraction",
    table="extractions",
    prefix="ext",
    fields=ExtractionFields,
    references={},
    check=draft_errors,
)


def filters(*, status: DraftStatus | None) -> Filters:
    found = Filters()
    if status is not None:
        found.add("status = {}", status)
    return found


async def check_live(conn: asyncpg.Connection, fields: ExtractionFields) -> None:
    """422 naming `actors[i].actor_id` or `source.…` when the draft names a ledger resource
    that is missing or deleted; those it names stay locked (FOR SHARE) until commit."""
    await store.check_references(conn, ledger.live_references(fields))


async def starting_source(conn: asyncpg.Connection, given: DraftSource) -> DraftSource:
    """The source a new draft starts from: as the client gave it, or with `id`, the stored
    source's fields filling those not given (so its `published_on` dates the text). 422
    when it names a missing or deleted resource or breaks a rule of sources."""
    await store.check_references(conn, ledger.source_references(given))
    if given.id is not None:
        stored = await store.get(conn, SOURCES, given.id, None)
        sent = {
            name: value
            for name, value in msgspec.to_builtins(given).items()
            if value is not None and not (name == "kind" and value == "other")
        }
        written = SOURCES.writable(msgspec.json.decode(stored.body))
        written.pop("external_id", None)  # the stored source's own; publish creates none
        given = msgspec.convert({**written, **sent}, DraftSource, strict=True)
    errors = ledger.source_errors(given)
    if errors:
        raise invalid(errors)
    return given


def with_found_source(given: DraftSource, found: DraftSource | None) -> DraftSource:
    """`given`, with the fields it leaves empty filled from what the extractor read off the
    text; as given when what it read does not fit (a date that contradicts `published_at`)."""
    if found is None:
        return given
    filled = msgspec.to_builtins(given)
    for name, value in msgspec.to_builtins(found).items():
        empty = filled.get(name) is None or (name == "kind" and filled[name] == "other")
        if value is not None and empty and name != "id":
            filled[name] = value
    merged = msgspec.convert(filled, DraftSource, strict=True)
    if ledger.source_errors(merged):
        log.warning("the extractor's source fields do not fit the given ones; left out")
        return given
    return merged


async def _lock_status(
    conn: asyncpg.Connection, extraction_id: str, if_match: int | None
) -> DraftStatus:
    current, _ = await store.lock_current(conn, EXTRACTIONS, extraction_id, None)
    status: DraftStatus = current["status"]
    if status == "draft" and if_match is not None:
        await store.lock_current(conn, EXTRACTIONS, extraction_id, if_match)  # 412 if stale
    return status


def _ended(extraction_id: str, status: DraftStatus, action: str) -> ApiError:
    return ApiError(
        409,
        "extraction-ended",
        f"Extraction {extraction_id} is {status} and can no longer be {action}.",
    )


async def edit(
    conn: asyncpg.Connection,
    extraction_id: str,
    patch: dict[str, Any],
    if_match: int | None,
    author: Author,
) -> Document:
    """A reviewer's merge patch of `source`, `actors` and `claims`: a new version, checked
    as a whole. 409 once the draft is published or discarded."""
    status = await _lock_status(conn, extraction_id, if_match)
    if status != "draft":
        raise _ended(extraction_id, status, "edited")
    doc = await store.update(conn, EXTRACTIONS, extraction_id, patch, if_match, author)
    written = EXTRACTIONS.writable(msgspec.json.decode(doc.body))
    edited: ExtractionFields = store.to_fields(EXTRACTIONS, written)  # type: ignore[assignment]
    await check_live(conn, edited)
    return doc


async def publish(
    conn: asyncpg.Connection, extraction_id: str, if_match: int | None, author: Author
) -> Document:
    """Write the draft's source, new actors, claims and figures (version 1 each, with their
    events) through `store.create_batch`, and mark the draft published with their ids, all
    in the caller's transaction. A published draft is answered as it is: nothing is
    written twice."""
    status = await _lock_status(conn, extraction_id, if_match)
    current = await store.get(conn, EXTRACTIONS, extraction_id, None)
    if status == "published":
        return current
    if status != "draft":
        raise _ended(extraction_id, status, "published")
    stored = EXTRACTIONS.writable(msgspec.json.decode(current.body))
    fields: ExtractionFields = store.to_fields(EXTRACTIONS, stored)  # type: ignore[assignment]
    await check_live(conn, fields)
    planned = ledger.plan(fields, new_id, publishing=True)
    note = f"Published from extraction {extraction_id}"
    by = Author(author.api_key_id, f"{note}: {author.change_note}" if author.change_note else note)
    batch = [
        store.NewResource(
            kind, resource_id, values, await store.checked_refs(conn, kind, values, None)
        )
        for kind, resource_id, values in planned.resources
    ]
    await store.create_batch(conn, batch, by)
    marked = {"status": "published", "published": msgspec.to_builtins(planned.published)}
    return await store.update(conn, EXTRACTIONS, extraction_id, marked, None, author)


async def discard(
    conn: asyncpg.Connection, extraction_id: str, if_match: int | None, author: Author
) -> Document:
    """End a draft unpublished; it stays readable. 409 once published."""
    status = await _lock_status(conn, extraction_id, if_match)
    if status == "published":
        raise _ended(extraction_id, status, "discarded")
    if status == "discarded":
        return await store.get(conn, EXTRACTIONS, extraction_id, None)
    return await store.update(
        conn, EXTRACTIONS, extraction_id, {"status": "discarded"}, None, author
    )
