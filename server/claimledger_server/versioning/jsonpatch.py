"""RFC 6902 JSON Patch between two JSON documents (as Python builtins), so a client can see
what changed between two versions of a resource, or replay the change.

Objects are compared member by member, recursively; arrays of the same length element by
element; anything else that differs is replaced whole. The patch is not minimal for arrays
(an insertion replaces the array), which keeps it simple and always correct."""

from typing import Any, Literal

import msgspec

Operation = dict[str, Any]
"""`{"op": "add" | "remove" | "replace", "path": "/a/0", "value": ...}`"""


class JsonPatchOperation(msgspec.Struct, omit_defaults=True):
    """One operation of an RFC 6902 JSON Patch."""

    op: Literal["add", "remove", "replace"]
    path: str
    """A JSON Pointer (RFC 6901) into the document: `/citations/0/quote`; `~1` stands for
    `/` and `~0` for `~` inside a member name."""
    value: Any = msgspec.UNSET
    """The new value; absent for `remove`."""


def escape(token: str) -> str:
    """A JSON Pointer (RFC 6901) reference token: `~` is written `~0`, `/` is written `~1`."""
    return token.replace("~", "~0").replace("/", "~1")


def same(a: Any, b: Any) -> bool:
    """JSON equality: unlike Python's `==`, `true` is not `1` and `1` is not `1.0`."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def diff(source: Any, target: Any) -> list[Operation]:
    """The operations that turn `source` into `target`."""
    operations: list[Operation] = []
    _diff(source, target, "", operations)
    return operations


def _diff(source: Any, target: Any, path: str, out: list[Operation]) -> None:
    if same(source, target):
        return
    if isinstance(source, dict) and isinstance(target, dict):
        for key, value in source.items():
            where = f"{path}/{escape(key)}"
            if key not in target:
                out.append({"op": "remove", "path": where})
            else:
                _diff(value, target[key], where, out)
        for key, value in target.items():
            if key not in source:
                out.append({"op": "add", "path": f"{path}/{escape(key)}", "value": value})
        return
    if isinstance(source, list) and isinstance(target, list) and len(source) == len(target):
        for index, (old, new) in enumerate(zip(source, target, strict=True)):
            _diff(old, new, f"{path}/{index}", out)
        return
    out.append({"op": "replace", "path": path, "value": target})
