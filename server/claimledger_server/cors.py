"""Calls from browser apps on other origins (CORS, the Fetch standard's §3.2), for the origins
`CLAIMLEDGER_CORS_ORIGINS` (`serve --cors-origins`) names; none by default, and then this
layer is not installed at all.

A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here,
before routing: no API key is asked for and no rate-limit budget spent, since a browser sends
it without the app's headers. An allowed one gets 204 with the methods and request headers
the API takes; a refused one (origin not listed, a method or request header the API does not
take) gets 403 problem+json naming the header, and no `Access-Control-Allow-Origin`, so the
browser stops there. Any other request from an allowed origin has its answer, errors
included, carry `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers`; every
answer carries `Vary: Origin`, so a shared cache never hands one origin's answer (or the
answer to a request without `Origin`) to another.

A layer of our own rather than Litestar's `CORSConfig` (litestar/middleware/_internal/cors.py
in 2.x): that one answers a refused preflight `400 text/plain`, while every error of this API
is problem+json; it takes every OPTIONS with an Origin for a preflight; it sets `Vary: Origin`
only on answers to allowed origins, and by replacing the header, dropping the
`Vary: Accept-Encoding` of compressed answers; and it adds the preflight's
`Access-Control-Allow-*` headers to every answer. Wrapping both of its answers to mend that
would be longer than this. The headers of an actual request travel through
`request_ids.add_response_headers`, like the rate-limit headers: no `send` wrapper of its own.
"""

from collections.abc import Iterable

from litestar.types import ASGIApp, Receive, Scope, Send

from claimledger_server.consistency import HEADER as CONSISTENCY_HEADER
from claimledger_server.errors import FieldError, send_problem
from claimledger_server.request_ids import add_response_headers

ANY_ORIGIN = "*"
METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
REQUEST_HEADERS = (
    "Accept",
    "Accept-Language",
    "Authorization",
    CONSISTENCY_HEADER,
    "Content-Language",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Change-Note",
    "X-Request-ID",
)
"""What the API reads from a request. Accept, Accept-Language, Content-Language and
Content-Type are CORS-safelisted, but browsers still name them in a preflight when their value
is not (`Content-Type: application/json` is not)."""
EXPOSED_HEADERS = (
    "Content-Disposition",
    CONSISTENCY_HEADER,
    "ETag",
    "Idempotent-Replayed",
    "Location",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "X-Request-ID",
)
"""What a script may read beyond the safelisted response headers (Content-Type,
Content-Length, Cache-Control…)."""
MAX_AGE_SECONDS = 7200
"""How long a browser may reuse a preflight's answer: Chromium's cap (Firefox allows a day).
Only allowed preflights are kept, and an origin removed from the list is refused on the
actual request anyway (its answer has no Access-Control-Allow-Origin)."""

_VARY_ORIGIN = (b"vary", b"Origin")
_EXPOSE = (b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode())
_PREFLIGHT = [
    (b"access-control-allow-methods", ", ".join(METHODS).encode()),
    (b"access-control-allow-headers", ", ".join(REQUEST_HEADERS).encode()),
    (b"access-control-max-age", str(MAX_AGE_SECONDS).encode()),
]
_METHODS = frozenset(method.encode() for method in METHODS)
_REQUEST_HEADERS = frozenset(name.lower() for name in REQUEST_HEADERS)


class CrossOrigin:
    def __init__(self, app: ASGIApp, origins: Iterable[str]) -> None:
        """`origins` as `config.parse_origins` gives them: serialized origins
        (`https://app.example.org`), or `*` alone for any."""
        self.app = app
        allowed = set(origins)
        self.any_origin = ANY_ORIGIN in allowed
        self.origins = frozenset(origin.encode() for origin in allowed)
        # With `*` every origin gets the same answer: there is nothing to vary by.
        self.vary = [] if self.any_origin else [_VARY_ORIGIN]

    def allows(self, origin: bytes) -> bool:
        return self.any_origin or origin in self.origins

    def allow_origin(self, origin: bytes) -> tuple[bytes, bytes]:
        return (b"access-control-allow-origin", b"*" if self.any_origin else origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = method = None
        asked: list[bytes] = []
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                method = value
            elif name == b"access-control-request-headers":
                asked.append(value)
        if origin is not None and method is not None and scope.get("method") == "OPTIONS":
            await self.preflight(scope, send, origin, method, b",".join(asked))
            return
        if origin is not None and self.allows(origin):
            add_response_headers(scope, [*self.vary, self.allow_origin(origin), _EXPOSE])
        else:  # answered as if no Origin had come: a browser withholds it from the script
            add_response_headers(scope, self.vary)
        await self.app(scope, receive, send)

    async def preflight(
        self, scope: Scope, send: Send, origin: bytes, method: bytes, headers: bytes
    ) -> None:
        add_response_headers(scope, self.vary)
        refusal = self.refusal(origin, method, headers)
        if refusal is not None:
            detail, field = refusal
            await send_problem(scope, send, 403, "cross-origin-refused", detail, errors=[field])
            return
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [self.allow_origin(origin), *_PREFLIGHT],
            }
        )
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def refusal(
        self, origin: bytes, method: bytes, headers: bytes
    ) -> tuple[str, FieldError] | None:
        """Why the preflight is refused, and the request header that says what was refused;
        None when it is allowed."""
        if not self.allows(origin):
            shown = origin.decode("latin-1")
            return (
                f"Browser apps on {shown} may not call this API: the server's CORS origins"
                " do not include it.",
                FieldError("Origin", f"{shown} is not an allowed origin"),
            )
        if method not in _METHODS:
            shown = method.decode("latin-1")
            return (
                f"This API takes no {shown} requests.",
                FieldError("Access-Control-Request-Method", f"must be one of {', '.join(METHODS)}"),
            )
        named = (part.strip() for part in headers.decode("latin-1").split(","))
        unknown = sorted({name for name in named if name and name.lower() not in _REQUEST_HEADERS})
        if unknown:
            return (
                f"This API does not take the request header(s) {', '.join(unknown)} from"
                " browser apps.",
                FieldError(
                    "Access-Control-Request-Headers",
                    f"{', '.join(unknown)} not allowed; the API takes {', '.join(REQUEST_HEADERS)}",
                ),
            )
        return None
