"""core.redis_client: which client a setting gives, and the rate limiters' storage for it
(no server needed: redis-py connects lazily; the cluster client is checked without one)."""

from __future__ import annotations

import pytest
import redis

from core.redis_client import connect, limits_storage, wants_cluster
from core.settings import Settings


@pytest.mark.parametrize(("url", "flag", "cluster"), [
    ("redis://127.0.0.1:6379/0", False, False),
    ("redis+cluster://127.0.0.1:7000", False, True),
    ("redis://127.0.0.1:7000", True, True),
    ("rediss://cache.example.com:6380", True, True),
])
def test_client001_cluster_from_url_or_flag(url, flag, cluster):
    assert wants_cluster(Settings(redis_url=url, redis_cluster=flag)) is cluster


def test_client002_standalone_client_shares_its_pool_with_the_limiters():
    client = connect(Settings(redis_url="redis://127.0.0.1:6379/0"))
    assert type(client) is redis.Redis
    assert client.get_connection_kwargs()["decode_responses"] is True
    uri, options = limits_storage(client)
    assert uri == "redis://" and options == {"connection_pool": client.connection_pool}


def test_client003_cluster_flag_without_url_is_refused(tmp_path):
    with pytest.raises(ValueError, match="REDIS_URL"):
        connect(Settings(redis_cluster=True, data_dir=tmp_path))
