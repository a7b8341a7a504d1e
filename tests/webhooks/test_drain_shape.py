"""The benchmark's reading of a drain's arrivals (`bench/harness/arrivals.py`): a
batch-and-wait drain must be flagged whatever its average rate, a steady one must not."""

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "bench" / "harness" / "arrivals.py"
_SPEC = importlib.util.spec_from_file_location("bench_arrivals", _PATH)
assert _SPEC is not None
assert _SPEC.loader is not None
arrivals = importlib.util.module_from_spec(_SPEC)
sys.modules["bench_arrivals"] = arrivals  # dataclasses look their module up
_SPEC.loader.exec_module(arrivals)


def steady(count: int, per_second: float, start: float = 1000.0) -> list[float]:
    return [start + n / per_second for n in range(count)]


def test_a_steady_drain_has_no_stall() -> None:
    shape = arrivals.drain_shape(steady(5000, 3000))
    assert shape.per_second == [3000, 2000]
    assert (shape.stalls, shape.batch_and_wait, shape.median_burst) == (0, False, 5000)
    assert shape.describe() == "no stall ≥ 0.2 s"


def test_bursts_of_a_claim_or_two_between_waits_are_batch_and_wait() -> None:
    # The reported drain: 5,184 deliveries in batches of 124 every ~2.1 s (59/s on average).
    times = [
        1000.0 + batch * 2.1 + n * 0.001 for batch in range(5184 // 124 + 1) for n in range(124)
    ][:5184]
    shape = arrivals.drain_shape(times)
    assert shape.batch_and_wait
    assert shape.median_burst == 124
    assert shape.stalls == 41
    assert 1.9 < shape.longest_stall_s < 2.1
    assert shape.stalled_share > 0.9
    assert shape.to_json()["batch_and_wait"] is True
    assert sum(shape.per_second) == 5184
    assert 0 in shape.per_second  # whole seconds without an arrival


def test_a_stall_is_a_gap_of_its_length_whatever_the_rate() -> None:
    # 1,000 a second on average, 128 at a time with 0.1 s waits: not yet stalls.
    times = [1000.0 + batch * 0.128 + n * 0.0002 for batch in range(40) for n in range(128)]
    assert not arrivals.drain_shape(times).batch_and_wait  # 0.1 s is not a stall
    times = [1000.0 + batch * 0.3 + n * 0.0002 for batch in range(40) for n in range(128)]
    assert arrivals.drain_shape(times).batch_and_wait


def test_one_pause_in_a_drain_is_reported_but_not_flagged() -> None:
    times = steady(3000, 3000) + steady(3000, 3000, start=1001.3)
    shape = arrivals.drain_shape(times)
    assert shape.stalls == 1
    assert not shape.batch_and_wait
    assert shape.describe().startswith("1 stall ≥ 0.2 s (longest 0.30 s), 13% of the drain")


def test_the_histogram_fits_a_table_cell() -> None:
    assert arrivals.per_second_text([1429, 1896, 1490, 185]) == "1,429 1,896 1,490 185"
    assert arrivals.per_second_text(list(range(30)), limit=3) == "0 1 2 … (30 s)"
