"""Who may call what, and how often: one ASGI layer in front of every non-open route.

It reads top to bottom as the checks happen: the bearer key (401), the key's request budget
(429, spent before the scope check so a key cannot probe routes for free), then the scope
the route declares in `opt["scope"]` (403). One layer rather than Litestar's authentication
middleware, a rate-limit middleware and a guard: each of those costs a call frame, a `send`
wrapper or a per-request copy of the route handler (`authorize_connection` copies it for
every guard), which together were a tenth of a cached GET's CPU.

A key that is not valid costs a database lookup (unless this process looked it up in the
last `api_key_cache_seconds`), so failed authentications have a budget per client address
too: past `auth_failures_per_minute` of them, the address's requests get 429 until the
minute ends, without a lookup; only keys this process verified recently still pass. The
address is the connection's peer (an IPv6 client by its /64, which one user holds whole).
A valid key's request never computes it: the hot path is as before."""

import ipaddress
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
    def __init__(
        self,
        app: ASGIApp,
        open_paths: Sequence[str],
        key_budgets: RateLimiter,
        failure_budgets: RateLimiter,
    ) -> None:
        """Litestar builds one gate per route: the budgets are the app's, shared by all."""
        self.app = app
        self.open = re.compile("|".join(open_paths)) if open_paths else None
        self.limiter = key_budgets
        self.failures = failure_budgets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.open and self.open.match(scope["path"])):
            await self.app(scope, receive, send)
            return
        state = scope["litestar_app"].state
        key = await self._bearer_key(scope, state)
        scope["user"] = scope["auth"] = key
        state.key_cache.note_use(state.pool, key.id)

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

    async def _bearer_key(self, scope: Scope, state: State) -> ApiKey:
        header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        scheme, _, secret = header.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthorizedException("Send an API key as `Authorization: Bearer <key>`.")
        digest, known, key = state.key_cache.recall(secret.strip())
        if key is not None:
            return key
        per_minute = state.settings.auth_failures_per_minute
        client = client_budget(scope) if per_minute else None
        if client is not None and (wait := self.failures.refusing(client)) is not None:
            raise _too_many_failures(per_minute, wait)
        if not known:
            key = await state.key_cache.fetch(state.pool, digest)
            if key is not None:
                return key
        if client is not None:
            allowed, _, reset = await self.failures.take(state.pool, client, per_minute)
            if not allowed:
                raise _too_many_failures(per_minute, reset)
        raise NotAuthorizedException("The API key is not valid or has been revoked.")


def client_budget(scope: Scope) -> str:
    """The name of the failed-authentication budget the request's peer spends."""
    host = (scope.get("client") or ("",))[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"client:{host}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"client:{address.ipv4_mapped}"
        return f"client:{ipaddress.IPv6Network((address, 64), strict=False)}"
    return f"client:{address}"


def _too_many_failures(per_minute: int, retry_after: int) -> ApiError:
    return ApiError(
        429,
        "too-many-failed-authentications",
        f"This address may fail authentication {per_minute} times a minute; retry in"
        f" {retry_after} s with a valid API key.",
        headers={"Retry-After": str(retry_after)},
    )
