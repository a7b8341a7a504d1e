"""Per-API-key request budgets, shared by every API process through PostgreSQL.

Fixed one-minute windows: each authenticated request adds one to its key's counter for the
current minute (one upsert on an unlogged table) and learns how much is left. Every response
to an authenticated request carries `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset` (seconds until the window resets); past the limit the answer is 429 with
`Retry-After`. The limit is the key's own `rate_limit_per_minute`, else the server default."""

from typing import Any

import msgspec
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from claimledger_server.auth import ApiKey
from claimledger_server.errors import PROBLEM_JSON, Problem, problem_type

_COUNT = """
    INSERT INTO rate_limit_windows AS w (api_key_id, window_start, count)
    VALUES ($1, date_trunc('minute', now()), 1)
    ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = w.count + 1
    RETURNING count, ceil(extract(epoch FROM w.window_start + interval '1 minute' - now()))::int
"""


class RateLimitMiddleware:
    """Runs after authentication (it needs the key); open paths carry no key and no limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = scope.get("user")
        if scope["type"] != "http" or not isinstance(key, ApiKey):
            await self.app(scope, receive, send)
            return
        state = scope["litestar_app"].state
        limit = key.rate_limit_per_minute or state.settings.rate_limit_per_minute
        count, reset = await state.pool.fetchrow(_COUNT, key.id)
        reset = max(1, reset)
        headers = [
            (b"ratelimit-limit", str(limit).encode()),
            (b"ratelimit-remaining", str(max(0, limit - count)).encode()),
            (b"ratelimit-reset", str(reset).encode()),
        ]
        if count > limit:
            await _too_many(scope, send, headers, reset, limit)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _too_many(
    scope: Scope, send: Send, headers: list[tuple[bytes, bytes]], reset: int, limit: int
) -> None:
    state: dict[str, Any] = scope.get("state", {})
    body = msgspec.json.encode(
        Problem(
            type=problem_type("rate-limited"),
            title="Too Many Requests",
            status=429,
            detail=f"This API key may make {limit} requests a minute; retry in {reset} s.",
            instance=scope["path"],
            request_id=state.get("request_id"),
        )
    )
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 429,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(reset).encode()),
            *headers,
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
