"""`client.events`: the changes feed, every revision as an event in commit order."""

from __future__ import annotations

from typing import Unpack

from claimledger._generated.models import Event
from claimledger._generated.operations import events as ops
from claimledger._generated.operations.events import ListEventsQuery
from claimledger._operation import AsyncRequester, SyncRequester
from claimledger.pagination import AsyncPager, SyncPager


class Events:
    """Events (`/v1/events`): `claim.created`, `figure.updated`, `actor.deleted` and so on.

    A reader that has handled `seq` N resumes with `list(after=N)` and misses nothing;
    `list(after=0)` replays the whole dataset. `claimledger.mirror.Mirror` does exactly that
    to keep a local copy of the dataset.
    """

    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def list(self, **filters: Unpack[ListEventsQuery]) -> SyncPager[Event]:
        """Iterate over events in `seq` order, fetching pages as needed.

        Filters: `after` (only events with a greater `seq`), `types` (comma-separated types
        or globs, e.g. `"claim.*,figure.deleted"`); `limit` is the page size.
        """
        return SyncPager(self._client, ops.list_events(**filters))

    def get(self, event_id: str) -> Event:
        """Return one event by its id."""
        return self._client.request(ops.get_event(event_id))


class AsyncEvents:
    """Events (`/v1/events`) on an `AsyncClient`; see `Events`."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    def list(self, **filters: Unpack[ListEventsQuery]) -> AsyncPager[Event]:
        """Iterate (`async for`) over events in `seq` order; see `Events.list`."""
        return AsyncPager(self._client, ops.list_events(**filters))

    async def get(self, event_id: str) -> Event:
        """Return one event by its id."""
        return await self._client.request(ops.get_event(event_id))
