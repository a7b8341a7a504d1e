"""/v1/sources"""

from typing import Annotated

from litestar import Response, Router, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.common import ActorId, SourceId
from claimledger_server.openapi_docs import SEARCH_HELP, problems
from claimledger_server.query_params import query_parameter
from claimledger_server.sources.schemas import SOURCE, SourceKind
from claimledger_server.sources.store import SOURCES, filters
from claimledger_server.versioning.routes import ListParams, list_response, resource_router


@get(
    operation_id="listSources",
    summary="List sources",
    description="Live sources in creation order, filtered; `q` searches titles.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_sources(
    page: NamedDependency[ListParams],
    kind: FromQuery[SourceKind | None] = None,
    publisher_id: Annotated[
        str | None, query_parameter(ActorId, "Sources this actor published.")
    ] = None,
    republished_from_id: Annotated[
        str | None,
        query_parameter(SourceId, "Sources that republish this one (reprints, wire copies)."),
    ] = None,
    q: Annotated[
        str | None, QueryParameter(description=SEARCH_HELP.format(fields="titles"), max_length=500)
    ] = None,
) -> Response[SOURCE.page]:  # type: ignore[name-defined]
    found = filters(
        kind=kind, publisher_id=publisher_id, q=q, republished_from_id=republished_from_id
    )
    return await list_response(SOURCES, found, page)


router: Router = resource_router(
    SOURCES,
    SOURCE,
    list_sources,
    tag="sources",
    example={
        "external_id": "source:zelenskyy-video-address-2024-12-23",
        "kind": "video_address",
        "title": "Zelenskyy's evening video address of 23 December 2024",
        "language": "uk",
    },
)
