"""Ranked full-text results kept in memory: which claims match a search, best first.

A ranking keeps the relevance and id of the best matches (about 100 bytes each; every
match is ranked, the first `KEPT_MATCHES` are kept) and the bodies of the first pages
answered from it. Both hold for one watermark of the changes feed; the search checks it
before every use, so a kept body is never stale."""

import bisect
import sys
from array import array
from collections.abc import Hashable, Iterable

from claimledger_server.changes import Watermark
from claimledger_server.lru import SegmentedLru
from claimledger_server.pagination import encode_cursor

MAX_PAGES = 8
"""Page bodies kept per ranking: people read the first pages of a search, rarely the rest."""
KEPT_MATCHES = 2000
"""The best matches a ranking keeps (40 pages of 50): a common word matches hundreds of
thousands of claims, which would take tens of megabytes; pages past these are ranked again
by the database."""


class Ranking:
    """The best matches of one search, best first (ties in id order), as of `watermark`:
    every match when `complete`, else the first of them."""

    __slots__ = ("complete", "ids", "nbytes", "pages", "ranks", "read_at", "watermark")

    def __init__(
        self,
        matches: Iterable[tuple[str, float]],
        watermark: Watermark,
        read_at: float,
        complete: bool = True,
    ) -> None:
        ordered = sorted(matches, key=lambda match: (-match[1], match[0]))
        self.complete = complete
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

    def page(
        self, after: tuple[float, str] | None, limit: int
    ) -> tuple[list[str], str | None] | None:
        """The ids of the page after the cursor position `after` (rank, id of the last match
        sent), and the cursor of the next page; None when the page reaches past the matches
        kept (the database ranks that page). A position, not an offset: a cursor stays
        valid when the ranking is read again after a change, exactly like a keyset query."""
        start = 0
        if after is not None:
            after_rank, after_id = after
            start = bisect.bisect_right(
                range(len(self.ids)),
                (-after_rank, after_id),
                key=lambda i: (-self.ranks[i], self.ids[i]),
            )
        if not self.complete and start + limit >= len(self.ids):
            return None
        end = min(start + limit, len(self.ids))
        next_cursor = None
        if end < len(self.ids):
            next_cursor = encode_cursor((self.ranks[end - 1], self.ids[end - 1]))
        return list(self.ids[start:end]), next_cursor


class RankingCache(SegmentedLru[Ranking]):
    """The rankings of recent searches, with the bodies of their first pages."""

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
