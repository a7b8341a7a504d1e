"""Lists as DataFrames: `to_pandas()` and `to_polars()` on every pager.

    claims = client.claims.list(topic="casualties").to_pandas()      # every page, one frame
    figures = client.figures.list(subject_id=troops).to_polars()

pandas and polars are optional: install `claimledger-sdk[pandas]` or `claimledger-sdk[polars]`
(the base install needs neither, and `import claimledger` works without them).

One row per item, one column per field, named and flattened as the server's CSV export
(`GET /v1/export?format=csv`) names its columns:

- a field is a column of its name; an object's members are columns `<field>.<member>`,
  recursively (`location.name`, `period.start`, on a timeline `figure.low`, `claim.stated_on`);
  a null object leaves them all null;
- a list of values is one column holding a list per row (`topics`);
- a list of objects is one column per member of its items, `<field>.<member>`, each holding
  the list of that member across the items, in order (`citations.source_id` and
  `citations.relayed_by_id` line up item for item): `DataFrame.explode` on those columns
  gives one row per item;
- a map (`external_ids`) is one column: a dict per row in pandas, a list of
  `{key, value}` structs in polars; a free-form JSON value (an event's `data`) is the
  decoded value in pandas and JSON text in polars.

Columns are typed: text as pandas `string` / polars `String`; integers — bounds (`low`,
`high`), amounts, versions — as nullable integers (pandas `Int64`, polars `Int64`), so an
unbounded `high` is `<NA>` / null, never a float NaN; dates (`stated_on`, `period.start`)
as pandas `datetime64[s]` / polars `Date`; times with an offset as UTC datetimes; booleans
as pandas `boolean`. A list with no items still has every column, typed.

The column rule is written twice — here over the SDK's models, and in the server over its
own — and the SDK's test suite checks that the two name the same columns.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import msgspec
from msgspec import UNSET, inspect

if TYPE_CHECKING:
    import pandas
    import polars

Kind = Literal["text", "integer", "number", "boolean", "date", "datetime", "list", "map", "json"]
EACH = None
"""A step of a column's path that goes into every item of a list."""


@dataclass(frozen=True)
class Column:
    """One column of a frame: its name, where its value is, and what it holds."""

    name: str
    path: tuple[str | None, ...]
    """Field names, and `EACH` for every item of a list."""
    kind: Kind
    item: Kind | None = None
    """For a `list` column, what its items are."""

    @property
    def depth(self) -> int:
        """How many lists deep the column's values are (`topics` 1, `citations.via_ids` 2)."""
        return self.path.count(EACH) + (1 if self.kind == "list" else 0)


@cache
def columns_of(model: type[msgspec.Struct]) -> tuple[Column, ...]:
    """Return the columns of a model's frame, in the order of its fields."""
    info = inspect.type_info(model)
    if not isinstance(info, inspect.StructType):
        raise TypeError(f"{model!r} is not a model")
    return tuple(_struct_columns(info, (), ()))


def _struct_columns(
    info: inspect.StructType, names: tuple[str, ...], path: tuple[str | None, ...]
) -> list[Column]:
    columns: list[Column] = []
    for field in info.fields:
        name, step = (*names, field.encode_name), (*path, field.encode_name)
        columns += _columns(name, step, field.type)
    return columns


def _columns(names: tuple[str, ...], path: tuple[str | None, ...], info: Any) -> list[Column]:
    info = _plain(info)
    if isinstance(info, inspect.StructType):
        return _struct_columns(info, names, path)
    if isinstance(info, inspect.ListType):
        item = _plain(info.item_type)
        if isinstance(item, inspect.StructType):
            return _struct_columns(item, names, (*path, EACH))
        return [Column(".".join(names), path, "list", _scalar(item))]
    if isinstance(info, inspect.DictType):
        kind: Kind = "json" if isinstance(_plain(info.value_type), inspect.AnyType) else "map"
        return [Column(".".join(names), path, kind)]
    return [Column(".".join(names), path, _scalar(info))]


def _plain(info: Any) -> Any:
    """Return the type without its metadata, and without `None` when it is the other choice."""
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


def _scalar(info: Any) -> Kind:
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


def item_model(response: Any) -> type[msgspec.Struct]:
    """Return the model of the items of a list answer (`ClaimList` → `Claim`)."""
    info = inspect.type_info(response)
    if isinstance(info, inspect.StructType):
        for field in info.fields:
            data = _plain(field.type)
            if field.encode_name == "data" and isinstance(data, inspect.ListType):
                item = _plain(data.item_type)
                if isinstance(item, inspect.StructType):
                    return item.cls
    raise TypeError(f"{response!r} is not a list of models")


# Values


def value_at(item: Any, path: tuple[str | None, ...]) -> Any:
    """Return the value a column holds for one item (a list of values under `EACH`)."""
    for index, step in enumerate(path):
        if step is EACH:
            items = item if isinstance(item, list) else []
            return [value_at(each, path[index + 1 :]) for each in items]
        if isinstance(item, msgspec.Struct):
            item = getattr(item, step, None)
        elif isinstance(item, dict):
            item = item.get(step)
        else:
            item = None
        if item is UNSET:
            item = None
    return item


class Collector:
    """The columns of a frame, filled item by item (a page at a time)."""

    def __init__(self, model: type[msgspec.Struct]) -> None:
        self.columns = columns_of(model)
        self.values: list[list[Any]] = [[] for _ in self.columns]

    def add(self, items: Iterable[Any]) -> None:
        """Append the values of each item to every column."""
        for item in items:
            for column, values in zip(self.columns, self.values, strict=True):
                values.append(value_at(item, column.path))

    def to_pandas(self) -> pandas.DataFrame:
        """Return the items as a pandas DataFrame."""
        require("pandas")
        import pandas as pd

        series = {
            column.name: _pandas_series(column, values)
            for column, values in zip(self.columns, self.values, strict=True)
        }
        return pd.DataFrame(series, columns=[column.name for column in self.columns])

    def to_polars(self) -> polars.DataFrame:
        """Return the items as a polars DataFrame."""
        require("polars")
        import polars as pl

        return pl.DataFrame(
            [
                pl.Series(column.name, _polars_values(column, values), dtype=_polars_type(column))
                for column, values in zip(self.columns, self.values, strict=True)
            ]
        )


_PANDAS_TYPES: dict[Kind, str] = {
    "text": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[s]",
    "datetime": "datetime64[us, UTC]",
}


def _pandas_series(column: Column, values: list[Any]) -> pandas.Series[Any]:
    import pandas as pd

    dtype = _PANDAS_TYPES.get(column.kind) if column.depth == 0 else None
    if dtype is None:
        return pd.Series(values, dtype=object)
    if column.kind == "datetime":
        return pd.Series(pd.to_datetime(values, utc=True), dtype=dtype)
    return pd.Series(values, dtype=dtype)


def _polars_type(column: Column) -> polars.DataType:
    import polars as pl

    scalar = column.item if column.kind == "list" else column.kind
    types: dict[Kind, polars.DataType] = {
        "text": pl.String(),
        "integer": pl.Int64(),
        "number": pl.Float64(),
        "boolean": pl.Boolean(),
        "date": pl.Date(),
        "datetime": pl.Datetime("us", "UTC"),
        "map": pl.List(pl.Struct({"key": pl.String, "value": pl.String})),
    }
    dtype = types.get(scalar or "json", pl.String())
    for _ in range(column.depth):
        dtype = pl.List(dtype)
    return dtype


def _polars_values(column: Column, values: list[Any]) -> list[Any]:
    """Return the values polars takes: maps as `{key, value}` lists, JSON as JSON text."""
    scalar = column.item if column.kind == "list" else column.kind
    if scalar == "map":
        return [_nested(value, column.depth, _pairs) for value in values]
    if scalar == "json":
        return [_nested(value, column.depth, _json_text) for value in values]
    return values


def _nested(value: Any, depth: int, convert: Callable[[Any], Any]) -> Any:
    if depth == 0 or not isinstance(value, list):
        return convert(value)
    return [_nested(item, depth - 1, convert) for item in value]


def _pairs(value: Any) -> list[dict[str, str]] | None:
    if not isinstance(value, dict):
        return None
    return [{"key": str(key), "value": str(item)} for key, item in value.items()]


def _json_text(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


def require(name: Literal["pandas", "polars"]) -> Any:
    """Import pandas or polars, or raise an ImportError naming the extra that installs it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(
            f"to_{name}() needs {name}, which the SDK installs as an extra:"
            f" pip install 'claimledger-sdk[{name}]'",
            name=name,
        ) from exc


__all__ = ["Collector", "Column", "columns_of", "item_model", "require", "value_at"]
