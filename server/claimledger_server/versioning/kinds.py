"""What the core needs to know about a resource kind."""

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import asyncpg
import msgspec

from claimledger_server.errors import FieldError


class Ref(NamedTuple):
    """An outgoing reference from a resource's fields to another resource."""

    field: str
    """Where the id stands in the request body, e.g. `citations[0].source_id`."""
    table: str
    id: str


def _no_checks(fields: Any, resource_id: str | None) -> list[FieldError]:
    return []


async def _no_stored_checks(
    conn: asyncpg.Connection, fields: Any, resource_id: str | None
) -> list[FieldError]:
    return []


def _nothing_derived(fields: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ResourceKind:
    name: str
    """Singular, used in event types and messages: `claim` → `claim.created`."""
    table: str
    """Table name, and the URL segment under /v1."""
    prefix: str
    """Id prefix, e.g. `clm` for `clm_01j…`."""
    fields: type[msgspec.Struct]
    """The writable fields: the create body, and what a merge-patch must still satisfy."""
    references: dict[str, str]
    """Where this kind points at others: field path → table, e.g.
    `{"claimant_id": "actors", "citations[].source_id": "sources"}` (`[]`: every item)."""
    check: Callable[[Any, str | None], list[FieldError]] = _no_checks
    """Rules across fields; gets the resource id on updates (e.g. to refuse self-links)."""
    check_stored: Callable[[asyncpg.Connection, Any, str | None], Awaitable[list[FieldError]]] = (
        _no_stored_checks
    )
    """Rules that need the database (e.g. no cycles in a parent chain); runs after `check`."""
    derive: Callable[[Any], dict[str, Any]] = _nothing_derived
    """Read-only fields the server computes from the writable ones (e.g. figure bounds)."""
    field_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_names", self.fields.__struct_fields__)

    @property
    def reads_stored(self) -> bool:
        """Whether `check_stored` reads the database (so it must see every earlier write)."""
        return self.check_stored is not _no_stored_checks

    def owns(self, resource_id: str) -> bool:
        return resource_id.startswith(self.prefix + "_")


def find_references(document: dict[str, Any], paths: dict[str, str]) -> Iterator[Ref]:
    """Every id that `document` (the writable fields as JSON builtins) references."""
    for path, table in paths.items():
        yield from _walk(document, path.split("."), "", table)


def _walk(value: Any, steps: list[str], label: str, table: str) -> Iterator[Ref]:
    if not steps:
        if isinstance(value, str):
            yield Ref(label, table, value)
        return
    step, rest = steps[0], steps[1:]
    many = step.endswith("[]")
    name = step.removesuffix("[]")
    child = value.get(name) if isinstance(value, dict) else None
    where = f"{label}.{name}" if label else name
    if not many:
        yield from _walk(child, rest, where, table)
        return
    for index, item in enumerate(child if isinstance(child, list) else []):
        yield from _walk(item, rest, f"{where}[{index}]", table)


KINDS: dict[str, ResourceKind] = {}
"""Every registered kind by table name; the delete check asks all of them for referrers."""


def register(kind: ResourceKind) -> ResourceKind:
    KINDS[kind.table] = kind
    return kind
