"""What a schema type allows at the path an error names: the values of a closed set, the
names of an object's fields.

msgspec says only "Invalid enum value 'article'" or "Object contains unknown field
`publisher_name`"; a client then has to open the OpenAPI document to learn that
`news_article` or `publisher_id` was meant. Errors name them instead, as they stand in the
type (`Literal[...]`, an `enum.Enum`, a Struct's fields), read through msgspec's public
`inspect` module so the answer cannot drift from what the decoder accepts."""

import difflib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from msgspec import inspect

# "citations[0].via_ids[2]" → "citations", "[0]", "via_ids", "[2]".
_STEPS = re.compile(r"\[\d+\]|[^.\[\]]+")
_NONE = inspect.NoneType
_SEQUENCES = (inspect.ListType, inspect.SetType, inspect.FrozenSetType, inspect.VarTupleType)
_RECORDS = (inspect.StructType, inspect.TypedDictType, inspect.DataclassType)


def allowed_values(type_: Any, path: str) -> tuple[str, ...] | None:
    """The allowed values at `path` (as `from_msgspec_error` writes it: dotted names and
    `[n]` indices, "" for the value itself) of a value of `type_`, or None when the path
    does not end at a closed set of strings."""
    try:
        return _allowed_at(type_, tuple(_STEPS.findall(path)))
    except TypeError:  # a type msgspec cannot describe has no choices to offer
        return None


def field_names(type_: Any, path: str) -> tuple[str, ...]:
    """The names an object at `path` of a value of `type_` may have (as sent on the wire)."""
    try:
        return _names_at(type_, tuple(_STEPS.findall(path)))
    except TypeError:
        return ()


@cache
def _allowed_at(type_: Any, steps: tuple[str, ...]) -> tuple[str, ...] | None:
    return _choices(_info_at(type_, steps))


@cache
def _names_at(type_: Any, steps: tuple[str, ...]) -> tuple[str, ...]:
    records = [m for m in _unwrapped(_info_at(type_, steps)) if isinstance(m, _RECORDS)]
    return tuple(field.encode_name for record in records for field in record.fields)


def _info_at(type_: Any, steps: tuple[str, ...]) -> inspect.Type | None:
    info: inspect.Type | None = inspect.type_info(type_)
    for step in steps:
        info = _step(info, step)
    return info


def _unwrapped(info: inspect.Type | None) -> list[inspect.Type]:
    """The types a value may be: constraints and `| None` taken off."""
    while isinstance(info, inspect.Metadata):
        info = info.type
    if isinstance(info, inspect.UnionType):
        return [member for t in info.types if not isinstance(t, _NONE) for member in _unwrapped(t)]
    return [] if info is None else [info]


def _step(info: inspect.Type | None, step: str) -> inspect.Type | None:
    for member in _unwrapped(info):
        if step.startswith("[") and isinstance(member, _SEQUENCES):
            return member.item_type
        if isinstance(member, inspect.DictType):
            return member.value_type
        if isinstance(member, _RECORDS):
            for field in member.fields:
                if field.encode_name == step:
                    return field.type
    return None


def _choices(info: inspect.Type | None) -> tuple[str, ...] | None:
    choices: list[str] = []
    for member in _unwrapped(info):
        if isinstance(member, inspect.LiteralType):
            choices.extend(str(value) for value in member.values)
        elif isinstance(member, inspect.EnumType):
            choices.extend(str(item.value) for item in member.cls)
        else:
            return None
    return tuple(choices) or None


def with_hint(message: str, type_: Any, path: str) -> str:
    """msgspec's message about the value at `path` with what the type allows there: the
    choices of a closed set, or the field closest to an unknown one."""
    if message.startswith("Invalid enum value"):
        choices = allowed_values(type_, path)
        if choices:
            return f"{message}; expected one of: {', '.join(map(repr, choices))}"
    elif message.startswith("Object contains unknown field"):
        parent, _, name = path.rpartition(".")
        return message + did_you_mean(name, field_names(type_, parent))
    return message


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """ "; did you mean 'x'?" with the known name closest to a mistyped one, or "" when none
    is close: the one wording of every unknown field and query parameter."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
