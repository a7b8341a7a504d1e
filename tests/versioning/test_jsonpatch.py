"""The JSON Patch generator: applying its patch (RFC 6902, by the small applier below) to the
first document always gives the second."""

import copy
from typing import Any

from claimledger_server.versioning.jsonpatch import diff, escape, same
from hypothesis import given
from hypothesis import strategies as st


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def apply(document: Any, patch: list[dict[str, Any]]) -> Any:
    """RFC 6902 add/remove/replace, strictly: the parent must exist, `remove`/`replace`
    need the target to exist, `add` on an object member must not replace silently here
    (the generator only adds members that were absent)."""
    document = copy.deepcopy(document)
    for operation in patch:
        op, path = operation["op"], operation["path"]
        assert set(operation) == ({"op", "path"} if op == "remove" else {"op", "path", "value"})
        if path == "":
            assert op == "replace"
            document = copy.deepcopy(operation["value"])
            continue
        assert path.startswith("/")
        *parents, last = [unescape(token) for token in path[1:].split("/")]
        parent = document
        for token in parents:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        if isinstance(parent, list):
            index = int(last)
            assert op == "replace"
            assert 0 <= index < len(parent)
            parent[index] = copy.deepcopy(operation["value"])
        elif op == "add":
            assert last not in parent
            parent[last] = copy.deepcopy(operation["value"])
        elif op == "remove":
            del parent[last]
        else:
            assert last in parent
            parent[last] = copy.deepcopy(operation["value"])
    return document


# Small alphabets, so two documents drawn independently still share much of their shape.
keys = st.sampled_from(["a", "b", "", "a/b", "~", "~1", "~01", "/", "é"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-2, max_value=2),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-2, max_value=2),
    st.sampled_from(["", "x", "y"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)
documents = st.dictionaries(keys, json_values, max_size=5)


@given(json_values, json_values)
def test_patch_turns_any_value_into_any_other(source: Any, target: Any) -> None:
    assert same(apply(source, diff(source, target)), target)


@given(documents, documents)
def test_patch_turns_a_document_into_another(source: Any, target: Any) -> None:
    patch = diff(source, target)
    assert same(apply(source, patch), target)
    assert all(operation["path"] != "" for operation in patch)  # objects are never replaced
    assert (patch == []) == same(source, target)


@given(documents, documents)
def test_reverse_patch_undoes(source: Any, target: Any) -> None:
    forward = apply(source, diff(source, target))
    assert same(apply(forward, diff(target, source)), source)


def test_member_names_are_escaped() -> None:
    assert escape("a/b~c") == "a~1b~0c"
    assert diff({"a/b": 1, "~": 1}, {"a/b": 2}) == [
        {"op": "replace", "path": "/a~1b", "value": 2},
        {"op": "remove", "path": "/~0"},
    ]


def test_nested_changes_and_arrays() -> None:
    source = {"location": {"name": "Kursk", "lat": 51.7}, "topics": ["a", "b"], "ids": [1]}
    target = {"location": {"name": "Kursk Oblast"}, "topics": ["a", "c"], "ids": [1, 2]}
    assert diff(source, target) == [
        {"op": "replace", "path": "/location/name", "value": "Kursk Oblast"},
        {"op": "remove", "path": "/location/lat"},
        {"op": "replace", "path": "/topics/1", "value": "c"},
        {"op": "replace", "path": "/ids", "value": [1, 2]},
    ]


def test_json_types_are_not_python_types() -> None:
    assert diff({"a": 1}, {"a": True}) == [{"op": "replace", "path": "/a", "value": True}]
    assert diff({"a": 1}, {"a": 1.0}) == [{"op": "replace", "path": "/a", "value": 1.0}]
    assert diff({"a": [0]}, {"a": [False]}) == [{"op": "replace", "path": "/a/0", "value": False}]
    assert diff({"a": None}, {}) == [{"op": "remove", "path": "/a"}]
