"""/v1/figures"""

from typing import Annotated

import asyncpg
import msgspec
from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.claims.schemas import Day
from claimledger_server.common import ActorId, ClaimId, Slug
from claimledger_server.consistency import ReadPool
from claimledger_server.countries import Country
from claimledger_server.figures.parsing import parse_figures
from claimledger_server.figures.schemas import (
    FIGURE,
    MAX_AMOUNT,
    Accumulation,
    FigureSummary,
    FigureTimeline,
    Metric,
)
from claimledger_server.figures.store import FIGURES, filters
from claimledger_server.figures.summary import SummaryQuery, summarize
from claimledger_server.figures.timeline import TimelineQuery, timeline
from claimledger_server.kept_answers import kept_answers
from claimledger_server.openapi_docs import problems
from claimledger_server.parameters import Cursor, Limit, moment_query, parse_moment
from claimledger_server.query_params import query_parameter
from claimledger_server.responses import raw_json
from claimledger_server.versioning.routes import ListParams, list_response, resource_router

# `schema_extra` because Litestar leaves a falsy bound (`ge=0`) out of the document.
BoundFilter = Annotated[
    int | None, QueryParameter(ge=0, le=MAX_AMOUNT + 1, schema_extra={"minimum": 0})
]
ActorFilter = Annotated[str | None, query_parameter(ActorId)]
UnitQuery = Annotated[str, query_parameter(Slug, 'Unit of the figures; "people" unless given.')]


@get(
    operation_id="listFigures",
    summary="List figures",
    description="Live figures in creation order. `min_low` keeps figures whose lower bound is"
    " at least that; `max_high` keeps figures whose upper bound is known and at most that.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_figures(
    page: NamedDependency[ListParams],
    claim_id: Annotated[str | None, query_parameter(ClaimId, "Figures of this claim.")] = None,
    subject_id: Annotated[str | None, query_parameter(ActorId, "The actor counted.")] = None,
    metric: FromQuery[Metric | None] = None,
    min_low: BoundFilter = None,
    max_high: BoundFilter = None,
) -> Response[FIGURE.page]:  # type: ignore[name-defined]
    found = filters(
        claim_id=claim_id, subject_id=subject_id, metric=metric, min_low=min_low, max_high=max_high
    )
    return await list_response(FIGURES, found, page)


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


_PERIOD_RULE = (
    "`period_from`/`period_to` keep figures whose period overlaps the range (inclusive). A"
    " period spans from the first day of its start to the last day of its end, precisions"
    " applied (an end of 2024-10-01 with precision `month` runs to 2024-10-31). A missing"
    " start or end is unknown and bounds nothing on its side; a figure with neither date"
    " (or no period) matches no period filter."
)
_STATED_RULE = (
    "`stated_from`/`stated_to` keep claims whose stated span overlaps the range: a month or"
    " year `stated_on` stands for its whole month or year, so `stated_from` compares with"
    " its last day and `stated_to` with its first; a claim without `stated_on` matches"
    " neither."
)
_CLAIMANT_RULE = (
    "Each of a claim's claimant and co-claimants (`co_claimant_ids`) counts as a claimant"
    " of its figures; `claimant_id` keeps that claimant's entries, whichever role it had."
)


@get(
    "/summary",
    operation_id="summarizeFigures",
    summary="Competing figures: who says how many",
    description="Groups the live figures of live claims by (subject_id, metric, unit,"
    " accumulation) — never across them: a weekly toll and a running total are different"
    " quantities — and gives, per group, the envelope of their bounds — `low`, the"
    " smallest lower bound; `high`, the largest upper bound, null as soon as one entry is"
    ' unbounded above ("over 3,000") — the number of figures and of distinct claimants,'
    " and each claimant's latest entry (the one whose claim was stated last, then the one"
    " changed last, then the greatest figure id) with its claim and the claim's citations"
    " and sources, the most recently stated first.\n\n" + _CLAIMANT_RULE + "\n\n"
    '`unspecified` figures ("some", "there were losses") have no bounds: they are counted'
    " (`figure_count`, `unspecified_count`) and listed, but widen neither bound; a group of"
    " only such figures has `low` and `high` null.\n\n"
    "Composites: `killed_or_wounded` = `killed` + `wounded`. A claim that states exactly"
    " one `killed` and one `wounded` figure of the same subject, unit, accumulation and"
    " period (same dates and precisions, or neither dated), both with a number, also counts"
    " in the `killed_or_wounded` group with a derived entry: `figure` is null and"
    " `derived` is `{derived_from: [killed id, wounded id], low: sum of lows, high: sum of"
    " highs (null if either is null), period}`. Derived entries widen the envelope, count"
    " in `derived_count` and `claimant_count` (not in `figure_count`) and compete for"
    " each claimant's latest entry like figures. A claim that states `killed_or_wounded`"
    " for that subject, unit and accumulation itself gets no derived entry: the stated"
    " figure wins. A derived entry is kept when the filters keep both of its parts;"
    " nothing derived is stored.\n\n"
    "Filters narrow the figures before grouping: `country` is the figure's location"
    " country, else its claim's. "
    + _STATED_RULE
    + " "
    + _PERIOD_RULE
    + " With `as_of`, the dataset as it was at that time. Groups are ordered by subject,"
    " metric, unit and accumulation, and paginated.",
    opt={"scope": "read"},
    responses=problems(),
)
async def summarize_figures(
    state: State,
    read_pool: ReadPool,
    subject_id: ActorFilter = None,
    metric: FromQuery[Metric | None] = None,
    accumulation: FromQuery[Accumulation | None] = None,
    country: Annotated[
        Country | None,
        QueryParameter(description="ISO 3166-1 alpha-3: the figure's location, else its claim's."),
    ] = None,
    claimant_id: ActorFilter = None,
    stated_from: FromQuery[Day | None] = None,
    stated_to: FromQuery[Day | None] = None,
    period_from: FromQuery[Day | None] = None,
    period_to: FromQuery[Day | None] = None,
    as_of: moment_query(  # type: ignore[valid-type]
        "Summarize the dataset as it was at this time (RFC 3339)."
    ) = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[FigureSummary]:
    query = SummaryQuery(
        subject_id=subject_id,
        metric=metric,
        accumulation=accumulation,
        country=country,
        claimant_id=claimant_id,
        stated_from=stated_from,
        stated_to=stated_to,
        period_from=period_from,
        period_to=period_to,
        as_of=parse_moment("as_of", as_of),
        limit=limit,
        cursor=cursor,
    )

    async def read(conn: asyncpg.Connection) -> bytes:
        return msgspec.json.encode(await summarize(conn, query))

    body = await kept_answers(state).answer(read_pool, ("summary", query), read)
    return raw_json(body)


@get(
    "/timeline",
    operation_id="figureTimeline",
    summary="List running totals over time: who said how many, when",
    description="Every live `cumulative` figure of a live claim about `subject_id`, with"
    " `metric` and `unit` (default `people`): the points of the chart of each claimant's"
    " running total. One entry per figure and claimant — a joint statement gives each"
    " co-claimant its own entry — ordered by the claim's `stated_on` (a month or year"
    " date sorts on its first day; its precision is in the entry), then `claimant_id`,"
    " then the figure id. Entries of claims without `stated_on` come last. Every"
    " qualifier is included, bounds as they are (`vague` with the caller's, `unspecified`"
    " with none). `incremental` and `unknown` figures are not running totals and are left"
    " out; so are derived `killed_or_wounded` sums (see the summary): the timeline shows"
    " what was stated.\n\n"
    "`claimant_id` keeps that claimant's entries (as claimant or co-claimant). "
    + _STATED_RULE
    + " With `as_of`, the dataset as it was at that time. Paginated.",
    opt={"scope": "read"},
    responses=problems(),
)
async def figure_timeline(
    state: State,
    read_pool: ReadPool,
    # Required: a missing one is a 400 whose `detail` names it.
    subject_id: Annotated[str, query_parameter(ActorId, "The actor counted.")],
    metric: Annotated[Metric, QueryParameter(description="What is counted.")],
    unit: UnitQuery = "people",
    claimant_id: ActorFilter = None,
    stated_from: FromQuery[Day | None] = None,
    stated_to: FromQuery[Day | None] = None,
    as_of: moment_query(  # type: ignore[valid-type]
        "The timeline as the dataset was at this time (RFC 3339)."
    ) = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[FigureTimeline]:
    query = TimelineQuery(
        subject_id=subject_id,
        metric=metric,
        unit=unit,
        claimant_id=claimant_id,
        stated_from=stated_from,
        stated_to=stated_to,
        as_of=parse_moment("as_of", as_of),
        limit=limit,
        cursor=cursor,
    )

    async def read(conn: asyncpg.Connection) -> bytes:
        return msgspec.json.encode(await timeline(conn, query))

    body = await kept_answers(state).answer(read_pool, ("timeline", query), read)
    return raw_json(body)


# Beside the generic routes; Litestar matches the literal paths before `/{id}`.
router.register(summarize_figures)
router.register(figure_timeline)
router.register(parse_figures)
