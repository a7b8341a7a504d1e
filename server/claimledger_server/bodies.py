"""The one decoder of JSON request bodies, and the one place that maps what it finds to
400 or 422.

Litestar hands a handler's `data` to a DTO when one is configured (the documented
`AbstractDTO` extension point), and then neither parses the body nor converts it again:
`JsonBody` is that DTO for every route of the app. Each body is parsed exactly once,
checked in full for JSON syntax first (so a body that breaks the schema and then the
grammar is a 400, whichever comes first), and only then validated, strictly, against the
handler's declared type — no `"7"` for an integer, no unknown fields. The declared type
still describes the request body in the OpenAPI document, exactly as without a DTO.

Numbers are read as written: JSON Schema (and so the OpenAPI document) counts `3.0` as
an integer, so an integer field accepts it, but `1e-400`, `1.0000000000000001` and
`4503599627370496.5` are not integers even though the nearest binary floats are."""

from decimal import Decimal
from typing import Any, ClassVar

import msgspec
from litestar import Request
from litestar.dto import AbstractDTO
from litestar.typing import FieldDefinition

from claimledger_server.errors import ApiError, from_msgspec_error, invalid

_INTEGER_DIGITS = 40
"""A number written with more integer digits than this stays a float: no integer field
holds it, and building a Python int from `1e999999999` would take minutes."""


def _number_as_written(literal: str) -> int | float:
    """A JSON number with a fraction or an exponent: an int when its decimal value (not
    the nearest binary float) is whole, a float otherwise."""
    exact = Decimal(literal)
    if exact == exact.to_integral_value() and exact.adjusted() < _INTEGER_DIGITS:
        return int(exact)
    return float(literal)


_DECODER = msgspec.json.Decoder(float_hook=_number_as_written)


def json_value(body: bytes) -> Any:
    """JSON as Python values, numbers read as written; a syntax error raises
    `msgspec.DecodeError`, invalid UTF-8 `UnicodeDecodeError`."""
    return _DECODER.decode(body)


def refuse_other_media_types(content_type: str | None) -> None:
    """A body declared as something other than JSON is a 415. One sent without a
    Content-Type is read as JSON, as most clients expect of a JSON API."""
    if content_type is None:
        return
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ApiError(
            415,
            "unsupported-media-type",
            f"The request body is {media_type or 'of no media type'!r}; send application/json.",
        )


class MergePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Base of the RFC 7396 merge-patch body types. Their handlers receive the JSON object
    as sent (once it passes the type), not the Struct: in a merge patch a member that is
    absent and one that is `null` mean different things."""


def _empty_body() -> ApiError:
    return ApiError(400, "bad-request", "The request body is empty; a JSON object is required.")


def decode_body(body: bytes, type_: Any) -> Any:
    """A JSON request body as `type_`, strictly.

    Malformed JSON and unknown fields are the client speaking the wrong language (400);
    well-formed JSON that breaks a rule of the schema is unprocessable (422)."""
    if not body.strip():
        raise _empty_body()
    try:
        values = json_value(body)
        decoded = msgspec.convert(values, type_, strict=True, str_keys=True)
    except msgspec.ValidationError as exc:  # before DecodeError, its base class
        error = from_msgspec_error(exc, type_)
        raise invalid([error], status=400 if "unknown field" in error.message else 422) from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:  # the latter: invalid UTF-8
        raise ApiError(
            400, "malformed-json", f"The request body is not valid JSON: {exc}"
        ) from None
    except RecursionError:  # nested deeper than the interpreter's stack
        raise ApiError(400, "malformed-json", "The request body is nested too deeply.") from None
    is_merge_patch = isinstance(type_, type) and issubclass(type_, MergePatch)
    return values if is_merge_patch else decoded


class JsonBody(AbstractDTO[Any]):
    """The app's DTO: decodes each route's `data` with `decode_body`, against the type the
    handler declares. Set as the app's `dto` with `return_dto=None`, so it touches request
    bodies only."""

    _body_types: ClassVar[dict[str, Any]] = {}

    @classmethod
    def create_for_field_definition(
        cls, field_definition: FieldDefinition, handler_id: str, backend_cls: Any = None
    ) -> None:
        # Called once per handler at startup: no transfer model to build, just the type.
        cls._body_types[handler_id] = field_definition.annotation

    @classmethod
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any
    ) -> Any:
        # What Litestar documents for a `data` without a DTO.
        return schema_creator.for_field_definition(field_definition)

    def decode_bytes(self, value: bytes) -> Any:
        refuse_other_media_types(self.asgi_connection.headers.get("content-type"))
        handler_id = self.asgi_connection.route_handler.handler_id
        return decode_body(value, self._body_types[handler_id])

    def decode_builtins(self, value: dict[str, Any]) -> Any:
        # Only form bodies arrive as builtins; every body of this API is JSON.
        raise ApiError(415, "unsupported-media-type", "The request body must be JSON.")


async def refuse_empty_body(request: Request[Any, Any, Any]) -> None:
    """before_request hook: Litestar hands a DTO no body at all when none was sent (it
    would answer with a bare "missing data"), so an empty body is refused here, in the same
    words as one of only whitespace."""
    if (
        request.scope["method"] in ("POST", "PUT", "PATCH")
        # Asked first: a route without `data` (a bulk import) may stream its body.
        and request.route_handler.handler_id in JsonBody._body_types
        and not await request.body()
    ):
        raise _empty_body()
