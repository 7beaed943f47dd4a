"""Dashboard read cost at 1,000 / 10,000 / 100,000 conversations, against the old way.

    python bench/dashboard.py [--sizes 1000,10000,100000] [--runs 50] [--write]

Starts its own redis-server (free port, no persistence). Seeds conversations with the demo
simulator's bulk path (``seller_bot.simulate``): realistic sellers through the real bot, each
final document written with the store's own commit script and contribution, pipelined. Then
times, per size:
- the one-call dashboard read on a cache miss ("uncached": every tier recomputed from the
  aggregates) and on a hit ("cached"), for the 24 h and 7-day ranges;
- the data-version check the refresh tick makes;
- the straightforward implementation: load every document and aggregate in pandas, the way
  the old system did it, and checks that it finds the same figures.
Each measured read is one ``time_*`` function taking a ``Bench``; add more to ``READS``.
``--write`` replaces the "Dashboard read" section of docs/benchmarks.md with the results.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
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

from core.settings import Settings  # noqa: E402
from seller_bot.aggregates import PRICE_BINS, TIMELINE_BUCKETS  # noqa: E402
from seller_bot.models import CLOSED_STAGES, STAGES, TEMPERATURES  # noqa: E402
from seller_bot.simulate import InProcess, Simulator  # noqa: E402
from services.dashboard_data_service import DashboardDataService  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

LOCATION = "bench-loc"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- dashboard-read:start -->"
SECTION_END = "<!-- dashboard-read:end -->"
MGET_BATCH = 1000
PANDAS_RUNS = 3  # seconds each at 100,000 conversations


@dataclass
class Bench:
    """What a measured read needs: the store, its settings and the service under test."""

    client: redis.Redis
    settings: Settings
    service: DashboardDataService
    conversations: int


@dataclass
class Timing:
    name: str
    runs: int
    median_ms: float
    p95_ms: float


def measure(name: str, read: Callable[[], object], runs: int,
            before_each: Callable[[], None] | None = None, warm_up: bool = True) -> Timing:
    """Median and p95 wall time of ``read`` (``before_each`` runs untimed)."""
    if warm_up:
        read()  # connections, imports, the first retirement pass
    samples = []
    for _ in range(runs):
        if before_each:
            before_each()
        started = time.perf_counter()
        read()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)]
    return Timing(name, runs, statistics.median(samples), p95)


# -- measured reads ----------------------------------------------------------------------
def time_dashboard_uncached(bench: Bench, runs: int) -> list[Timing]:
    """Cache miss: every panel recomputed from the aggregates (cache emptied, untimed)."""
    return [measure(f"dashboard {range_}, uncached", lambda r=range_: bench.service.dashboard(r),
                    runs, before_each=bench.service.cache.clear)
            for range_ in ("24h", "7d")]


def time_dashboard_cached(bench: Bench, runs: int) -> list[Timing]:
    """Cache hit: one GET per panel."""
    return [measure(f"dashboard {range_}, cached", lambda r=range_: bench.service.dashboard(r),
                    runs) for range_ in ("24h", "7d")]


def time_version(bench: Bench, runs: int) -> list[Timing]:
    """The refresh tick's "did anything change" check."""
    return [measure("data version", bench.service.version, runs)]


def time_pandas(bench: Bench, runs: int) -> list[Timing]:
    """The old way: load every document, aggregate in pandas."""
    now = datetime.now(UTC)
    return [measure("pandas, all documents (24h)",
                    lambda: pandas_dashboard(bench.client, bench.settings, now),
                    min(runs, PANDAS_RUNS), warm_up=False)]


READS: list[Callable[[Bench, int], list[Timing]]] = [
    time_dashboard_uncached, time_dashboard_cached, time_version, time_pandas]


# -- the straightforward implementation --------------------------------------------------
def load_documents(client: redis.Redis) -> list[dict]:
    keys = list(client.scan_iter(match="{loc:*}:conv:*", count=5000))
    docs = []
    for start in range(0, len(keys), MGET_BATCH):
        docs += [orjson.loads(raw) for raw in client.mget(keys[start:start + MGET_BATCH]) if raw]
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
        [(m["direction"], m["at"], m["response_ms"]) for d in docs for m in d["transcript"]],
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
        "hot": data.hero.hot_leads.value,
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


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal"))
    redis_version = subprocess.run(["redis-server", "--version"], capture_output=True,
                                   text=True).stdout.split()[2].removeprefix("v=")
    return (f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} CPUs ({cpu}), "
            f"{mem_kb / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}, "
            f"Redis {redis_version}, same machine as the Redis server")


def report(results: dict[int, list[Timing]], seeding: dict[int, float], runs: int) -> str:
    sizes = sorted(results)
    names = [t.name for t in results[sizes[0]]]
    lines = [f"Measured {machine()}. Median (p95) of {runs} reads per figure (pandas: "
             f"{PANDAS_RUNS}), `python bench/dashboard.py --write`.", "",
             "| read | " + " | ".join(f"{n:,} conversations" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for i, name in enumerate(names):
        cells = [f"{results[n][i].median_ms:.2f} ms ({results[n][i].p95_ms:.2f})" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    by_name = {n: {t.name: t for t in results[n]} for n in sizes}
    pandas = "pandas, all documents (24h)"
    for range_ in ("24h", "7d"):
        uncached = f"dashboard {range_}, uncached"
        lines.append(f"| pandas / uncached {range_} | " + " | ".join(
            f"{by_name[n][pandas].median_ms / by_name[n][uncached].median_ms:,.0f}x"
            for n in sizes) + " |")
    first = sizes[0]
    lines.append("| uncached 24h vs the smallest store | " + " | ".join(
        f"{by_name[n]['dashboard 24h, uncached'].median_ms / by_name[first]['dashboard 24h, uncached'].median_ms:.2f}x"  # noqa: E501
        for n in sizes) + " |")
    lines += ["", "Seeding (simulated sellers through the real bot, bulk writes): " + ", ".join(
        f"{n:,} in {seeding[n]:.0f} s" for n in sizes) + "."]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace the Dashboard read section of docs/benchmarks.md (create the file if needed)."""
    section = f"{SECTION_START}\n{text}\n{SECTION_END}"
    current = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    if SECTION_START in current:
        head, rest = current.split(SECTION_START, 1)
        current = head + section + rest.split(SECTION_END, 1)[1]
    else:
        current = current.rstrip() + "\n\n## Dashboard read\n\n" + section + "\n"
    DOCS.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    server = RedisServer().start()
    try:
        client = redis.Redis.from_url(server.url, decode_responses=True)
        settings = Settings(redis_url=server.url)
        results: dict[int, list[Timing]] = {}
        seeding: dict[int, float] = {}
        seeded, seconds = 0, 0.0
        for size in sizes:
            seconds += seed(client, settings, size - seeded, stream=f"s{size}")
            seeded = size
            seeding[size] = seconds
            service = DashboardDataService(client, settings)
            service.cache.clear()  # figures cached at the previous size
            bench = Bench(client, settings, service, size)
            check_same_figures(bench)
            results[size] = [timing for read in READS for timing in read(bench, args.runs)]
            for timing in results[size]:
                print(f"{size:>7,}  {timing.name:<32} {timing.median_ms:9.2f} ms "
                      f"(p95 {timing.p95_ms:.2f})", flush=True)
        text = report(results, seeding, args.runs)
        print(text)
        if args.write:
            write_section(text)
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
