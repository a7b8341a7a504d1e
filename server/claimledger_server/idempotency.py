"""Idempotency-Key on POST, as Stripe and the IETF idempotency-key draft describe.

The key is scoped to the API key that sent it. The first successful response is stored in
the same transaction as the change it reports, so a create and its idempotency record commit
together or not at all; a retry of the same request within the retention period gets that
response again (`Idempotent-Replayed: true`) and changes nothing. The same key with another
request is 422; while the first request is still running, a second one is 409 (a transaction
advisory lock tells them apart without waiting). Failed requests store nothing: a client may
fix the cause and retry with the same key."""

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, NamedTuple

import asyncpg
import msgspec
from litestar import Request, Response

from claimledger_server.auth import ApiKey
from claimledger_server.errors import ApiError, FieldError
from claimledger_server.versioning.store import run_in_transaction

RETENTION = timedelta(hours=24)
HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class Outcome(NamedTuple):
    """A response as stored: what a retry replays."""

    status: int
    headers: dict[str, str]
    body: bytes
    media_type: str = "application/json"


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
        return _response(await run_in_transaction(pool, work), replayed=False)
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
            return Outcome(stored["status"], headers, stored["body"]), True
        outcome = await work(conn)
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
            outcome.status,
            msgspec.json.encode(outcome.headers).decode(),
            outcome.body,
            RETENTION,
        )
        return outcome, False

    outcome, replayed = await run_in_transaction(pool, once)
    return _response(outcome, replayed=replayed)


def _response(outcome: Outcome, *, replayed: bool) -> Response[Any]:
    headers = dict(outcome.headers)
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        outcome.body, status_code=outcome.status, media_type=outcome.media_type, headers=headers
    )


async def purge_expired(pool: asyncpg.Pool) -> int:
    status = await pool.execute(
        "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY("
        "SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT 10000))"
    )
    return int(status.split()[-1])
