"""The dashboard's multi-tier cache: Flask-Caching's RedisCache, shared by all gunicorn workers.

Entries live under ``core.keys.CACHE_PREFIX`` in the same Redis as the data, as JSON (never
pickle: a cache entry is data, not code). Each tier has its own time to live, from settings:
KPIs and table pages 30 s, distributions 5 min, 7-day trends 1 h.

We call the backend's get/set with explicit keys instead of ``@cache.memoize``: memoize on a
method keys on ``repr(self)``, which differs per instance and per worker and would defeat a
cache that is meant to be shared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import orjson
import redis
from flask_caching.backends import RedisCache
from redis.cluster import RedisCluster

from core.keys import CACHE_PREFIX
from core.settings import Settings

log = logging.getLogger(__name__)

TIER_KPIS = "kpis"
TIER_DISTRIBUTIONS = "distributions"
TIER_TRENDS = "trends"


class JsonSerializer:
    """Cache values as JSON text, so any client (decoding or not) can read them."""

    def dumps(self, value: Any) -> bytes:
        return orjson.dumps(value)

    def loads(self, raw: str | bytes | None) -> Any:
        return None if raw is None else orjson.loads(raw)


class JsonRedisCache(RedisCache):
    """Flask-Caching's RedisCache storing JSON instead of pickles."""

    serializer = JsonSerializer()


class TieredCache:
    """get-or-compute over a shared RedisCache with one TTL per tier (0 turns a tier off)."""

    def __init__(self, client: redis.Redis, settings: Settings,
                 key_prefix: str = CACHE_PREFIX) -> None:
        self.backend = JsonRedisCache(host=client, key_prefix=key_prefix)
        self.redis = client
        # On a Redis Cluster every entry hashes to its own slot, and MGET across slots is refused.
        self.one_slot_per_key = isinstance(client, RedisCluster)
        self.prefix = key_prefix
        self.ttl = {
            TIER_KPIS: settings.cache_kpi_seconds,
            TIER_DISTRIBUTIONS: settings.cache_distribution_seconds,
            TIER_TRENDS: settings.cache_trend_seconds,
        }

    def get_or_compute(self, tier: str, key: str, compute: Callable[[], Any]) -> Any:
        """The cached value of ``tier:key``, or ``compute()`` stored for the tier's TTL.

        ``compute`` must return something JSON can carry (dicts, lists, numbers, strings).
        A failed read propagates (the caller decides what it means); storing the value is
        best-effort: a Redis that refuses writes (out of memory) never fails a read.
        """
        if self.ttl[tier] <= 0:
            return compute()
        cached = self.backend.get(f"{tier}:{key}")
        if cached is not None:
            return cached
        value = compute()
        self.put(tier, key, value)
        return value

    def get(self, tier: str, key: str) -> Any:
        """The entry ``tier:key``, or None (absent, or the tier is off)."""
        if self.ttl[tier] <= 0:
            return None
        return self.backend.get(f"{tier}:{key}")

    def get_many(self, items: list[tuple[str, str]]) -> list[Any]:
        """The entries ``tier:key`` of ``items`` in one MGET (one GET each on a cluster); None
        where absent or off."""
        wanted = [item for item in items if self.ttl[item[0]] > 0]
        keys = [f"{t}:{k}" for t, k in wanted]
        if self.one_slot_per_key:
            values = [self.backend.get(key) for key in keys]
        else:
            values = self.backend.get_many(*keys) if keys else []
        found = dict(zip(wanted, values, strict=True))
        return [found.get(item) for item in items]

    def put_many(self, entries: dict[tuple[str, str], Any]) -> None:
        """Store several entries, one pipelined round trip per tier."""
        by_tier: dict[str, dict[str, Any]] = {}
        for (tier, key), value in entries.items():
            if self.ttl[tier] > 0:
                by_tier.setdefault(tier, {})[f"{tier}:{key}"] = value
        try:  # best-effort, like ``put``: a Redis that refuses writes never fails a read
            for tier, mapping in by_tier.items():
                self.backend.set_many(mapping, timeout=self.ttl[tier])
        except redis.RedisError as exc:
            log.warning("cache write failed (%s); served uncached", type(exc).__name__)

    def put(self, tier: str, key: str, value: Any) -> None:
        """Store ``value`` as ``tier:key`` for the tier's TTL (replacing what is there);
        best-effort: a failed write is logged, never raised."""
        if self.ttl[tier] <= 0:
            return
        try:
            self.backend.set(f"{tier}:{key}", value, timeout=self.ttl[tier])
        except redis.RedisError as exc:
            log.warning("cache write failed (%s); served uncached", type(exc).__name__)

    def drop(self, tier: str, namespace: str) -> int:
        """Delete every entry of ``tier`` whose key starts with ``namespace``; returns how many."""
        return self._delete_matching(f"{self.prefix}{tier}:{namespace}*")

    def clear(self) -> None:
        """Drop every entry under this cache's prefix (tests and the rebuild command)."""
        self._delete_matching(f"{self.prefix}*")

    def _delete_matching(self, pattern: str) -> int:
        # SCAN, not Flask-Caching's KEYS: on a Redis Cluster redis-py scans every master and
        # splits the DELETE by slot, where KEYS would reach one node only.
        names = list(self.redis.scan_iter(match=pattern, count=1000))
        if names:
            self.redis.delete(*names)
        return len(names)
