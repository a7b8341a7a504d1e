"""One resource as one flat row: the rule that names the columns of the CSV export, and
how a value is written into a cell.

The SDK's `to_pandas()`/`to_polars()` follow the same rule over its own models (it cannot
import this module); `tests/sdk/test_sdk_frames.py` holds the two in agreement.

- A field is a column of its name: `text`, `stated_on`.
- An object's members are columns named `<field>.<member>`, recursively: `location.name`,
  `period.start_precision`. A null object leaves them all empty.
- A list of values is one column whose items are joined with `LIST_SEPARATOR`: `topics`.
- A list of objects is one column per member of its items, `<field>.<member>`, each the
  list of that member across the items, in the same order: `citations.source_id` and
  `citations.relayed_by_id` line up item for item, an absent member an empty item. A list
  inside such an item (`citations.via_ids`) joins its items with `INNER_SEPARATOR`.
- A map (`external_ids`) is one column of `key=value` pairs joined with `LIST_SEPARATOR`;
  a map of free-form JSON values is one column of JSON text.
- Cells: dates as ISO dates (`2024-12-27`), times as RFC 3339 as the API writes them,
  booleans `true`/`false`, null as an empty cell. A text cell that a spreadsheet would run
  as a formula (one starting with `=`, `+`, `-`, `@`, a tab or a carriage return), or that
  starts with `'`, gets a leading `'` (as `external_id` in import files); number cells are
  left as they are, so a negative longitude stays a number."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import msgspec
from msgspec import inspect

from claimledger_server.bulk.lines import csv_escape

Kind = Literal["text", "integer", "number", "boolean", "date", "datetime", "list", "map", "json"]
LIST_SEPARATOR = " | "
INNER_SEPARATOR = ","
EACH = None
"""A step of a column's path that goes into every item of a list."""


@dataclass(frozen=True)
class Column:
    name: str
    path: tuple[str | None, ...]
    """Where the value is: member names, and `EACH` for every item of a list."""
    kind: Kind
    item: Kind | None = None
    """For a `list` column, what its items are."""


def columns_of(struct: type[msgspec.Struct]) -> list[Column]:
    """The columns of a resource, in the order of its fields."""
    info = inspect.type_info(struct)
    assert isinstance(info, inspect.StructType)
    return list(_struct_columns(info, (), ()))


def _struct_columns(
    info: inspect.StructType, names: tuple[str, ...], path: tuple[str | None, ...]
) -> Iterator[Column]:
    for field in info.fields:
        yield from _columns((*names, field.encode_name), (*path, field.encode_name), field.type)


def _columns(
    names: tuple[str, ...], path: tuple[str | None, ...], info: inspect.Type
) -> Iterator[Column]:
    info = _plain(info)
    if isinstance(info, inspect.StructType):
        yield from _struct_columns(info, names, path)
    elif isinstance(info, inspect.ListType):
        item = _plain(info.item_type)
        if isinstance(item, inspect.StructType):
            yield from _struct_columns(item, names, (*path, EACH))
        else:
            yield Column(".".join(names), path, "list", _scalar(item))
    elif isinstance(info, inspect.DictType):
        free_form = isinstance(_plain(info.value_type), inspect.AnyType)
        yield Column(".".join(names), path, "json" if free_form else "map")
    else:
        yield Column(".".join(names), path, _scalar(info))


def _plain(info: inspect.Type) -> inspect.Type:
    """The type without its metadata, and without `None` when it is the other choice."""
    while True:
        if isinstance(info, inspect.Metadata):
            info = info.type
        elif isinstance(info, inspect.UnionType):
            choices = [t for t in info.types if not isinstance(t, inspect.NoneType)]
            if len(choices) != 1:
                return info
            info = choices[0]
        else:
            return info


def _scalar(info: inspect.Type) -> Kind:
    if isinstance(info, inspect.StrType | inspect.LiteralType):
        return "text"
    if isinstance(info, inspect.BoolType):
        return "boolean"
    if isinstance(info, inspect.IntType):
        return "integer"
    if isinstance(info, inspect.FloatType):
        return "number"
    if isinstance(info, inspect.DateType):
        return "date"
    if isinstance(info, inspect.DateTimeType):
        return "datetime"
    return "json"


# Cells


_JSON = msgspec.json.Encoder()


def value_at(document: Any, path: tuple[str | None, ...]) -> Any:
    """The value a column holds in a decoded document (lists of values for `EACH`)."""
    for index, step in enumerate(path):
        if step is EACH:
            items = document if isinstance(document, list) else []
            return [value_at(item, path[index + 1 :]) for item in items]
        document = document.get(step) if isinstance(document, dict) else None
    return document


def cell(column: Column, value: Any) -> str:
    """The text of `value` in `column`'s cell."""
    depth = column.path.count(EACH)
    text = _joined(column, value, depth, 0)
    return text if column.kind in ("integer", "number") else csv_escape(text)


def _joined(column: Column, value: Any, depth: int, level: int) -> str:
    if depth > 0:
        items = value if isinstance(value, list) else []
        separator = LIST_SEPARATOR if level == 0 else INNER_SEPARATOR
        return separator.join(_joined(column, item, depth - 1, level + 1) for item in items)
    if value is None:
        return ""
    if column.kind == "list":
        separator = LIST_SEPARATOR if level == 0 else INNER_SEPARATOR
        items = value if isinstance(value, list) else [value]
        return separator.join(_scalar_text(item) for item in items)
    if column.kind == "map" and isinstance(value, dict):
        return LIST_SEPARATOR.join(f"{key}={_scalar_text(item)}" for key, item in value.items())
    return _scalar_text(value)


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return _JSON.encode(value).decode()  # numbers, and JSON values as JSON text
