"""The changes feed: one event per revision, in commit order."""

from datetime import datetime
from typing import Any

import msgspec


class Event(msgspec.Struct):
    id: str
    seq: int
    """Position in the feed: gap-free, in commit order; resume with `after=<seq>`."""
    type: str
    """`<resource>.<action>`, e.g. `claim.created`, `figure.updated`, `actor.deleted`."""
    occurred_at: datetime
    resource: str
    resource_id: str
    version: int
    data: dict[str, Any]
    """The resource as of this version (for `*.deleted`, its tombstone)."""


class EventList(msgspec.Struct):
    data: list[Event]
    next_cursor: str | None
    """Set when this page is full; tail the feed with `after=` the last `seq` you saw."""
