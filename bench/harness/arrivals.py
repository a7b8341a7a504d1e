"""The shape of a webhook backlog's drain, from the receiver's arrival times: deliveries per
second, and the stalls between them. A worker that sends a batch and then waits - for a slow
claim or recording, or for the poll fallback - delivers in bursts of about a claim's worth
(64-128) with gaps between them, whatever the average rate; a healthy drain has no gap
near `STALL_SECONDS` (at 1,000 deliveries/s the mean gap is 1 ms). Standard library only."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

STALL_SECONDS = 0.2
"""A gap between two consecutive arrivals at least this long is a stall."""
MAX_STALLED_SHARE = 0.25
"""A drain that spends this share of its time in stalls or more is batch-and-wait."""


@dataclass(frozen=True)
class DrainShape:
    per_second: list[int]
    """Arrivals in each second from the first one."""
    stalls: int
    longest_stall_s: float
    stalled_share: float
    """Share of the drain (first to last arrival) spent in stalls."""
    median_burst: int
    """Median number of arrivals between two stalls (all of them when there is none)."""

    @property
    def batch_and_wait(self) -> bool:
        return self.stalled_share >= MAX_STALLED_SHARE

    def describe(self) -> str:
        if not self.stalls:
            return f"no stall ≥ {STALL_SECONDS:g} s"
        stalls = "1 stall" if self.stalls == 1 else f"{self.stalls} stalls"
        return (
            f"{stalls} ≥ {STALL_SECONDS:g} s (longest {self.longest_stall_s:.2f} s),"
            f" {self.stalled_share:.0%} of the drain; bursts of {self.median_burst} (median)"
        )

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "batch_and_wait": self.batch_and_wait}


def per_second_text(per_second: Sequence[int], limit: int = 12) -> str:
    """The histogram for a table cell: its first `limit` seconds, then how long it is."""
    shown = " ".join(f"{n:,}" for n in per_second[:limit])
    return shown if len(per_second) <= limit else f"{shown} … ({len(per_second)} s)"


def drain_shape(arrivals: Sequence[float]) -> DrainShape:
    """The shape of a drain from its arrival times (seconds, any order)."""
    times = sorted(arrivals)
    if not times:
        return DrainShape([], 0, 0.0, 0.0, 0)
    per_second = [0] * (int(times[-1] - times[0]) + 1)
    for t in times:
        per_second[int(t - times[0])] += 1
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    stalls = [gap for gap in gaps if gap >= STALL_SECONDS]
    bursts, size = [], 1
    for gap in gaps:
        if gap >= STALL_SECONDS:
            bursts.append(size)
            size = 0
        size += 1
    bursts.append(size)
    duration = times[-1] - times[0]
    return DrainShape(
        per_second=per_second,
        stalls=len(stalls),
        longest_stall_s=round(max(stalls, default=0.0), 3),
        stalled_share=round(sum(stalls) / duration, 3) if duration else 0.0,
        median_burst=int(statistics.median(bursts)),
    )
