"""Dashboard figures computed from the write-time aggregates (docs/redis-keys.md): the KPI
cards, the splits, the funnel and the range's time series.

Reads go through ``services.aggregate_reader`` (one pipelined round trip per panel); the
windows are defined in ``services.hours_summary``. Deleted and expired conversations take their
events with them (their whole contribution is subtracted), so "previous" figures describe the
conversations still stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import redis

from core.clock import utc_now
from core.schema import (
    DELIVERED,
    HOUR,
    PRICE_BINS,
    RESPONSE_TIME,
    SPEED_TO_LEAD,
    UNKNOWN_BIN,
    Events,
    Stats,
    hour_of,
    stat,
)
from core.settings import Settings
from seller_bot.fields import distributed
from seller_bot.models import (
    FUNNEL_STAGES,
    NEEDS_HUMAN_REASONS,
    STAGES,
    TEMPERATURES,
)
from services.aggregate_reader import AggregateReader, AggregateSnapshot, HourBucket
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
from services.hours_summary import (
    PREVIOUS_WINDOW_EVENTS,
    SERIES_FIELDS,
    WINDOW_EVENTS,
    WINDOW_HOURS,
    HoursSummaries,
    HoursSummary,
    KeptHistogram,
)
from services.performance_tracker import PerformanceTracker, ResponseHistogram
from services.range_spec import RangeSpec

MINUTE = 60
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NO_HISTORY = "no history kept: the change cannot be computed"
RANGE_DELTA_NOTE = "change shown for the 24 h range only"
HERO_TYPES = {"response_time_ms": ResponseTimeKpi, "speed_to_lead_ms": SpeedToLeadKpi}


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
    """Funnel and the splits of the fields with a distribution, by its name (5 min tier)."""

    as_of: str
    funnel: Distribution
    distributions: dict[str, Distribution]
    version: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DistributionPanel:
        return cls(as_of=data["as_of"], version=data["version"],
                   funnel=Distribution(**data["funnel"]),
                   distributions={name: Distribution(**value)
                                  for name, value in data["distributions"].items()})


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
    return [*labels, (UNKNOWN_BIN, UNKNOWN_BIN)]


# Distributions whose bars read otherwise than their bins (a bin not listed reads as itself).
BIN_LABELS = {"price": dict(price_labels())}


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
        self.hours = HoursSummaries(self.reader, settings, summaries)

    # -- panels --------------------------------------------------------------------------
    def kpis(self, spec: RangeSpec | None = None,
             locations: Sequence[str] | None = None) -> KpiPanel:
        """Hero, splits, the range's series and heatmap: one live read plus the summary."""
        return self.kpis_and_distributions(spec, locations)[0]

    def kpis_and_distributions(self, spec: RangeSpec | None = None,
                               locations: Sequence[str] | None = None
                               ) -> tuple[KpiPanel, DistributionPanel]:
        """Both panels from the same read (the distributions need only its stats hash), over
        ``locations`` (None: every location)."""
        spec = spec or RangeSpec()
        now = self.clock()
        t = now.timestamp()
        current = hour_of(t)
        first, last = spec.hours(t, self.settings.timezone)
        live = self.reader.read(
            stats=True, hours=[current],
            stalled_before=t - self.settings.stalled_after_seconds, only=locations)
        summary = self.hours.get(live, current, first, last)
        stats = live.stats
        messages, response_times = self._series(live, summary, current, first, last)
        window = Window(
            range=spec.name, label=spec.label(),
            start=datetime.fromtimestamp(first, UTC).isoformat(),
            end=datetime.fromtimestamp(min(last + HOUR, t), UTC).isoformat(),
            kept_from=datetime.fromtimestamp(self.hours.kept_from(current), UTC).isoformat(),
            hours=(last - first) // HOUR + 1)
        return KpiPanel(
            as_of=now.isoformat(), version=live.version,
            total_conversations=stats[Stats.CONVERSATIONS],
            stalled_conversations=live.stalled,
            hero=self.hero(live, summary, t, spec, include_current=last == current),
            by_temperature={temp: stats[stat(Stats.TEMPERATURE, temp)] for temp in TEMPERATURES},
            by_stage={stage: stats[stat(Stats.STAGE, stage)] for stage in STAGES},
            messages=messages, response_times=response_times, window=window,
            heatmap=heatmap(messages, self.settings.timezone),
            needs_human={"total": stats[Stats.NEEDS_HUMAN],
                         **{reason: stats[stat(Stats.NEEDS_HUMAN_REASON, reason)]
                            for reason in NEEDS_HUMAN_REASONS}},
        ), self._distributions(stats, now, live.version)

    def distributions(self, locations: Sequence[str] | None = None) -> DistributionPanel:
        """Funnel and the fields' distributions: the stats hashes only."""
        snapshot = self.reader.read(stats=True, only=locations)
        return self._distributions(snapshot.stats, self.clock(), snapshot.version)

    @staticmethod
    def _distributions(stats: Counter, now: datetime, version: str) -> DistributionPanel:
        """The funnel, and per field with a distribution (``seller_bot.fields``) the count of
        each of its bins."""
        distributions = {}
        for f in distributed():
            name, family, bins = f.counter.distribution, f.counter.family, f.counter.all_bins
            labels = BIN_LABELS.get(name, {})
            distributions[name] = Distribution(
                labels=[labels.get(b, b) for b in bins],
                counts=[stats[stat(family, b)] for b in bins])
        return DistributionPanel(
            as_of=now.isoformat(), version=version,
            funnel=Distribution(labels=list(FUNNEL_STAGES),
                                counts=[stats[stat(Stats.FUNNEL, s)] for s in FUNNEL_STAGES]),
            distributions=distributions)

    def version(self, locations: Sequence[str] | None = None) -> str:
        return self.reader.version(locations)

    # -- figures -------------------------------------------------------------------------
    def hero(self, live: AggregateSnapshot, summary: HoursSummary, t: float,
             spec: RangeSpec, *, include_current: bool = True) -> Hero:
        """The KPI cards (definitions in the class docstring)."""
        stats = live.stats
        current = hour_of(t)
        last_24h = self.events_last_24h(live, summary, t)
        before = self.events_previous_24h(summary, t)
        conversations = stats[Stats.CONVERSATIONS]
        active = stats[Stats.OPEN]
        pipeline_value = stats[Stats.PIPELINE_VALUE]
        now_bucket = live.hours.get(current, HourBucket())
        if spec.name == "24h":
            # Delivered once any reply of these 48 hours was accepted by GoHighLevel (#11).
            kind = DELIVERED if self.delivered(
                KeptHistogram(summary.day[DELIVERED], now_bucket.dt).samples
                + summary.previous_samples[DELIVERED]) else RESPONSE_TIME
            response = self.tracker.from_histograms(
                KeptHistogram(summary.day[kind], getattr(now_bucket, kind)),
                summary.previous_p50[kind])
            booked_now, booked_before = last_24h[Events.BOOKED], before[Events.BOOKED]
            booked = Kpi(booked_now, booked_now - booked_before, booked_before)
        else:
            live_dt = sum(now_bucket.dt.values()) if include_current else 0
            kind = DELIVERED if self.delivered(
                KeptHistogram(summary.range_hist[DELIVERED]).samples + live_dt) else RESPONSE_TIME
            booked_now = summary.range_events[Events.BOOKED]
            if include_current:
                booked_now += now_bucket.events[Events.BOOKED]
            response = self.tracker.from_histograms(KeptHistogram(
                summary.range_hist[kind], getattr(now_bucket, kind) if include_current else None),
                None)
            booked = Kpi(booked_now, None, None, note=RANGE_DELTA_NOTE)
        response = replace(response, basis="delivered" if kind == DELIVERED else "processing")
        accepted = stats[stat(Stats.OFFER_RESPONSE, "accepted")]
        answered = accepted + stats[stat(Stats.OFFER_RESPONSE, "declined")]
        return Hero(
            active_conversations=Kpi(active, last_24h[Events.OPEN_NET],
                                     active - last_24h[Events.OPEN_NET]),
            qualification_rate=rate(stats[Stats.QUALIFIED], conversations,
                                    last_24h[Events.QUALIFIED], last_24h[Events.NEW]),
            hot_leads=Kpi(stats[Stats.HOT_ACTION], last_24h[Events.HOT_ACTION_NET],
                          stats[Stats.HOT_ACTION] - last_24h[Events.HOT_ACTION_NET]),
            response_time_ms=response,
            pipeline_value=Kpi(pipeline_value, None, None, note=NO_HISTORY),
            commission_potential=Kpi(round(pipeline_value * self.settings.commission_rate),
                                     None, None, note=NO_HISTORY),
            appointments_booked=booked,
            opt_out_rate=rate(stats[stat(Stats.STAGE, "opted_out")], conversations,
                              last_24h[Events.OPTED_OUT], last_24h[Events.NEW]),
            offer_acceptance_rate=Kpi(accepted / answered if answered else None, None, None,
                                      note=NO_HISTORY),
            counter_offers=Kpi(stats[stat(Stats.STAGE, "negotiating")], None, None,
                               note=NO_HISTORY),
            needs_human=Kpi(stats[Stats.NEEDS_HUMAN], None, None, note=NO_HISTORY),
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
            KeptHistogram(summary.day[SPEED_TO_LEAD], now_bucket.stl),
            summary.previous_p50[SPEED_TO_LEAD])
        return SpeedToLeadKpi(p50=kpi.p50, p95=kpi.p95, delta=kpi.delta, samples=kpi.samples)

    def events_last_24h(self, live: AggregateSnapshot, summary: HoursSummary,
                        t: float) -> Counter:
        """Counts of WINDOW_EVENTS from M - 24 h (M: t floored to the minute) up to t: the
        23 completed hours and the minutes of hour H-24 (summary), and the current hour (live)."""
        current = hour_of(t)
        now_events = live.hours.get(current, HourBucket()).events
        partial = self._minutes(summary.day_minutes, int(t - current) // MINUTE, 60)
        return Counter({event: summary.day_events.get(event, 0) + now_events[event]
                        + partial[event] for event in WINDOW_EVENTS})

    def events_previous_24h(self, summary: HoursSummary, t: float) -> Counter:
        """Counts of PREVIOUS_WINDOW_EVENTS from M - 48 h up to (not including) M - 24 h."""
        current = hour_of(t)
        first_minute = int(t - current) // MINUTE
        newest = self._minutes(summary.day_minutes, 0, first_minute)
        oldest = self._minutes(summary.previous_minutes, first_minute, 60)
        return Counter({event: newest[event] + summary.previous_events.get(event, 0)
                        + oldest[event] for event in PREVIOUS_WINDOW_EVENTS})

    @staticmethod
    def _minutes(per_minute: dict[str, list[int]], start: int, stop: int) -> Counter:
        """Events of minutes [start, stop) of an hour from its per-minute counts."""
        return Counter({event: sum(counts[start:stop])
                        for event, counts in per_minute.items()})

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
            "inbound": values[Events.INBOUND], "outbound": values[Events.OUTBOUND],
            "new_conversations": values[Events.NEW]})
        prefix = "dt_" if self.delivered(sum(v or 0 for v in values["dt_samples"])) else ""
        response_times = TimeSeries(buckets=buckets, series={
            name: values[prefix + name] for name in ("p50", "p95", "samples")})
        return messages, response_times
