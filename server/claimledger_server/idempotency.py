"""Idempotency-Key on POST, as Stripe and the IETF idempotency-key draft describe.

The key is scoped to the API key that sent it. The first successful response is stored in
the same transaction as the change it reports, so a create and its idempotency record commit
together or not at all; a retry of the same request within the retention period gets that
response again (`Idempotent-Replayed: true`) and changes nothing. The same key with another
request is 422; while the first request is still running, a second one is 409 (a transaction
advisory lock tells them apart without waiting). Failed requests store nothing: a client may
fix the cause and retry with the same key.

A secret that is shown once (a webhook endpoint's signing secret, an API key) must not be
kept for 24 hours and handed to whoever repeats the request: a response that carries one is
built with `shown_once`, and what is stored, and replayed, is a 409 that says what the
first request did and where to get a new secret."""

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from http import HTTPStatus
from typing import Any, NamedTuple

import asyncpg
import msgspec
from litestar import Request, Response

from claimledger_server.auth import ApiKey
from claimledger_server.errors import PROBLEM_JSON, ApiError, FieldError, Problem, problem_type
from claimledger_server.transactions import run_in_transaction

RETENTION = timedelta(hours=24)
HEADER = "Idempotency-Key"
SECRET_NOT_REPLAYED = "secret-not-replayed"  # noqa: S105 -- a problem type, not a secret
_MEDIA_TYPE = "Content-Type"  # stored among the headers, as the response sends it
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class Outcome(NamedTuple):
    """A response as stored: what a retry replays."""

    status: int
    headers: dict[str, str]
    body: bytes
    media_type: str = "application/json"
    replay: "Outcome | None" = None
    """What is stored, and replayed, in place of this response, when it must not be."""


def shown_once(outcome: Outcome, *, done: str, renew: str) -> Outcome:
    """`outcome`, whose body holds a secret shown only this once: a retry with the same
    Idempotency-Key gets a 409 `secret-not-replayed` whose detail says what the first request
    did (`done`) and how to get a new secret (`renew`), with the same headers (`Location`)."""
    problem = Problem(
        type=problem_type(SECRET_NOT_REPLAYED),
        title=HTTPStatus.CONFLICT.phrase,
        status=409,
        detail=f"{done} The secret it returned was shown once and is not stored. {renew}",
    )
    replay = Outcome(409, outcome.headers, msgspec.json.encode(problem), PROBLEM_JSON)
    return outcome._replace(replay=replay)


Work = Callable[[asyncpg.Connection], Awaitable[Outcome]]


def _fingerprint(request: Request[Any, Any, Any], body: bytes) -> bytes:
    target = f"{request.method} {request.url.path}?{request.url.query}\n".encode()
    return hashlib.sha256(target + body).digest()


def _lock_id(api_key_id: str, key: str) -> int:
    digest = hashlib.sha256(f"{api_key_id}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def respond_once(
    request: Request[ApiKey, Any, Any], pool: asyncpg.Pool, work: Work
) -> Response[Any]:
    """Run `work` in a transaction, exactly once per Idempotency-Key when one is sent."""
    key = request.headers.get(HEADER)
    if key is None:
        return _response(request, await run_in_transaction(pool, work), replayed=False)
    if not _VALID_KEY.match(key):
        raise ApiError(
            400,
            "bad-request",
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            errors=[FieldError(HEADER, "1 to 255 visible ASCII characters")],
        )
    api_key_id = request.user.id
    fingerprint = _fingerprint(request, await request.body())

    async def once(conn: asyncpg.Connection) -> tuple[Outcome, bool]:
        if not await conn.fetchval(
            "SELECT pg_try_advisory_xact_lock($1)", _lock_id(api_key_id, key)
        ):
            raise ApiError(
                409,
                "idempotency-key-in-use",
                "A request with this Idempotency-Key is still being processed; retry shortly.",
            )
        stored = await conn.fetchrow(
            "SELECT fingerprint, status, headers::text AS headers, body FROM idempotency_keys"
            " WHERE api_key_id = $1 AND key = $2 AND expires_at > now()",
            api_key_id,
            key,
        )
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                raise ApiError(
                    422,
                    "idempotency-key-reused",
                    "This Idempotency-Key was used for a different request; use a new key.",
                    errors=[FieldError(HEADER, "already used for a different request")],
                )
            headers = msgspec.json.decode(stored["headers"], type=dict[str, str])
            media_type = headers.pop(_MEDIA_TYPE, "application/json")
            return Outcome(stored["status"], headers, stored["body"], media_type), True
        outcome = await work(conn)
        kept = outcome.replay or outcome
        await conn.execute(
            """INSERT INTO idempotency_keys
                   (api_key_id, key, fingerprint, status, headers, body, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval)
               ON CONFLICT (api_key_id, key) DO UPDATE
                   SET fingerprint = excluded.fingerprint, status = excluded.status,
                       headers = excluded.headers, body = excluded.body,
                       created_at = now(), expires_at = excluded.expires_at""",
            api_key_id,
            key,
            fingerprint,
            kept.status,
            msgspec.json.encode({**kept.headers, _MEDIA_TYPE: kept.media_type}).decode(),
            kept.body,
            RETENTION,
        )
        return outcome, False

    outcome, replayed = await run_in_transaction(pool, once)
    return _response(request, outcome, replayed=replayed)


def _response(
    request: Request[ApiKey, Any, Any], outcome: Outcome, *, replayed: bool
) -> Response[Any]:
    headers = dict(outcome.headers)
    body = outcome.body
    if replayed:
        headers["Idempotent-Replayed"] = "true"
        if outcome.media_type == PROBLEM_JSON:  # the retry's own path and request id
            problem = msgspec.json.decode(body, type=Problem)
            request_id = request.scope["state"].get("request_id")
            body = msgspec.json.encode(
                msgspec.structs.replace(problem, instance=request.url.path, request_id=request_id)
            )
    return Response(
        body, status_code=outcome.status, media_type=outcome.media_type, headers=headers
    )


async def purge_expired(pool: asyncpg.Pool) -> int:
    status = await pool.execute(
        "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY("
        "SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT 10000))"
    )
    return int(status.split()[-1])
