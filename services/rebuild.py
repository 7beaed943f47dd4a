"""Repair command: recompute every aggregate and index from the conversation documents.

    flask --app app rebuild

For each location the stats hash, the hour and minute buckets and every sorted-set index are
recomputed (in the current layout: indexes of an older one are dropped) as the sum of
``seller_bot.aggregates.contribution`` over the stored documents, the
same function the incremental writes apply, so a rebuild produces exactly what the writes would
have. Index entries are streamed into temporary keys (same hash tag); one MULTI/EXEC then swaps
everything in and bumps the data version, under WATCH of that version: if a message was written
meanwhile the location is rebuilt again. Documents stored as plain JSON (before issue #15) are
rewritten in the stored form (``seller_bot.document``) on the way.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import redis
from pydantic import ValidationError

from core.keys import LOCATIONS, LocationKeys
from core.schema import is_expired
from core.settings import Settings
from seller_bot import document
from seller_bot.aggregates import contribution
from seller_bot.models import Conversation
from services.cache import TieredCache

log = logging.getLogger(__name__)

SCAN_COUNT = 1000
BATCH = 500
MAX_ATTEMPTS = 5
# A document stored before issue #15 (plain JSON) rewritten in the stored form, unless it
# changed since it was read. KEYS: document. ARGV: as read, the stored form of the same.
CONVERT_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
return false
"""


class LocationBusy(RuntimeError):
    """Messages kept arriving during every rebuild attempt of a location."""


@dataclass
class RebuildResult:
    location_id: str
    conversations: int
    skipped: int
    attempts: int


class LocationRebuild:
    """Sums the contributions of one location's conversations and swaps them in atomically."""

    def __init__(self, client: redis.Redis, location_id: str, wall_now: float,
                 retention: int) -> None:
        self.redis = client
        self.keys = LocationKeys(location_id)
        self.wall_now = wall_now
        self.retention = retention
        self.counters: Counter = Counter()
        self.bucket_expiry: dict[str, float] = {}
        self.index_keys: set[str] = set()
        self.conversations = 0

    def staging_key(self, key: str) -> str:
        """Where an index is built before the swap: same hash tag, so one slot."""
        return f"{self.keys.tag}:rebuild{key[len(self.keys.tag):]}"

    def add(self, pipe: redis.client.Pipeline, conv: Conversation) -> None:
        """Queue this conversation's index entries on ``pipe``; keep its counters."""
        part = contribution(conv, self.keys, self.wall_now, self.retention)
        self.counters.update(part.counters)
        self.bucket_expiry.update(part.bucket_expiry)
        by_key: dict[str, dict[str, float]] = {}
        for (key, member), score in part.entries.items():
            by_key.setdefault(key, {})[member] = score
        for key, members in by_key.items():
            self.index_keys.add(key)
            pipe.zadd(self.staging_key(key), members)
        self.conversations += 1

    def discard_staging(self) -> None:
        stale = list(self.redis.scan_iter(match=f"{self.keys.tag}:rebuild:*", count=SCAN_COUNT))
        if stale:
            self.redis.delete(*stale)

    def existing_aggregate_keys(self) -> list[str]:
        """Every aggregate key the location has now (stats, buckets, indexes)."""
        tag = self.keys.tag
        found = [self.keys.stats]
        for pattern in (f"{tag}:h:*", f"{tag}:m:*", f"{tag}:idx:*"):
            found += self.redis.scan_iter(match=pattern, count=SCAN_COUNT)
        return found

    def swap_in(self, pipe: redis.client.Pipeline) -> None:
        """Queue (inside MULTI) the replacement of every aggregate key by the rebuilt ones."""
        old = self.existing_aggregate_keys()
        if old:
            pipe.delete(*old)
        for key in sorted(self.index_keys):
            # Through execute_command: redis-py's cluster pipeline refuses pipe.rename (it
            # cannot know the two keys share a slot); they do, both carry the location's tag.
            pipe.execute_command("RENAME", self.staging_key(key), key)
        hashes: dict[str, dict[str, int]] = {}
        for (key, field), value in self.counters.items():
            if value:  # the write script drops a field that reaches 0; so do we
                hashes.setdefault(key, {})[field] = value
        for key, mapping in hashes.items():
            pipe.hset(key, mapping=mapping)
            if key in self.bucket_expiry:
                pipe.pexpireat(key, int(self.bucket_expiry[key] * 1000))
        pipe.incr(self.keys.version)
        pipe.incr(self.keys.history)


class AggregateRebuilder:
    """Rebuilds the aggregates of one or all locations from their documents."""

    def __init__(self, client: redis.Redis, settings: Settings,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.redis = client
        self.settings = settings
        self.wall_clock = wall_clock

    def documents(self, keys: LocationKeys) -> Iterator[tuple[str, str]]:
        """(key, JSON) of every stored conversation, read in batches."""
        names = list(self.redis.scan_iter(match=keys.conversation("*"), count=SCAN_COUNT))
        for start in range(0, len(names), BATCH):
            batch = names[start:start + BATCH]
            for name, raw in zip(batch, self.redis.mget(batch), strict=True):
                if raw is not None:  # expired between SCAN and MGET
                    yield name, raw

    def rebuild_location(self, location_id: str) -> RebuildResult:
        """Replace the location's aggregates by the sum of its documents' contributions."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            keys = LocationKeys(location_id)
            wall_now = self.wall_clock()
            rebuild = LocationRebuild(self.redis, location_id, wall_now,
                                      self.settings.bucket_retention_seconds)
            rebuild.discard_staging()
            skipped = 0
            with self.redis.pipeline(transaction=True) as guard:
                guard.watch(keys.version)
                with self.redis.pipeline(transaction=False) as pipe:
                    for n, (name, raw) in enumerate(self.documents(keys), start=1):
                        try:
                            conv = Conversation.from_json(raw)
                        except ValidationError:
                            log.error("unreadable conversation document skipped: %s", name)
                            skipped += 1
                            continue
                        # Past its TTL the document is as good as gone (the store keeps nothing
                        # of such history either).
                        if is_expired(conv.last_activity_at,
                                      self.settings.conversation_ttl_seconds, wall_now):
                            continue
                        rebuild.add(pipe, conv)
                        if not document.is_current(raw):
                            self._queue_conversion(pipe, name, raw, conv, wall_now)
                        if n % BATCH == 0:
                            pipe.execute()
                    pipe.execute()
                guard.multi()
                rebuild.swap_in(guard)
                try:
                    guard.execute()
                except redis.WatchError:
                    log.info("location %s changed during the rebuild; again", location_id)
                    rebuild.discard_staging()
                    continue
            return RebuildResult(location_id, rebuild.conversations, skipped, attempt)
        raise LocationBusy(f"location {location_id} kept changing; retry when traffic is low")

    def _queue_conversion(self, pipe: redis.client.Pipeline, name: str, raw: str,
                          conv: Conversation, wall_now: float) -> None:
        """Queue the rewrite of a document stored in an older form (plain JSON, or ``z1``) in
        the current one (``seller_bot.document``), its processed message ids kept, its expiry
        unchanged."""
        marks = document.still_seen(document.seen(raw), wall_now,
                                    self.settings.conversation_ttl_seconds)
        # EVAL, not EVALSHA: a cluster pipeline refuses EVALSHA (the key is in the slot).
        pipe.execute_command("EVAL", CONVERT_SCRIPT, 1, name, document.stored_bytes(raw),
                             document.pack(conv.to_json(), marks))

    def discover_locations(self) -> list[str]:
        """Every location with data: the registered ones and any whose keys exist without a
        registration (a write whose registration was lost); those are registered again."""
        found = {key.split("}", 1)[0].removeprefix("{loc:")
                 for key in self.redis.scan_iter(match="{loc:*}:version", count=1000)}
        registered = set(self.redis.smembers(LOCATIONS))
        missing = found - registered
        if missing:
            log.warning("%d locations were not registered; registered now", len(missing))
            self.redis.sadd(LOCATIONS, *missing)
        return sorted(found | registered)

    def rebuild_all(self) -> list[RebuildResult]:
        locations = self.discover_locations()
        results = [self.rebuild_location(location) for location in locations]
        # The dashboard cache may hold figures from before the repair.
        TieredCache(self.redis, self.settings).clear()
        return results
