"""Response-time percentiles from the 5% histogram bins (services.performance_tracker)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from core.schema import rt_bin, rt_bin_upper_ms
from services.performance_tracker import PerformanceTracker, ResponseHistogram


def histogram_of(times: list[float]) -> dict[int, int]:
    """An hour's histogram as the write path fills it: one count in rt_bin(ms) per reply."""
    return dict(Counter(rt_bin(ms) for ms in times))


def edge(ms: float) -> float:
    return round(rt_bin_upper_ms(rt_bin(ms)), 3)


def test_metrics001_nearest_rank_on_known_bins():
    histogram = ResponseHistogram({10: 1, 20: 3, 30: 1})
    assert histogram.samples == 5
    assert histogram.percentile(20) == round(rt_bin_upper_ms(10), 3)  # rank 1
    assert histogram.percentile(50) == round(rt_bin_upper_ms(20), 3)  # rank 3
    assert histogram.percentile(80) == round(rt_bin_upper_ms(20), 3)  # rank 4
    assert histogram.percentile(95) == round(rt_bin_upper_ms(30), 3)  # rank 5
    assert histogram.percentiles(50, 99) == [round(rt_bin_upper_ms(b), 3) for b in (20, 30)]
    assert ResponseHistogram().percentiles(50, 95) == [None, None]


@given(st.lists(st.floats(min_value=0.2, max_value=60_000), min_size=1, max_size=200),
       st.sampled_from([50, 95, 99]))
def test_metrics002_percentile_is_within_five_percent_above_the_true_value(times, percent):
    rank = max(1, -(-percent * len(times) // 100))
    true = sorted(times)[rank - 1]
    estimate = ResponseHistogram(histogram_of(times)).percentile(percent)
    assert true - 0.001 <= estimate <= true * 1.05 + 0.001


def test_metrics003_kpi_compares_the_last_24_hours_with_the_24_before():
    hours = [{} for _ in range(49)]  # newest first: hours[0] is the current hour
    hours[0] = histogram_of([10.0, 10.0])
    hours[23] = histogram_of([30.0])            # oldest hour of the last 24 h
    hours[24] = histogram_of([200.0, 200.0])    # newest hour of the 24 h before
    hours[47] = histogram_of([100.0])           # oldest hour of the 24 h before
    hours[48] = histogram_of([9_999.0])         # outside both windows
    kpi = PerformanceTracker().kpi(hours)
    assert kpi.samples == 3
    assert (kpi.p50, kpi.p95, kpi.p99) == (edge(10.0), edge(30.0), edge(30.0))
    assert kpi.previous_p50 == edge(200.0)
    assert kpi.delta == round(kpi.p50 - kpi.previous_p50, 3) < 0  # faster: lower is better


def test_metrics004_no_replies_means_none_not_zero():
    tracker = PerformanceTracker()
    kpi = tracker.kpi([histogram_of([12.0])])
    assert kpi.previous_p50 is None and kpi.delta is None
    merged = ResponseHistogram.merge([histogram_of([1.0, 2.0]), histogram_of([2.0])])
    assert merged.samples == 3 and merged.percentile(50) == edge(2.0)
