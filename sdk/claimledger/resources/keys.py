"""`client.keys`: API keys for third-party apps and partners (admin scope).

    made = client.keys.create(name="Example Institute mirror", scopes=["read"])
    hand_over(made.secret)                          # shown now, never again
    key = client.keys.update(made, rate_limit_per_minute=600)
    client.keys.revoke(key)

Given a model, `update` and `revoke` apply only if the key is still at its version
(`If-Match`), as everywhere in the SDK; pass the id to skip that check. Keys are not
versioned resources (no history, no `as_of`), so this is written by hand on the generated
operations (`claimledger._generated.operations.keys`). Changes reach every API process
within the server's key cache window (10 s by default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias, Unpack, cast

from claimledger._generated.models import (
    ApiKey,
    ApiKeyCreateParam,
    ApiKeyUpdate,
    ApiKeyUpdateParam,
    ApiKeyWithSecret,
    Scopes,
)
from claimledger._generated.operations import keys as ops
from claimledger._generated.operations.keys import ListKeysQuery
from claimledger._operation import AsyncRequester, Operation, SyncRequester
from claimledger._resource import patch_body, precondition, resource_id
from claimledger.pagination import AsyncPager, SyncPager

Key: TypeAlias = ApiKey | ApiKeyWithSecret | str
"""A key model, or its id."""


def _create_op(
    name: str, scopes: Sequence[Scopes], rate_limit_per_minute: int | None
) -> Operation[ApiKeyWithSecret]:
    body: ApiKeyCreateParam = {"name": name, "scopes": scopes}
    if rate_limit_per_minute is not None:
        body["rate_limit_per_minute"] = rate_limit_per_minute
    return ops.create_key(body)


def _update_op(
    key: Key,
    changes: ApiKeyUpdate | ApiKeyUpdateParam | Mapping[str, Any] | None,
    fields: Mapping[str, Any],
    if_match: int | str | None,
) -> Operation[ApiKey]:
    body = patch_body(changes, fields)
    return ops.update_key(
        resource_id(key), cast(ApiKeyUpdateParam, body), if_match=precondition(key, if_match)
    )


class Keys:
    """API keys (`/v1/keys`): create, list, change and revoke them over HTTP."""

    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def create(
        self,
        *,
        name: str,
        scopes: Sequence[Scopes],
        rate_limit_per_minute: int | None = None,
        idempotency_key: str | None = None,
    ) -> ApiKeyWithSecret:
        """Create a key; its `secret` is in this answer only.

        Args:
            name: Who or what it is for; admins see it, the changes feed does not.
            scopes: `read`, `write`, `admin` (each includes the ones before it).
            rate_limit_per_minute: Its own budget; the server's default when not given.
            idempotency_key: Sent as `Idempotency-Key`; one is generated when not given.

        Raises:
            Conflict: `secret-not-replayed`: a retry of a create that had succeeded (the
                secret is never sent twice); the problem names the key, revoke it and create
                another.
            UnprocessableEntity: A field breaks a rule; `errors[]` names it.
        """
        operation = _create_op(name, scopes, rate_limit_per_minute)
        return self._client.request(operation, idempotency_key=idempotency_key)

    def get(self, key: Key) -> ApiKey:
        """Return a key (never its secret)."""
        return self._client.request(ops.get_key(resource_id(key)))

    def list(self, **filters: Unpack[ListKeysQuery]) -> SyncPager[ApiKey]:
        """Iterate over keys in creation order (`revoked=False`: only those that work)."""
        return SyncPager(self._client, ops.list_keys(**filters))

    def update(
        self,
        key: Key,
        changes: ApiKeyUpdate | ApiKeyUpdateParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        **fields: Unpack[ApiKeyUpdateParam],
    ) -> ApiKey:
        """Change `name`, `scopes` or `rate_limit_per_minute` (None: the server's default).

        Given an `ApiKey`, the change applies only if the key is still at that version.

        Raises:
            Conflict: The key is revoked, or it is the last admin key and would lose `admin`.
            PreconditionFailed: The key changed since that version.
        """
        return self._client.request(_update_op(key, changes, fields, if_match))

    def revoke(
        self,
        key: Key,
        *,
        if_match: int | str | None = None,
        idempotency_key: str | None = None,
    ) -> ApiKey:
        """Revoke a key for good (revoking it again changes nothing).

        Raises:
            Conflict: It is the last active admin key.
            PreconditionFailed: Given an `ApiKey`, the key changed since that version.
        """
        operation = ops.revoke_key(resource_id(key), if_match=precondition(key, if_match))
        return self._client.request(operation, idempotency_key=idempotency_key)


class AsyncKeys:
    """API keys (`/v1/keys`) on an `AsyncClient`; see `Keys`."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    async def create(
        self,
        *,
        name: str,
        scopes: Sequence[Scopes],
        rate_limit_per_minute: int | None = None,
        idempotency_key: str | None = None,
    ) -> ApiKeyWithSecret:
        """Create a key; its `secret` is in this answer only (see `Keys.create`)."""
        operation = _create_op(name, scopes, rate_limit_per_minute)
        return await self._client.request(operation, idempotency_key=idempotency_key)

    async def get(self, key: Key) -> ApiKey:
        """Return a key (never its secret)."""
        return await self._client.request(ops.get_key(resource_id(key)))

    def list(self, **filters: Unpack[ListKeysQuery]) -> AsyncPager[ApiKey]:
        """Iterate (`async for`) over keys in creation order."""
        return AsyncPager(self._client, ops.list_keys(**filters))

    async def update(
        self,
        key: Key,
        changes: ApiKeyUpdate | ApiKeyUpdateParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        **fields: Unpack[ApiKeyUpdateParam],
    ) -> ApiKey:
        """Change `name`, `scopes` or `rate_limit_per_minute` (see `Keys.update`)."""
        return await self._client.request(_update_op(key, changes, fields, if_match))

    async def revoke(
        self,
        key: Key,
        *,
        if_match: int | str | None = None,
        idempotency_key: str | None = None,
    ) -> ApiKey:
        """Revoke a key for good (see `Keys.revoke`)."""
        operation = ops.revoke_key(resource_id(key), if_match=precondition(key, if_match))
        return await self._client.request(operation, idempotency_key=idempotency_key)


__all__ = ["AsyncKeys", "Key", "Keys"]
