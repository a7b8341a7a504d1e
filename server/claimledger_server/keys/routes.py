"""/v1/keys: onboarding third-party apps and partners without shell access (admin scope)."""

from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response, Router, get, patch, post
from litestar.datastructures import State
from litestar.openapi.spec import Example
from litestar.params import Body, QueryParameter

from claimledger_server.auth import ApiKey as Caller
from claimledger_server.idempotency import Outcome, respond_once, shown_once
from claimledger_server.keys import schemas, store
from claimledger_server.openapi_docs import ETAG_HEADER, LOCATION_HEADER, REPLAYED_HEADER, problems
from claimledger_server.parameters import Cursor, IdempotencyKey, Limit
from claimledger_server.query_params import path_parameter
from claimledger_server.responses import raw_json
from claimledger_server.transactions import run_in_transaction
from claimledger_server.versioning.documents import etag, parse_if_match
from claimledger_server.versioning.routes import IfMatch

ADMIN = {"scope": "admin"}
KeyIdPath = Annotated[str, path_parameter(schemas.KeyId)]
_WINDOW = (
    " Other API processes may still accept the key as it was for up to"
    " `CLAIMLEDGER_API_KEY_CACHE_SECONDS` (10 s by default); the one that answers, at once."
)
_CREATE_EXAMPLE = {
    "name": "Partner mirror: Example Research Institute",
    "scopes": ["read"],
    "rate_limit_per_minute": 600,
}


def _answer(key: schemas.ApiKey, status: int = 200, **headers: str) -> Outcome:
    return Outcome(status, {"ETag": etag(key.version), **headers}, msgspec.json.encode(key))


def _response(outcome: Outcome) -> Response[Any]:
    return Response(
        outcome.body,
        status_code=outcome.status,
        media_type=outcome.media_type,
        headers=outcome.headers,
    )


@post(
    operation_id="createKey",
    summary="Create an API key",
    description="A key for a third-party app or partner. The response holds its `secret`,"
    " shown this once and never stored (only its hash is): a retry with the same"
    " Idempotency-Key is a 409 `secret-not-replayed` that names the key (`Location`)"
    " instead; revoke that one and create another if the secret was lost. Announced in the"
    " changes feed as `api_key.created`.",
    status_code=201,
    opt=ADMIN,
    responses=problems(413, 422),
    response_headers=[ETAG_HEADER, LOCATION_HEADER, REPLAYED_HEADER],
)
async def create_key(
    request: Request[Caller, Any, Any],
    state: State,
    data: Annotated[
        schemas.ApiKeyCreate,
        Body(examples=[Example(summary="A read-only partner", value=_CREATE_EXAMPLE)]),
    ],
    idempotency_key: IdempotencyKey = None,
) -> Response[schemas.ApiKeyWithSecret]:
    async def work(conn: asyncpg.Connection) -> Outcome:
        key = await store.create(conn, data)
        path = f"/v1/keys/{key.id}"
        return shown_once(
            _answer(key, 201, Location=path),
            done=f"API key {key.id} was created by the first request with this Idempotency-Key.",
            renew=f"If it was lost, POST {path}/revoke and create a new key.",
        )

    return await respond_once(request, state.pool, work)


@get(
    operation_id="listKeys",
    summary="List API keys",
    description="In creation order; revoked keys too, unless `revoked=false`. Never a secret.",
    opt=ADMIN,
    responses=problems(),
)
async def list_keys(
    state: State,
    revoked: Annotated[
        bool | None,
        QueryParameter(description="`true`: only revoked keys; `false`: only those that work."),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[schemas.ApiKeyList]:
    async with state.pool.acquire() as conn:
        page = await store.list_keys(conn, limit, cursor, revoked)
    return raw_json(msgspec.json.encode(page))


@get(
    "/{id:str}",
    operation_id="getKey",
    summary="Get an API key",
    description="Never shows the secret.",
    opt=ADMIN,
    responses=problems(404),
    response_headers=[ETAG_HEADER],
)
async def get_key(state: State, id: KeyIdPath) -> Response[schemas.ApiKey]:
    async with state.pool.acquire() as conn:
        return _response(_answer(await store.get(conn, id)))


@patch(
    "/{id:str}",
    operation_id="updateKey",
    summary="Update an API key",
    description="Change `name`, `scopes` or `rate_limit_per_minute` (null: the server's"
    " default). With `If-Match` the change applies only to that version; one that changes"
    " nothing makes no new version. A revoked key is 409, and so is taking the admin scope"
    " from the last active admin key (`last-admin-key`). Announced in the changes feed as"
    " `api_key.updated`." + _WINDOW,
    opt=ADMIN,
    responses=problems(404, 409, 412, 413, 422),
    response_headers=[ETAG_HEADER],
)
async def update_key(
    state: State,
    id: KeyIdPath,
    data: Annotated[
        schemas.ApiKeyUpdate,
        Body(examples=[Example(summary="Allow writes", value={"scopes": ["read", "write"]})]),
    ],
    if_match: IfMatch = None,
) -> Response[schemas.ApiKey]:
    version = parse_if_match(if_match)
    key = await run_in_transaction(state.pool, lambda conn: store.update(conn, id, data, version))
    state.key_cache.forget(id)
    return _response(_answer(key))


@post(
    "/{id:str}/revoke",
    operation_id="revokeKey",
    summary="Revoke an API key",
    description="For good: requests with it answer 401. The key stays listed, with"
    " `revoked_at`; revoking it again changes nothing. Revoking the last active admin key is"
    " 409 (`last-admin-key`). Announced in the changes feed as `api_key.revoked`." + _WINDOW,
    status_code=200,
    opt=ADMIN,
    responses=problems(404, 409, 412),
    response_headers=[ETAG_HEADER, REPLAYED_HEADER],
)
async def revoke_key(
    request: Request[Caller, Any, Any],
    state: State,
    id: KeyIdPath,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response[schemas.ApiKey]:
    version = parse_if_match(if_match)

    async def work(conn: asyncpg.Connection) -> Outcome:
        return _answer(await store.revoke(conn, id, version))

    response = await respond_once(request, state.pool, work)
    state.key_cache.forget(id)
    return response


router = Router(
    "/v1/keys",
    route_handlers=[create_key, list_keys, get_key, update_key, revoke_key],
    tags=["keys"],
)
