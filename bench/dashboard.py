"""Dashboard read cost at 1,000 / 10,000 / 100,000 conversations, against the old way.

    python bench/dashboard.py [--sizes 1000,10000,100000] [--runs 50] [--write]
                              [--redis-urls URL,URL,URL]

Starts one redis-server per size (free ports, no persistence), or uses the ones given (a store
that holds the size's conversations already is used as it is; reuse it within the hour: with no
housekeeping running, documents past their TTL vanish uncounted and the pandas check then
disagrees). Seeds each with the demo
simulator's bulk path (``simulator.run``): realistic sellers through the real bot, each
final document written with the store's own commit script and contribution, pipelined. Then
times, per size, taking turns between the sizes run by run so that the load of a shared
machine falls on every size alike:
- the one-call dashboard read on a cache miss ("uncached": every panel recomputed, the
  completed hours' sums kept as they are all hour long), on the first read of an hour
  ("nothing kept": the completed hours read and summed too) and on a hit ("cached"), for the
  24 h and 7-day ranges;
- the data-version check the refresh tick makes;
- the straightforward implementation: load every document and aggregate in pandas, the way
  the old system did it, and checks that it finds the same figures.
Each measured read is one ``time_*`` function returning ``Read``s for a ``Bench``; add more
to ``READS``.
``--write`` replaces the issue-14 "Dashboard read" section of docs/benchmarks.md with the
results (the section above it keeps the figures from before that issue).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
import pandas as pd  # noqa: E402
import redis  # noqa: E402

from bench.common import machine, publish  # noqa: E402
from core.keys import CACHE_PREFIX, LocationKeys  # noqa: E402
from core.redis_client import DECODING  # noqa: E402
from core.schema import PRICE_BINS, TIMELINE_BUCKETS, Stats, hour_of  # noqa: E402
from core.settings import Settings  # noqa: E402
from seller_bot.aggregates import NO_ACTION_STAGES  # noqa: E402
from seller_bot.document import document_json  # noqa: E402
from seller_bot.models import CLOSED_STAGES, STAGES, TEMPERATURES, Conversation  # noqa: E402
from services.dashboard_data_service import DashboardDataService  # noqa: E402
from services.range_spec import RangeSpec  # noqa: E402
from simulator.delivery import InProcess  # noqa: E402
from simulator.run import Simulator  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

LOCATION = "bench-loc"
MGET_BATCH = 1000
PANDAS_RUNS = 3  # seconds each at 100,000 conversations
PANDAS_READ = "pandas, all documents (24h)"


@dataclass
class Bench:
    """One store of a given size, and the service under test on it."""

    server: RedisServer | None  # None: a Redis given with --redis-urls
    client: redis.Redis
    settings: Settings
    service: DashboardDataService
    conversations: int


@dataclass
class Read:
    """One measured read: ``call`` is timed, ``before_each`` (if any) runs untimed."""

    name: str
    call: Callable[[], object]
    before_each: Callable[[], None] | None = None
    runs: int | None = None  # None: the --runs default


@dataclass
class Timing:
    name: str
    runs: int
    median_ms: float
    p95_ms: float


def summarize(name: str, samples: list[float]) -> Timing:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)]
    return Timing(name, len(samples), statistics.median(samples), p95)


def time_interleaved(benches: list[Bench], reads: Callable[[Bench], list[Read]],
                     runs: int) -> dict[int, list[Timing]]:
    """Time each read on every store, one run per store in turn; warm up once first."""
    per_store = {bench.conversations: reads(bench) for bench in benches}
    samples = {size: [[] for _ in specs] for size, specs in per_store.items()}
    for specs in per_store.values():
        for spec in specs:
            if spec.runs is None:  # cheap reads get a warm-up: connections, first retirement
                spec.call()
    rounds = max(spec.runs or runs for specs in per_store.values() for spec in specs)
    for round_ in range(rounds):
        for size, specs in per_store.items():
            for i, spec in enumerate(specs):
                if round_ >= (spec.runs or runs):
                    continue
                if spec.before_each:
                    spec.before_each()
                started = time.perf_counter()
                spec.call()
                samples[size][i].append((time.perf_counter() - started) * 1000)
    return {size: [summarize(spec.name, samples[size][i]) for i, spec in enumerate(specs)]
            for size, specs in per_store.items()}


# -- measured reads ----------------------------------------------------------------------
def drop_panels(bench: Bench, range_: str) -> None:
    """Delete the range's panel entries but keep the completed hours' sums (as in any read
    but the first of an hour). By name: a SCAN of the whole keyspace right before the timed
    read would cost the read itself nothing but cold caches, more so the larger the store."""
    slots = DashboardDataService.panel_slots(RangeSpec.parse(range_)).values()
    bench.client.delete(*(f"{CACHE_PREFIX}{tier}:{key}" for tier, key in slots))


def time_dashboard_uncached(bench: Bench) -> list[Read]:
    """Cache miss: every panel recomputed from the aggregates (panels emptied, untimed)."""
    return [Read(f"dashboard {range_}, uncached", lambda r=range_: bench.service.dashboard(r),
                 lambda r=range_: drop_panels(bench, r))
            for range_ in ("24h", "7d")]


def time_dashboard_first_of_hour(bench: Bench) -> list[Read]:
    """The first read of an hour: panels and the completed hours' sums computed."""
    return [Read(f"dashboard {range_}, nothing kept",
                 lambda r=range_: bench.service.dashboard(r), bench.service.cache.clear)
            for range_ in ("24h", "7d")]


def time_dashboard_cached(bench: Bench) -> list[Read]:
    """Cache hit: one GET per panel."""
    return [Read(f"dashboard {range_}, cached", lambda r=range_: bench.service.dashboard(r))
            for range_ in ("24h", "7d")]


def time_version(bench: Bench) -> list[Read]:
    """The refresh tick's "did anything change" check."""
    return [Read("data version", bench.service.version)]


def time_pandas(bench: Bench) -> list[Read]:
    """The old way: load every document, aggregate in pandas."""
    now = datetime.now(UTC)
    return [Read(PANDAS_READ, lambda: pandas_dashboard(bench.client, bench.settings, now),
                 runs=PANDAS_RUNS)]


READS: list[Callable[[Bench], list[Read]]] = [
    time_dashboard_uncached, time_dashboard_first_of_hour, time_dashboard_cached, time_version,
    time_pandas]


# -- the straightforward implementation --------------------------------------------------
# A stored document leaves out the fields at their default (seller_bot/models.py to_json).
DEFAULTS = {name: spec.get_default(call_default_factory=True)
            for name, spec in Conversation.model_fields.items() if not spec.is_required()}


def load_documents(client: redis.Redis) -> list[dict]:
    keys = list(client.scan_iter(match="{loc:*}:conv:*", count=5000))
    docs = []
    for start in range(0, len(keys), MGET_BATCH):
        docs += [{**DEFAULTS, **orjson.loads(document_json(raw))}
                 for raw in client.mget(keys[start:start + MGET_BATCH]) if raw]
    return docs


def pandas_dashboard(client: redis.Redis, settings: Settings, now: datetime) -> dict:
    """The dashboard's main figures from every document, with pandas (no aggregates)."""
    docs = load_documents(client)
    conv = pd.DataFrame([{
        "stage": d["stage"], "temperature": d["temperature"],
        "offer_response": d["offer_response"], "price": d["price_expectation"],
        "timeline_days": d["timeline_days"], "motivation": d["motivation"] or "unknown",
        "created_at": d["created_at"],
    } for d in docs])
    messages = pd.DataFrame(
        [(m["direction"], m["at"], m.get("response_ms")) for d in docs for m in d["transcript"]],
        columns=["direction", "at", "response_ms"])
    stages = pd.DataFrame([(i, s["stage"], s["at"]) for i, d in enumerate(docs)
                           for s in d["stage_history"]], columns=["conv", "stage", "at"])
    temps = pd.DataFrame([(i, t["temperature"], t["at"]) for i, d in enumerate(docs)
                          for t in d["temperature_history"]], columns=["conv", "temp", "at"])
    for frame in (messages, stages, temps):
        frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    conv["created_at"] = pd.to_datetime(conv["created_at"], utc=True, format="ISO8601")
    t = pd.Timestamp(now)
    day = pd.Timedelta(hours=24)
    first = stages.groupby(["conv", "stage"])["at"].min().unstack()

    def events(stage: str, start: pd.Timestamp, end: pd.Timestamp) -> int:
        if stage not in first:
            return 0
        return int(((first[stage] >= start) & (first[stage] < end)).sum())

    n = len(conv)
    new_24h = int((conv["created_at"] >= t - day).sum())
    qualified = int((conv["offer_response"] == "accepted").sum())
    hot = conv["temperature"] == "hot"
    needs_action = hot & ~conv["stage"].isin(NO_ACTION_STAGES)
    outbound = messages[messages["direction"] == "outbound"]
    last_rt = outbound[outbound["at"] >= t - day]["response_ms"]
    hour = messages["at"].dt.floor("h")
    recent = messages[hour > t.floor("h") - day]
    per_hour = recent.groupby([recent["at"].dt.floor("h"), "direction"]).size().unstack(
        fill_value=0)
    pipeline = conv[hot | (conv["offer_response"] == "accepted") | (conv["stage"] == "booked")]
    temp_day_ago = temps[temps["at"] < t - day].sort_values("at").groupby("conv")["temp"].last()
    return {
        "total": n,
        "active": int((~conv["stage"].isin(CLOSED_STAGES)).sum()),
        "hot": int(hot.sum()),
        "hot_action": int(needs_action.sum()),
        "hot_24h_ago": int((temp_day_ago == "hot").sum()),
        "qualification_rate": qualified / n if n else None,
        "qualification_previous": ((qualified - events("qualified", t - day, t))
                                   / (n - new_24h) if n - new_24h else None),
        "booked_24h": events("booked", t - day, t),
        "response_p50": float(last_rt.quantile(0.5)) if len(last_rt) else None,
        "response_p95": float(last_rt.quantile(0.95)) if len(last_rt) else None,
        "by_temperature": {k: int(v) for k, v in conv["temperature"].value_counts().items()},
        "by_stage": {k: int(v) for k, v in conv["stage"].value_counts().items()},
        "price": pd.cut(conv["price"], [*PRICE_BINS, math.inf], right=False).value_counts(),
        "timeline": pd.cut(conv["timeline_days"], [-math.inf] + [
            limit for _, limit in TIMELINE_BUCKETS[:-1]] + [math.inf]).value_counts(),
        "motivation": conv["motivation"].value_counts(),
        "pipeline_value": int(pipeline["price"].sum()),
        "inbound_per_hour": per_hour.get("inbound"),
    }


def check_same_figures(bench: Bench) -> None:
    """The aggregates and the pandas scan must agree on every count they both compute."""
    data = bench.service.dashboard("24h")
    old = pandas_dashboard(bench.client, bench.settings, datetime.fromisoformat(data.as_of))
    mine = {
        "total": data.total_conversations,
        "active": data.hero.active_conversations.value,
        "hot_action": data.hero.hot_leads.value,
        "hot": data.by_temperature["hot"],
        "qualification_rate": data.hero.qualification_rate.value,
        "pipeline_value": data.hero.pipeline_value.value,
        "by_temperature": {k: v for k, v in data.by_temperature.items() if v},
        "by_stage": {k: v for k, v in data.by_stage.items() if v},
    }
    theirs = {name: old[name] for name in mine}
    if mine != theirs:
        raise SystemExit(f"figures differ:\n  aggregates {mine}\n  pandas     {theirs}")
    assert set(data.by_stage) == set(STAGES) and set(data.by_temperature) == set(TEMPERATURES)


# -- seeding and reporting ---------------------------------------------------------------
def seed(client: redis.Redis, settings: Settings, sellers: int, stream: str) -> float:
    """Add ``sellers`` simulated conversations over the last 7 days; return seconds taken."""
    started = time.perf_counter()
    transport = InProcess(client, settings, buffered=True)
    simulator = Simulator(transport, seed=f"bench-{stream}", location_id=LOCATION,
                          buyer_name=settings.buyer_name, timezone=settings.timezone)
    simulator.backfill(sellers, days=7, ttl_seconds=settings.conversation_ttl_seconds,
                       progress=True, stream=stream)
    return time.perf_counter() - started




def bucket_fields(bench: Bench) -> float:
    """Mean number of fields of the last 48 hour buckets: what the uncached read parses."""
    keys = LocationKeys(LOCATION)
    current = hour_of(time.time())
    with bench.client.pipeline(transaction=False) as pipe:
        for k in range(48):
            pipe.hlen(keys.hour(current - k * 3600))
        return statistics.mean(pipe.execute())


def report(results: dict[int, list[Timing]], seeding: dict[int, float | None], runs: int,
           load: str, fields: dict[int, float]) -> str:
    sizes = sorted(results)
    names = [t.name for t in results[sizes[0]]]
    lines = [f"Measured {machine()}; {load}. Median (p95) of {runs} reads per figure "
             f"(pandas: {PANDAS_RUNS}), the sizes taking turns run by run, "
             "`python bench/dashboard.py --write`.", "",
             "| read | " + " | ".join(f"{n:,} conversations" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for i, name in enumerate(names):
        cells = [f"{results[n][i].median_ms:.2f} ms ({results[n][i].p95_ms:.2f})" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    by_name = {n: {t.name: t for t in results[n]} for n in sizes}
    pandas = PANDAS_READ
    for range_ in ("24h", "7d"):
        uncached = f"dashboard {range_}, uncached"
        lines.append(f"| pandas / uncached {range_} | " + " | ".join(
            f"{by_name[n][pandas].median_ms / by_name[n][uncached].median_ms:,.0f}x"
            for n in sizes) + " |")
    first = sizes[0]
    lines.append("| fields per hour bucket, last 48 h (mean) | " + " | ".join(
        f"{fields[n]:.0f}" for n in sizes) + " |")
    lines.append("| uncached 24h vs the smallest store | " + " | ".join(
        f"{by_name[n]['dashboard 24h, uncached'].median_ms / by_name[first]['dashboard 24h, uncached'].median_ms:.2f}x"  # noqa: E501
        for n in sizes) + " |")
    lines += ["", "Seeding (simulated sellers through the real bot, bulk writes, each size its "
              "own Redis): " + ", ".join(f"{n:,} " + ("seeded before (`--redis-urls`)"
                                                     if seeding[n] is None
                                                     else f"in {seeding[n]:.0f} s")
                                         for n in sizes) + "."]
    largest = by_name[sizes[-1]]
    uncached = largest["dashboard 24h, uncached"].median_ms
    growth = uncached / by_name[first]["dashboard 24h, uncached"].median_ms
    cached = max(largest[f"dashboard {r}, cached"].median_ms for r in ("24h", "7d"))

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    week = largest["dashboard 7d, uncached"].median_ms
    week_growth = week / by_name[first]["dashboard 7d, uncached"].median_ms
    lines += ["", f"Goals at {sizes[-1]:,} conversations (medians; issue 14: on a quiet "
              f"machine): uncached 24h read at most 3 ms: {uncached:.1f} ms, "
              f"{verdict(uncached <= 3)}; 7 days at most 3 ms: {week:.1f} ms, "
              f"{verdict(week <= 3)}; at most 1.5x the time at {first:,}: 24h {growth:.2f}x, "
              f"{verdict(growth <= 1.5)}, 7d {week_growth:.2f}x, {verdict(week_growth <= 1.5)}; "
              f"cached read under 2 ms: {cached:.2f} ms, {verdict(cached < 2)}.", "",
              *EXPLANATION]
    return "\n".join(lines)


EXPLANATION = [
    "What the rows are (issue 14). *Uncached* is a cache miss of "
    "`DashboardDataService.dashboard()` as any read but the first of an hour meets it: the "
    "data version, then the KPI panel for the range (stats hash, the current hour, versions, "
    "stalled count: one pipelined round trip, plus one GET of the completed hours' merged "
    "sums, with the minute counts of the 24 h windows' edge hours and the histograms as "
    "running counts, kept in Redis for the hour under the history version that only a "
    "DELETE, a retirement or a back-dated write bumps), the distribution panel (stats hash) "
    "and the appointments panel (index ranges and the listed documents), each stored in the "
    "shared RedisCache under the data version; before each timed read the range's panel "
    "entries are deleted by name. *Nothing kept* is the first read "
    "of an hour: the completed hours (48, or 168 for 7 days) are read and merged as well. "
    "*Cached* is the same call served from the cache (the version read, one MGET of the three "
    "panels). "
    "*Data version* is what a refresh tick asks first (SMEMBERS + MGET, one round trip). "
    "*Pandas* loads every conversation document and computes the same figures from them, as "
    "the old system did; before timing, the bench checks that both find the same counts "
    "(including hot leads needing action), rates and pipeline.",
    "",
    "On a shared machine (see the load average and the calibration loop) absolute times can be "
    "several times a quiet machine's; compare the columns with each other.",
]




def calibration() -> str:
    """How busy and how fast the machine was: load average and a fixed Python loop."""
    started = time.perf_counter()
    for _ in range(20):
        sum(range(10_000))
    loop_us = (time.perf_counter() - started) / 20 * 1e6
    return (f"load average {os.getloadavg()[0]:.1f}, `sum(range(10_000))` {loop_us:.0f} µs "
            "(an idle desktop: about 100 µs)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--redis-urls", help="one Redis per size, in the order of --sizes, "
                        "used as they are when they hold the size's conversations already "
                        "(seeded otherwise; left running)")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    benches: list[Bench] = []
    try:
        seeding: dict[int, float | None] = {}
        urls = dict(zip(sizes, args.redis_urls.split(","), strict=True)) if args.redis_urls \
            else {}
        for size in sizes:
            server = None if size in urls else RedisServer().start()
            url = urls.get(size) or server.url
            client = redis.Redis.from_url(url, **DECODING)
            settings = Settings(redis_url=url)
            bench = Bench(server, client, settings, DashboardDataService(client, settings), size)
            benches.append(bench)
            held = int(client.hget(LocationKeys(LOCATION).stats, Stats.CONVERSATIONS) or 0)
            seeding[size] = None if held >= size else seed(client, settings, size,
                                                             stream=f"s{size}")
            check_same_figures(bench)
            print(f"{size:,} conversations " + ("reused" if seeding[size] is None else
                                                f"seeded in {seeding[size]:.0f} s")
                  + "; figures agree with the pandas scan", flush=True)
        before = calibration()
        results: dict[int, list[Timing]] = {size: [] for size in sizes}
        for reads in READS:
            for size, timings in time_interleaved(benches, reads, args.runs).items():
                results[size] += timings
                for timing in timings:
                    print(f"{size:>7,}  {timing.name:<32} {timing.median_ms:9.2f} ms "
                          f"(p95 {timing.p95_ms:.2f})", flush=True)
        fields = {bench.conversations: bucket_fields(bench) for bench in benches}
        text = report(results, seeding, args.runs, f"before: {before}; after: {calibration()}",
                      fields)
        publish("Dashboard read, issue 14 (panels keyed by the data version, completed hours "
                "kept)", "dashboard-read-14", text, args.write)
    finally:
        for bench in benches:
            if bench.server is not None:
                bench.server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
