"""/v1/actors"""

import re
from typing import Annotated, Any

from litestar import Request, Response, Router, get
from litestar.datastructures import MultiDict
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from claimledger_server.actors.schemas import ACTOR, ActorKind
from claimledger_server.actors.store import ACTORS, filters
from claimledger_server.common import ActorId
from claimledger_server.countries import Country
from claimledger_server.errors import FieldError, invalid
from claimledger_server.openapi_docs import SEARCH_HELP, problems
from claimledger_server.query_params import query_parameter
from claimledger_server.versioning.routes import ListParams, list_response, resource_router

EXTERNAL_IDS = "external_ids."
"""The prefix of the `external_ids.<scheme>=<value>` query parameters."""
_SCHEME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_MAX_VALUE = 200


def external_ids_query(query: MultiDict[str]) -> dict[str, str]:
    """The `external_ids.<scheme>=<value>` parameters of a query as {scheme: value}; a
    malformed scheme or value, or a scheme given twice, is a 400 naming the parameter.
    (Litestar declares parameters by name only, so this family is read here.)"""
    found: dict[str, str] = {}
    errors: list[FieldError] = []
    for name, value in query.multi_items():
        if not name.startswith(EXTERNAL_IDS):
            continue
        scheme = name.removeprefix(EXTERNAL_IDS)
        if not _SCHEME.fullmatch(scheme):
            errors.append(
                FieldError(
                    name,
                    "the scheme after `external_ids.` must match ^[a-z][a-z0-9_]*$ and have"
                    " at most 40 characters, e.g. external_ids.wikidata",
                )
            )
        elif scheme in found:
            errors.append(FieldError(name, "is given more than once; an actor has one value"))
        elif not 1 <= len(value) <= _MAX_VALUE or "\x00" in value:
            errors.append(FieldError(name, f"the value must have 1 to {_MAX_VALUE} characters"))
        else:
            found[scheme] = value
    if errors:
        raise invalid(errors, status=400)
    return found


@get(
    operation_id="listActors",
    summary="List actors",
    description="Live actors in creation order, filtered; `q` searches names and aliases."
    "\n\n`external_ids.<scheme>=<value>` keeps the actors whose `external_ids` has that value"
    " for that scheme, e.g. `external_ids.wikidata=Q423`. The scheme is written like the"
    " keys of `external_ids` (^[a-z][a-z0-9_]*$, at most 40 characters), the value has 1 to"
    " 200 characters and is matched exactly; several schemes must all match. A malformed"
    " one is a 400 naming the parameter. (OpenAPI cannot declare a family of parameter names,"
    " so these are documented here only.)",
    opt={"scope": "read", "query_prefixes": (EXTERNAL_IDS,)},
    responses=problems(),
)
async def list_actors(
    request: Request[Any, Any, Any],
    page: NamedDependency[ListParams],
    kind: FromQuery[ActorKind | None] = None,
    country: Annotated[Country | None, QueryParameter(description="ISO 3166-1 alpha-3.")] = None,
    parent_id: Annotated[
        str | None,
        query_parameter(ActorId, "Actors whose `parent_id` is this actor (direct members)."),
    ] = None,
    anonymous: Annotated[
        bool | None,
        QueryParameter(description="`true`: only anonymous actors; `false`: only named ones."),
    ] = None,
    q: Annotated[
        str | None,
        QueryParameter(description=SEARCH_HELP.format(fields="name and aliases"), max_length=500),
    ] = None,
) -> Response[ACTOR.page]:  # type: ignore[name-defined]
    found = filters(
        kind=kind,
        country=country,
        q=q,
        parent_id=parent_id,
        anonymous=anonymous,
        external_ids=external_ids_query(request.query_params),
    )
    return await list_response(ACTORS, found, page)


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
