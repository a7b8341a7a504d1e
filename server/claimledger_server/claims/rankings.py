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
    """Rankings bounded in entries, in bytes and in age, evicted by a segmented LRU: a new
    ranking starts on probation and is protected once it is used again. A stream of
    searches asked once (someone paging through ideas, a crawler) then only evicts each
    other, not the searches people repeat; with one plain LRU it flushed those, and every
    one of them cost a full ranking again at once. The age bound only matters for changes
    made to the database outside the API (which leave no event); API changes are caught
    by the watermark check on every use."""

    PROTECTED_SHARE = 0.8
    """Of the entries and bytes, what repeated searches may hold."""

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
        self._probation: OrderedDict[Hashable, Ranking] = OrderedDict()
        self._protected: OrderedDict[Hashable, Ranking] = OrderedDict()
        self._protected_bytes = 0

    def __len__(self) -> int:
        return len(self._probation) + len(self._protected)

    def items(self) -> list[tuple[Hashable, Ranking]]:
        return [*self._probation.items(), *self._protected.items()]

    def get(self, key: Hashable) -> Ranking | None:
        ranking = self._held(key)
        if ranking is not None and self.clock() - ranking.read_at > self.max_age_seconds:
            self._remove(key)
            ranking = None
        if ranking is None:
            self.misses += 1
            return None
        self.hits += 1
        if key in self._protected:
            self._protected.move_to_end(key)
            return ranking
        del self._probation[key]  # used again: protect it
        self._protected[key] = ranking
        self._protected_bytes += ranking.nbytes
        while len(self._protected) > 1 and (
            len(self._protected) > self.max_entries * self.PROTECTED_SHARE
            or self._protected_bytes > self.max_bytes * self.PROTECTED_SHARE
        ):
            demoted, last = self._protected.popitem(last=False)
            self._protected_bytes -= last.nbytes
            self._probation[demoted] = last
        return ranking

    def put(self, key: Hashable, ranking: Ranking) -> None:
        """A ranking read again after a change keeps its place; a new one is on probation."""
        protected = key in self._protected
        if protected or key in self._probation:
            self._remove(key)
        if ranking.nbytes > self.max_bytes:
            return  # would evict everything else and still not fit
        if protected:
            self._protected[key] = ranking
            self._protected_bytes += ranking.nbytes
        else:
            self._probation[key] = ranking
        self.nbytes += ranking.nbytes
        self._evict()

    def keep_page(self, key: Hashable, ranking: Ranking, page: Hashable, body: bytes) -> None:
        """Keep a page's body with its ranking (the first `MAX_PAGES` pages asked for), in
        the same byte budget."""
        if self._held(key) is not ranking or len(ranking.pages) >= MAX_PAGES:
            return
        ranking.pages[page] = body
        size = sys.getsizeof(body)
        ranking.nbytes += size
        self.nbytes += size
        if key in self._protected:
            self._protected_bytes += size
        self._evict()

    def _held(self, key: Hashable) -> Ranking | None:
        # Not `or`: a ranking without matches is falsy (len 0) and must still be found.
        found = self._protected.get(key)
        return found if found is not None else self._probation.get(key)

    def clear(self) -> None:
        self._probation.clear()
        self._protected.clear()
        self.nbytes = self._protected_bytes = 0

    def _evict(self) -> None:
        while len(self) > self.max_entries or self.nbytes > self.max_bytes:
            segment = self._probation or self._protected
            self._remove(next(iter(segment)))

    def _remove(self, key: Hashable) -> None:
        if key in self._protected:
            ranking = self._protected.pop(key)
            self._protected_bytes -= ranking.nbytes
        else:
            ranking = self._probation.pop(key)
        self.nbytes -= ranking.nbytes
