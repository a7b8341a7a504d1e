"""The URL parameters of a request, checked as the OpenAPI document states them, on every
route: a query parameter the route does not declare is a 400 naming it, and so is an integer
or a boolean not written as one.

Litestar ignores query parameters no handler asks for, so `/v1/claims?claimnt_id=act_x`
(a typo) would answer every claim. What a route accepts is read from its handler, once, the
way Litestar itself reads it: the signature's query parameters under the names they travel
as (`QueryParameter(name="format")`), those of the dependencies it asks for (a list's `page`
brings `limit`, `cursor`, `include_deleted`, …) and the parameters declared on the layers
above it. A handler that takes the whole query mapping (`query`) accepts every name, and
`opt={"query_prefixes": ("external_ids.",)}` on a route (or a router above it) accepts a
family of names by prefix, e.g. `external_ids.wikidata`.

Litestar converts URL text to a parameter's type with msgspec's lax rules, which take `1e2`
and `100.0` for the integer 100 and `1` or `True` for true; the document says `integer` and
`boolean`, so such a parameter's text must be written as JSON writes one (`null` too, for an
optional one, which Litestar reads as not given). A path parameter of type int must be
declared `{name:str}` in the path so that its text reaches this check (Litestar's own `int`
path converter takes `1_0` and ` 1`, and answers 404 to `1e2`).

The text parameters get their constraints through `query_parameter` and `path_parameter`,
from the schemas' types (`ActorId`, `Slug`, …): Litestar checks a URL value against the
constraints of its `QueryParameter`/`PathParameter`, not a `Meta` inside its type, and
documents the same, so the two cannot disagree.

Routes left out of the API document are not checked: the `/schema` pages, and the OPTIONS
answers Litestar adds to every path (which return no data, and a CORS preflight carries the
query of the request it asks about)."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from litestar import Request
from litestar.constants import RESERVED_KWARGS
from litestar.di import Provide
from litestar.enums import ParamType
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.params import ParameterKwarg, PathParameter, QueryParameter
from litestar.typing import FieldDefinition
from msgspec import Meta

from claimledger_server.allowed_values import did_you_mean
from claimledger_server.errors import FieldError, invalid

QUERY_PREFIXES = "query_prefixes"
"""The `opt` key of a route's accepted name prefixes: a tuple of strings."""
MAX_REPORTED = 100
"""At most this many unknown names are listed (and given a suggestion) in one answer."""
UNKNOWN = "unknown query parameter"

_PATH_PARAMETER = re.compile(r"\{(\w+):")


def query_parameter(text_type: Any, description: str | None = None) -> ParameterKwarg:
    """The `QueryParameter` of a text parameter holding `text_type`, one of the schemas'
    `Annotated[str, Meta(...)]` types or the `Meta` itself:
    `Annotated[str | None, query_parameter(ActorId)]`."""
    return QueryParameter(**_constraints(text_type, description))


def path_parameter(text_type: Any, description: str | None = None) -> ParameterKwarg:
    """As `query_parameter`, for a path parameter: `Annotated[str, path_parameter(...)]`."""
    return PathParameter(**_constraints(text_type, description))


def _constraints(text_type: Any, description: str | None) -> dict[str, Any]:
    meta = (
        text_type
        if isinstance(text_type, Meta)
        else next(item for item in get_args(text_type)[1:] if isinstance(item, Meta))
    )
    return {
        "pattern": meta.pattern,
        "min_length": meta.min_length,
        "max_length": meta.max_length,
        "description": description or meta.description,
    }


_SPELLINGS = {
    int: ("-?[0-9]+", "must be an integer written in digits, e.g. 100"),
    bool: ("true|false", "must be true or false"),
}


@dataclass(frozen=True, slots=True)
class Spelling:
    """How the text of an integer or boolean parameter is written."""

    pattern: re.Pattern[str]
    message: str

    @classmethod
    def of(cls, parameter: FieldDefinition) -> "Spelling | None":
        """The spelling of `parameter`'s values; None unless it is an integer or a boolean."""
        types = [inner.annotation for inner in parameter.inner_types if not inner.is_none_type]
        scalar = (
            (types[0] if len(types) == 1 else None) if parameter.is_union else parameter.annotation
        )
        if scalar not in _SPELLINGS:
            return None
        pattern, message = _SPELLINGS[scalar]
        if parameter.is_optional:
            pattern += "|null"
        return cls(re.compile(f"(?:{pattern})"), message)


def misspelled(
    spellings: Mapping[str, Spelling], values: Iterable[tuple[str, Any]]
) -> list[FieldError]:
    """An error for each of `values` (name, text) that is not written as its spelling says."""
    return [
        FieldError(name, spelling.message)
        for name, value in values
        if (spelling := spellings.get(name)) is not None
        and isinstance(value, str)
        and spelling.pattern.fullmatch(value) is None
    ]


@dataclass(frozen=True, slots=True)
class AcceptedQuery:
    """The query parameters one route handler accepts, and how the integers and booleans
    among its query and path parameters are written."""

    names: frozenset[str]
    prefixes: tuple[str, ...] = ()
    any_name: bool = False
    spellings: Mapping[str, Spelling] = field(default_factory=dict)
    """Query parameters by the name they travel as."""
    path_spellings: Mapping[str, Spelling] = field(default_factory=dict)

    def accepts(self, name: str) -> bool:
        return self.any_name or name in self.names or name.startswith(self.prefixes)

    def message(self, name: str) -> str:
        """Why `name` is refused, with the closest accepted name when one is close."""
        if not name:
            return "a query parameter needs a name"
        candidates = sorted(self.names)
        if "." in name:  # `external_id.wikidata` is closer to `external_ids.wikidata`
            tail = name.split(".", 1)[1]
            candidates += [prefix + tail for prefix in self.prefixes]
        return UNKNOWN + did_you_mean(name, candidates)


def accepted_query(handler: HTTPRouteHandler) -> AcceptedQuery | None:
    """What `handler` accepts in its query string; None when it is not checked."""
    if not handler.resolve_include_in_schema():
        return None
    dependencies = handler.resolve_dependencies()
    path_names = _path_parameter_names(handler)
    names: set[str] = set()
    spellings: dict[str, Spelling] = {}
    path_spellings: dict[str, Spelling] = {}
    any_name = False
    visited: set[str] = set()

    def read(parameters: Mapping[str, FieldDefinition]) -> None:
        nonlocal any_name
        for name, parameter in parameters.items():
            kwarg = parameter.kwarg_definition
            if name in RESERVED_KWARGS:  # request, state, data, headers, …
                any_name = any_name or name == "query"
            elif name in dependencies:
                if name not in visited:
                    visited.add(name)
                    read(_parameters_of(dependencies[name]))
            elif name in path_names:
                if spelling := Spelling.of(parameter):
                    path_spellings[name] = spelling
            elif not isinstance(kwarg, ParameterKwarg) or kwarg.param_type is ParamType.QUERY:
                # A plain `limit: int = 50` is a query parameter too.
                wire_name = kwarg.name if isinstance(kwarg, ParameterKwarg) and kwarg.name else name
                names.add(wire_name)
                if spelling := Spelling.of(parameter):
                    spellings[wire_name] = spelling

    read(handler.parsed_fn_signature.parameters)
    read(handler.resolve_layered_parameters())
    prefixes = handler.opt.get(QUERY_PREFIXES, ())
    return AcceptedQuery(
        frozenset(names),
        (prefixes,) if isinstance(prefixes, str) else tuple(prefixes),
        any_name,
        spellings,
        path_spellings,
    )


def _parameters_of(provider: Provide) -> Mapping[str, FieldDefinition]:
    # Set by `resolve_dependencies`; absent only for a provider Litestar never resolved.
    signature = getattr(provider, "parsed_fn_signature", None)
    return signature.parameters if signature is not None else {}


def _path_parameter_names(handler: BaseRouteHandler) -> set[str]:
    """The path parameters of every path the handler answers on. (A name that is a path
    parameter on only some of its paths counts as a query parameter: never refused wrongly.)"""
    above = {
        name
        for layer in handler.ownership_layers[:-1]
        for name in _PATH_PARAMETER.findall(getattr(layer, "path", "") or "")
    }
    own = [set(_PATH_PARAMETER.findall(path)) for path in handler.paths]
    return above | set.intersection(*own) if own else above


class QueryCheck:
    """Refuses a request naming a query parameter its route does not accept, or writing an
    integer or a boolean (in the query or the path) otherwise than as one.

    One per app; each handler's accepted names are worked out on its first request and
    kept, so a request pays a dictionary look-up, and a set test per name and a compiled
    pattern per integer or boolean value it sends."""

    def __init__(self) -> None:
        self._accepted: dict[BaseRouteHandler, AcceptedQuery | None] = {}

    def __call__(self, request: Request[Any, Any, Any]) -> None:
        handler = request.route_handler
        try:
            accepted = self._accepted[handler]
        except KeyError:
            accepted = self._accepted[handler] = accepted_query(handler)
        if accepted is None:
            return
        errors = (
            misspelled(accepted.path_spellings, request.path_params.items())
            if accepted.path_spellings
            else []
        )
        if request.scope["query_string"]:
            # `query_params` parses once per request; Litestar reuses the parse for the handler.
            query = request.query_params
            unknown = [name for name in dict.fromkeys(query) if not accepted.accepts(name)]
            errors += [FieldError(name, accepted.message(name)) for name in unknown[:MAX_REPORTED]]
            if accepted.spellings:
                errors += misspelled(accepted.spellings, query.multi_items())
        if errors:
            raise invalid(errors, status=400)
