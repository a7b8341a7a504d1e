"""/v1/actors"""

from typing import Annotated

from litestar import Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.actors.schemas import ACTOR, ActorKind
from claimledger_server.actors.store import ACTORS, filters
from claimledger_server.countries import Country
from claimledger_server.openapi_docs import SEARCH_HELP, problems
from claimledger_server.versioning.routes import ListParams, list_response, resource_router


@get(
    operation_id="listActors",
    summary="List actors",
    description="Live actors in creation order, filtered; `q` searches names and aliases.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_actors(
    state: State,
    page: NamedDependency[ListParams],
    kind: FromQuery[ActorKind | None] = None,
    country: Annotated[Country | None, QueryParameter(description="ISO 3166-1 alpha-3.")] = None,
    q: Annotated[
        str | None,
        QueryParameter(description=SEARCH_HELP.format(fields="name and aliases"), max_length=500),
    ] = None,
) -> Response[ACTOR.page]:  # type: ignore[name-defined]
    return await list_response(state, ACTORS, filters(kind=kind, country=country, q=q), page)


router: Router = resource_router(
    ACTORS,
    ACTOR,
    list_actors,
    tag="actors",
    example={
        "external_id": "actor:john-kirby",
        "name": "John Kirby",
        "kind": "person",
        "country": "USA",
        "role": "spokesperson",
    },
)
