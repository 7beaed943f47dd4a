"""Dashboard figures computed from the write-time aggregates (docs/redis-keys.md).

Every read has a bounded size, whatever the number of conversations: each location's ``stats``
hash, a fixed number of hour buckets (each at most ten event counters and a few hundred
response-time bins), the minute counts of two hours, and the version keys, all in one pipelined
round trip per panel. A dashboard sums over every location in ``sellerbot:locations``.

Windows. "Now" is the service clock's time t, M is t floored to the minute, H its hour.
- last 24 h (events): from M - 24 h to t. The hours H-23 h .. H are read whole; of the hour
  H-24 h only the minutes from M's minute on (minute buckets), so the window is minute-precise.
- the 24 h before: from M - 48 h to M - 24 h, minute-precise the same way.
- response times: whole hour buckets (the histogram is kept per hour only), see
  ``services.performance_tracker``.
Deleted and expired conversations take their events with them (their whole contribution is
subtracted), so "previous" figures describe the conversations still stored.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import redis

from core.clock import utc_now
from core.keys import LOCATIONS, LocationKeys
from core.settings import Settings
from seller_bot.aggregates import HOUR, PRICE_BINS, TIMELINE_BUCKETS, hour_of
from seller_bot.models import (
    FUNNEL_STAGES,
    MOTIVATIONS,
    NEEDS_HUMAN_REASONS,
    STAGES,
    TEMPERATURES,
)
from services.dashboard_models import (
    Distribution,
    Heatmap,
    Hero,
    Kpi,
    ResponseTimeKpi,
    SpeedToLeadKpi,
    TimeSeries,
    Window,
)
from services.performance_tracker import (
    DELIVERED_PREFIX,
    RT_PREFIX,
    SPEED_TO_LEAD_PREFIX,
    PerformanceTracker,
    ResponseHistogram,
)
from services.table.query import InvalidQuery

MINUTE = 60
DAY = 24 * HOUR
WINDOW_HOURS = 24
RANGE_HOURS = {"24h": 24, "7d": 7 * 24, "30d": 30 * 24}
RANGES = (*RANGE_HOURS, "custom")
RANGE_LABELS = {"24h": "last 24 h", "7d": "last 7 days", "30d": "last 30 days"}
MAX_CUSTOM_DAYS = 31
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Completed hours' merged sums are valid for the whole current hour (their key names it).
SUMMARY_SECONDS = 2 * 3600
SERIES_FIELDS = ("in", "out", "new")
HISTOGRAMS = ("rt", "dt", "stl")  # HourBucket histograms kept merged in HoursSummary
UNKNOWN = "unknown"
NO_HISTORY = "no history kept: the change cannot be computed"
RANGE_DELTA_NOTE = "change shown for the 24 h range only"
# Locations re-read this many times at most when the set changes during a read.
LOCATION_RETRIES = 3
# "rt:<bin>" -> bin for every bin up to hours of response time: parsed once, not per read.
RT_FIELD_BINS = {f"{prefix}{rt_bin}": (prefix, rt_bin) for rt_bin in range(400)
                 for prefix in (RT_PREFIX, DELIVERED_PREFIX, SPEED_TO_LEAD_PREFIX)}
HISTOGRAM_PREFIXES = (RT_PREFIX, DELIVERED_PREFIX, SPEED_TO_LEAD_PREFIX)
HERO_TYPES = {"response_time_ms": ResponseTimeKpi, "speed_to_lead_ms": SpeedToLeadKpi}
# Events the figures count over the last 24 h and over the 24 h before; only their minute
# counts are read for the partial hours at the windows' edges.
WINDOW_EVENTS = ("new", "qualified", "booked", "opted_out", "hot_net", "open_net",
                 "hot_action_net")
PREVIOUS_WINDOW_EVENTS = ("booked",)

log = logging.getLogger(__name__)


# -- reading ---------------------------------------------------------------------------------
@dataclass
class HourBucket:
    """One hour's event counts and histograms (bin -> replies): bot response time (``rt``),
    delivered response time (``dt``) and speed to lead (``stl``)."""

    events: Counter = field(default_factory=Counter)
    rt: dict[int, int] = field(default_factory=dict)
    dt: dict[int, int] = field(default_factory=dict)
    stl: dict[int, int] = field(default_factory=dict)

    def add(self, raw: dict[str, str]) -> None:
        """Add one location's hour hash, in a single pass over its fields."""
        events, bin_of = self.events, RT_FIELD_BINS.get
        histograms = {RT_PREFIX: self.rt, DELIVERED_PREFIX: self.dt,
                      SPEED_TO_LEAD_PREFIX: self.stl}
        for name, value in raw.items():
            found = bin_of(name)
            if found is None and name.startswith(HISTOGRAM_PREFIXES):
                prefix, _, number = name.partition(":")
                found = (prefix + ":", int(number))
            if found is None:
                events[name] += int(value)
            else:
                histogram = histograms[found[0]]
                histogram[found[1]] = histogram.get(found[1], 0) + int(value)


@dataclass
class AggregateSnapshot:
    """Aggregate hashes summed over all locations, as read in one round trip.

    ``minutes[hour][event]`` holds that event's count for each of the hour's 60 minutes.
    """

    locations: list[str]
    version: str
    stats: Counter
    hours: dict[int, HourBucket]
    minutes: dict[int, dict[str, list[int]]]
    stalled: int = 0
    history: str = ""  # fingerprint of the locations' history versions (completed hours)


def data_version(locations: list[str], versions: Iterable[str | None]) -> str:
    """A short fingerprint of every location's write counter; equal means nothing changed."""
    pairs = ";".join(f"{loc}={ver or 0}" for loc, ver in zip(locations, versions, strict=True))
    return hashlib.sha1(pairs.encode()).hexdigest()[:16]


class AggregateReader:
    """Pipelined reads of aggregate hashes across locations (one round trip per read)."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._locations: list[str] = []

    def _pipelined(self, queue: Callable[[redis.client.Pipeline, list[str]], None]
                   ) -> tuple[list[str], list]:
        """Run ``queue``'s commands for the locations known so far, with SMEMBERS in front;
        when the location set changed meanwhile, run again for the new set."""
        for _ in range(LOCATION_RETRIES):
            known = self._locations
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.smembers(LOCATIONS)
                queue(pipe, known)
                replies = pipe.execute()
            current = sorted(replies[0])
            if current == known:
                break
            self._locations = current
        return known, replies[1:]

    def version(self) -> str:
        """The data version of all locations (SMEMBERS + one GET each, one round trip).

        One GET per location, not MGET: the keys live in different Redis Cluster slots."""
        def queue(pipe: redis.client.Pipeline, locations: list[str]) -> None:
            for loc in locations:
                pipe.get(LocationKeys(loc).version)

        locations, replies = self._pipelined(queue)
        return data_version(locations, replies[:len(locations)])

    def read(self, *, stats: bool = False, hours: Iterable[int] = (),
             minutes: Mapping[int, Sequence[str]] | None = None,
             stalled_before: float | None = None) -> AggregateSnapshot:
        """Sum the requested hashes over all locations; missing hashes read as empty.

        ``minutes`` maps an hour to the events whose per-minute counts are wanted. The whole
        minute hash is read: up to 600 fields, kept as one compact list by Redis, where an
        HMGET of a few hundred fields would cost a scan each.
        """
        hours, minutes = list(hours), dict(minutes or {})

        def queue(pipe: redis.client.Pipeline, locations: list[str]) -> None:
            if not locations:
                return
            # One GET per key, not MGET: the locations live in different Redis Cluster slots.
            for loc in locations:
                pipe.get(LocationKeys(loc).version)
            for loc in locations:
                pipe.get(LocationKeys(loc).history)
            for loc in locations:
                keys = LocationKeys(loc)
                if stats:
                    pipe.hgetall(keys.stats)
                for hour in hours:
                    pipe.hgetall(keys.hour(hour))
                for hour in minutes:
                    pipe.hgetall(keys.minutes(hour))
                if stalled_before is not None:
                    pipe.zcount(keys.index("open_inbound"), "-inf", stalled_before)

        locations, replies = self._pipelined(queue)
        snapshot = AggregateSnapshot(
            locations=locations,
            version=data_version(locations, replies[:len(locations)]),
            history=data_version(locations, replies[len(locations):2 * len(locations)]),
            stats=Counter(), hours={hour: HourBucket() for hour in hours},
            minutes={hour: {event: [0] * 60 for event in events}
                     for hour, events in minutes.items()})
        it = iter(replies[2 * len(locations):])
        for _ in locations:
            if stats:
                snapshot.stats.update({name: int(value) for name, value in next(it).items()})
            for hour in hours:
                snapshot.hours[hour].add(next(it))
            for hour in minutes:
                wanted = snapshot.minutes[hour]
                for name, value in next(it).items():
                    event, _, minute = name.rpartition(":")
                    if event in wanted:
                        wanted[event][int(minute)] += int(value)
            if stalled_before is not None:
                snapshot.stalled += next(it)
        return snapshot


# -- ranges ----------------------------------------------------------------------------------
class InvalidRange(InvalidQuery):
    """A bad range parameter; ``parameter`` names it (the API answers 422)."""


@dataclass(frozen=True)
class RangeSpec:
    """The page's range: a preset (24h, 7d, 30d) or custom local dates, both inclusive."""

    name: str = "24h"
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, name: str | None, start: str | None = None,
              end: str | None = None) -> RangeSpec:
        """From the URL's ``range``, ``start`` and ``end`` (YYYY-MM-DD); raises InvalidRange."""
        name = name or "24h"
        if name not in RANGES:
            raise InvalidRange("range", f"expected one of {', '.join(RANGES)}")
        if name != "custom":
            return cls(name)
        days = {}
        for parameter, value in (("start", start), ("end", end)):
            try:
                days[parameter] = date.fromisoformat(value or "")
            except ValueError:
                raise InvalidRange(parameter, "expected a date YYYY-MM-DD") from None
        if days["end"] < days["start"]:
            raise InvalidRange("end", "must not be before start")
        if (days["end"] - days["start"]).days >= MAX_CUSTOM_DAYS:
            raise InvalidRange("end", f"a custom range spans at most {MAX_CUSTOM_DAYS} days")
        return cls(name, days["start"], days["end"])

    @property
    def key(self) -> str:
        return self.name if self.name != "custom" else f"custom:{self.start}:{self.end}"

    def hours(self, now: float, timezone: str) -> tuple[int, int]:
        """(first, last) hour starts covered, the last one not after the current hour."""
        current = hour_of(now)
        if self.name != "custom":
            return current - (RANGE_HOURS[self.name] - 1) * HOUR, current
        zone = ZoneInfo(timezone)
        first = datetime.combine(self.start, time(), zone).timestamp()
        after = datetime.combine(self.end + timedelta(days=1), time(), zone).timestamp()
        return hour_of(first), min(current, hour_of(after - 1))

    def label(self) -> str:
        if self.name != "custom":
            return RANGE_LABELS[self.name]
        if self.start == self.end:
            return f"{self.start:%b} {self.start.day}"
        return f"{self.start:%b} {self.start.day} – {self.end:%b} {self.end.day}"


# -- panels (the cached units) ---------------------------------------------------------------
@dataclass(frozen=True)
class KpiPanel:
    """Hero figures, temperature and stage split, the range's series and heatmap (one read)."""

    as_of: str
    version: str
    total_conversations: int
    stalled_conversations: int
    hero: Hero
    by_temperature: dict[str, int]
    by_stage: dict[str, int]
    messages: TimeSeries
    response_times: TimeSeries
    needs_human: dict[str, int] = field(default_factory=dict)  # "total" and per reason
    window: Window | None = None
    heatmap: Heatmap | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> KpiPanel:
        hero = data["hero"]
        return cls(**{
            **data,
            "hero": Hero(**{name: HERO_TYPES.get(name, Kpi)(**value)
                            for name, value in hero.items()}),
            "messages": TimeSeries(**data["messages"]),
            "response_times": TimeSeries(**data["response_times"]),
            "window": Window(**data["window"]) if data.get("window") else None,
            "heatmap": Heatmap(**data["heatmap"]) if data.get("heatmap") else None,
        })


@dataclass(frozen=True)
class DistributionPanel:
    """Funnel and the price, timeline and motivation splits (5 min tier)."""

    as_of: str
    funnel: Distribution
    price_distribution: Distribution
    timeline_distribution: Distribution
    motivation_distribution: Distribution
    version: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DistributionPanel:
        return cls(as_of=data["as_of"], version=data["version"], **{
            name: Distribution(**value) for name, value in data.items()
            if name not in ("as_of", "version")})


@dataclass
class HoursSummary:
    """Merged sums of completed hours (all locations), valid for one current hour and one
    history version. ``series`` has one value per hour from ``first`` to the hour before the
    current one; ``None`` where no history is kept. Histograms map str(bin) -> replies."""

    first: int
    series: dict[str, list]
    day_events: dict[str, int]        # WINDOW_EVENTS over the 23 completed hours of 24 h
    previous_events: dict[str, int]   # PREVIOUS_WINDOW_EVENTS, hours H-47 .. H-25
    # Per histogram kind (HISTOGRAMS: bot response "rt", delivered "dt", speed to lead "stl"):
    day: dict[str, dict[str, int]]          # hours H-23 .. H-1, merged
    previous_p50: dict[str, float | None]   # hours H-47 .. H-24
    previous_samples: dict[str, int]        # hours H-47 .. H-24
    range_hist: dict[str, dict[str, int]]   # the range's completed hours, merged
    range_events: dict[str, int]            # booked, in over the range's completed hours

    def to_dict(self) -> dict:
        return asdict(self)


def histogram(raw: Mapping[str, int]) -> dict[int, int]:
    return {int(b): n for b, n in raw.items()}


def heatmap(messages: TimeSeries, timezone: str) -> Heatmap:
    """Inbound messages per local weekday and hour from the hourly series (no extra read)."""
    zone = ZoneInfo(timezone)
    counts = [[0] * 24 for _ in WEEKDAYS]
    for bucket, value in zip(messages.buckets, messages.series["inbound"], strict=True):
        if value:
            local = datetime.fromisoformat(bucket).astimezone(zone)
            counts[local.weekday()][local.hour] += value
    return Heatmap(weekdays=list(WEEKDAYS), hours=list(range(24)), counts=counts)


# -- figures ---------------------------------------------------------------------------------
def price_labels() -> list[tuple[str, str]]:
    """(stats bin, label) for each price bin, then unknown."""
    def short(dollars: int) -> str:
        return f"${dollars / 1_000_000:g}M" if dollars >= 1_000_000 else f"${dollars // 1000}k"

    labels = [(str(PRICE_BINS[0]), f"under {short(PRICE_BINS[1])}")]
    for lower, upper in pairwise(PRICE_BINS[1:]):
        labels.append((str(lower), f"{short(lower)}-{short(upper)[1:]}"))
    labels.append((str(PRICE_BINS[-1]), f"{short(PRICE_BINS[-1])}+"))
    return [*labels, (UNKNOWN, UNKNOWN)]


def rate(count: int, total: int, count_24h: int, total_24h: int) -> Kpi:
    """count/total now and (count - count_24h)/(total - total_24h) 24 h ago; None when n/a."""
    value = count / total if total > 0 else None
    before_total = total - total_24h
    previous = (count - count_24h) / before_total if before_total > 0 else None
    delta = value - previous if value is not None and previous is not None else None
    return Kpi(value=value, delta=delta, previous=previous)


class MetricsService:
    """Hero KPIs, distributions, funnel and time series from the aggregates (README, "The
    dashboard").

    KPI definitions (24 h windows as in the module docstring):
    - active_conversations: conversations not booked, declined or opted out (and not expired);
      delta = net change of that count in the last 24 h (``open_net`` events).
    - hot_leads: open hot leads that need action (hot, not qualified, booked or an exit:
      ``aggregates.needs_action``); delta = net change in the last 24 h (``hot_action_net``).
    - qualification_rate: qualified (offer accepted) / conversations, 0-1; previous =
      (qualified - qualifications in 24 h) / (conversations - new conversations in 24 h).
    - response_time_ms: p50/p95/p99 of the replies in the range; delta (24 h range only) = p50
      minus the previous 24 h's p50 (lower is better).
    - pipeline_value: sum of asking prices of hot, qualified and booked leads;
      commission_potential = pipeline_value x COMMISSION_RATE (whole dollars). Both have no
      delta: their history is not kept.
    - appointments_booked: bookings in the range; for 24 h, previous = the 24 h before.
    - opt_out_rate: opted out / conversations, previous like qualification_rate.
    - offer_acceptance_rate: accepted / (accepted + declined) offers; counter_offers:
      conversations negotiating a counter-offer; needs_human: flagged for a person. No delta.
    A rate with a zero denominator and a percentile without samples are None, never 0.

    Reads: the live part (stats, the current hour, two minute hashes, the stalled count) in
    one round trip; the completed hours of the range and of the 48 h the cards compare come
    merged from ``HoursSummary``, computed once per hour and history version and kept in Redis.
    """

    def __init__(self, client: redis.Redis, settings: Settings,
                 clock: Callable[[], datetime] = utc_now,
                 reader: AggregateReader | None = None,
                 tracker: PerformanceTracker | None = None,
                 summaries=None) -> None:
        self.settings = settings
        self.clock = clock
        self.reader = reader or AggregateReader(client)
        self.tracker = tracker or PerformanceTracker(WINDOW_HOURS)
        self.summaries = summaries  # a Flask-Caching backend, or None: computed every time

    # -- panels --------------------------------------------------------------------------
    def kpis(self, spec: RangeSpec | None = None) -> KpiPanel:
        """Hero, splits, the range's series and heatmap: one live read plus the summary."""
        return self.kpis_and_distributions(spec)[0]

    def kpis_and_distributions(self, spec: RangeSpec | None = None
                               ) -> tuple[KpiPanel, DistributionPanel]:
        """Both panels from the same read (the distributions need only its stats hash)."""
        spec = spec or RangeSpec()
        now = self.clock()
        t = now.timestamp()
        current = hour_of(t)
        first, last = spec.hours(t, self.settings.timezone)
        live = self.reader.read(
            stats=True, hours=[current],
            minutes={current - DAY: WINDOW_EVENTS, current - 2 * DAY: PREVIOUS_WINDOW_EVENTS},
            stalled_before=t - self.settings.stalled_after_seconds)
        summary = self.summary(live, current, first, last)
        stats = live.stats
        messages, response_times = self._series(live, summary, current, first, last)
        window = Window(
            range=spec.name, label=spec.label(),
            start=datetime.fromtimestamp(first, UTC).isoformat(),
            end=datetime.fromtimestamp(min(last + HOUR, t), UTC).isoformat(),
            kept_from=datetime.fromtimestamp(self._kept_from(current), UTC).isoformat(),
            hours=(last - first) // HOUR + 1)
        return KpiPanel(
            as_of=now.isoformat(), version=live.version,
            total_conversations=stats["conversations"],
            stalled_conversations=live.stalled,
            hero=self.hero(live, summary, t, spec, include_current=last == current),
            by_temperature={temp: stats[f"temp:{temp}"] for temp in TEMPERATURES},
            by_stage={stage: stats[f"stage:{stage}"] for stage in STAGES},
            messages=messages, response_times=response_times, window=window,
            heatmap=heatmap(messages, self.settings.timezone),
            needs_human={"total": stats["needs_human"],
                         **{reason: stats[f"needs_human:{reason}"]
                            for reason in NEEDS_HUMAN_REASONS}},
        ), self._distributions(stats, now, live.version)

    def distributions(self) -> DistributionPanel:
        """Funnel and the price, timeline and motivation splits: the stats hashes only."""
        snapshot = self.reader.read(stats=True)
        return self._distributions(snapshot.stats, self.clock(), snapshot.version)

    @staticmethod
    def _distributions(stats: Counter, now: datetime, version: str) -> DistributionPanel:

        def split(prefix: str, names: Iterable[tuple[str, str]]) -> Distribution:
            pairs = list(names)
            return Distribution(labels=[label for _, label in pairs],
                                counts=[stats[f"{prefix}:{name}"] for name, _ in pairs])

        return DistributionPanel(
            as_of=now.isoformat(), version=version,
            funnel=split("funnel", ((s, s) for s in FUNNEL_STAGES)),
            price_distribution=split("price_bin", price_labels()),
            timeline_distribution=split(
                "timeline", ((label, label) for label, _ in (*TIMELINE_BUCKETS, (UNKNOWN, 0)))),
            motivation_distribution=split(
                "motivation", ((m, m) for m in (*MOTIVATIONS, UNKNOWN))))

    def version(self) -> str:
        return self.reader.version()

    # -- completed hours -------------------------------------------------------------------
    def _kept_from(self, current: int) -> int:
        """The oldest hour whose bucket can still exist."""
        return current - (self.settings.bucket_retention_seconds // HOUR - 1) * HOUR

    def summary(self, live: AggregateSnapshot, current: int, first: int,
                last: int) -> HoursSummary:
        """The completed hours' merged sums, from Redis when kept, else read and kept."""
        key = (f"hours:{live.history}:{current}:{first}:{last}:"
               f"{hashlib.sha1(','.join(live.locations).encode()).hexdigest()[:12]}")
        if self.summaries is not None:
            cached = self.summaries.get(key)
            if cached is not None:
                try:
                    return HoursSummary(**cached)
                except TypeError:
                    pass  # written by another release of the app: recompute
        result = self._compute_summary(current, first, last)
        if self.summaries is not None:
            try:  # best-effort, like every cache write: a full Redis never fails a read (#13)
                self.summaries.set(key, result.to_dict(), timeout=SUMMARY_SECONDS)
            except redis.RedisError as exc:
                log.warning("hours summary not kept (%s)", type(exc).__name__)
        return result

    def _compute_summary(self, current: int, first: int, last: int) -> HoursSummary:
        lowest = max(min(first, current - 2 * DAY + HOUR), self._kept_from(current))
        completed = list(range(lowest, current, HOUR))
        buckets = self.reader.read(hours=completed).hours if completed else {}
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

        def as_json(histogram_: ResponseHistogram) -> dict[str, int]:
            return {str(b): n for b, n in histogram_.counts.items()}

        kept = self._kept_from(current)
        series: dict[str, list] = {name: [] for name in (
            *SERIES_FIELDS, "p50", "p95", "samples", "dt_p50", "dt_p95", "dt_samples")}
        for hour in range(first, min(last + HOUR, current), HOUR):
            found = bucket(hour)
            missing = hour < kept
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
            day={kind: as_json(merged(day, kind)) for kind in HISTOGRAMS},
            previous_p50={kind: h.percentile(50) for kind, h in previous.items()},
            previous_samples={kind: h.samples for kind, h in previous.items()},
            range_hist={kind: as_json(merged(range_hours, kind)) for kind in HISTOGRAMS},
            range_events=events(range_hours, ("booked", "in")))

    # -- figures -------------------------------------------------------------------------
    def hero(self, live: AggregateSnapshot, summary: HoursSummary, t: float,
             spec: RangeSpec, *, include_current: bool = True) -> Hero:
        """The KPI cards (definitions in the class docstring)."""
        stats = live.stats
        current = hour_of(t)
        last_24h = self.events_last_24h(live, summary, t)
        before = self.events_previous_24h(live, summary, t)
        conversations = stats["conversations"]
        active = stats["open"]
        pipeline_value = stats["pipeline_value"]
        now_bucket = live.hours.get(current, HourBucket())
        if spec.name == "24h":
            # Delivered once any reply of these 48 hours was accepted by GoHighLevel (#11).
            kind = "dt" if self.delivered(
                sum(summary.day["dt"].values()) + summary.previous_samples["dt"]
                + sum(now_bucket.dt.values())) else "rt"
            response = self.tracker.from_histograms(
                ResponseHistogram.merge([histogram(summary.day[kind]),
                                         getattr(now_bucket, kind)]),
                summary.previous_p50[kind])
            booked_now, booked_before = last_24h["booked"], before["booked"]
            booked = Kpi(booked_now, booked_now - booked_before, booked_before)
        else:
            live_dt = sum(now_bucket.dt.values()) if include_current else 0
            kind = "dt" if self.delivered(sum(summary.range_hist["dt"].values())
                                          + live_dt) else "rt"
            parts = [histogram(summary.range_hist[kind])]
            booked_now = summary.range_events["booked"]
            if include_current:
                parts.append(getattr(now_bucket, kind))
                booked_now += now_bucket.events["booked"]
            response = self.tracker.from_histograms(ResponseHistogram.merge(parts), None)
            booked = Kpi(booked_now, None, None, note=RANGE_DELTA_NOTE)
        response = replace(response, basis="delivered" if kind == "dt" else "processing")
        accepted = stats["offer_response:accepted"]
        answered = accepted + stats["offer_response:declined"]
        return Hero(
            active_conversations=Kpi(active, last_24h["open_net"],
                                     active - last_24h["open_net"]),
            qualification_rate=rate(stats["qualified"], conversations, last_24h["qualified"],
                                    last_24h["new"]),
            hot_leads=Kpi(stats["hot_action"], last_24h["hot_action_net"],
                          stats["hot_action"] - last_24h["hot_action_net"]),
            response_time_ms=response,
            pipeline_value=Kpi(pipeline_value, None, None, note=NO_HISTORY),
            commission_potential=Kpi(round(pipeline_value * self.settings.commission_rate),
                                     None, None, note=NO_HISTORY),
            appointments_booked=booked,
            opt_out_rate=rate(stats["stage:opted_out"], conversations, last_24h["opted_out"],
                              last_24h["new"]),
            offer_acceptance_rate=Kpi(accepted / answered if answered else None, None, None,
                                      note=NO_HISTORY),
            counter_offers=Kpi(stats["stage:negotiating"], None, None, note=NO_HISTORY),
            needs_human=Kpi(stats["needs_human"], None, None, note=NO_HISTORY),
            speed_to_lead_ms=self._speed_to_lead(summary, now_bucket),
        )

    def delivered(self, samples: int) -> bool:
        """Response time shows "delivered" (arrival to GoHighLevel accepting the reply) once
        replies go out through GoHighLevel and some were accepted in the hours shown, else
        "processing" (arrival to the reply decided)."""
        return self.settings.outbox_enabled and samples > 0

    def _speed_to_lead(self, summary: HoursSummary, now_bucket: HourBucket) -> SpeedToLeadKpi:
        """First inbound to the first reply accepted, over the last 24 h, against the 24 before."""
        kpi = self.tracker.from_histograms(
            ResponseHistogram.merge([histogram(summary.day["stl"]), now_bucket.stl]),
            summary.previous_p50["stl"])
        return SpeedToLeadKpi(p50=kpi.p50, p95=kpi.p95, delta=kpi.delta, samples=kpi.samples)

    def events_last_24h(self, live: AggregateSnapshot, summary: HoursSummary,
                        t: float) -> Counter:
        """Counts of WINDOW_EVENTS from M - 24 h (M: t floored to the minute) up to t: the
        23 completed hours (summary), the current hour and the minutes of hour H-24 (live)."""
        current = hour_of(t)
        now_events = live.hours.get(current, HourBucket()).events
        partial = self._minutes(live, current - DAY, int(t - current) // MINUTE, 60)
        return Counter({event: summary.day_events.get(event, 0) + now_events[event]
                        + partial[event] for event in WINDOW_EVENTS})

    def events_previous_24h(self, live: AggregateSnapshot, summary: HoursSummary,
                            t: float) -> Counter:
        """Counts of PREVIOUS_WINDOW_EVENTS from M - 48 h up to (not including) M - 24 h."""
        current = hour_of(t)
        first_minute = int(t - current) // MINUTE
        newest = self._minutes(live, current - DAY, 0, first_minute)
        oldest = self._minutes(live, current - 2 * DAY, first_minute, 60)
        return Counter({event: newest[event] + summary.previous_events.get(event, 0)
                        + oldest[event] for event in PREVIOUS_WINDOW_EVENTS})

    @staticmethod
    def _minutes(snapshot: AggregateSnapshot, hour: int, start: int, stop: int) -> Counter:
        """Events of minutes [start, stop) of ``hour`` from its minute bucket."""
        return Counter({event: sum(counts[start:stop])
                        for event, counts in snapshot.minutes.get(hour, {}).items()})

    def _series(self, live: AggregateSnapshot, summary: HoursSummary, current: int,
                first: int, last: int) -> tuple[TimeSeries, TimeSeries]:
        """Messages and response-time series over the hours ``first`` .. ``last``."""
        starts = list(range(first, last + HOUR, HOUR))
        buckets = [datetime.fromtimestamp(h, UTC).isoformat() for h in starts]
        values = {name: list(summary.series[name]) for name in summary.series}
        if last == current:
            now = live.hours.get(current, HourBucket())
            for name in SERIES_FIELDS:
                values[name].append(now.events[name])
            for prefix, counts in (("", now.rt), ("dt_", now.dt)):
                p50, p95 = ResponseHistogram(counts).percentiles(50, 95)
                values[f"{prefix}p50"].append(p50)
                values[f"{prefix}p95"].append(p95)
                values[f"{prefix}samples"].append(sum(counts.values()))
        messages = TimeSeries(buckets=buckets, series={
            "inbound": values["in"], "outbound": values["out"],
            "new_conversations": values["new"]})
        prefix = "dt_" if self.delivered(sum(v or 0 for v in values["dt_samples"])) else ""
        response_times = TimeSeries(buckets=buckets, series={
            name: values[prefix + name] for name in ("p50", "p95", "samples")})
        return messages, response_times
