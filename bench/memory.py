"""Redis memory per conversation, all keys included, through the real bot.

    python bench/memory.py [--conversations 100000] [--messages 10] [--workers 2] [--bulk]
                           [--quick] [--redis-server PATH] [--write]

Starts its own redis-server on a free port (no persistence), sends simulated sellers' texts
through the real bot (``simulator``; a seller stops once the transcript holds ``--messages``
messages, and one who would stop earlier sends short follow-ups such as "ok thanks"), then
reports bytes per conversation two ways: the growth of ``INFO memory`` ``used_memory`` over the
empty server, and ``MEMORY USAGE`` of every key by group (documents and other per-contact keys
sampled and scaled by their count; each index read whole). ``--bulk`` buffers each
conversation and writes its final document with the store's commit script (``flask --app app
simulate --bulk``), much faster; message by message (the default) is the webhook's own write
path. ``--quick``: 2,000 conversations. ``--redis-server`` picks the binary (default: the first
on PATH); what a key costs depends on its allocator (jemalloc in production Redis, libc malloc
in some builds), so the report names both. ``--write`` puts the result into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import string
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bench.common import machine, publish  # noqa: E402
from core.redis_client import DECODING  # noqa: E402
from core.settings import Settings  # noqa: E402
from seller_bot.models import Conversation  # noqa: E402
from simulator.delivery import InProcess  # noqa: E402
from simulator.run import Due, Simulator  # noqa: E402
from simulator.seller import SimulatedSeller  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

QUICK = 2_000
# What a seller who has nothing more to say writes anyway (short, no new facts).
FOLLOW_UPS = ("ok thanks", "sounds good", "Thank you!", "ok", "got it", "great, talk soon",
              "👍", "Any update?", "perfect", "alright")
ID_ALPHABET = string.ascii_letters + string.digits
SAMPLE_KEYS = 3_000  # per-contact keys measured one by one per group, then scaled
# Key groups: the part of the name after the location's tag.
GROUPS = (
    ("document", re.compile(r"^conv:")),
    ("idempotency markers", re.compile(r"^seen:")),
    ("search index", re.compile(r"^idx:search$")),
    ("sorted-set indexes", re.compile(r"^idx:")),
    ("hour and minute buckets", re.compile(r"^[hm]:")),
    ("outbox", re.compile(r"^outbox")),
)
PER_CONTACT = {"document", "idempotency markers"}


class ChattySimulator(Simulator):
    """Sellers whose transcript stops at about ``messages`` messages: who has nothing more to
    say keeps writing short follow-ups, who has more stops there."""

    def __init__(self, *args, messages: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.messages = messages
        self.length: Counter = Counter()  # transcript messages per contact, as sent
        self.ids = random.Random(f"{self.seed}:message-ids")

    def payload(self, seller: SimulatedSeller, text: str, at: datetime) -> dict:
        """The simulator's payload with a message id shaped like GoHighLevel's (20 random
        letters and digits), not the simulator's readable ``<contactId>-<n>``."""
        body = super().payload(seller, text, at)
        body["messageId"] = "".join(self.ids.choices(ID_ALPHABET, k=20))
        return body

    def exchange(self, seller: SimulatedSeller, text: str,
                 at: datetime | None) -> tuple[dict, Due | None]:
        result, follow_up = super().exchange(seller, text, at)
        contact = seller.persona.contact_id
        self.length[contact] += 1 + bool(result.get("reply"))
        if self.length[contact] >= self.messages:
            return result, None
        if follow_up is None and self.length[contact] < self.messages and at is not None:
            later = at + timedelta(minutes=seller.rng.uniform(2, 90))
            follow_up = Due(later, next(self._order), seller, seller.rng.choice(FOLLOW_UPS))
        return result, follow_up


def seed_location(args: tuple[str, str, int, int, int, bool]) -> int:
    """One worker: ``count`` conversations into its own location; returns messages sent."""
    redis_url, location_id, count, seed, messages, bulk = args
    settings = Settings(redis_url=redis_url)
    client = redis.Redis.from_url(redis_url, **DECODING)
    simulator = ChattySimulator(InProcess(client, settings, buffered=bulk), seed=seed,
                                location_id=location_id, messages=messages)
    report = simulator.backfill(count, days=7, ttl_seconds=settings.conversation_ttl_seconds)
    return report.messages


def group_of(key: str) -> str:
    rest = key.split("}:", 1)[1] if key.startswith("{loc:") else key
    return next((name for name, pattern in GROUPS if pattern.match(rest)), "other")


def measure_groups(client: redis.Redis,
                   rng: random.Random) -> dict[str, tuple[int, float, int]]:
    """(key count, bytes, sorted-set entries) per group: ``MEMORY USAGE`` of every shared key,
    and of a sample of the per-contact keys scaled by their count."""
    keys: dict[str, list[str]] = {}
    for key in client.scan_iter(count=5000):
        keys.setdefault(group_of(key), []).append(key)
    sizes = {}
    for group, names in keys.items():
        sample = (rng.sample(names, min(SAMPLE_KEYS, len(names))) if group in PER_CONTACT
                  else names)
        with client.pipeline(transaction=False) as pipe:
            for name in sample:
                pipe.memory_usage(name, samples=0)
            used = [n or 0 for n in pipe.execute()]
        entries = 0
        if group not in PER_CONTACT:
            with client.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.type(name)
                sorted_sets = [n for n, kind in zip(names, pipe.execute(), strict=True)
                               if kind == "zset"]
            with client.pipeline(transaction=False) as pipe:
                for name in sorted_sets:
                    pipe.zcard(name)
                entries = sum(pipe.execute())
        sizes[group] = (len(names), sum(used) * len(names) / max(1, len(sample)), entries)
    return sizes


def server_name(client: redis.Redis) -> str:
    """The server measured: its version and memory allocator."""
    version, allocator = client.info("server")["redis_version"], client.info("memory")
    return f"Redis {version} ({allocator.get('mem_allocator', 'allocator unknown')})"


def transcript_lengths(client: redis.Redis, rng: random.Random) -> list[int]:
    """Transcript lengths of a sample of the stored conversations."""
    names = list(client.scan_iter(match="{loc:*}:conv:*", count=5000))
    sample = rng.sample(names, min(SAMPLE_KEYS, len(names)))
    with client.pipeline(transaction=False) as pipe:
        for name in sample:
            pipe.get(name)
        raws = pipe.execute()
    return [len(Conversation.from_json(raw).transcript) for raw in raws if raw]


def run(conversations: int, messages: int, workers: int, bulk: bool, binary: str) -> str:
    server = RedisServer(binary=binary).start()
    try:
        client = redis.Redis.from_url(server.url, **DECODING)
        empty = client.info("memory")["used_memory"]
        measured = f"{machine(server.binary)}; measured: {server_name(client)}"
        shares = [conversations // workers + (i < conversations % workers)
                  for i in range(workers)]
        jobs = [(server.url, f"bench-{i + 1}", share, 2000 + i, messages, bulk)
                for i, share in enumerate(shares)]
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            sent = sum(pool.map(seed_location, jobs))
        elapsed = time.perf_counter() - started
        stored = sum(int(client.hget(f"{{loc:{job[1]}}}:stats", "conversations") or 0)
                     for job in jobs)
        info = client.info("memory")
        rng = random.Random(1)
        lengths = transcript_lengths(client, rng)
        groups = measure_groups(client, rng)
        return report(measured, conversations, stored, sent, elapsed, bulk, lengths,
                      info["used_memory"] - empty, groups)
    finally:
        server.cleanup()


def report(measured: str, asked: int, stored: int, sent: int, elapsed: float, bulk: bool,
           lengths: list[int], used: int, groups: dict[str, tuple[int, float, int]]) -> str:
    mean = sum(lengths) / max(1, len(lengths))
    ten = sum(1 for n in lengths if n >= 10) / max(1, len(lengths))
    way = "bulk (final documents, commit script)" if bulk else "message by message"
    lines = [
        measured,
        f"{stored:,} conversations ({asked:,} asked) from {sent:,} seller messages through "
        f"the real bot, {way}, in {elapsed:.0f} s; transcript {mean:.1f} messages on average "
        f"({ten:.0%} with 10 or more; sample of {len(lengths):,})",
        "",
        "| what | keys | sorted-set entries per conversation | bytes per conversation |",
        "|---|---:|---:|---:|",
        f"| `INFO memory` used_memory growth over the empty server | | | "
        f"**{used / max(1, stored):,.0f}** |",
    ]
    total = 0.0
    for group, (count, size, entries) in sorted(groups.items(), key=lambda item: -item[1][1]):
        total += size
        per = f"{entries / max(1, stored):.1f}" if entries else ""
        lines.append(f"| `MEMORY USAGE`: {group} | {count:,} | {per} | "
                     f"{size / max(1, stored):,.0f} |")
    lines.append(f"| `MEMORY USAGE`: all keys | {sum(g[0] for g in groups.values()):,} | | "
                 f"**{total / max(1, stored):,.0f}** |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} conversations")
    parser.add_argument("--messages", type=int, default=10,
                        help="transcript length the sellers write towards")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bulk", action="store_true",
                        help="buffer each conversation, write its final document once")
    parser.add_argument("--redis-server", default="redis-server", metavar="PATH",
                        help="the redis-server binary to measure (default: first on PATH)")
    parser.add_argument("--write", action="store_true",
                        help="write the result into docs/benchmarks.md")
    args = parser.parse_args()
    conversations = QUICK if args.quick else args.conversations
    text = run(conversations, args.messages, args.workers, args.bulk, args.redis_server)
    publish("Memory per conversation", "memory", text, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
