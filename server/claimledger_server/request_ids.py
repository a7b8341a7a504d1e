"""The outermost layer, around the router itself so 404s and 405s get it too.

Every response carries `X-Request-ID` (the client's, when it sent a sane one), and so does
every problem document, so a user's bug report can be matched to the server's log line.
Requests whose headers are larger than `max_header_bytes` in all are refused with 431 before
any work is done: the HTTP parser accepts headers of any size.

Inner layers add headers to whatever response the request ends with through
`add_response_headers`: error responses are sent by Litestar's exception handling with the
`send` it was given, past any `send` wrapper an inner middleware could install, and one
wrapper here costs less than one per layer.

The same wrapper sees every answer's status, so this layer is also where each request is
measured and logged (`record`, from observability/requests.py: one histogram observation),
and where the request is noted for the log records made while it is handled."""

import re
import secrets
from time import perf_counter

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from claimledger_server.errors import send_problem
from claimledger_server.observability.logs import CURRENT_REQUEST
from claimledger_server.observability.requests import Recorder

_SANE = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
_EXTRA_HEADERS = "response_headers"


def add_response_headers(scope: Scope, headers: list[tuple[bytes, bytes]]) -> None:
    """Send `headers` with this request's response, whatever its status."""
    scope["state"][_EXTRA_HEADERS].extend(headers)


def set_response_header(scope: Scope, name: str, value: str) -> None:
    """Send `name: value` with this request's response, in place of one set before."""
    key = name.lower().encode()
    headers = scope["state"][_EXTRA_HEADERS]
    headers[:] = [(k, v) for k, v in headers if k != key]
    headers.append((key, value.encode()))


class RequestIdMiddleware:
    def __init__(
        self, app: ASGIApp, max_header_bytes: int = 16 * 1024, record: Recorder | None = None
    ) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        request_id = given if _SANE.match(given) else b"req_" + secrets.token_hex(12).encode()
        extra = [(b"x-request-id", request_id)]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id.decode()
        state[_EXTRA_HEADERS] = extra
        CURRENT_REQUEST.set(scope)  # type: ignore[arg-type]
        header_bytes = sum(len(k) + len(v) + 4 for k, v in scope["headers"])
        if header_bytes > self.max_header_bytes:
            await send_problem(
                scope,
                send,
                431,
                "headers-too-large",
                f"The request headers total {header_bytes} bytes; at most"
                f" {self.max_header_bytes} are accepted.",
                [(b"x-request-id", request_id)],
            )
            if self.record is not None:
                self.record(scope, 431, perf_counter() - started)  # type: ignore[arg-type]
            return
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if self.record is None:
            await self.app(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            # No answer begun: uvicorn answers 500 for an app that raised before one.
            self.record(scope, status or 500, perf_counter() - started)  # type: ignore[arg-type]
