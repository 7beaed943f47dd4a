"""Completed hours' merged sums: what the dashboard's windows and series need of the hours
before the current one, computed once per hour and history version and kept in Redis.

Windows. "Now" is the service clock's time t, M is t floored to the minute, H its hour.
- last 24 h (events): from M - 24 h to t. The hours H-23 h .. H are read whole; of the hour
  H-24 h only the minutes from M's minute on (minute buckets), so the window is minute-precise.
- the 24 h before: from M - 48 h to M - 24 h, minute-precise the same way.
The minute counts of hours H-24 h and H-48 h are completed hours too: they are kept with the
hours' sums (per minute, sliced at M's minute when read), so a read parses no minute hash.
- response times: whole hour buckets (the histogram is kept per hour only), see
  ``services.performance_tracker``.
"""

from __future__ import annotations

import hashlib
import logging
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import accumulate
from operator import le, sub

import redis

from core.schema import HISTOGRAMS, HOUR, Events, rt_bin_upper_ms
from core.settings import Settings
from services.aggregate_reader import AggregateReader, AggregateSnapshot, HourBucket
from services.performance_tracker import MS_DECIMALS, ResponseHistogram

DAY = 24 * HOUR
WINDOW_HOURS = 24
# Completed hours' merged sums are valid for the whole current hour (their key names it).
SUMMARY_SECONDS = 2 * 3600
# In the summary's key: a release that keeps it in another shape (the same fields holding
# other structures) never reads an entry of an earlier one during a rolling deploy.
SUMMARY_FORMAT = "f2"
SERIES_FIELDS = (Events.INBOUND, Events.OUTBOUND, Events.NEW)
# Events the figures count over the last 24 h and over the 24 h before; only their minute
# counts are read for the partial hours at the windows' edges.
WINDOW_EVENTS = (Events.NEW, Events.QUALIFIED, Events.BOOKED, Events.OPTED_OUT, Events.HOT_NET,
                 Events.OPEN_NET, Events.HOT_ACTION_NET)
PREVIOUS_WINDOW_EVENTS = (Events.BOOKED,)

log = logging.getLogger(__name__)


@dataclass
class HoursSummary:
    """Merged sums of completed hours (all locations), valid for one current hour and one
    history version. ``series`` has one value per hour from ``first`` to the hour before the
    current one; ``None`` where no history is kept. Histograms are kept as ``kept`` makes
    them (bins, running counts)."""

    first: int
    series: dict[str, list]
    day_events: dict[str, int]        # WINDOW_EVENTS over the 23 completed hours of 24 h
    previous_events: dict[str, int]   # PREVIOUS_WINDOW_EVENTS, hours H-47 .. H-25
    # Per histogram kind (HISTOGRAMS: bot response "rt", delivered "dt", speed to lead "stl"):
    day: dict[str, dict[str, list[int]]]    # hours H-23 .. H-1, merged
    previous_p50: dict[str, float | None]   # hours H-47 .. H-24
    previous_samples: dict[str, int]        # hours H-47 .. H-24
    range_hist: dict[str, dict[str, list[int]]]  # the range's completed hours, merged
    range_events: dict[str, int]            # booked, in over the range's completed hours
    # Per event, its count in each minute of an edge hour of the 24 h windows:
    day_minutes: dict[str, list[int]]       # WINDOW_EVENTS, hour H-24
    previous_minutes: dict[str, list[int]]  # PREVIOUS_WINDOW_EVENTS, hour H-48

    def to_dict(self) -> dict:
        return asdict(self)


def kept(histogram_: ResponseHistogram) -> dict[str, list[int]]:
    """A merged histogram as kept in JSON: its bins in order and the running count of
    replies up to each."""
    bins = sorted(histogram_.counts)
    return {"bins": bins,
            "cumulative": list(accumulate(histogram_.counts[b] for b in bins))}


class KeptHistogram(ResponseHistogram):
    """A kept histogram of completed hours (``kept``) plus the current hour's bins.

    A percentile is a binary search over the kept running counts and the current hour's few
    bins, so its cost does not grow with the number of bins a large store fills; the result
    is the nearest-rank bin ``ResponseHistogram`` finds by walking every bin. A negative
    count (never written, but nothing forbids it) breaks the search's order: then the bins
    are walked as before.
    """

    def __init__(self, completed: Mapping[str, list[int]],
                 hour: Mapping[int, int] | None = None) -> None:
        self.bins: list[int] = completed["bins"]
        self.cumulative: list[int] = completed["cumulative"]
        self.hour = dict(hour or {})
        self.hour_bins = sorted(self.hour)
        self.hour_cumulative = list(accumulate(self.hour[b] for b in self.hour_bins))

    @property
    def counts(self) -> dict[int, int]:
        """Replies per bin, the completed hours and the current one merged."""
        total = dict(zip(self.bins, map(sub, self.cumulative, [0, *self.cumulative]),
                         strict=True))
        for rt_bin, count in self.hour.items():
            total[rt_bin] = total.get(rt_bin, 0) + count
        return total

    @property
    def samples(self) -> int:
        return ((self.cumulative[-1] if self.cumulative else 0)
                + (self.hour_cumulative[-1] if self.hour_cumulative else 0))

    def _ordered(self) -> bool:
        return (min(self.hour.values(), default=0) >= 0
                and all(map(le, [0, *self.cumulative], self.cumulative)))

    def percentiles(self, *percents: int) -> list[float | None]:
        samples = self.samples
        if samples == 0 or not self._ordered():
            return ResponseHistogram(self.counts).percentiles(*percents)
        return [round(rt_bin_upper_ms(self._bin_of_rank(max(1, -(-p * samples // 100)))),
                      MS_DECIMALS) for p in percents]

    def _bin_of_rank(self, rank: int) -> int:
        """The lowest bin with at least ``rank`` replies up to it, both parts together."""
        def up_to(bins: list[int], cumulative: list[int], rt_bin: int) -> int:
            found = bisect_right(bins, rt_bin)
            return cumulative[found - 1] if found else 0

        candidates = []
        kept = bisect_left(range(len(self.bins)), rank, key=lambda i: self.cumulative[i] + up_to(
            self.hour_bins, self.hour_cumulative, self.bins[i]))
        if kept < len(self.bins):
            candidates.append(self.bins[kept])
        hour = bisect_left(range(len(self.hour_bins)), rank, key=lambda j: self.hour_cumulative[
            j] + up_to(self.bins, self.cumulative, self.hour_bins[j]))
        if hour < len(self.hour_bins):
            candidates.append(self.hour_bins[hour])
        return min(candidates)


class HoursSummaries:
    """Reads the completed hours' merged sums, kept in ``summaries`` (a Flask-Caching
    backend; None: computed every time)."""

    def __init__(self, reader: AggregateReader, settings: Settings, summaries=None) -> None:
        self.reader = reader
        self.settings = settings
        self.summaries = summaries

    def kept_from(self, current: int) -> int:
        """The oldest hour whose bucket can still exist."""
        return current - (self.settings.bucket_retention_seconds // HOUR - 1) * HOUR

    def get(self, live: AggregateSnapshot, current: int, first: int,
                last: int) -> HoursSummary:
        """The completed hours' merged sums, from Redis when kept, else read and kept."""
        key = (f"hours:{SUMMARY_FORMAT}:{live.history}:{current}:{first}:{last}:"
               f"{hashlib.sha1(','.join(live.locations).encode()).hexdigest()[:12]}")
        if self.summaries is not None:
            cached = self.summaries.get(key)
            if cached is not None:
                try:
                    return HoursSummary(**cached)
                except TypeError:
                    pass  # written by another release of the app: recompute
        result = self.compute(current, first, last, live.locations)
        if self.summaries is not None:
            try:  # best-effort, like every cache write: a full Redis never fails a read (#13)
                self.summaries.set(key, result.to_dict(), timeout=SUMMARY_SECONDS)
            except redis.RedisError as exc:
                log.warning("hours summary not kept (%s)", type(exc).__name__)
        return result

    def compute(self, current: int, first: int, last: int,
                locations: Sequence[str] | None = None) -> HoursSummary:
        """The sums over ``locations`` (None: every location)."""
        lowest = max(min(first, current - 2 * DAY + HOUR), self.kept_from(current))
        completed = list(range(lowest, current, HOUR))
        edges = {current - DAY: WINDOW_EVENTS, current - 2 * DAY: PREVIOUS_WINDOW_EVENTS}
        read = self.reader.read(hours=completed, minutes=edges, only=locations)
        buckets = read.hours

        def minutes(hour: int) -> dict[str, list[int]]:
            found = read.minutes.get(hour, {})
            return {event: list(found.get(event, [0] * 60)) for event in edges[hour]}
        empty = HourBucket()

        def bucket(hour: int) -> HourBucket:
            return buckets.get(hour, empty)

        def events(hours: Iterable[int], names: Sequence[str]) -> dict[str, int]:
            totals = Counter()
            for hour in hours:
                found = bucket(hour).events
                for name in names:
                    totals[name] += found[name]
            return {name: totals[name] for name in names}

        def merged(hours: Iterable[int], kind: str) -> ResponseHistogram:
            return ResponseHistogram.merge(getattr(bucket(h), kind) for h in hours)

        oldest = self.kept_from(current)
        series: dict[str, list] = {name: [] for name in (
            *SERIES_FIELDS, "p50", "p95", "samples", "dt_p50", "dt_p95", "dt_samples")}
        for hour in range(first, min(last + HOUR, current), HOUR):
            found = bucket(hour)
            missing = hour < oldest
            for name in SERIES_FIELDS:
                series[name].append(None if missing else found.events[name])
            for prefix, counts in (("", found.rt), ("dt_", found.dt)):
                p50, p95 = ResponseHistogram(counts).percentiles(50, 95)
                series[f"{prefix}p50"].append(p50)
                series[f"{prefix}p95"].append(p95)
                series[f"{prefix}samples"].append(None if missing else sum(counts.values()))
        day = range(current - (WINDOW_HOURS - 1) * HOUR, current, HOUR)
        before = range(current - 2 * DAY + HOUR, current - DAY + HOUR, HOUR)
        range_hours = range(first, min(last + HOUR, current), HOUR)
        previous = {kind: merged(before, kind) for kind in HISTOGRAMS}
        return HoursSummary(
            first=first, series=series,
            day_events=events(day, WINDOW_EVENTS),
            previous_events=events(range(current - 2 * DAY + HOUR, current - DAY, HOUR),
                                   PREVIOUS_WINDOW_EVENTS),
            day={kind: kept(merged(day, kind)) for kind in HISTOGRAMS},
            previous_p50={kind: h.percentile(50) for kind, h in previous.items()},
            previous_samples={kind: h.samples for kind, h in previous.items()},
            range_hist={kind: kept(merged(range_hours, kind)) for kind in HISTOGRAMS},
            range_events=events(range_hours, (Events.BOOKED, Events.INBOUND)),
            day_minutes=minutes(current - DAY), previous_minutes=minutes(current - 2 * DAY))
