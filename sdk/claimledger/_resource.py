"""What every versioned resource shares (get, delete, versions, version, diff), written once.

A resource module (`resources/claims.py`…) binds the generated operations of its tag into a
`VersionedOps` and adds the three methods whose keyword arguments are typed per resource:
`create(**fields)`, `list(**filters)` and `update(target, changes, **fields)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import msgspec

from claimledger._generated.models import JsonPatchOperation
from claimledger._operation import AsyncRequester, Operation, SyncRequester
from claimledger.pagination import AsyncPager, ListBody, SyncPager


class Identified(Protocol):
    """What every resource model has: an id."""

    @property
    def id(self) -> str:
        """The resource id."""
        ...


class Versioned(Identified, Protocol):
    """What a versioned resource model has: an id and the version it was read at."""

    @property
    def version(self) -> int:
        """The version number (1 on create, +1 on every change)."""
        ...


M = TypeVar("M", bound=Versioned)
"""The model that create, update, delete and list answer with."""
G = TypeVar("G", bound=Versioned)
"""The model `get` answers with: `M`, or a superset of it (`ExpandedClaim`)."""
V = TypeVar("V")
"""The model of one version (`ClaimVersion`)."""

Moment = datetime.datetime | str


@dataclass(frozen=True)
class VersionedOps(Generic[M, G, V]):
    """The generated operations behind one versioned resource."""

    create: Callable[..., Operation[M]]
    get: Callable[..., Operation[G]]
    list_page: Callable[..., Operation[ListBody[M]]]
    update: Callable[..., Operation[M]]
    delete: Callable[..., Operation[M]]
    list_versions: Callable[..., Operation[ListBody[V]]]
    get_version: Callable[..., Operation[V]]
    diff_version: Callable[..., Operation[list[JsonPatchOperation]]]


class _Operations(Generic[M, G, V]):
    """Build the operations; the sync and async resources only send them."""

    _ops: VersionedOps[M, G, V]

    def _create_op(self, fields: Mapping[str, Any], change_note: str | None) -> Operation[M]:
        return self._ops.create(dict(fields), x_change_note=change_note)

    def _get_op(self, target: Versioned | str, as_of: Moment | None) -> Operation[G]:
        return self._ops.get(resource_id(target), as_of=as_of)

    def _list_op(self, filters: Mapping[str, Any]) -> Operation[ListBody[M]]:
        return self._ops.list_page(**filters)

    def _update_op(
        self,
        target: Versioned | str,
        changes: msgspec.Struct | Mapping[str, Any] | None,
        fields: Mapping[str, Any],
        if_match: int | str | None,
        change_note: str | None,
    ) -> Operation[M]:
        body = patch_body(changes, fields)
        return self._ops.update(
            resource_id(target),
            body,
            if_match=precondition(target, if_match),
            x_change_note=change_note,
        )

    def _delete_op(
        self, target: Versioned | str, if_match: int | str | None, change_note: str | None
    ) -> Operation[M]:
        return self._ops.delete(
            resource_id(target), if_match=precondition(target, if_match), x_change_note=change_note
        )

    def _versions_op(self, target: Versioned | str, limit: int | None) -> Operation[ListBody[V]]:
        return self._ops.list_versions(resource_id(target), limit=limit)

    def _version_op(self, target: Versioned | str, number: int) -> Operation[V]:
        return self._ops.get_version(resource_id(target), number)

    def _diff_op(
        self, target: Versioned | str, number: int, against: int | None
    ) -> Operation[list[JsonPatchOperation]]:
        return self._ops.diff_version(resource_id(target), number, against=against)


class SyncResource(_Operations[M, G, V]):
    """A versioned resource on a `Client`."""

    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def get(self, target: Versioned | str, *, as_of: Moment | None = None) -> G:
        """Return the latest version, or with `as_of` the version current at that time.

        Args:
            target: The id, or a model whose id to read again.
            as_of: A `datetime` or RFC 3339 string (naive times are UTC).

        Raises:
            NotFound: No such resource (or it did not exist yet at `as_of`).
            Gone: The resource was deleted.

        """
        return self._client.request(self._get_op(target, as_of))

    def delete(
        self,
        target: Versioned | str,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
    ) -> M:
        """Delete (tombstone) the resource and return the tombstone version.

        Given a model, the delete applies only if the resource is still at that model's
        version (`If-Match`); given an id, it applies to the latest unless `if_match` is set.
        History stays readable through `versions()`; `get()` answers `Gone` afterwards.

        Raises:
            PreconditionFailed: The resource changed since that version.
            Conflict: Live resources still reference it.

        """
        return self._client.request(self._delete_op(target, if_match, change_note))

    def versions(self, target: Versioned | str, *, limit: int | None = None) -> SyncPager[V]:
        """Iterate over every version of the resource, oldest first (`limit`: page size)."""
        return SyncPager(self._client, self._versions_op(target, limit))

    def version(self, target: Versioned | str, number: int) -> V:
        """Return version `number` of the resource, with who changed it, when and why."""
        return self._client.request(self._version_op(target, number))

    def diff(
        self, target: Versioned | str, number: int, *, against: int | None = None
    ) -> list[JsonPatchOperation]:
        """Return the JSON Patch (RFC 6902) from version `against` to version `number`.

        `against` defaults to the version before `number`; `0` is the empty object.
        """
        return self._client.request(self._diff_op(target, number, against))

    def _create(
        self, fields: Mapping[str, Any], change_note: str | None, idempotency_key: str | None
    ) -> M:
        return self._client.request(
            self._create_op(fields, change_note), idempotency_key=idempotency_key
        )

    def _list(self, filters: Mapping[str, Any]) -> SyncPager[M]:
        return SyncPager(self._client, self._list_op(filters))

    def _update(
        self,
        target: Versioned | str,
        changes: msgspec.Struct | Mapping[str, Any] | None,
        fields: Mapping[str, Any],
        if_match: int | str | None,
        change_note: str | None,
    ) -> M:
        operation = self._update_op(target, changes, fields, if_match, change_note)
        return self._client.request(operation)


class AsyncResource(_Operations[M, G, V]):
    """A versioned resource on an `AsyncClient`."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    async def get(self, target: Versioned | str, *, as_of: Moment | None = None) -> G:
        """Return the latest version, or with `as_of` the version current at that time.

        Args:
            target: The id, or a model whose id to read again.
            as_of: A `datetime` or RFC 3339 string (naive times are UTC).

        Raises:
            NotFound: No such resource (or it did not exist yet at `as_of`).
            Gone: The resource was deleted.

        """
        return await self._client.request(self._get_op(target, as_of))

    async def delete(
        self,
        target: Versioned | str,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
    ) -> M:
        """Delete (tombstone) the resource and return the tombstone version.

        Given a model, the delete applies only if the resource is still at that model's
        version (`If-Match`); given an id, it applies to the latest unless `if_match` is set.

        Raises:
            PreconditionFailed: The resource changed since that version.
            Conflict: Live resources still reference it.

        """
        return await self._client.request(self._delete_op(target, if_match, change_note))

    def versions(self, target: Versioned | str, *, limit: int | None = None) -> AsyncPager[V]:
        """Iterate over every version of the resource, oldest first (`async for`)."""
        return AsyncPager(self._client, self._versions_op(target, limit))

    async def version(self, target: Versioned | str, number: int) -> V:
        """Return version `number` of the resource, with who changed it, when and why."""
        return await self._client.request(self._version_op(target, number))

    async def diff(
        self, target: Versioned | str, number: int, *, against: int | None = None
    ) -> list[JsonPatchOperation]:
        """Return the JSON Patch (RFC 6902) from version `against` to version `number`."""
        return await self._client.request(self._diff_op(target, number, against))

    async def _create(
        self, fields: Mapping[str, Any], change_note: str | None, idempotency_key: str | None
    ) -> M:
        return await self._client.request(
            self._create_op(fields, change_note), idempotency_key=idempotency_key
        )

    def _list(self, filters: Mapping[str, Any]) -> AsyncPager[M]:
        return AsyncPager(self._client, self._list_op(filters))

    async def _update(
        self,
        target: Versioned | str,
        changes: msgspec.Struct | Mapping[str, Any] | None,
        fields: Mapping[str, Any],
        if_match: int | str | None,
        change_note: str | None,
    ) -> M:
        operation = self._update_op(target, changes, fields, if_match, change_note)
        return await self._client.request(operation)


def resource_id(target: Identified | str) -> str:
    """Return the id of a model, or the id itself."""
    return target if isinstance(target, str) else target.id


def patch_body(
    changes: msgspec.Struct | Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Return a merge-patch body: a model's set members, or a mapping, then `fields`.

    UNSET members of a model are left out.
    """
    body: dict[str, Any] = {}
    if isinstance(changes, msgspec.Struct):
        body.update(msgspec.to_builtins(changes))
    elif changes is not None:
        body.update(changes)
    body.update(fields)
    return body


def precondition(target: Versioned | str, if_match: int | str | None) -> str | None:
    """Return the `If-Match` value: explicit, else the version of a model we were given."""
    if if_match is None:
        return None if isinstance(target, str) else f'"{target.version}"'
    if isinstance(if_match, int) or if_match.isdigit():
        return f'"{if_match}"'
    return if_match


def comma_separated(values: str | Sequence[str] | None) -> str | None:
    """Join several values into the comma-separated form some parameters take."""
    if values is None or isinstance(values, str):
        return values
    return ",".join(values)


__all__ = [
    "AsyncResource",
    "Identified",
    "SyncResource",
    "Versioned",
    "VersionedOps",
    "comma_separated",
    "resource_id",
]
