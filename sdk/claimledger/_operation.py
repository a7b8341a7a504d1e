"""`Operation`: one HTTP call described as data, with no transport attached.

The generated functions in `claimledger._generated.operations` only *build* operations; the
clients (`Client`, `AsyncClient`) send them, retry them and decode their answers. Keeping the
two apart is what lets one generated layer serve both the sync and the async client.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import quote

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Operation(Generic[T_co]):
    """An API call: method, path template and values, query, headers and JSON body.

    `response` is the type a successful answer decodes into (a model class, `None` when
    the answer has no body, or `bytes` for a non-JSON body); `T_co` mirrors it for typing.
    `None` values in `query` and `headers` mean "not sent".
    """

    method: str
    path: str
    response: Any
    operation_id: str = ""
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, str | None] = field(default_factory=dict)
    body: object = None
    content_type: str = "application/json"

    @property
    def url_path(self) -> str:
        """Return the path with its parameters filled in, each percent-encoded."""
        values = {name: quote(_text(value), safe="") for name, value in self.path_params.items()}
        return self.path.format_map(values)

    def query_params(self) -> list[tuple[str, str | int | float | bool | None]]:
        """Return the query as (name, text) pairs: `None` dropped, lists repeated."""
        return [
            (name, _text(item))
            for name, value in self.query.items()
            if value is not None
            for item in _items(value)
        ]

    def with_query(self, **changes: object) -> Operation[T_co]:
        """Return a copy with some query parameters replaced (e.g. the page cursor)."""
        return dataclasses.replace(self, query={**self.query, **changes})


def _items(value: object) -> Iterator[object]:
    if isinstance(value, list | tuple | set | frozenset):
        yield from (item for item in value if item is not None)
    else:
        yield value


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


class SyncRequester(Protocol):
    """What sends an `Operation` and returns its decoded answer (`Client`)."""

    def request(self, operation: Operation[T], *, idempotency_key: str | None = None) -> T:
        """Send the operation, retrying where safe, and decode its answer."""
        ...


class AsyncRequester(Protocol):
    """What sends an `Operation` and returns its decoded answer (`AsyncClient`)."""

    async def request(self, operation: Operation[T], *, idempotency_key: str | None = None) -> T:
        """Send the operation, retrying where safe, and decode its answer."""
        ...


__all__ = ["AsyncRequester", "Operation", "SyncRequester"]
