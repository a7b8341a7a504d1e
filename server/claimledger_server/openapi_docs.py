"""Helpers that keep the OpenAPI document complete: error responses declared with the
problem schema, and response headers documented."""

import dataclasses
from collections.abc import Iterable
from typing import Any

import msgspec
from litestar.datastructures import ResponseHeader
from litestar.enums import ParamType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Link,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    PathItem,
    Reference,
    Schema,
)

from claimledger_server import consistency
from claimledger_server.errors import PROBLEM_JSON, Problem

_DESCRIPTIONS = {
    400: "Malformed request: invalid JSON, an unknown field or query parameter, or a bad"
    " query/header value.",
    401: "Missing or invalid API key.",
    403: "The API key lacks the scope this operation needs.",
    404: "No such resource.",
    409: "Conflicts with the current state (e.g. external_id taken, still referenced, or a"
    " retried request whose secret was shown once).",
    410: "The resource was deleted; its history remains readable.",
    412: "If-Match names a version that is no longer current.",
    413: "The request body is larger than the server accepts.",
    422: "Well-formed input that breaks a rule; `errors[]` names each field.",
    415: "The request body is declared (Content-Type) as something other than JSON.",
    429: "Rate limit exceeded (the API key's, or the client address's failed"
    " authentications); retry after `Retry-After` seconds.",
    503: "The database cannot be reached right now (restarting, failing over); retry after"
    " `Retry-After` seconds.",
}


SEARCH_HELP = (
    "Full-text search over {fields} (web-search syntax: quotes, `or`, `-word`); results come"
    " best match first, every match ranked."
)
CLAIM_SEARCH_HELP = (
    "Full-text search over text, quote, basis and citation quotes (web-search syntax:"
    " quotes, `or`, `-word`), in the order `sort` names: by default the newest matches first."
)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Declare error responses, always including the ones every authenticated call can get."""
    every_call = (400, 401, 403, 429)
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=_DESCRIPTIONS[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in sorted({*every_call, *statuses})
    }


ETAG_HEADER = ResponseHeader(
    name="ETag",
    description='The version of the resource, e.g. "3" (`W/"3"` when the answer is'
    " compressed); send it back in If-Match, in either form.",
    documentation_only=True,
    required=True,
)
REPLAYED_HEADER = ResponseHeader(
    name="Idempotent-Replayed",
    description="`true` when this is the stored response to an earlier request with the same"
    " Idempotency-Key.",
    documentation_only=True,
)
LOCATION_HEADER = ResponseHeader(
    name="Location",
    description="URL of the created resource.",
    documentation_only=True,
    required=True,
)


def finalize(
    openapi: OpenAPI, types: list[type[msgspec.Struct]], read_only: frozenset[str]
) -> None:
    """Last touches on the generated document, made once at start-up.

    1. Component schemas come from msgspec itself, the same code that validates requests, so
       the document cannot claim a constraint the server does not enforce or miss one it does
       (Litestar's generator drops `minimum: 0` on optional integers, for example).
    2. Each create response links to the operations that take the new id, which is what
       lets stateful clients and fuzzers chain create → get/update/delete/versions.
    3. Response headers get a schema (OpenAPI requires one; Litestar leaves it out), and
       every authenticated operation documents the rate-limit headers of its responses.
    4. Every operation declares 400, which any of them answers to an unknown query
       parameter (`query_params.py`), the open probes included; every one taking a JSON
       body declares 415, its answer to a body of another media type (`bodies.py`).
    5. The consistency token (`consistency.py`) is declared once for all: reads that take
       it as a request header (through the `read_pool` dependency) answer it, and so does
       every successful write."""
    _, components = msgspec.json.schema_components(types, ref_template=_REF)
    schemas = openapi.components.schemas
    for name, schema in components.items():
        schemas[name] = schema
    operation_ids = {
        operation.operation_id
        for path_item in (openapi.paths or {}).values()
        for operation in (path_item.get, path_item.post, path_item.patch, path_item.delete)
        if operation is not None
    }
    for path_item in (openapi.paths or {}).values():
        _idempotency_outcomes(path_item)
        _unknown_query_outcome(path_item)
        _non_json_body_outcome(path_item)
        _database_outage_outcome(path_item)
        _give_headers_a_schema(path_item)
        _consistency_token(path_item, read_only)
        _parameters_as_sent(path_item)
        create = path_item.post
        if create is None or not (create.operation_id or "").startswith("create"):
            continue
        name = (create.operation_id or "")[len("create") :]
        created = (create.responses or {}).get("201")
        if isinstance(created, OpenAPIResponse):
            created.links = {
                operation: Link(
                    operation_id=f"{operation}", parameters={"id": "$response.body#/id"}
                )
                for operation in (
                    f"get{name}",
                    f"update{name}",
                    f"delete{name}",
                    f"revoke{name}",
                    f"publish{name}",
                    f"discard{name}",
                    f"list{name}Versions",
                )
            }
            created.links[f"get{name}Version"] = Link(
                operation_id=f"get{name}Version",
                parameters={"id": "$response.body#/id", "number": "$response.body#/version"},
            )
            # Only to operations that exist (webhook endpoints have no versions, drafts are
            # published or discarded rather than deleted, keys revoked).
            created.links = {k: v for k, v in created.links.items() if k in operation_ids}


_REF = "#/components/schemas/{name}"


_RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": "Requests this API key may make in the current one-minute window.",
    "RateLimit-Remaining": "Requests left in the current window.",
    "RateLimit-Reset": "Seconds until the window resets.",
}


def _give_headers_a_schema(path_item: PathItem) -> None:
    for method in ("get", "post", "patch", "delete"):
        operation = getattr(path_item, method)
        if operation is None:
            continue
        authenticated = operation.security != [{}]
        for status, response in (operation.responses or {}).items():
            if not isinstance(response, OpenAPIResponse):
                continue
            headers = response.headers = dict(response.headers or {})
            for header in headers.values():
                if isinstance(header, OpenAPIHeader) and header.schema is None:
                    header.schema = Schema(type=OpenAPIType.STRING)
            if authenticated and status not in ("401",):
                for name, description in _RATE_LIMIT_HEADERS.items():
                    headers[name] = OpenAPIHeader(
                        schema=Schema(type=OpenAPIType.INTEGER, minimum=0),
                        description=description,
                    )
            if status == "429":
                headers["Retry-After"] = _retry_after()


def writes_nothing(routes: Iterable[Any]) -> frozenset[str]:
    """Operation ids of the routes that only need the `read` scope: whatever their method
    (`POST /v1/figures/parse` takes its text as a body), they write nothing, so answer no
    consistency token. The scope each route declares is the one source of that fact."""
    return frozenset(
        str(handler.operation_id)
        for route in routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get("scope") == "read"
    )


def _consistency_token(path_item: PathItem, read_only: frozenset[str]) -> None:
    for method in ("get", "post", "put", "patch", "delete"):
        operation = getattr(path_item, method)
        if operation is None or operation.security == [{}]:
            continue
        if method != "get" and operation.operation_id in read_only:
            continue
        if method == "get":
            parameters = operation.parameters or []
            if not any(getattr(p, "name", None) == consistency.HEADER for p in parameters):
                continue
            answered = (
                "A position in the database's history this answer reflects at least: send"
                " it with the next read to read nothing older. Present when the server reads"
                " from a replica, or when the request sent a token."
            )
        else:
            answered = (
                "The position of this write in the database's history (`lsn:<hex>/<hex>`):"
                " send it as `ClaimLedger-Consistency` with the next read to read this write"
                " back, even where reads go to a replica."
            )
        for status, response in (operation.responses or {}).items():
            if isinstance(response, OpenAPIResponse) and (
                status.startswith("2") or status == "304"
            ):
                headers = response.headers = dict(response.headers or {})
                headers[consistency.HEADER] = OpenAPIHeader(
                    schema=Schema(type=OpenAPIType.STRING, pattern=consistency.TOKEN_PATTERN),
                    description=answered,
                    required=method != "get",
                )


def _parameters_as_sent(path_item: PathItem) -> None:
    """A parameter travels as text, so its schema describes the text the server takes.

    - Litestar documents an optional header (`str | None`) as `oneOf: [string, null]`, which
      tells clients and fuzzers they may send the text "null" (`If-Match: null`, a 400); the
      `null` goes. (An optional query parameter keeps it: the server does read `?kind=null`
      as "not given".)
    - Litestar writes an integer's bounds as floats (`le=2**62` → `4.611686018427388e+18`),
      and a client comparing in floating point then takes 2**62 + 95 for valid; they are
      written as the integers they are.
    - No path or query text may hold NUL (every URL with one is refused, see
      `errors.decode_body_strictly`), so a text parameter without a pattern gets one."""
    for method in ("get", "post", "put", "patch", "delete"):
        operation = getattr(path_item, method)
        for parameter in (operation.parameters or []) if operation else ():
            schema = getattr(parameter, "schema", None)
            if not isinstance(schema, Schema):
                continue
            if schema.type == OpenAPIType.INTEGER:
                _integer_bounds(schema)
            if parameter.param_in == ParamType.HEADER:
                _without_null(schema)
            elif (
                parameter.param_in in (ParamType.QUERY, ParamType.PATH)
                and _is_text(schema)
                and schema.pattern is None
                and schema.enum is None
            ):
                schema.pattern = r"^[^\x00]*$"


def _integer_bounds(schema: Schema) -> None:
    for bound in ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum"):
        value = getattr(schema, bound)
        if isinstance(value, float) and value.is_integer():
            setattr(schema, bound, int(value))


def _is_text(schema: Schema) -> bool:
    return schema.type == OpenAPIType.STRING or any(
        isinstance(option, Schema) and option.type == OpenAPIType.STRING
        for option in schema.one_of or []
    )


def _without_null(schema: Schema) -> None:
    if schema.one_of:
        rest = [s for s in schema.one_of if not (isinstance(s, Schema) and s.type == "null")]
        schema.one_of = rest
        if len(rest) == 1 and isinstance(rest[0], Schema):
            schema.one_of = None
            for field in dataclasses.fields(rest[0]):
                if getattr(schema, field.name) is None:
                    setattr(schema, field.name, getattr(rest[0], field.name))
    if isinstance(schema.type, list | tuple):
        types = [t for t in schema.type if t != "null"]
        schema.type = types[0] if len(types) == 1 else types
    if schema.enum:
        schema.enum = [value for value in schema.enum if value is not None]


def _idempotency_outcomes(path_item: PathItem) -> None:
    """An operation that takes `Idempotency-Key` can answer 409 (the first request with that
    key is still running) and 422 (the key was used for another request), whatever its own
    errors are (see `idempotency.py`), so each such operation declares both."""
    for method in ("post", "put", "patch", "delete"):
        operation = getattr(path_item, method)
        parameters = (operation.parameters or []) if operation else []
        if not any(getattr(p, "name", None) == "Idempotency-Key" for p in parameters):
            continue
        responses = operation.responses = dict(operation.responses or {})
        for status in (409, 422):
            responses.setdefault(str(status), _problem_response(status))


def _unknown_query_outcome(path_item: PathItem) -> None:
    """Any operation answers 400 to a query parameter it does not declare; most already
    declare 400 through `problems()`, the rest (the probes) get it here."""
    for method in ("get", "put", "post", "patch", "delete"):
        operation = getattr(path_item, method)
        if operation is not None:
            responses = operation.responses = dict(operation.responses or {})
            responses.setdefault("400", _problem_response(400))


def _non_json_body_outcome(path_item: PathItem) -> None:
    for method in ("put", "post", "patch"):
        operation = getattr(path_item, method)
        body = operation.request_body if operation is not None else None
        if body is not None and "application/json" in (getattr(body, "content", None) or {}):
            responses = operation.responses = dict(operation.responses or {})
            responses.setdefault("415", _problem_response(415))


def _database_outage_outcome(path_item: PathItem) -> None:
    """Every operation that reads or writes the database (all but the liveness probe) answers
    503 while it cannot be reached (`db/outage.py`); `/readyz` keeps its own 503."""
    for method in ("get", "put", "post", "patch", "delete"):
        operation = getattr(path_item, method)
        if operation is None or operation.operation_id == "health":
            continue
        responses = operation.responses = dict(operation.responses or {})
        if "503" not in responses:
            outage = responses["503"] = _problem_response(503)
            outage.headers = {"Retry-After": _retry_after()}


def _retry_after() -> OpenAPIHeader:
    return OpenAPIHeader(
        schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
        description="Seconds to wait before retrying.",
        required=True,
    )


def _problem_response(status: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=_DESCRIPTIONS[status],
        content={
            PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref=_REF.format(name=Problem.__name__)))
        },
    )
