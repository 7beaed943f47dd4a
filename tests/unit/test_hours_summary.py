"""The completed hours' kept structures of services.hours_summary against hand-computed values."""

from __future__ import annotations

import random

from core.schema import rt_bin_upper_ms
from services.hours_summary import KeptHistogram, kept
from services.performance_tracker import MS_DECIMALS, ResponseHistogram


def ms(rt_bin: int) -> float:
    return round(rt_bin_upper_ms(rt_bin), MS_DECIMALS)


def test_hours001_kept_histogram_is_bins_and_running_counts():
    assert kept(ResponseHistogram({5: 3, 1: 2, 9: 0})) == {"bins": [1, 5, 9],
                                                            "cumulative": [2, 5, 5]}
    assert kept(ResponseHistogram()) == {"bins": [], "cumulative": []}


def test_hours002_percentiles_count_the_current_hours_bins_in():
    # Completed hours {1: 2, 5: 3}, current hour {3: 1, 5: 1}: merged {1: 2, 3: 1, 5: 4}, 7
    # replies. Nearest rank: p10 -> 1st reply (bin 1), p40 -> 3rd (bin 3, only in the
    # current hour), p50 -> 4th (bin 5), p95 -> 7th (bin 5).
    merged = KeptHistogram(kept(ResponseHistogram({1: 2, 5: 3})), {3: 1, 5: 1})
    assert merged.samples == 7
    assert merged.counts == {1: 2, 3: 1, 5: 4}
    assert merged.percentiles(10, 40, 50, 95) == [ms(1), ms(3), ms(5), ms(5)]
    # Only the current hour, or only the completed ones.
    assert KeptHistogram(kept(ResponseHistogram()), {7: 2}).percentiles(50) == [ms(7)]
    assert KeptHistogram(kept(ResponseHistogram({2: 1, 4: 1}))).percentiles(50, 99) == [
        ms(2), ms(4)]
    assert KeptHistogram(kept(ResponseHistogram()), {}).percentiles(50, 95) == [None, None]
    # A negative count: merged {1: 0, 2: 2, 3: -2, 4: 2}, 2 replies; the walk finds the 1st
    # at bin 2 (a binary search over the running counts 0, 2, 0, 2 would land on bin 4).
    negative = KeptHistogram(kept(ResponseHistogram({1: 0, 2: 2, 3: 0, 4: 2})), {3: -2})
    assert negative.percentiles(50) == [ms(2)]


def test_hours003_percentiles_equal_a_walk_over_every_bin():
    rng = random.Random(14)
    for _ in range(300):
        completed = {b: rng.choice((0, 1, 2, 5, 40)) for b in rng.sample(range(400), 30)}
        hour = {b: rng.choice((0, 1, 3)) for b in rng.sample(range(400), rng.randint(0, 8))}
        for part in (completed, hour):  # a negative count now and then: the walk decides
            if rng.random() < 0.1:
                part[rng.choice(range(400))] = -3
        fast = KeptHistogram(kept(ResponseHistogram(completed)), hour)
        walk = ResponseHistogram.merge([completed, hour])
        assert fast.samples == walk.samples
        assert fast.percentiles(1, 50, 95, 99, 100) == walk.percentiles(1, 50, 95, 99, 100)
