"""Ranked full-text results kept in memory: which claims match a search, best first.

A ranking keeps the relevance and id of each match (a few hundred bytes per match) and the
bodies of the first pages answered from it. Both hold for one watermark of the changes
feed; the search checks it before every use, so a kept body is never stale."""

import bisect
import sys
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import NamedTuple

from claimledger_server.versioning.documents import encode_cursor

MAX_PAGES = 8
"""Page bodies kept per ranking: people read the first pages of a search, rarely the rest."""


class Watermark(NamedTuple):
    """Where the changes feed stood for claims when a ranking was read. Positions are handed
    out after commit in increasing order, so any claim change committed later either has a
    higher position or is still waiting for one: comparing both parts tells whether any
    claim changed since."""

    claims_position: int
    unpositioned_claim_events: int


class Ranking:
    """Every match of one search, best first (ties in id order), as of `watermark`."""

    __slots__ = ("ids", "nbytes", "pages", "ranks", "read_at", "watermark")

    def __init__(
        self, matches: Iterable[tuple[str, float]], watermark: Watermark, read_at: float
    ) -> None:
        ordered = sorted(matches, key=lambda match: (-match[1], match[0]))
        self.ids = tuple(match_id for match_id, _ in ordered)
        self.ranks = array("d", (rank for _, rank in ordered))
        self.watermark = watermark
        self.read_at = read_at
        self.pages: dict[Hashable, bytes] = {}
        """Response bodies of pages read at `watermark`: valid exactly as long as it is."""
        self.nbytes = (
            sys.getsizeof(self.ids)
            + sum(sys.getsizeof(match_id) for match_id in self.ids)
            + sys.getsizeof(self.ranks)
        )

    def __len__(self) -> int:
        return len(self.ids)

    def page(self, after: tuple[float, str] | None, limit: int) -> tuple[list[str], str | None]:
        """The ids of the page after the cursor position `after` (rank, id of the last match
        sent), and the cursor of the next page. A position, not an offset: a cursor stays
        valid when the ranking is read again after a change, exactly like a keyset query."""
        start = 0
        if after is not None:
            after_rank, after_id = after
            start = bisect.bisect_right(
                range(len(self.ids)),
                (-after_rank, after_id),
                key=lambda i: (-self.ranks[i], self.ids[i]),
            )
        end = min(start + limit, len(self.ids))
        next_cursor = None
        if end < len(self.ids):
            next_cursor = encode_cursor((self.ranks[end - 1], self.ids[end - 1]))
        return list(self.ids[start:end]), next_cursor


class RankingCache:
    """Least recently used rankings, bounded in entries, in bytes and in age. The age bound
    only matters for changes made to the database outside the API (which leave no event);
    API changes are caught by the watermark check on every use."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self.clock = clock
        self.nbytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Ranking] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Ranking | None:
        ranking = self._entries.get(key)
        if ranking is not None and self.clock() - ranking.read_at > self.max_age_seconds:
            self._remove(key)
            ranking = None
        if ranking is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return ranking

    def put(self, key: Hashable, ranking: Ranking) -> None:
        if key in self._entries:
            self._remove(key)
        if ranking.nbytes > self.max_bytes:
            return  # would evict everything else and still not fit
        self._entries[key] = ranking
        self.nbytes += ranking.nbytes
        self._evict()

    def _evict(self) -> None:
        while len(self._entries) > self.max_entries or self.nbytes > self.max_bytes:
            self._remove(next(iter(self._entries)))

    def keep_page(self, key: Hashable, ranking: Ranking, page: Hashable, body: bytes) -> None:
        """Keep a page's body with its ranking (the first `MAX_PAGES` pages asked for), in
        the same byte budget."""
        if self._entries.get(key) is not ranking or len(ranking.pages) >= MAX_PAGES:
            return
        ranking.pages[page] = body
        size = sys.getsizeof(body)
        ranking.nbytes += size
        self.nbytes += size
        self._evict()

    def clear(self) -> None:
        self._entries.clear()
        self.nbytes = 0

    def _remove(self, key: Hashable) -> None:
        self.nbytes -= self._entries.pop(key).nbytes
