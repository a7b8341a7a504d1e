"""The public shapes the core derives from a kind's writable fields, and the small pieces
of versioned request handling every kind shares: merge-patch, preconditions, ETags."""

from datetime import datetime
from typing import Annotated, Any, Literal, NamedTuple, TypeVar, get_args, get_origin

import msgspec
from msgspec import UNSET, UnsetType, defstruct
from msgspec.structs import FieldInfo, fields

from claimledger_server.bodies import MergePatch
from claimledger_server.errors import ApiError, FieldError

T = TypeVar("T")
Action = Literal["created", "updated", "deleted"]

_META_FIELDS: list[tuple[str, Any]] = [
    ("id", str),
    ("version", int),
    ("created_at", datetime),
    ("updated_at", datetime),
    ("deleted", bool),
]


class Document(NamedTuple):
    """A stored JSON document, ready to be sent as is."""

    version: int
    body: bytes


class Schemas(NamedTuple):
    """The msgspec Structs (and so the OpenAPI components) of one resource kind."""

    resource: type[msgspec.Struct]
    patch: type[msgspec.Struct]
    revision: type[msgspec.Struct]
    page: type[msgspec.Struct]
    revision_page: type[msgspec.Struct]


def _members_removable(annotation: Any) -> Any:
    """In a merge-patch, `null` inside a map removes that member ({"external_ids":
    {"wikidata": null}}), so a map's values may be null in a patch body."""
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        return Annotated[(_members_removable(inner), *metadata)]
    if get_origin(annotation) is dict:
        key, value = get_args(annotation)
        return dict[key, value | None]  # type: ignore[valid-type]
    return annotation


def _optional_in_patch(info: FieldInfo) -> tuple[str, Any, Any]:
    # Required fields may be replaced but not cleared; the others may be cleared with null.
    annotation = _members_removable(info.type)
    annotation = annotation if info.required else annotation | None
    return (info.encode_name, annotation | UnsetType, UNSET)


def derive_schemas(
    name: str, writable: type[msgspec.Struct], derived: list[tuple[str, Any]]
) -> Schemas:
    """Build `<Name>`, `<Name>Patch`, `<Name>Version` and the list envelopes from the
    writable fields, so each kind declares its fields exactly once."""
    module = writable.__module__
    fields_of = [(f.encode_name, f.type) for f in fields(writable)]
    resource = defstruct(name, [*_META_FIELDS, *fields_of, *derived], module=module)
    patch = defstruct(
        f"{name}Patch",
        [_optional_in_patch(f) for f in fields(writable)],
        bases=(MergePatch,),
        module=module,
    )
    revision = defstruct(
        f"{name}Version",
        [
            ("version", int),
            ("action", Action),
            ("recorded_at", datetime),
            ("api_key_id", str | None),
            ("change_note", str | None),
            ("data", resource),
        ],
        module=module,
    )
    page = defstruct(
        f"{name}List",
        [("data", list[resource]), ("next_cursor", str | None)],  # type: ignore[valid-type]
        module=module,
    )
    revision_page = defstruct(
        f"{name}VersionList",
        [("data", list[revision]), ("next_cursor", str | None)],  # type: ignore[valid-type]
        module=module,
    )
    return Schemas(resource, patch, revision, page, revision_page)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge recursively, null removes a member."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def clear_companions(patch: Any, cleared_with: dict[str, str]) -> Any:
    """`patch` with each companion of a field it clears (sets to null) cleared as well,
    unless the patch names the companion itself: `{"period": {"start": null}}` also
    removes `period.start_precision`."""
    if not cleared_with or not isinstance(patch, dict):
        return patch
    patch = _copy_dicts(patch)
    for path, companion in cleared_with.items():
        *parents, name = path.split(".")
        *companion_parents, companion_name = companion.split(".")
        holder = patch
        for step in parents:
            holder = holder.get(step) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and name in holder and holder[name] is None:
            target = patch
            for step in companion_parents:
                target = target.get(step) if isinstance(target, dict) else None
            if isinstance(target, dict):
                target.setdefault(companion_name, None)
    return patch


def _copy_dicts(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy_dicts(item) for key, item in value.items()}
    return value


def parse_if_match(value: str | None) -> int | None:
    """`If-Match: "3"` → 3. `*` means "any current version", i.e. no check beyond existence."""
    if value is None or value.strip() == "*":
        return None
    tag = value.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    if not tag.isdigit() or len(tag) > 9:
        raise ApiError(
            400,
            "bad-request",
            'If-Match must be an entity tag as sent in ETag, e.g. "3".',
            errors=[FieldError("If-Match", "expected a quoted version number")],
        )
    return int(tag)


def none_match(if_none_match: str | None, version: int) -> bool:
    """Whether If-None-Match names `version`: `*` names any current version, and the
    comparison is weak (RFC 9110 §13.1.2), so `W/"3"` names version 3 as `"3"` does."""
    if if_none_match is None:
        return False
    current = etag(version)
    return any(
        tag == "*" or tag.removeprefix("W/") == current
        for tag in (part.strip() for part in if_none_match.split(","))
    )


def etag(version: int) -> str:
    return f'"{version}"'
