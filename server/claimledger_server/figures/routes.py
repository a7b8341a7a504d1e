"""/v1/figures"""

from typing import Annotated

from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.claims.schemas import Day
from claimledger_server.common import ActorId, ClaimId
from claimledger_server.countries import Country
from claimledger_server.figures.schemas import FIGURE, MAX_AMOUNT, FigureSummary, Metric
from claimledger_server.figures.store import FIGURES, SummaryQuery, filters, summarize
from claimledger_server.openapi_docs import problems
from claimledger_server.versioning.routes import (
    Cursor,
    Limit,
    ListParams,
    list_response,
    moment_query,
    parse_moment,
    resource_router,
)

# `schema_extra` because Litestar leaves a falsy bound (`ge=0`) out of the document.
BoundFilter = Annotated[
    int | None, QueryParameter(ge=0, le=MAX_AMOUNT + 1, schema_extra={"minimum": 0})
]


@get(
    operation_id="listFigures",
    summary="List figures",
    description="Live figures in creation order. `min_low` keeps figures whose lower bound is"
    " at least that; `max_high` keeps figures whose upper bound is known and at most that.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_figures(
    state: State,
    page: NamedDependency[ListParams],
    claim_id: FromQuery[ClaimId | None] = None,
    subject_id: FromQuery[ActorId | None] = None,
    metric: FromQuery[Metric | None] = None,
    min_low: BoundFilter = None,
    max_high: BoundFilter = None,
) -> Response[FIGURE.page]:  # type: ignore[name-defined]
    found = filters(
        claim_id=claim_id, subject_id=subject_id, metric=metric, min_low=min_low, max_high=max_high
    )
    return await list_response(state, FIGURES, found, page)


router: Router = resource_router(
    FIGURES,
    FIGURE,
    list_figures,
    tag="figures",
    example={
        "claim_id": "clm_01jfzq6m3b8n0c2k4d5e6f7g8k",
        "metric": "killed_or_wounded",
        "amount": 3000,
        "qualifier": "more_than",
        "text": "over 3,000 soldiers killed or wounded",
        "accumulation": "cumulative",
    },
)


@get(
    "/summary",
    operation_id="summarizeFigures",
    summary="Competing figures: who says how many",
    description="Groups the live figures of live claims by (subject_id, metric, unit) and"
    " gives, per group, the envelope of their bounds — `low`, the smallest lower bound;"
    " `high`, the largest upper bound, null as soon as one figure is unbounded above"
    ' ("over 3,000") — the number of figures and of distinct claimants, and each'
    " claimant's latest figure (the one whose claim was stated last, then the one changed"
    " last) with its claim and the claim's citations and sources.\n\n"
    '`unspecified` figures ("some", "a few") have no bounds: they are counted'
    " (`figure_count`, `unspecified_count`) and listed, but widen neither bound; a group of"
    " only such figures has `low` and `high` null.\n\n"
    "Filters narrow the figures before grouping: `country` is the figure's location"
    " country, else its claim's; `stated_from`/`stated_to` bound the claim's `stated_on`"
    " (inclusive). With `as_of`, the dataset as it was at that time. Groups are ordered by"
    " subject, metric and unit, and paginated.",
    opt={"scope": "read"},
    responses=problems(),
)
async def summarize_figures(
    state: State,
    subject_id: FromQuery[ActorId | None] = None,
    metric: FromQuery[Metric | None] = None,
    country: Annotated[
        Country | None,
        QueryParameter(description="ISO 3166-1 alpha-3: the figure's location, else its claim's."),
    ] = None,
    claimant_id: FromQuery[ActorId | None] = None,
    stated_from: FromQuery[Day | None] = None,
    stated_to: FromQuery[Day | None] = None,
    as_of: moment_query(  # type: ignore[valid-type]
        "Summarize the dataset as it was at this time (RFC 3339)."
    ) = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[FigureSummary]:
    query = SummaryQuery(
        subject_id=subject_id,
        metric=metric,
        country=country,
        claimant_id=claimant_id,
        stated_from=stated_from,
        stated_to=stated_to,
        as_of=parse_moment("as_of", as_of),
        limit=limit,
        cursor=cursor,
    )
    async with (
        state.read_pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        found = await summarize(conn, query)
    return Response(found)


# Beside the generic routes; Litestar matches the literal `/summary` before `/{id}`.
router.register(summarize_figures)
