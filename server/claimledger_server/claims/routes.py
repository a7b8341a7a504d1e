"""/v1/claims"""

from typing import Annotated

from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.claims.schemas import CLAIM, ClaimStatus, Day
from claimledger_server.claims.store import CLAIMS, filters
from claimledger_server.common import ActorId, Slug
from claimledger_server.countries import Country
from claimledger_server.openapi_docs import problems
from claimledger_server.versioning.routes import ListParams, list_response, resource_router


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
        QueryParameter(description="Full-text search over text, quote and basis.", max_length=500),
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
        q=q,
    )
    return await list_response(state, CLAIMS, found, page)


router: Router = resource_router(
    CLAIMS,
    CLAIM,
    list_claims,
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
