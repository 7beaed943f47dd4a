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
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import pairwise

import redis

from core.keys import LOCATIONS, LocationKeys
from core.settings import Settings
from seller_bot.aggregates import HOUR, PRICE_BINS, TIMELINE_BUCKETS, hour_of
from seller_bot.bot import utc_now
from seller_bot.models import (
    FUNNEL_STAGES,
    MOTIVATIONS,
    NEEDS_HUMAN_REASONS,
    STAGES,
    TEMPERATURES,
)
from services.dashboard_models import (
    Distribution,
    Hero,
    Kpi,
    ResponseTimeKpi,
    SpeedToLeadKpi,
    TimeSeries,
)
from services.performance_tracker import (
    DELIVERED_PREFIX,
    RT_PREFIX,
    SPEED_TO_LEAD_PREFIX,
    PerformanceTracker,
)

MINUTE = 60
DAY = 24 * HOUR
WINDOW_HOURS = 24
RANGE_HOURS = {"24h": 24, "7d": 7 * 24}
UNKNOWN = "unknown"
NO_HISTORY = "no history kept: the change cannot be computed"
# Locations re-read this many times at most when the set changes during a read.
LOCATION_RETRIES = 3
# "rt:<bin>" -> bin for every bin up to hours of response time: parsed once, not per read.
RT_FIELD_BINS = {f"{prefix}{rt_bin}": (prefix, rt_bin) for rt_bin in range(400)
                 for prefix in (RT_PREFIX, DELIVERED_PREFIX, SPEED_TO_LEAD_PREFIX)}
HISTOGRAM_PREFIXES = (RT_PREFIX, DELIVERED_PREFIX, SPEED_TO_LEAD_PREFIX)
HERO_TYPES = {"response_time_ms": ResponseTimeKpi, "speed_to_lead_ms": SpeedToLeadKpi}
# Events the figures count over the last 24 h and over the 24 h before; only their minute
# counts are read for the partial hours at the windows' edges.
WINDOW_EVENTS = ("new", "qualified", "booked", "opted_out", "hot_net", "open_net")
PREVIOUS_WINDOW_EVENTS = ("booked",)


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
        """The data version of all locations (SMEMBERS + MGET, one round trip)."""
        def queue(pipe: redis.client.Pipeline, locations: list[str]) -> None:
            if locations:
                pipe.mget([LocationKeys(loc).version for loc in locations])

        locations, replies = self._pipelined(queue)
        return data_version(locations, replies[0] if locations else [])

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
            pipe.mget([LocationKeys(loc).version for loc in locations])
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
            version=data_version(locations, replies[0] if locations else []),
            stats=Counter(), hours={hour: HourBucket() for hour in hours},
            minutes={hour: {event: [0] * 60 for event in events}
                     for hour, events in minutes.items()})
        it = iter(replies[1:])
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


# -- panels (the cached units) ---------------------------------------------------------------
@dataclass(frozen=True)
class KpiPanel:
    """Hero figures, temperature and stage split, and the 24 h series (30 s tier)."""

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
        })


@dataclass(frozen=True)
class DistributionPanel:
    """Funnel and the price, timeline and motivation splits (5 min tier)."""

    as_of: str
    funnel: Distribution
    price_distribution: Distribution
    timeline_distribution: Distribution
    motivation_distribution: Distribution

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DistributionPanel:
        return cls(as_of=data["as_of"], **{
            name: Distribution(**value) for name, value in data.items() if name != "as_of"})


@dataclass(frozen=True)
class TrendPanel:
    """Messages and response times per hour over a range (7 days: the 1 h tier)."""

    as_of: str
    range: str
    messages: TimeSeries
    response_times: TimeSeries

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TrendPanel:
        return cls(as_of=data["as_of"], range=data["range"],
                   messages=TimeSeries(**data["messages"]),
                   response_times=TimeSeries(**data["response_times"]))


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
    - hot_leads: conversations scored hot; delta = net change in the last 24 h (``hot_net``).
    - qualification_rate: qualified (offer accepted) / conversations, 0-1; previous =
      (qualified - qualifications in 24 h) / (conversations - new conversations in 24 h).
    - response_time_ms: p50/p95/p99 of the bot's replies in the last 24 h; delta = p50 minus
      the previous 24 h's p50 (lower is better).
    - pipeline_value: sum of asking prices of hot, qualified and booked leads;
      commission_potential = pipeline_value x COMMISSION_RATE (whole dollars). Both have no
      delta: their history is not kept.
    - appointments_booked: bookings in the last 24 h; previous = bookings in the 24 h before.
    - opt_out_rate: opted out / conversations, previous like qualification_rate.
    A rate with a zero denominator and a percentile without samples are None, never 0.
    """

    def __init__(self, client: redis.Redis, settings: Settings,
                 clock: Callable[[], datetime] = utc_now,
                 reader: AggregateReader | None = None,
                 tracker: PerformanceTracker | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.reader = reader or AggregateReader(client)
        self.tracker = tracker or PerformanceTracker(WINDOW_HOURS)

    # -- panels --------------------------------------------------------------------------
    def kpis(self) -> KpiPanel:
        """Hero, splits and the 24 h series: stats, 48 hour and 2 minute buckets, one read."""
        now = self.clock()
        t = now.timestamp()
        current = hour_of(t)
        snapshot = self.reader.read(
            stats=True,
            hours=[current - k * HOUR for k in range(2 * WINDOW_HOURS)],
            minutes={current - DAY: WINDOW_EVENTS, current - 2 * DAY: PREVIOUS_WINDOW_EVENTS},
            stalled_before=t - self.settings.stalled_after_seconds)
        stats = snapshot.stats
        messages, response_times = self._series(snapshot, current, WINDOW_HOURS)
        return KpiPanel(
            as_of=now.isoformat(), version=snapshot.version,
            total_conversations=stats["conversations"],
            stalled_conversations=snapshot.stalled,
            hero=self.hero(snapshot, t),
            by_temperature={temp: stats[f"temp:{temp}"] for temp in TEMPERATURES},
            by_stage={stage: stats[f"stage:{stage}"] for stage in STAGES},
            messages=messages, response_times=response_times,
            needs_human={"total": stats["needs_human"],
                         **{reason: stats[f"needs_human:{reason}"]
                            for reason in NEEDS_HUMAN_REASONS}})

    def distributions(self) -> DistributionPanel:
        """Funnel and the price, timeline and motivation splits: the stats hashes only."""
        now = self.clock()
        stats = self.reader.read(stats=True).stats

        def split(prefix: str, names: Iterable[tuple[str, str]]) -> Distribution:
            pairs = list(names)
            return Distribution(labels=[label for _, label in pairs],
                                counts=[stats[f"{prefix}:{name}"] for name, _ in pairs])

        return DistributionPanel(
            as_of=now.isoformat(),
            funnel=split("funnel", ((s, s) for s in FUNNEL_STAGES)),
            price_distribution=split("price_bin", price_labels()),
            timeline_distribution=split(
                "timeline", ((label, label) for label, _ in (*TIMELINE_BUCKETS, (UNKNOWN, 0)))),
            motivation_distribution=split(
                "motivation", ((m, m) for m in (*MOTIVATIONS, UNKNOWN))))

    def trends(self, range_: str) -> TrendPanel:
        """Messages and response times per hour for ``range_`` (24h: 24 points, 7d: 168)."""
        count = RANGE_HOURS[range_]
        now = self.clock()
        current = hour_of(now.timestamp())
        snapshot = self.reader.read(hours=[current - k * HOUR for k in range(count)])
        messages, response_times = self._series(snapshot, current, count)
        return TrendPanel(as_of=now.isoformat(), range=range_, messages=messages,
                          response_times=response_times)

    def version(self) -> str:
        return self.reader.version()

    # -- figures -------------------------------------------------------------------------
    def hero(self, snapshot: AggregateSnapshot, t: float) -> Hero:
        """The eight KPI cards (definitions in the class docstring)."""
        stats = snapshot.stats
        last_24h = self.events_last_24h(snapshot, t)
        before = self.events_previous_24h(snapshot, t)
        conversations = stats["conversations"]
        active, hot = stats["open"], stats["temp:hot"]
        pipeline_value = stats["pipeline_value"]
        booked_now, booked_before = last_24h["booked"], before["booked"]
        return Hero(
            active_conversations=Kpi(active, last_24h["open_net"],
                                     active - last_24h["open_net"]),
            qualification_rate=rate(stats["qualified"], conversations, last_24h["qualified"],
                                    last_24h["new"]),
            hot_leads=Kpi(hot, last_24h["hot_net"], hot - last_24h["hot_net"]),
            response_time_ms=self.response_time_kpi(
                [snapshot.hours[hour_of(t) - k * HOUR] for k in range(2 * WINDOW_HOURS)]),
            pipeline_value=Kpi(pipeline_value, None, None, note=NO_HISTORY),
            commission_potential=Kpi(round(pipeline_value * self.settings.commission_rate),
                                     None, None, note=NO_HISTORY),
            appointments_booked=Kpi(booked_now, booked_now - booked_before, booked_before),
            opt_out_rate=rate(stats["stage:opted_out"], conversations, last_24h["opted_out"],
                              last_24h["new"]),
            speed_to_lead_ms=self.tracker.speed_to_lead(
                [snapshot.hours[hour_of(t) - k * HOUR].stl for k in range(2 * WINDOW_HOURS)]),
        )

    def basis(self, hours: Iterable[HourBucket]) -> str:
        """What response time shows: "delivered" (arrival to GoHighLevel accepting the reply)
        once replies go out through GoHighLevel and some were accepted in these hours, else
        "processing" (arrival to the reply decided)."""
        if self.settings.outbox_enabled and any(bucket.dt for bucket in hours):
            return "delivered"
        return "processing"

    def response_time_kpi(self, newest_first: list[HourBucket]) -> ResponseTimeKpi:
        basis = self.basis(newest_first)
        field_name = "dt" if basis == "delivered" else "rt"
        return self.tracker.kpi([getattr(b, field_name) for b in newest_first], basis=basis)

    def events_last_24h(self, snapshot: AggregateSnapshot, t: float) -> Counter:
        """Counts of WINDOW_EVENTS from M - 24 h (M: t floored to the minute) up to t."""
        current = hour_of(t)
        hours = [snapshot.hours[current - k * HOUR].events for k in range(WINDOW_HOURS)]
        partial = self._minutes(snapshot, current - DAY, int(t - current) // MINUTE, 60)
        return Counter({event: sum(h[event] for h in hours) + partial[event]
                        for event in WINDOW_EVENTS})

    def events_previous_24h(self, snapshot: AggregateSnapshot, t: float) -> Counter:
        """Counts of PREVIOUS_WINDOW_EVENTS from M - 48 h up to (not including) M - 24 h."""
        current = hour_of(t)
        first_minute = int(t - current) // MINUTE
        hours = [snapshot.hours[current - k * HOUR].events
                 for k in range(WINDOW_HOURS + 1, 2 * WINDOW_HOURS)]
        newest = self._minutes(snapshot, current - DAY, 0, first_minute)
        oldest = self._minutes(snapshot, current - 2 * DAY, first_minute, 60)
        return Counter({event: newest[event] + sum(h[event] for h in hours) + oldest[event]
                        for event in PREVIOUS_WINDOW_EVENTS})

    @staticmethod
    def _minutes(snapshot: AggregateSnapshot, hour: int, start: int, stop: int) -> Counter:
        """Events of minutes [start, stop) of ``hour`` from its minute bucket."""
        return Counter({event: sum(counts[start:stop])
                        for event, counts in snapshot.minutes.get(hour, {}).items()})

    def _series(self, snapshot: AggregateSnapshot, current: int,
                count: int) -> tuple[TimeSeries, TimeSeries]:
        """Messages and response-time series over the ``count`` hours ending with ``current``."""
        starts = [current - k * HOUR for k in range(count - 1, -1, -1)]
        buckets = [datetime.fromtimestamp(h, UTC).isoformat() for h in starts]
        events = [snapshot.hours[h].events for h in starts]
        messages = TimeSeries(buckets=buckets, series={
            "inbound": [e["in"] for e in events],
            "outbound": [e["out"] for e in events],
            "new_conversations": [e["new"] for e in events],
        })
        hours = [snapshot.hours[h] for h in starts]
        delivered = self.basis(hours) == "delivered"
        response_times = TimeSeries(buckets=buckets, series=self.tracker.hourly(
            [bucket.dt if delivered else bucket.rt for bucket in hours]))
        return messages, response_times
