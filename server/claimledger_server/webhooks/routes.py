"""/v1/webhooks: endpoints partners receive events on, and the log of what was sent."""

from datetime import UTC
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response, Router, delete, get, patch, post
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import Body, QueryParameter

from claimledger_server.auth import ApiKey
from claimledger_server.errors import unprocessable
from claimledger_server.idempotency import Outcome, respond_once, shown_once
from claimledger_server.ids import id_meta
from claimledger_server.openapi_docs import LOCATION_HEADER, REPLAYED_HEADER, problems
from claimledger_server.parameters import Cursor, IdempotencyKey, Limit
from claimledger_server.query_params import path_parameter
from claimledger_server.responses import raw_json
from claimledger_server.transactions import run_in_transaction
from claimledger_server.webhooks import safety, store
from claimledger_server.webhooks.schemas import (
    TYPE_GLOB,
    DeliveryStatus,
    WebhookAttemptList,
    WebhookDelivery,
    WebhookDeliveryList,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookQueued,
    WebhookRecover,
    WebhookReplay,
    WebhookSecret,
)

ADMIN = {"scope": "admin"}
RESOLVE_SECONDS = 5.0
EndpointId = Annotated[str, path_parameter(id_meta("whe", "The endpoint's id."))]
DeliveryId = Annotated[str, path_parameter(id_meta("whd", "The delivery's id."))]
_CREATE_EXAMPLE = {
    "url": "https://partner.example.org/claimledger/webhooks",
    "event_types": ["claim.*", "figure.*"],
    "description": "Partner mirror of claims and figures",
}


def _example(value: dict[str, Any]) -> list[Example]:
    return [Example(summary="Example", value=value)]


def _encode(value: msgspec.Struct) -> bytes:
    return msgspec.json.encode(value)


async def _check_url(state: State, url: str) -> None:
    try:
        await safety.check(
            url,
            allow_private=state.settings.webhooks.allow_private,
            resolve_seconds=RESOLVE_SECONDS,
        )
    except safety.UnsafeTarget as exc:
        raise unprocessable("url", str(exc)) from None


async def _once(
    request: Request[ApiKey, Any, Any], state: State, status: int, work: Any
) -> Response[Any]:
    """A POST run exactly once per Idempotency-Key, answering `work(conn)` as JSON."""

    async def run(conn: asyncpg.Connection) -> Outcome:
        return Outcome(status, {}, _encode(await work(conn)))

    return await respond_once(request, state.pool, run)


@post(
    operation_id="createWebhookEndpoint",
    summary="Create a webhook endpoint",
    description="Events whose type matches `event_types` are POSTed to `url` as Standard"
    " Webhooks, at least once each, in feed order per resource. The response holds the"
    " signing `secret`, shown this once: a retry with the same Idempotency-Key is a 409"
    " `secret-not-replayed` that names the endpoint (`Location`) instead.",
    status_code=201,
    opt=ADMIN,
    responses=problems(413, 422),
    response_headers=[LOCATION_HEADER, REPLAYED_HEADER],
)
async def create_endpoint(
    request: Request[ApiKey, Any, Any],
    state: State,
    data: Annotated[WebhookEndpointCreate, Body(examples=_example(_CREATE_EXAMPLE))],
    idempotency_key: IdempotencyKey = None,
) -> Response[WebhookEndpointWithSecret]:
    await _check_url(state, data.url)

    async def work(conn: asyncpg.Connection) -> Outcome:
        endpoint = await store.create_endpoint(conn, data)
        path = f"/v1/webhooks/{endpoint.id}"
        return shown_once(
            Outcome(201, {"Location": path}, _encode(endpoint)),
            done=f"Webhook endpoint {endpoint.id} was created by the first request with this"
            " Idempotency-Key.",
            renew=f"POST {path}/rotate-secret for a new one.",
        )

    return await respond_once(request, state.pool, work)


@get(
    operation_id="listWebhookEndpoints",
    summary="List webhook endpoints",
    opt=ADMIN,
    responses=problems(),
)
async def list_endpoints(
    state: State, limit: Limit = 50, cursor: Cursor = None
) -> Response[WebhookEndpointList]:
    async with state.pool.acquire() as conn:
        page = await store.list_endpoints(conn, limit, cursor)
    return raw_json(_encode(page))


@get(
    "/{id:str}",
    operation_id="getWebhookEndpoint",
    summary="Get a webhook endpoint",
    description="Never shows the secret.",
    opt=ADMIN,
    responses=problems(404),
)
async def get_endpoint(state: State, id: EndpointId) -> Response[WebhookEndpoint]:
    async with state.pool.acquire() as conn:
        return raw_json(_encode(await store.get_endpoint(conn, id)))


@patch(
    "/{id:str}",
    operation_id="updateWebhookEndpoint",
    summary="Update a webhook endpoint",
    description="Change `url`, `event_types`, `description` or `enabled`. Enabling a"
    " disabled endpoint clears its failure record and sends what waited for it; events that"
    " occurred while it was disabled can be sent with `replay`.",
    opt=ADMIN,
    responses=problems(404, 413, 422),
)
async def update_endpoint(
    state: State,
    id: EndpointId,
    data: Annotated[WebhookEndpointUpdate, Body(examples=_example({"enabled": False}))],
) -> Response[WebhookEndpoint]:
    if isinstance(data.url, str):
        await _check_url(state, data.url)
    endpoint = await run_in_transaction(
        state.pool, lambda conn: store.update_endpoint(conn, id, data)
    )
    return raw_json(_encode(endpoint))


@delete(
    "/{id:str}",
    operation_id="deleteWebhookEndpoint",
    summary="Delete a webhook endpoint",
    description="Deletes it with its deliveries and their attempts; nothing more is sent.",
    status_code=204,
    opt=ADMIN,
    responses=problems(404),
)
async def delete_endpoint(state: State, id: EndpointId) -> None:
    await run_in_transaction(state.pool, lambda conn: store.delete_endpoint(conn, id))


@post(
    "/{id:str}/rotate-secret",
    operation_id="rotateWebhookSecret",
    summary="Rotate an endpoint's signing secret",
    description="Returns a new secret, shown once (a retry with the same Idempotency-Key is a"
    " 409 `secret-not-replayed`). For 24 hours deliveries carry two signatures in"
    " `webhook-signature` (new and old secret), so the receiver can switch without losing a"
    " delivery.",
    status_code=200,
    opt=ADMIN,
    responses=problems(404),
    response_headers=[REPLAYED_HEADER],
)
async def rotate_secret(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: EndpointId,
    idempotency_key: IdempotencyKey = None,
) -> Response[WebhookSecret]:
    async def work(conn: asyncpg.Connection) -> Outcome:
        rotated = await store.rotate_secret(conn, id)
        return shown_once(
            Outcome(200, {}, _encode(rotated)),
            done=f"The secret of webhook endpoint {id} was rotated by the first request with"
            " this Idempotency-Key.",
            renew=f"POST /v1/webhooks/{id}/rotate-secret again, with a new Idempotency-Key,"
            " for a new one.",
        )

    return await respond_once(request, state.pool, work)


@post(
    "/{id:str}/test",
    operation_id="testWebhookEndpoint",
    summary="Send a test event",
    description="Queues a `ping` delivery to this endpoint only: body"
    ' `{"type": "ping", "timestamp": …, "data": {"endpoint_id": …, "message": …}}`, signed'
    " like every delivery. Follow it in the deliveries log.",
    status_code=202,
    opt=ADMIN,
    responses=problems(404, 409),
    response_headers=[REPLAYED_HEADER],
)
async def send_test_event(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: EndpointId,
    idempotency_key: IdempotencyKey = None,
) -> Response[WebhookDelivery]:
    return await _once(request, state, 202, lambda conn: store.enqueue_ping(conn, id))


@post(
    "/{id:str}/replay",
    operation_id="replayWebhookEvents",
    summary="Send events again from a feed position",
    description="Queues every event with `seq` greater than `after` that matches the"
    " endpoint's `event_types`, including ones delivered before (same `webhook-id`, so"
    " receivers can deduplicate). Use it to fill a gap, e.g. after the endpoint was disabled.",
    status_code=202,
    opt=ADMIN,
    responses=problems(404, 413, 422),
    response_headers=[REPLAYED_HEADER],
)
async def replay(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: EndpointId,
    data: Annotated[WebhookReplay, Body(examples=_example({"after": 1200}))],
    idempotency_key: IdempotencyKey = None,
) -> Response[WebhookQueued]:
    async def work(conn: asyncpg.Connection) -> WebhookQueued:
        return WebhookQueued(await store.replay(conn, id, data.after))

    return await _once(request, state, 202, work)


@post(
    "/{id:str}/recover",
    operation_id="recoverWebhookEndpoint",
    summary="Re-send failed deliveries",
    description="Queues again every delivery that failed (retries exhausted, or a 410) and"
    " was created at or after `since`, each with a fresh retry schedule.",
    status_code=202,
    opt=ADMIN,
    responses=problems(404, 413, 422),
    response_headers=[REPLAYED_HEADER],
)
async def recover(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: EndpointId,
    data: Annotated[WebhookRecover, Body(examples=_example({"since": "2024-12-27T00:00:00Z"}))],
    idempotency_key: IdempotencyKey = None,
) -> Response[WebhookQueued]:
    try:  # PostgreSQL, like Python, holds the years 1 to 9999 in UTC only
        since = data.since.astimezone(UTC)
    except OverflowError:
        raise unprocessable("since", "outside the years 1 to 9999 once in UTC") from None

    async def work(conn: asyncpg.Connection) -> WebhookQueued:
        return WebhookQueued(await store.recover(conn, id, since))

    return await _once(request, state, 202, work)


@get(
    "/{id:str}/deliveries",
    operation_id="listWebhookDeliveries",
    summary="List an endpoint's deliveries",
    description="Newest first: one per event sent to the endpoint, with its status and the"
    " outcome of the last attempt.",
    opt=ADMIN,
    responses=problems(404),
)
async def list_deliveries(
    state: State,
    id: EndpointId,
    status: Annotated[
        DeliveryStatus | None, QueryParameter(description="Only deliveries in this state.")
    ] = None,
    event_type: Annotated[
        str | None,
        QueryParameter(
            pattern=TYPE_GLOB,
            max_length=100,
            description="Only this event type, or glob such as `claim.*`.",
        ),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[WebhookDeliveryList]:
    async with state.pool.acquire() as conn:
        page = await store.list_deliveries(
            conn, id, status=status, event_type=event_type, limit=limit, cursor=cursor
        )
    return raw_json(_encode(page))


@get(
    "/{id:str}/deliveries/{delivery_id:str}",
    operation_id="getWebhookDelivery",
    summary="Get one delivery",
    opt=ADMIN,
    responses=problems(404),
)
async def get_delivery(
    state: State, id: EndpointId, delivery_id: DeliveryId
) -> Response[WebhookDelivery]:
    async with state.pool.acquire() as conn:
        return raw_json(_encode(await store.get_delivery(conn, id, delivery_id)))


@get(
    "/{id:str}/deliveries/{delivery_id:str}/attempts",
    operation_id="listWebhookDeliveryAttempts",
    summary="List the attempts of a delivery",
    description="Oldest first: when, the status code, latency, the start of the response"
    " body, and the error when no answer came.",
    opt=ADMIN,
    responses=problems(404),
)
async def list_attempts(
    state: State, id: EndpointId, delivery_id: DeliveryId, limit: Limit = 50, cursor: Cursor = None
) -> Response[WebhookAttemptList]:
    async with state.pool.acquire() as conn:
        page = await store.list_attempts(conn, id, delivery_id, limit, cursor)
    return raw_json(_encode(page))


@post(
    "/{id:str}/deliveries/{delivery_id:str}/retry",
    operation_id="retryWebhookDelivery",
    summary="Send a delivery again now",
    description="Queues the delivery for an immediate attempt with a fresh retry schedule,"
    " whatever its state (409 while an attempt is in flight).",
    status_code=202,
    opt=ADMIN,
    responses=problems(404, 409),
    response_headers=[REPLAYED_HEADER],
)
async def retry_delivery(
    request: Request[ApiKey, Any, Any],
    state: State,
    id: EndpointId,
    delivery_id: DeliveryId,
    idempotency_key: IdempotencyKey = None,
) -> Response[WebhookDelivery]:
    return await _once(
        request, state, 202, lambda conn: store.retry_delivery(conn, id, delivery_id)
    )


router = Router(
    "/v1/webhooks",
    route_handlers=[
        create_endpoint,
        list_endpoints,
        get_endpoint,
        update_endpoint,
        delete_endpoint,
        rotate_secret,
        send_test_event,
        replay,
        recover,
        list_deliveries,
        get_delivery,
        list_attempts,
        retry_delivery,
    ],
    tags=["webhooks"],
)
