"""A query parameter the route does not declare is a 400 naming it, on every route.

Litestar ignores query parameters no handler asks for, so `/v1/claims?claimnt_id=act_x`
(a typo) would answer every claim. What a route accepts is read from its handler, once, the
way Litestar itself reads it: the signature's query parameters under the names they travel
as (`QueryParameter(name="format")`), those of the dependencies it asks for (a list's `page`
brings `limit`, `cursor`, `include_deleted`, …) and the parameters declared on the layers
above it. A handler that takes the whole query mapping (`query`) accepts every name, and
`opt={"query_prefixes": ("external_ids.",)}` on a route (or a router above it) accepts a
family of names by prefix, e.g. `external_ids.wikidata`.

Routes left out of the API document are not checked: the `/schema` pages, and the OPTIONS
answers Litestar adds to every path (which return no data, and a CORS preflight carries the
query of the request it asks about)."""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.constants import RESERVED_KWARGS
from litestar.di import Provide
from litestar.enums import ParamType
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.params import ParameterKwarg
from litestar.typing import FieldDefinition

from claimledger_server.errors import FieldError, invalid

QUERY_PREFIXES = "query_prefixes"
"""The `opt` key of a route's accepted name prefixes: a tuple of strings."""
MAX_REPORTED = 100
"""At most this many unknown names are listed (and given a suggestion) in one answer."""
UNKNOWN = "unknown query parameter"

_PATH_PARAMETER = re.compile(r"\{(\w+):")


@dataclass(frozen=True, slots=True)
class AcceptedQuery:
    """The query parameters one route handler accepts."""

    names: frozenset[str]
    prefixes: tuple[str, ...] = ()
    any_name: bool = False

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
        close = difflib.get_close_matches(name, candidates, n=1)
        return f"{UNKNOWN}; did you mean {close[0]!r}?" if close else UNKNOWN


def accepted_query(handler: HTTPRouteHandler) -> AcceptedQuery | None:
    """What `handler` accepts in its query string; None when it is not checked."""
    if not handler.resolve_include_in_schema():
        return None
    dependencies = handler.resolve_dependencies()
    path_names = _path_parameter_names(handler)
    names: set[str] = set()
    any_name = False
    visited: set[str] = set()

    def read(parameters: Mapping[str, FieldDefinition]) -> None:
        nonlocal any_name
        for name, field in parameters.items():
            if name in RESERVED_KWARGS:  # request, state, data, headers, …
                any_name = any_name or name == "query"
            elif name in dependencies:
                if name not in visited:
                    visited.add(name)
                    read(_parameters_of(dependencies[name]))
            elif name not in path_names:
                kwarg = field.kwarg_definition
                if not isinstance(kwarg, ParameterKwarg):
                    names.add(name)  # a plain `limit: int = 50` is a query parameter
                elif kwarg.param_type is ParamType.QUERY:
                    names.add(kwarg.name or name)

    read(handler.parsed_fn_signature.parameters)
    read(handler.resolve_layered_parameters())
    prefixes = handler.opt.get(QUERY_PREFIXES, ())
    return AcceptedQuery(
        frozenset(names),
        (prefixes,) if isinstance(prefixes, str) else tuple(prefixes),
        any_name,
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
    """Refuses a request naming a query parameter its route does not accept.

    One per app; each handler's accepted names are worked out on its first request and
    kept, so a request pays a dictionary look-up and a set test per name, and nothing at all
    when its query string is empty."""

    def __init__(self) -> None:
        self._accepted: dict[BaseRouteHandler, AcceptedQuery | None] = {}

    def __call__(self, request: Request[Any, Any, Any]) -> None:
        if not request.scope["query_string"]:
            return
        handler = request.route_handler
        try:
            accepted = self._accepted[handler]
        except KeyError:
            accepted = self._accepted[handler] = accepted_query(handler)
        if accepted is None:
            return
        # `query_params` parses once per request; Litestar reuses the parse for the handler.
        unknown = [
            name for name in dict.fromkeys(request.query_params) if not accepted.accepts(name)
        ]
        if unknown:
            errors = [FieldError(name, accepted.message(name)) for name in unknown[:MAX_REPORTED]]
            raise invalid(errors, status=400)
