"""/v1/claims"""

from typing import Annotated, Literal

from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, QueryParameter

from claimledger_server.claims.expand import (
    EXPAND_PATTERN,
    EXPANSIONS,
    expand_claim,
    parse_expand,
)
from claimledger_server.claims.newest import history_page, newest_page
from claimledger_server.claims.schemas import CLAIM, ClaimStatus, Day, ExpandedClaim
from claimledger_server.claims.search import normalized, ranked_page, too_broad
from claimledger_server.claims.store import CLAIMS, TEXT_SEARCH_CONFIG, filters
from claimledger_server.common import ActorId, ClaimId, Slug, SourceId
from claimledger_server.consistency import ReadPool
from claimledger_server.countries import Country
from claimledger_server.errors import FieldError, invalid
from claimledger_server.openapi_docs import CLAIM_SEARCH_HELP, ETAG_HEADER, problems
from claimledger_server.parameters import parse_moment
from claimledger_server.query_params import query_parameter
from claimledger_server.responses import JSON
from claimledger_server.transactions import snapshot
from claimledger_server.versioning import store
from claimledger_server.versioning.documents import Document
from claimledger_server.versioning.lists import Filters
from claimledger_server.versioning.routes import (
    AsOf,
    IfNoneMatch,
    ListParams,
    document_response,
    list_body,
    list_response,
    read_response,
    resource_id_parameter,
    resource_router,
)


@get(
    operation_id="listClaims",
    summary="List claims",
    description="Live claims in creation order. `claimant_id` matches the claimant or any"
    " co-claimant. `stated_from`/`stated_to` keep the claims whose statement date overlaps"
    " the range (inclusive): a date known only to the month or year stands for all of it,"
    " so `stated_on` 2024-12-01 with precision `month` matches `stated_from=2024-12-15`."
    " `source_id` and `relayed_by_id` match any of the claim's citations; `related_to`"
    " finds the claims related to that claim in either direction. `q` searches text,"
    " quote, basis and citation quotes, and lists the matches in the order `sort` names.",
    opt={"scope": "read"},
    responses=problems(422),
)
async def list_claims(
    state: State,
    page: NamedDependency[ListParams],
    claimant_id: Annotated[
        str | None,
        query_parameter(ActorId, "The claimant, or one of the co-claimants of a joint claim."),
    ] = None,
    subject_id: Annotated[
        str | None, query_parameter(ActorId, "Claims about this actor (`subject_ids`).")
    ] = None,
    status: FromQuery[ClaimStatus | None] = None,
    topic: Annotated[str | None, query_parameter(Slug, "Claims with this topic.")] = None,
    stated_from: Annotated[
        Day | None,
        QueryParameter(
            description="Claims stated on or after this day; a month or year date counts"
            " from the last day it may stand for."
        ),
    ] = None,
    stated_to: Annotated[
        Day | None,
        QueryParameter(
            description="Claims stated on or before this day; a month or year date counts"
            " from its first day."
        ),
    ] = None,
    country: Annotated[
        Country | None, QueryParameter(description="ISO 3166-1 alpha-3 of the location.")
    ] = None,
    source_id: Annotated[
        str | None, query_parameter(SourceId, "Claims citing this source.")
    ] = None,
    relayed_by_id: Annotated[
        str | None,
        query_parameter(
            ActorId,
            "Claims with a citation relayed by this actor: its `citations[].relayed_by_id`,"
            " not the intermediaries in `via_ids`.",
        ),
    ] = None,
    related_to: Annotated[
        str | None,
        query_parameter(
            ClaimId,
            "Claims related to this claim, in either direction: those whose `relations` name"
            " it and those its own `relations` name.",
        ),
    ] = None,
    q: Annotated[
        str | None,
        QueryParameter(
            description=CLAIM_SEARCH_HELP
            + " Results reflect every change made through the API once it is committed: each"
            " process keeps the pages and rankings of recent searches, but uses one only while"
            " no claim has changed since. A change made directly in the database, not through"
            " the API, can take up to ten minutes to show.",
            max_length=500,
        ),
    ] = None,
    sort: Annotated[
        Literal["newest", "relevance"] | None,
        QueryParameter(
            description="The order of a search's matches (only with `q`: alone it is a 422)."
            " `newest` (the"
            " default): newest first; a page costs about the same however many claims match."
            " `relevance`: best match first (equals oldest first), every match ranked: about"
            " 5 µs of database time per match the first time a search is asked (a word in a"
            " fifth of a million claims: a second or more), then each process keeps the"
            " best 2,000 matches of recent searches; a search whose ranking takes longer than"
            " `CLAIMLEDGER_RELEVANCE_TIMEOUT_SECONDS` (5 s) is answered 422 naming `sort`."
            " A cursor continues the order it came from; with the other order it is a 400."
            " With `as_of`, both orders read the history, uncached.",
        ),
    ] = None,
) -> Response[CLAIM.page]:  # type: ignore[name-defined]
    if sort is not None and q is None:
        # Each valid alone, not together (no document can say so): 422, as export's `kinds`.
        raise invalid([FieldError("sort", "orders the matches of a search: give q")], status=422)
    found = filters(
        claimant_id=claimant_id,
        subject_id=subject_id,
        status=status,
        topic=topic,
        stated_from=stated_from,
        stated_to=stated_to,
        country=country,
        source_id=source_id,
        relayed_by_id=relayed_by_id,
        related_to=related_to,
        as_of=page.as_of,
        q=None,  # searches are read below, in their own order
    )
    if q is None:
        return await list_response(CLAIMS, found, page)
    if sort == "relevance" and page.as_of is None:
        body = await ranked_page(state, page.pool, found, q, page)
    elif sort == "relevance":
        body = await _history_by_relevance(state, found, q, page)
    elif page.as_of is None:
        body = await newest_page(state, page.pool, found, q, page, normalized(q))
    else:
        async with page.pool.acquire() as conn:
            body = await history_page(conn, found, q, page, page.as_of)
    return Response(body, media_type=JSON)


async def _history_by_relevance(state: State, found: Filters, q: str, page: ListParams) -> bytes:
    """An `as_of` search best first: every match in the history ranked, uncached."""
    found.search(TEXT_SEARCH_CONFIG, q)
    time_limit = state.settings.relevance_timeout_seconds or None
    try:
        return await list_body(CLAIMS, found, page, time_limit)
    except TimeoutError:
        raise too_broad(time_limit) from None


@get(
    "/{id:str}",
    operation_id="getClaim",
    summary="Get a claim",
    description="The latest version, or with `as_of` the version current at that time."
    " Deleted claims answer 410.\n\n`expand` (comma-separated) adds an `expanded` object"
    " beside the claim's own fields, with the neighbours inline: `claimant` (the actor),"
    " `figures` (the claim's live figures), `relations` (each related claim, both the"
    " claim's own relations, `direction: outgoing`, and those of the claims naming it,"
    " `incoming`: at most 100 of those, oldest first; `related_to` lists them all),"
    " `citations.source` (each cited source). With `as_of`, the neighbours are as they were"
    " at that time too. An expanded response is never answered 304: its neighbours change"
    " without the claim's version changing.",
    opt={"scope": "read"},
    responses={
        **problems(404, 410),
        304: ResponseSpec(None, description="Not modified: If-None-Match names this version."),
    },
    response_headers=[ETAG_HEADER],
)
async def get_claim(
    read_pool: ReadPool,
    id: Annotated[str, resource_id_parameter(CLAIMS)],
    as_of: AsOf = None,
    if_none_match: IfNoneMatch = None,
    expand: Annotated[
        str | None,
        QueryParameter(
            description="Neighbours to include, comma-separated, from: " + ", ".join(EXPANSIONS),
            max_length=200,
            pattern=EXPAND_PATTERN,
        ),
    ] = None,
) -> Response[ExpandedClaim]:  # type: ignore[valid-type]
    names = parse_expand(expand)
    if not names:
        return await read_response(read_pool, CLAIMS, id, as_of, if_none_match)
    moment = parse_moment("as_of", as_of)
    async with snapshot(read_pool) as conn:
        # One snapshot: the claim and its neighbours as of the same instant.
        doc = await store.get(conn, CLAIMS, id, moment)
        body = await expand_claim(conn, doc.body, names, moment)
    return document_response(Document(doc.version, body))


router: Router = resource_router(
    CLAIMS,
    CLAIM,
    list_claims,
    read_handler=get_claim,
    tag="claims",
    example={
        "claimant_id": "act_01jfzq6m3b8n0c2k4d5e6f7g8h",
        "text": "Over 3,000 North Korean soldiers were killed or wounded in the Kursk region.",
        "stated_on": "2024-12-23",
        "stated_on_precision": "day",
        "basis": "citing preliminary data",
        "citations": [{"source_id": "src_01jfzq6m3b8n0c2k4d5e6f7g8j"}],
        "location": {"name": "Kursk Oblast", "country": "RUS", "admin1": "Kursk Oblast"},
        "topics": ["casualties"],
    },
)
