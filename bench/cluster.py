"""Many locations on a real 3-master Redis Cluster: memory, reads and webhook throughput.

    python bench/cluster.py [--conversations 100000] [--locations 20] [--clone 1] [--runs 30]
                            [--duration 20] [--worker-counts 2 4] [--write]

Starts three cluster-enabled redis-servers (free ports, no persistence; tests/redis_cluster.py),
seeds ``--conversations`` simulated sellers spread over ``--locations`` GoHighLevel locations
through the real bot (bulk path, as ``bench/seed.py bulk``: one process per core, each taking
whole locations; ``--clone N``: one conversation in N simulated, each written N times in all,
see ``bench.seed.write_copies``), then measures, on that cluster:
- bytes per conversation: the masters' ``used_memory`` after seeding minus before, over the
  conversations, with the mean transcript length;
- the uncached dashboard read (panels recomputed, completed hours kept) for one location and
  for all of them, 24 h;
- the first table page (by last activity) for one location and for all;
- webhook throughput with gunicorn (``gunicorn.conf.py``'s worker class) at each ``--workers``
  count: wrk, 8 connections, every request a new message of one of 5,000 sellers spread over
  the locations (``--worker-counts`` with no count: no webhook runs).
``--write`` puts the results into docs/benchmarks.md (section "Redis Cluster").
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import add_gunicorn_options, machine, publish  # noqa: E402
from bench.seed import seed_location  # noqa: E402
from bench.table import timed as table_timed  # noqa: E402
from bench.webhook import WRK_SCRIPT, drive, serving  # noqa: E402
from core.keys import CACHE_PREFIX  # noqa: E402
from core.redis_client import connect  # noqa: E402
from core.settings import Settings  # noqa: E402
from services.dashboard_data_service import DashboardDataService  # noqa: E402
from services.dashboard_models import ConversationQuery  # noqa: E402
from services.table.index import ConversationIndex  # noqa: E402
from tests.redis_cluster import RedisClusterServers  # noqa: E402


def wrk_script(locations: int) -> str:
    """The webhook bench's wrk script with seller n texting location bench-<n % locations + 1>."""
    return WRK_SCRIPT.replace('"locationId":"bench-loc",',
                              f'"locationId":"bench-\' .. (seller % {locations} + 1) .. \'",')


def used_memory(nodes: list[int]) -> int:
    """Sum of the masters' ``used_memory``."""
    import redis

    total = 0
    for port in nodes:
        client = redis.Redis(port=port)
        try:
            total += client.info("memory")["used_memory"]
        finally:
            client.close()
    return total


def seed(url: str, conversations: int, locations: int, clone: int) -> tuple[int, float, float]:
    """Seed the cluster; (conversations simulated, seconds, mean messages per conversation)."""
    shares = [conversations // locations + (i < conversations % locations)
              for i in range(locations)]
    jobs = [(url, f"bench-{i + 1}", share, 2000 + i, clone) for i, share in enumerate(shares)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        results = pool.map(seed_location, jobs)
    seconds = time.perf_counter() - started
    simulated = sum(result.report.sellers for result in results)
    return simulated, seconds, sum(result.messages for result in results) / conversations


def timed(call, runs: int, before=None) -> str:
    """Median (p95) in ms of ``runs`` calls; ``before`` runs untimed before each."""
    median, p95 = table_timed(call, runs, before)
    return f"{median:.2f} ms ({p95:.2f})"


def reads(url: str, locations: int, runs: int) -> list[tuple[str, str]]:
    settings = Settings(redis_url=url)
    client = connect(settings)
    service = DashboardDataService(client, settings)
    table = ConversationIndex(client, settings)
    one = ("bench-1",)
    every = tuple(f"bench-{i + 1}" for i in range(locations))

    def uncached(chosen: tuple[str, ...]):
        return lambda: service.dashboard("24h", chosen)

    for chosen in (one, every):  # keep the completed hours' sums
        service.dashboard("24h", chosen)

    def drop() -> None:  # the panels only: the completed hours' sums stay, as all hour long
        panels = [key for key in client.scan_iter(match=f"{CACHE_PREFIX}*", count=1000)
                  if not key.startswith(f"{CACHE_PREFIX}hours:")]
        client.delete(*panels)

    return [
        ("dashboard 24h uncached, one location", timed(uncached(one), runs, drop)),
        (f"dashboard 24h uncached, all {locations} locations", timed(uncached(every), runs,
                                                                      drop)),
        ("table page 1 (25 rows by last activity), one location",
         timed(lambda: table.page(ConversationQuery(page_size=25, locations=one)), runs)),
        (f"table page 1 (25 rows by last activity), all {locations} locations",
         timed(lambda: table.page(ConversationQuery(page_size=25)), runs)),
    ]


def webhook(url: str, locations: int, workers: list[int], duration: int,
            args: argparse.Namespace) -> list[tuple[str, str]]:
    env = {"WEBHOOK_RATE_LIMIT": "1000000/minute", "REDIS_URL": url}
    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(locations))
    try:
        for count in workers:
            with serving(env, count, args.worker_class, args.threads) as app:
                drive(app, script.name, 8, 3)  # warm up
                run = drive(app, script.name, 8, duration)
            rows.append((f"webhook, {count} {args.worker_class} workers, 8 connections",
                         f"{run['rate']:,.0f} msg/s, p99 {run['p99_ms']:.1f} ms, "
                         f"non-2xx {run['non_2xx']}"))
    finally:
        os.unlink(script.name)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--locations", type=int, default=20)
    parser.add_argument("--clone", type=int, default=1,
                        help="write each simulated conversation this many times")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per run")
    add_gunicorn_options(parser)
    parser.add_argument("--worker-counts", type=int, nargs="*", default=[2, 4])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    cluster = RedisClusterServers().start()
    try:
        before = used_memory(cluster.ports)
        simulated, seconds, per_conversation = seed(cluster.url, args.conversations,
                                                    args.locations, args.clone)
        grown = used_memory(cluster.ports) - before
        seeding = (f"seeded through the real bot in {seconds:.0f} s" if args.clone == 1 else
                   f"seeded in {seconds:.0f} s: {simulated:,} simulated through the real bot, "
                   f"each written {args.clone} times (`--clone {args.clone}`, "
                   f"bench/seed.py `write_copies`)")
        print(f"{args.conversations:,} conversations {seeding}", flush=True)
        rows = [("Redis memory per conversation (all keys, 3 masters' used_memory)",
                 f"{grown / args.conversations:,.0f} B with {per_conversation:.1f} messages "
                 f"per conversation ({grown / 2**20:,.0f} MB in all)")]
        rows += reads(cluster.url, args.locations, args.runs)
        rows += webhook(cluster.url, args.locations, args.worker_counts, args.duration, args)
    finally:
        cluster.cleanup()
    lines = [f"Measured {machine()}. {args.conversations:,} conversations in "
             f"{args.locations} locations on a 3-master cluster (no replicas, one machine), "
             f"{seeding}; reads: median (p95) of {args.runs}; `python bench/cluster.py "
             f"--conversations {args.conversations} --locations {args.locations} "
             f"--clone {args.clone}`.", "", "| measure | result |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    publish("Redis Cluster (issue 15)", "cluster-15", "\n".join(lines), args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
