"""Who may call what, and how often: one ASGI layer in front of every non-open route.

It reads top to bottom as the checks happen: the bearer key (401), the key's request budget
(429, spent before the scope check so a key cannot probe routes for free), then the scope
the route declares in `opt["scope"]` (403). One layer rather than Litestar's authentication
middleware, a rate-limit middleware and a guard: each of those costs a call frame, a `send`
wrapper or a per-request copy of the route handler (`authorize_connection` copies it for
every guard), which together were a tenth of a cached GET's CPU."""

import re
from collections.abc import Sequence

from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.types import ASGIApp, Receive, Scope, Send

from claimledger_server.auth import ApiKey
from claimledger_server.errors import ApiError
from claimledger_server.rate_limits import RateLimiter
from claimledger_server.request_ids import add_response_headers


class AccessGate:
    def __init__(self, app: ASGIApp, open_paths: Sequence[str]) -> None:
        self.app = app
        self.open = re.compile("|".join(open_paths)) if open_paths else None
        self.limiter = RateLimiter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.open and self.open.match(scope["path"])):
            await self.app(scope, receive, send)
            return
        state = scope["litestar_app"].state
        key = await _bearer_key(scope, state)
        scope["user"] = scope["auth"] = key

        limit = key.rate_limit_per_minute or state.settings.rate_limit_per_minute
        allowed, remaining, reset = await self.limiter.take(state.pool, key.id, limit)
        add_response_headers(
            scope,
            [
                (b"ratelimit-limit", str(limit).encode()),
                (b"ratelimit-remaining", str(remaining).encode()),
                (b"ratelimit-reset", str(reset).encode()),
            ],
        )
        if not allowed:
            raise ApiError(
                429,
                "rate-limited",
                f"This API key may make {limit} requests a minute; retry in {reset} s.",
                headers={"Retry-After": str(reset)},
            )

        needed = scope["route_handler"].opt.get("scope")
        if needed is not None and not key.allows(needed):
            raise PermissionDeniedException(f"This API key lacks the `{needed}` scope.")
        await self.app(scope, receive, send)


async def _bearer_key(scope: Scope, state: State) -> ApiKey:
    header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
    scheme, _, secret = header.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthorizedException("Send an API key as `Authorization: Bearer <key>`.")
    key = await state.key_cache.lookup(state.pool, secret.strip())
    if key is None:
        raise NotAuthorizedException("The API key is not valid or has been revoked.")
    return key
