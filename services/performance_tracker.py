"""The bot's own response time: percentiles from the hourly response-time histograms.

What is measured: for every reply, the time from the webhook request's arrival (the first line
of ``api/webhook.py``) to the reply being ready, stored as ``response_ms`` on the outbound
message and counted at write time into the ``rt:<bin>`` fields of the hour bucket
(``seller_bot/aggregates.py``; names in ``core/schema.py``). Bin b holds times up to
0.1 ms x 1.05^b, so a percentile read here is the upper edge of its bin: at most 5% above the
true value, never below it.

Windows are whole hour buckets: "the last 24 h" is the current hour (so far) and the 23 hours
before it; "the 24 h before" is the 24 hour buckets before those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.schema import rt_bin_upper_ms
from services.dashboard_models import ResponseTimeKpi, SpeedToLeadKpi

# Bin edges are exact to 5%; three decimals of a millisecond is more than enough.
MS_DECIMALS = 3

Histogram = Mapping[int, int]  # rt bin -> replies


class ResponseHistogram:
    """Counts of response times per bin; percentiles by nearest rank."""

    def __init__(self, counts: Histogram | None = None) -> None:
        self.counts: dict[int, int] = dict(counts or {})

    @classmethod
    def merge(cls, histograms: Iterable[Histogram]) -> ResponseHistogram:
        """The sum of several histograms (hours, locations)."""
        total: dict[int, int] = {}
        for histogram in histograms:
            for rt_bin, count in histogram.items():
                total[rt_bin] = total.get(rt_bin, 0) + count
        return cls(total)

    @property
    def samples(self) -> int:
        return sum(self.counts.values())

    def percentiles(self, *percents: int) -> list[float | None]:
        """For each p, the upper edge (ms) of the bin holding the ceil(p% x n)-th fastest
        reply (nearest rank, exact integer arithmetic); None for every p when empty."""
        samples = self.samples
        if samples == 0:
            return [None] * len(percents)
        ranks = [max(1, -(-p * samples // 100)) for p in percents]
        found: dict[int, float] = {}
        seen = 0
        for rt_bin in sorted(self.counts):
            seen += self.counts[rt_bin]
            for rank in ranks:
                if rank not in found and seen >= rank:
                    found[rank] = round(rt_bin_upper_ms(rt_bin), MS_DECIMALS)
        return [found[rank] for rank in ranks]

    def percentile(self, percent: int) -> float | None:
        return self.percentiles(percent)[0]


class PerformanceTracker:
    """Rolling response-time windows from hour histograms the caller fetched in its one read."""

    def __init__(self, window_hours: int = 24) -> None:
        self.window_hours = window_hours

    def kpi(self, newest_first: Sequence[Histogram],
            basis: str = "processing") -> ResponseTimeKpi:
        """p50/p95/p99 of the last 24 hour buckets (``newest_first[0]`` is the current hour);
        delta = p50 minus the p50 of the 24 hour buckets before them (lower is better)."""
        window = self.window_hours
        before = ResponseHistogram.merge(newest_first[window:2 * window])
        return self.from_histograms(ResponseHistogram.merge(newest_first[:window]),
                                    before.percentile(50), basis)

    @staticmethod
    def from_histograms(now: ResponseHistogram, previous_p50: float | None,
                        basis: str = "processing") -> ResponseTimeKpi:
        """p50/p95/p99 of ``now``; delta = p50 minus ``previous_p50`` (None: no delta)."""
        p50, p95, p99 = now.percentiles(50, 95, 99)
        delta = None if p50 is None or previous_p50 is None else round(
            p50 - previous_p50, MS_DECIMALS)
        return ResponseTimeKpi(p50=p50, p95=p95, p99=p99, samples=now.samples, delta=delta,
                               previous_p50=previous_p50, basis=basis)

    def speed_to_lead(self, newest_first: Sequence[Histogram]) -> SpeedToLeadKpi:
        """p50/p95 of speed to lead over the last 24 hour buckets, delta against the 24 before."""
        kpi = self.kpi(newest_first)
        return SpeedToLeadKpi(p50=kpi.p50, p95=kpi.p95, delta=kpi.delta, samples=kpi.samples)
