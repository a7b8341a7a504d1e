"""RFC 9457 problem details: the one shape of every error the API returns.

Handlers raise `ApiError` (or let Litestar raise its own HTTP exceptions); the handlers
registered here turn all of them — including anything unexpected — into
`application/problem+json`, so a client never sees an HTML page or a stack trace."""

import logging
import re
from http import HTTPStatus
from typing import Annotated, Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import HTTPResponseStartEvent, Receive, ReceiveMessage, Scope, Send

from claimledger_server.allowed_values import with_hint

log = logging.getLogger("claimledger")

PROBLEM_JSON = "application/problem+json"


class FieldError(msgspec.Struct, frozen=True):
    field: str
    """Dotted path of the offending input, e.g. `citations[0].source_id` or `limit`."""
    message: str
    line: Annotated[int, msgspec.Meta(ge=1)] | msgspec.UnsetType = msgspec.UNSET
    """Bulk import only: the line of the file the error is on (1-based)."""


class Problem(msgspec.Struct, omit_defaults=True):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
    current_version: int | None = None
    """On 412: the version the resource is at now, so the client can re-read and retry."""


class ApiError(Exception):
    """An error with a stable problem `type` slug that clients can branch on."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.current_version = current_version


def unprocessable(field: str, message: str) -> ApiError:
    return invalid([FieldError(field, message)], status=422)


def invalid(errors: list[FieldError], *, status: int = 422) -> ApiError:
    summary = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    slug = "validation-error" if status == 422 else "bad-request"
    return ApiError(status, slug, summary, errors=errors)


def problem_type(slug: str) -> str:
    return f"urn:claimledger:problem:{slug}"


_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "gone",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
}


def _problem_response(
    request: Request[Any, Any, Any],
    status: int,
    slug: str,
    detail: str | None,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    current_version: int | None = None,
) -> Response[Problem]:
    problem = Problem(
        type=problem_type(slug),
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id"),
        errors=errors,
        current_version=current_version,
    )
    return Response(problem, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def handle_api_error(request: Request[Any, Any, Any], exc: ApiError) -> Response[Problem]:
    return _problem_response(
        request,
        exc.status,
        exc.slug,
        exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        current_version=exc.current_version,
    )


def _parameter(request: Request[Any, Any, Any], key: Any) -> Any:
    """The declaration of the handler's (or one of its dependencies') parameter `key`."""
    handler = request.scope.get("route_handler")
    parameter = handler.parsed_fn_signature.parameters.get(key) if handler else None
    if parameter is None and handler is not None:  # a dependency's (a request header)
        parameter = next(
            (
                found
                for provider in handler.resolve_dependencies().values()
                if (found := provider.parsed_fn_signature.parameters.get(key)) is not None
            ),
            None,
        )
    return parameter


def _wire_name(parameter: Any, key: Any) -> str:
    """Litestar names a parameter by its Python name (`if_match`); clients know it by the
    name they send (`If-Match`)."""
    if not key:
        return "request"
    kwarg = getattr(parameter, "kwarg_definition", None)
    for alias in ("name", "header", "query", "cookie"):
        if isinstance(wire := getattr(kwarg, alias, None), str) and wire:
            return wire
    return str(key)


def handle_validation_exception(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Problem]:
    """Litestar's own parameter validation (query, path, header values) is a 400."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not (isinstance(item, dict) and "message" in item):
            continue
        key = item.get("key") or item.get("source")
        parameter = _parameter(request, key) if key else None
        message = str(item["message"])
        if parameter is not None:
            message = with_hint(message, parameter.annotation, "")
        errors.append(FieldError(_wire_name(parameter, key), message))
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or exc.detail
    return _problem_response(request, 400, "bad-request", detail, errors=errors or None)


_CLIENT_GONE = "client_disconnected"


def noting_disconnect(scope: Scope, receive: Receive) -> Receive:
    """`receive` that marks the request when the client goes away before its body is read,
    so the failure that follows is not mistaken for the server's."""

    async def receive_noting_disconnect() -> ReceiveMessage:
        message = await receive()
        if message["type"] == "http.disconnect":
            scope.setdefault("state", {})[_CLIENT_GONE] = True
        return message

    return receive_noting_disconnect


def _client_disconnected(request: Request[Any, Any, Any]) -> Response[Problem]:
    # Nobody reads this answer; a server error it is not.
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return _problem_response(
        request, 400, "client-disconnected", "The client closed the connection mid-request."
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    if request.scope.get("state", {}).get(_CLIENT_GONE):
        return _client_disconnected(request)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="claimledger"')
    if status >= 500:
        log.error("HTTP %s on %s: %s", status, request.url.path, exc.detail)
        detail = "The server could not complete the request."
    else:
        detail = exc.detail
    return _problem_response(request, status, _SLUGS.get(status, "error"), detail, headers=headers)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    if request.scope.get("state", {}).get(_CLIENT_GONE):
        return _client_disconnected(request)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _problem_response(
        request, 500, "internal-error", "The server could not complete the request."
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    ApiError: handle_api_error,
    ValidationException: handle_validation_exception,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}

# msgspec reports where a value failed as a JSON path suffix: "... - at `$.citations[0].quote`".
_AT_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_NAMED_FIELD = re.compile(r"field `(?P<name>[^`]+)`")


def from_msgspec_error(exc: msgspec.ValidationError, type_: Any = None) -> FieldError:
    """Turn msgspec's one-line error into `{field, message}` with a dotted field path; given
    the `type_` that was decoded, a value outside a closed set names the set."""
    match = _AT_PATH.match(str(exc))
    assert match is not None  # the pattern matches any string
    message = match.group("message")
    path = (match.group("path") or "").lstrip(".")
    named = _NAMED_FIELD.search(message)
    if named and ("missing required" in message or "unknown field" in message):
        path = f"{path}.{named.group('name')}" if path else named.group("name")
    if type_ is not None:
        message = with_hint(message, type_, path)
    return FieldError(path or "body", message)


def refuse_nul_in_url(request: Request[Any, Any, Any]) -> None:
    """No id or filter can hold a NUL character, and PostgreSQL refuses it in text, so a
    NUL in the path or a query value is a 400 rather than a 500 later."""
    # Read off the raw scope: a decoded query holds NUL only where the raw one says `%00`.
    scope = request.scope
    query = scope["query_string"]
    if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
        raise ApiError(400, "bad-request", "The URL contains a NUL character.")


async def send_problem(
    scope: Scope,
    send: Send,
    status: int,
    slug: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
    *,
    errors: list[FieldError] | None = None,
) -> None:
    """Answer with a problem document straight from ASGI middleware, before any route runs."""
    body = msgspec.json.encode(
        Problem(
            type=problem_type(slug),
            title=HTTPStatus(status).phrase,
            status=status,
            detail=detail,
            instance=scope["path"],
            request_id=scope.get("state", {}).get("request_id"),
            errors=errors,
        )
    )
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            *(headers or []),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
