"""/v1/events: the changes feed partners replay to mirror the dataset."""

from typing import Annotated

from litestar import Response, Router, get
from litestar.params import QueryParameter

from claimledger_server.consistency import ReadPool
from claimledger_server.errors import ApiError
from claimledger_server.events import store
from claimledger_server.events.schemas import Event, EventList
from claimledger_server.events.store import TYPES_PATTERN
from claimledger_server.ids import id_meta
from claimledger_server.openapi_docs import problems
from claimledger_server.pagination import decode_cursor
from claimledger_server.parameters import Cursor, Limit
from claimledger_server.query_params import path_parameter
from claimledger_server.responses import raw_json


@get(
    operation_id="listEvents",
    summary="Read the changes feed",
    description="Every change as an event, in commit order: an event never appears before one"
    " with a lower `seq`, so a reader that has seen `seq` N may resume with `after=N` and miss"
    " nothing. Replaying from `after=0` rebuilds the whole dataset.",
    opt={"scope": "read"},
    responses=problems(),
)
async def list_events(
    read_pool: ReadPool,
    after: Annotated[
        int, QueryParameter(ge=0, le=2**62, description="Only events with a greater `seq`.")
    ] = 0,
    types: Annotated[
        str | None,
        QueryParameter(
            max_length=500,
            pattern=TYPES_PATTERN,
            description="Comma-separated event types or globs, e.g. `claim.*,figure.deleted`.",
        ),
    ] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response[EventList]:
    start = decode_cursor(cursor, int) if cursor else after
    async with read_pool.acquire() as conn:
        body = await store.feed(conn, start, store.type_patterns(types), limit)
    return raw_json(body)


@get(
    "/{event_id:str}",
    operation_id="getEvent",
    summary="Get one event",
    opt={"scope": "read"},
    responses=problems(404),
)
async def get_event(
    read_pool: ReadPool,
    event_id: Annotated[str, path_parameter(id_meta("evt", "The event's id."))],
) -> Response[Event]:
    async with read_pool.acquire() as conn:
        body = await store.one(conn, event_id)
    if body is None:
        raise ApiError(404, "not-found", f"No event with id {event_id!r}.")
    return raw_json(body)


router = Router("/v1/events", route_handlers=[list_events, get_event], tags=["events"])
