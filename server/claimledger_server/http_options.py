"""How the methods no handler declares are answered: `OPTIONS` with every method of the
path, `HEAD` as `GET` without the body.

Litestar 2 builds its automatic OPTIONS handler when the first handler of a path is
registered, so its `Allow` names only that handler's methods: `Allow: GET, OPTIONS` on
`/v1/actors`, which also takes POST (litestar#4169, fixed in Litestar 3 only). This
middleware rewrites the header from the finished route table, for every router at once."""

from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def head_as_get(scope: Scope, send: Send) -> tuple[Scope, Send]:
    """A HEAD request routed and answered as the GET of the same URL, every header
    (Content-Length, ETag, rate limits…) included, and the body left out (RFC 9110 §9.3.2).
    Runs before routing: no route declares HEAD, and Litestar refuses a HEAD handler that
    returns a body."""

    async def send_without_body(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    as_get: Scope = {**scope, "method": "GET"}  # type: ignore[assignment]
    return as_get, send_without_body


class AllowEveryMethod:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "OPTIONS":
            await self.app(scope, receive, send)
            return
        allow = _allowed(scope["app"], str(scope.get("path_template", "")))

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and allow:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message = {**message, "headers": [*headers, (b"allow", allow)]}
            await send(message)

        await self.app(scope, receive, send_with_allow)


def _allowed(app: Any, path_template: str) -> bytes:
    cache: dict[str, bytes] = app.state.setdefault("_allow_by_path", {})
    if path_template not in cache:
        methods = {
            method
            for route in app.routes
            if getattr(route, "path_format", None) == path_template
            for method in getattr(route, "methods", ())
        }
        if "GET" in methods:
            methods.add("HEAD")
        cache[path_template] = ", ".join(sorted(methods | {"OPTIONS"})).encode() if methods else b""
    return cache[path_template]
