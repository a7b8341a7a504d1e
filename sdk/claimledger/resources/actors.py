"""`client.actors`: people, states, government bodies, armed forces, media outlets.

The generated classes (`claimledger._generated.resources.actors`) type every operation; this
adds the one filter OpenAPI cannot declare: `external_ids.<scheme>=<value>`, a family of
query parameter names, taken here as a mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Unpack

from claimledger._generated.models import Actor, ActorList
from claimledger._generated.operations import actors as ops
from claimledger._generated.operations.actors import ListActorsQuery
from claimledger._generated.resources import actors as generated
from claimledger._generated.resources.actors import OPS
from claimledger._operation import Operation
from claimledger.pagination import AsyncPager, SyncPager


def _list(external_ids: Mapping[str, str] | None, filters: ListActorsQuery) -> Operation[ActorList]:
    operation = ops.list_actors(**filters)
    if not external_ids:
        return operation
    return operation.with_query(
        **{f"external_ids.{scheme}": value for scheme, value in external_ids.items()}
    )


class Actors(generated.Actors):
    """Actors (`/v1/actors`): anyone who claims, relays, or is counted."""

    def list(
        self,
        *,
        external_ids: Mapping[str, str] | None = None,
        **filters: Unpack[ListActorsQuery],
    ) -> SyncPager[Actor]:
        """Iterate over actors, fetching pages as needed.

        Filters: `kind`, `country`, `parent_id`, `anonymous`, `q`, `external_id`,
        `updated_since`, `include_deleted`, `as_of`, and `external_ids`, a mapping of
        scheme to value that every actor listed must have, e.g.
        `client.actors.list(external_ids={"wikidata": "Q423"})`.
        """
        return SyncPager(self._client, _list(external_ids, filters))


class AsyncActors(generated.AsyncActors):
    """Actors (`/v1/actors`) on an `AsyncClient`."""

    def list(
        self,
        *,
        external_ids: Mapping[str, str] | None = None,
        **filters: Unpack[ListActorsQuery],
    ) -> AsyncPager[Actor]:
        """Iterate (`async for`) over actors; see `Actors.list`."""
        return AsyncPager(self._client, _list(external_ids, filters))


__all__ = ["OPS", "Actors", "AsyncActors"]
