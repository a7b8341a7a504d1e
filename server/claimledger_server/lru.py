"""The bounded in-memory store of the per-process caches (claim searches, figure answers)."""

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, Protocol, TypeVar


class Kept(Protocol):
    @property
    def nbytes(self) -> int: ...

    @property
    def read_at(self) -> float: ...


Entry = TypeVar("Entry", bound=Kept)


class SegmentedLru(Generic[Entry]):
    """Entries bounded in number, in bytes and in age, evicted by a segmented LRU: a new
    entry starts on probation and is protected once it is used again. A stream of
    questions asked once (someone paging through ideas, a crawler) then only evicts each
    other, not the ones people repeat; with one plain LRU it flushed those, and every
    one of them cost a full reading again at once. The age bound only matters for changes
    made to the database outside the API (which leave no event); API changes are caught
    by the watermark check on every use (`changes.py`)."""

    PROTECTED_SHARE = 0.8
    """Of the entries and bytes, what entries used again may hold."""

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
        self._probation: OrderedDict[Hashable, Entry] = OrderedDict()
        self._protected: OrderedDict[Hashable, Entry] = OrderedDict()
        self._protected_bytes = 0

    def __len__(self) -> int:
        return len(self._probation) + len(self._protected)

    def items(self) -> list[tuple[Hashable, Entry]]:
        return [*self._probation.items(), *self._protected.items()]

    def get(self, key: Hashable) -> Entry | None:
        entry = self._held(key)
        if entry is not None and self.clock() - entry.read_at > self.max_age_seconds:
            self._remove(key)
            entry = None
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        if key in self._protected:
            self._protected.move_to_end(key)
            return entry
        del self._probation[key]  # used again: protect it
        self._protected[key] = entry
        self._protected_bytes += entry.nbytes
        while len(self._protected) > 1 and (
            len(self._protected) > self.max_entries * self.PROTECTED_SHARE
            or self._protected_bytes > self.max_bytes * self.PROTECTED_SHARE
        ):
            demoted, last = self._protected.popitem(last=False)
            self._protected_bytes -= last.nbytes
            self._probation[demoted] = last
        return entry

    def put(self, key: Hashable, entry: Entry) -> None:
        """An entry read again after a change keeps its place; a new one is on probation."""
        protected = key in self._protected
        if protected or key in self._probation:
            self._remove(key)
        if entry.nbytes > self.max_bytes:
            return  # would evict everything else and still not fit
        if protected:
            self._protected[key] = entry
            self._protected_bytes += entry.nbytes
        else:
            self._probation[key] = entry
        self.nbytes += entry.nbytes
        self._evict()

    def _held(self, key: Hashable) -> Entry | None:
        # Not `or`: an entry may be falsy (a entry without matches) and must still be found.
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
            entry = self._protected.pop(key)
            self._protected_bytes -= entry.nbytes
        else:
            entry = self._probation.pop(key)
        self.nbytes -= entry.nbytes
