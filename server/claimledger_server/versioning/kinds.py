"""What the core needs to know about a resource kind."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


def _nothing_derived(fields: Any) -> dict[str, Any]:
    return {}


def _as_written(kind: "ResourceKind", document: dict[str, Any]) -> dict[str, Any]:
    return {name: document[name] for name in kind.field_names if name in document}


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
    chain_link: str | None = None
    """A field pointing at another resource of the same kind that must never loop back (an
    actor's `parent_id`, a source's `republished_from_id`): writes refuse cycles, however
    long, one at a time (`store.lock_chain`), and an export lists the resource it points at
    first."""
    derive: Callable[[Any], dict[str, Any]] = _nothing_derived
    """Read-only fields the server computes from the writable ones (e.g. figure bounds)."""
    cleared_with: dict[str, str] = field(default_factory=dict)
    """Fields that lose their meaning with another: dotted path of a date → its precision,
    e.g. `{"period.start": "period.start_precision"}`. A merge patch that clears the date
    clears the precision too, unless it sets one itself."""
    written: Callable[["ResourceKind", dict[str, Any]], dict[str, Any]] = _as_written
    """The writable fields of a stored document as a client wrote them: what a merge patch
    applies to and an export line carries. A field that is writable only sometimes (a
    figure's `low`, given for `vague` and derived otherwise) is left out when derived."""
    field_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_names", self.fields.__struct_fields__)

    @property
    def reads_stored(self) -> bool:
        """Whether checking a write reads the database (so it must see every earlier write):
        the cycle check of `chain_link`."""
        return self.chain_link is not None

    def writable(self, document: dict[str, Any]) -> dict[str, Any]:
        return self.written(self, document)

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
