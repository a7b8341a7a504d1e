"""/v1/extractions: drafts from text — create (the extractor runs), review (list, read,
merge-patch), then publish or discard."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response, Router, get, patch, post
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import Body, FromQuery

from claimledger_server.auth import ApiKey
from claimledger_server.config import Settings
from claimledger_server.consistency import ReadPool
from claimledger_server.errors import ApiError, FieldError
from claimledger_server.extractions import store
from claimledger_server.extractions.drafting import Drafter, current_registry
from claimledger_server.extractions.schemas import (
    EXTRACTION,
    CreateExtraction,
    DraftStatus,
    ExtractionPatch,
)
from claimledger_server.extractions.store import EXTRACTIONS
from claimledger_server.idempotency import Outcome, respond_once
from claimledger_server.openapi_docs import (
    ETAG_HEADER,
    LOCATION_HEADER,
    REPLAYED_HEADER,
    problems,
)
from claimledger_server.parameters import Cursor, IdempotencyKey, Limit, moment_query, parse_moment
from claimledger_server.responses import JSON
from claimledger_server.transactions import run_in_transaction
from claimledger_server.versioning import store as versioned
from claimledger_server.versioning.documents import Document, etag, parse_if_match
from claimledger_server.versioning.lists import list_page
from claimledger_server.versioning.routes import (
    ChangeNote,
    IfMatch,
    author,
    document_response,
    history_routes,
    read_route,
    resource_id_parameter,
)
from claimledger_server.versioning.writes import Author

ExtractionId = Annotated[str, resource_id_parameter(EXTRACTIONS)]
EXAMPLE_TEXT = (
    "John Kirby highlighted the dire situation, revealing that 1,000 North Korean troops had"
    ' been killed or injured in the last week alone. "It is clear that Russian and North'
    ' Korean military leaders are treating these troops as expendable," Kirby said.'
)


@get(
    operation_id="listExtractions",
    summary="List drafts",
    description="Drafts in creation order; `status=draft` is the review queue.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_extractions(
    read_pool: ReadPool,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: FromQuery[DraftStatus | None] = None,
    updated_since: moment_query(  # type: ignore[valid-type]
        "Only drafts changed at or after this time (RFC 3339)."
    ) = None,
    as_of: moment_query(  # type: ignore[valid-type]
        "List the drafts as they were at this time (RFC 3339)."
    ) = None,
) -> Response[EXTRACTION.page]:  # type: ignore[name-defined]
    async with read_pool.acquire() as conn:
        body = await list_page(
            conn,
            EXTRACTIONS,
            store.filters(status=status),
            limit=limit,
            cursor=cursor,
            include_deleted=False,
            external_id=None,
            updated_since=parse_moment("updated_since", updated_since),
            as_of=parse_moment("as_of", as_of),
        )
    return Response(body, media_type=JSON)


@post(
    operation_id="createExtraction",
    summary="Draft claims from a text",
    description="Runs the server's extractor over `text` and stores what it finds as a draft"
    " (version 1, `status: draft`): the actors (matched to the registry by name or alias,"
    " or new), the claims with their claimants, dates, relays and spans, and their figures."
    " Nothing is written to the ledger until publish. A text longer than the server's limit"
    " (`CLAIMLEDGER_EXTRACTION_MAX_CHARS`, 100,000 characters unless configured) is 413.",
    status_code=201,
    opt={"scope": "write"},
    responses=problems(413, 422),
    response_headers=[ETAG_HEADER, LOCATION_HEADER, REPLAYED_HEADER],
)
async def create_extraction(
    request: Request[ApiKey, Any, Any],
    state: State,
    data: Annotated[
        CreateExtraction,
        Body(
            examples=[
                Example(
                    summary="A passage of a news article",
                    value={
                        "text": EXAMPLE_TEXT,
                        "source": {
                            "kind": "news_article",
                            "title": "North Korean troops suffer heavy losses",
                            "published_on": "2024-12-27",
                            "language": "en",
                        },
                    },
                )
            ]
        ),
    ],
    change_note: ChangeNote = None,
    idempotency_key: IdempotencyKey = None,
) -> Response[EXTRACTION.resource]:  # type: ignore[name-defined]
    settings: Settings = state.settings
    limit = settings.extraction_max_chars
    if len(data.text) > limit:
        raise ApiError(
            413,
            "payload-too-large",
            f"The text has {len(data.text):,} characters; drafts are made from at most"
            f" {limit:,}. Split it, or draft the part that carries the claims.",
            errors=[FieldError("text", f"longer than {limit} characters")],
        )
    async with state.pool.acquire() as conn:
        source = await store.starting_source(conn, data.source)
    drafter: Drafter = state.drafter
    fields = await drafter.draft(data.text, source, await current_registry(state))
    by = author(request, change_note)

    async def work(conn: asyncpg.Connection) -> Outcome:
        doc = await versioned.create(conn, EXTRACTIONS, fields, by)
        location = f"/v1/extractions/{msgspec.json.decode(doc.body)['id']}"
        return Outcome(201, {"ETag": etag(doc.version), "Location": location}, doc.body)

    return await respond_once(request, state.pool, work)


@patch(
    "/{id:str}",
    operation_id="updateExtraction",
    summary="Edit a draft",
    description="JSON merge patch (RFC 7396) of `source` (merged member by member), `actors`"
    " and `claims` (arrays: each replaces the whole list, so send it back edited). The draft"
    " is checked as a whole: refs resolve, spans lie in the text, each claim and figure obeys"
    " the rules of claims and figures (`low`/`high` are derived again except for `vague`),"
    " matched actors and the source are live; errors name the field, e.g."
    " `claims[0].figures[1].qualifier`. With `If-Match` the change applies only to that"
    " version. A published or discarded draft is 409.",
    opt={"scope": "write"},
    responses=problems(404, 409, 412, 413, 422),
    response_headers=[ETAG_HEADER],
)
async def update_extraction(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: ExtractionId,
    data: Annotated[
        ExtractionPatch,  # type: ignore[valid-type]
        Body(
            examples=[
                Example(
                    summary="Name the source",
                    value={"source": {"title": "North Korean troops suffer heavy losses"}},
                )
            ]
        ),
    ],
    if_match: IfMatch = None,
    change_note: ChangeNote = None,
) -> Response[EXTRACTION.resource]:  # type: ignore[name-defined]
    changes: dict[str, Any] = data  # a MergePatch body arrives as the object sent
    version, by = parse_if_match(if_match), author(request, change_note)
    doc = await run_in_transaction(
        state.pool, lambda conn: store.edit(conn, id, changes, version, by)
    )
    return document_response(doc)


Ending = Callable[[asyncpg.Connection, str, int | None, Author], Awaitable[Document]]


async def _end(
    request: Request[ApiKey, Any, Any],
    state: State,
    write: Ending,
    extraction_id: str,
    if_match: str | None,
    change_note: str | None,
) -> Response[Any]:
    """Publish or discard, once per Idempotency-Key (each is idempotent by itself too)."""
    version, by = parse_if_match(if_match), author(request, change_note)

    async def work(conn: asyncpg.Connection) -> Outcome:
        doc = await write(conn, extraction_id, version, by)
        return Outcome(200, {"ETag": etag(doc.version)}, doc.body)

    return await respond_once(request, state.pool, work)


@post(
    "/{id:str}/publish",
    operation_id="publishExtraction",
    summary="Publish a draft",
    description="Writes the draft to the ledger in one transaction, through the same write"
    " path as every create (references checked, events and webhooks as for any write): the"
    " source (or, with `source.id`, cites that one), an actor for each ref a claim needs"
    " that has no `actor_id` (matched actors are referenced, not duplicated), the claims"
    " (each citing the source, with `relayed_by_ref` as the relay and the spans' words as the"
    " quote; each figure's subject among its subjects) and their figures. Answers with the"
    " draft, `status: published` and `published` holding every id. Publishing again creates"
    " nothing and answers the same. 422 names the draft's field (a matched actor deleted"
    " since, no source title or url, no claim); 409 for a discarded draft. With `If-Match`,"
    " publishes only the version reviewed.",
    status_code=200,
    opt={"scope": "write"},
    responses=problems(404, 409, 412, 422),
    response_headers=[ETAG_HEADER, REPLAYED_HEADER],
)
async def publish_extraction(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: ExtractionId,
    if_match: IfMatch = None,
    change_note: ChangeNote = None,
    idempotency_key: IdempotencyKey = None,
) -> Response[EXTRACTION.resource]:  # type: ignore[name-defined]
    return await _end(request, state, store.publish, id, if_match, change_note)


@post(
    "/{id:str}/discard",
    operation_id="discardExtraction",
    summary="Discard a draft",
    description="Ends a draft without publishing it (`status: discarded`); it stays readable"
    " with its history. Discarding again answers the same; a published draft is 409.",
    status_code=200,
    opt={"scope": "write"},
    responses=problems(404, 409, 412),
    response_headers=[ETAG_HEADER, REPLAYED_HEADER],
)
async def discard_extraction(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: ExtractionId,
    if_match: IfMatch = None,
    change_note: ChangeNote = None,
    idempotency_key: IdempotencyKey = None,
) -> Response[EXTRACTION.resource]:  # type: ignore[name-defined]
    return await _end(request, state, store.discard, id, if_match, change_note)


router: Router = Router(
    "/v1/extractions",
    route_handlers=[
        list_extractions,
        create_extraction,
        read_route(EXTRACTIONS, EXTRACTION),
        update_extraction,
        publish_extraction,
        discard_extraction,
        *history_routes(EXTRACTIONS, EXTRACTION),
    ],
    tags=["extractions"],
)
