"""Rolling windows, rates and labels of services.metrics_service, on hand-made buckets."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import orjson

from core.schema import HOUR, PRICE_BINS
from core.settings import Settings
from services.aggregate_reader import AggregateSnapshot, HourBucket
from services.dashboard_models import Distribution, Hero, Kpi, ResponseTimeKpi, TimeSeries
from services.metrics_service import KpiPanel, MetricsService, price_labels, rate

H = 1_000_000 * HOUR
T = H + 30 * 60 + 20  # minute 30 of hour H, plus 20 seconds


def snapshot(hours: dict[int, dict], minutes: dict[int, dict]) -> AggregateSnapshot:
    """Hours as hashes are stored; ``minutes[hour]["<event>:<MM>"]`` like the minute hashes."""
    buckets = {H - k * HOUR: HourBucket() for k in range(50)}
    for hour, fields in hours.items():
        buckets[hour].add({name: str(value) for name, value in fields.items()})
    per_minute = {}
    for hour, fields in minutes.items():
        for name, value in fields.items():
            event, minute = name.split(":")
            per_minute.setdefault(hour, {}).setdefault(event, [0] * 60)[int(minute)] = value
    return AggregateSnapshot(locations=["loc-1"], version="v", stats=Counter(), hours=buckets,
                             minutes=per_minute)


class SnapshotReader:
    """Hands the service a hand-made snapshot as if read from Redis."""

    def __init__(self, snap: AggregateSnapshot) -> None:
        self.snap = snap

    def read(self, **_) -> AggregateSnapshot:
        return self.snap


def service(snap: AggregateSnapshot | None = None) -> MetricsService:
    return MetricsService(None, Settings(), clock=lambda: datetime.fromtimestamp(T, UTC),
                          reader=SnapshotReader(snap) if snap else None)


def summary(snap: AggregateSnapshot):
    return service(snap).hours.compute(H, H - 23 * HOUR, H)


def test_metrics005_last_24_hours_are_minute_precise():
    day = 24 * HOUR
    snap = snapshot(
        hours={H: {"new": 1}, H - 23 * HOUR: {"new": 2},
               H - day: {"new": 40}, H - 25 * HOUR: {"new": 100}},
        minutes={H - day: {"new:29": 10, "new:30": 20, "new:59": 10}})
    last = service().events_last_24h(snap, summary(snap), T)
    # whole hours H-23h..H, and of hour H-24h the minutes from 30 on.
    assert last["new"] == 1 + 2 + 20 + 10


def test_metrics006_previous_24_hours_are_minute_precise():
    day = 24 * HOUR
    snap = snapshot(
        hours={H - day: {"booked": 3}, H - 25 * HOUR: {"booked": 5},
               H - 47 * HOUR: {"booked": 7}, H - 2 * day: {"booked": 30},
               H - 49 * HOUR: {"booked": 1000}},
        minutes={H - day: {"booked:00": 1, "booked:29": 2, "booked:30": 100},
                 H - 2 * day: {"booked:29": 10, "booked:30": 20}})
    before = service().events_previous_24h(summary(snap), T)
    # minutes < 30 of H-24h, whole hours H-47h..H-25h, minutes >= 30 of H-48h.
    assert before["booked"] == 1 + 2 + 5 + 7 + 20


def test_metrics007_rates_are_none_without_a_denominator():
    assert rate(0, 0, 0, 0) == Kpi(value=None, delta=None, previous=None)
    assert rate(2, 4, 2, 4) == Kpi(value=0.5, delta=None, previous=None)
    assert rate(3, 6, 1, 2) == Kpi(value=0.5, delta=0.0, previous=0.5)
    assert rate(1, 4, 1, 1) == Kpi(value=0.25, delta=0.25, previous=0.0)


def test_metrics008_price_labels_cover_every_bin():
    labels = price_labels()
    assert [name for name, _ in labels] == [*map(str, PRICE_BINS), "unknown"]
    assert labels[0][1] == "under $100k"
    assert labels[3][1] == "$300k-400k"
    assert labels[-3][1] == "$1M-1.5M"
    assert labels[-2][1] == "$1.5M+"


def test_metrics009_kpi_panel_survives_the_json_cache():
    series = TimeSeries(buckets=["2026-01-01T00:00:00+00:00"], series={"p50": [None]})
    panel = KpiPanel(
        as_of="2026-01-01T00:00:00+00:00", version="abc", total_conversations=3,
        stalled_conversations=1,
        hero=Hero(active_conversations=Kpi(3, -1, 4), qualification_rate=Kpi(0.5, 0.1, 0.4),
                  hot_leads=Kpi(1, 0, 1),
                  response_time_ms=ResponseTimeKpi(1.5, 2.5, 3.5, 9, -0.5, 2.0),
                  pipeline_value=Kpi(100, note="n"), commission_potential=Kpi(6, note="n"),
                  appointments_booked=Kpi(1, 1, 0), opt_out_rate=Kpi(None)),
        by_temperature={"hot": 1}, by_stage={"new": 2}, messages=series,
        response_times=series)
    assert KpiPanel.from_dict(orjson.loads(orjson.dumps(panel.to_dict()))) == panel
    assert Distribution(["a"], [1]) == Distribution(**orjson.loads(orjson.dumps(
        Distribution(["a"], [1]))))
