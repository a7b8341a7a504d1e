"""Has the dataset changed since an answer was read? The changes-feed watermark that the
per-process caches (claim searches, figure summaries and timelines) compare before use.

Every API write of a resource (create, update, delete, import; in any process) adds an
event in the transaction that writes it. Events get their public position after commit,
from the sequencer, in increasing order; until then they are unpositioned. So for a set of
resource kinds, (the greatest position of their events, the number of their events still
unpositioned) changes with every committed write of one of them: a later commit either has
a higher position or is still waiting for one, and sequencing raises the first part. Equal
watermarks read at two times mean no such write in between. A change made directly in the
database, not through the API, leaves no event: caches bound the age of what they keep."""

from typing import Any, NamedTuple

from claimledger_server.versioning.documents import Action

_ACTIONS: tuple[Action, ...] = ("created", "updated", "deleted")


class Watermark(NamedTuple):
    position: int
    unpositioned: int


def watermark_sql(kinds: tuple[str, ...]) -> str:
    """A one-row statement with the watermark of `kinds` (resource kind names), in columns
    `position` and `unpositioned`; one index probe per event type and one for the events
    waiting for a position."""
    maxima = ", ".join(
        f"(SELECT max(position) FROM events WHERE type = '{kind}.{action}')"
        for kind in kinds
        for action in _ACTIONS
    )
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return f"""
        SELECT coalesce(greatest({maxima}), 0) AS position,
               (SELECT count(*) FROM events
                 WHERE position IS NULL AND resource IN ({listed})) AS unpositioned
    """


def watermark_of(row: Any) -> Watermark:
    """The watermark in a row of `watermark_sql` (or of a statement selecting its columns)."""
    return Watermark(row["position"], row["unpositioned"])
