"""/v1/figures"""

from typing import Annotated

from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.common import ActorId, ClaimId
from claimledger_server.figures.schemas import FIGURE, MAX_AMOUNT, Metric
from claimledger_server.figures.store import FIGURES, filters
from claimledger_server.openapi_docs import problems
from claimledger_server.versioning.routes import ListParams, list_response, resource_router

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
