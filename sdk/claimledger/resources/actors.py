"""`client.actors`: people, states, government bodies, armed forces, media outlets."""

from __future__ import annotations

from typing import Unpack

from claimledger._generated.models import (
    Actor,
    ActorFieldsParam,
    ActorPatch,
    ActorPatchParam,
    ActorVersion,
)
from claimledger._generated.operations import actors as ops
from claimledger._generated.operations.actors import ListActorsQuery
from claimledger._resource import AsyncResource, SyncResource, VersionedOps
from claimledger.pagination import AsyncPager, SyncPager

OPS: VersionedOps[Actor, Actor, ActorVersion] = VersionedOps(
    create=ops.create_actor,
    get=ops.get_actor,
    list_page=ops.list_actors,
    update=ops.update_actor,
    delete=ops.delete_actor,
    list_versions=ops.list_actor_versions,
    get_version=ops.get_actor_version,
    diff_version=ops.diff_actor_version,
)


class Actors(SyncResource[Actor, Actor, ActorVersion]):
    """Actors (`/v1/actors`): who actors, who relays, who is counted."""

    _ops = OPS

    def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[ActorFieldsParam],
    ) -> Actor:
        """Create a actor (version 1); `name` is required.

        Args:
            change_note: Why; stored on the revision (`X-Change-Note`).
            idempotency_key: Sent as `Idempotency-Key`; one is generated when not given.
            **fields: The actor's fields (see `ActorFieldsParam`).

        Raises:
            UnprocessableEntity: A field breaks a rule, or a reference names no live resource.
            Conflict: The `external_id` is taken.

        """
        return self._create(fields, change_note, idempotency_key)

    def list(self, **filters: Unpack[ListActorsQuery]) -> SyncPager[Actor]:
        """Iterate over actors, oldest first, fetching pages as needed.

        Filters: `kind`, `country`, `q` (full text over name and aliases), `external_id`,
        `updated_since`, `include_deleted`; `limit` is the page size and `cursor` resumes
        from a page.
        """
        return self._list(filters)

    def update(
        self,
        actor: Actor | str,
        changes: ActorPatch | ActorPatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[ActorPatchParam],
    ) -> Actor:
        """Change a actor (JSON merge patch: given members replace, `None` clears).

        Given a `Actor`, the change applies only if the actor is still at that version
        (`If-Match`), else `PreconditionFailed`; given an id, to the latest version unless
        `if_match` names one. Changes come as a dict or `ActorPatch`, and/or as keywords.
        """
        return self._update(actor, changes, fields, if_match, change_note)


class AsyncActors(AsyncResource[Actor, Actor, ActorVersion]):
    """Actors (`/v1/actors`) on an `AsyncClient`."""

    _ops = OPS

    async def create(
        self,
        *,
        change_note: str | None = None,
        idempotency_key: str | None = None,
        **fields: Unpack[ActorFieldsParam],
    ) -> Actor:
        """Create a actor (version 1); `name` is required.

        See `Actors.create`.
        """
        return await self._create(fields, change_note, idempotency_key)

    def list(self, **filters: Unpack[ListActorsQuery]) -> AsyncPager[Actor]:
        """Iterate (`async for`) over actors, oldest first; see `Actors.list`."""
        return self._list(filters)

    async def update(
        self,
        actor: Actor | str,
        changes: ActorPatch | ActorPatchParam | None = None,
        /,
        *,
        if_match: int | str | None = None,
        change_note: str | None = None,
        **fields: Unpack[ActorPatchParam],
    ) -> Actor:
        """Change a actor (JSON merge patch); see `Actors.update`."""
        return await self._update(actor, changes, fields, if_match, change_note)
