"""/v1/claims"""

from typing import Annotated

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
from claimledger_server.claims.schemas import CLAIM, ClaimStatus, Day, ExpandedClaim
from claimledger_server.claims.search import ranked_page
from claimledger_server.claims.store import CLAIMS, filters
from claimledger_server.common import ActorId, Slug
from claimledger_server.countries import Country
from claimledger_server.openapi_docs import ETAG_HEADER, SEARCH_HELP, problems
from claimledger_server.versioning import store
from claimledger_server.versioning.documents import Document
from claimledger_server.versioning.routes import (
    JSON,
    AsOf,
    IfNoneMatch,
    ListParams,
    ResourceId,
    document_response,
    list_response,
    parse_moment,
    read_response,
    resource_router,
)


@get(
    operation_id="listClaims",
    summary="List claims",
    description="Live claims in creation order. `stated_from`/`stated_to` bound `stated_on`"
    " (inclusive); `q` searches text, quote and basis.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_claims(
    state: State,
    page: NamedDependency[ListParams],
    claimant_id: FromQuery[ActorId | None] = None,
    subject_id: FromQuery[ActorId | None] = None,
    status: FromQuery[ClaimStatus | None] = None,
    topic: FromQuery[Slug | None] = None,
    stated_from: FromQuery[Day | None] = None,
    stated_to: FromQuery[Day | None] = None,
    country: Annotated[
        Country | None, QueryParameter(description="ISO 3166-1 alpha-3 of the location.")
    ] = None,
    q: Annotated[
        str | None,
        QueryParameter(
            description=SEARCH_HELP.format(fields="text, quote and basis")
            + " Results reflect every change made through the API once it is committed: each"
            " process caches the rankings of recent searches, but uses one only while no claim"
            " has changed since, and reads the page's claims afresh. A change made directly in"
            " the database, not through the API, can take up to ten minutes to show.",
            max_length=500,
        ),
    ] = None,
) -> Response[CLAIM.page]:  # type: ignore[name-defined]
    found = filters(
        claimant_id=claimant_id,
        subject_id=subject_id,
        status=status,
        topic=topic,
        stated_from=stated_from,
        stated_to=stated_to,
        country=country,
        # The current dataset's searches are answered from cached rankings (search.py);
        # as_of searches run over the history tables.
        q=q if page.as_of is not None else None,
    )
    if q is not None and page.as_of is None:
        return Response(await ranked_page(state, found, q, page), media_type=JSON)
    return await list_response(state, CLAIMS, found, page)


@get(
    "/{id:str}",
    operation_id="getClaim",
    summary="Get a claim",
    description="The latest version, or with `as_of` the version current at that time."
    " Deleted claims answer 410.\n\n`expand` (comma-separated) adds an `expanded` object"
    " beside the claim's own fields, with the neighbours inline: `claimant` (the actor),"
    " `figures` (the claim's live figures), `relations` (each related claim),"
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
    state: State,
    id: ResourceId,
    as_of: AsOf = None,
    if_none_match: IfNoneMatch = None,
    expand: Annotated[
        str | None,
        QueryParameter(
            description="Neighbours to include, comma-separated, from: " + ", ".join(EXPANSIONS),
            max_length=200,
            schema_extra={"pattern": EXPAND_PATTERN},
        ),
    ] = None,
) -> Response[ExpandedClaim]:  # type: ignore[valid-type]
    names = parse_expand(expand)
    if not names:
        return await read_response(state, CLAIMS, id, as_of, if_none_match)
    moment = parse_moment("as_of", as_of)
    async with (
        state.read_pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
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
