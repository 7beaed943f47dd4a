"""core.redis_client: which client a setting gives, and the rate limiters' storage for it
(no server needed: redis-py connects lazily; the cluster client is checked without one)."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from pydantic import ValidationError

from core.redis_client import connect, limits_storage, node_url, tls_options, wants_cluster
from core.settings import ConfigurationError, Settings


@pytest.mark.parametrize(("url", "flag", "cluster"), [
    ("redis://127.0.0.1:6379/0", False, False),
    ("redis+cluster://127.0.0.1:7000", False, True),
    ("redis://127.0.0.1:7000", True, True),
    ("rediss://cache.example.com:6380", True, True),
    ("rediss+cluster://cache.example.com:6380", False, True),
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


@pytest.mark.parametrize(("url", "node"), [
    ("redis+cluster://127.0.0.1:7000", "redis://127.0.0.1:7000"),
    ("rediss+cluster://:pw@cache.example.com:6380", "rediss://:pw@cache.example.com:6380"),
    ("rediss://cache.example.com:6380", "rediss://cache.example.com:6380"),
])
def test_client004_cluster_url_names_a_node(url, node):
    assert node_url(url) == node



@pytest.fixture
def ca_file(tmp_path) -> Path:
    """A CA file's path (read only when a connection is made, which these tests never do)."""
    path = tmp_path / "ca.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\n")
    return path


def test_client005_tls_verifies_certificates_unless_told_not_to(ca_file):
    url = "rediss://cache.example.com:6380"
    assert tls_options(Settings(redis_url="redis://127.0.0.1:6379/0")) == {}
    assert tls_options(Settings(redis_url=url)) == {"ssl_cert_reqs": "required"}
    assert tls_options(Settings(redis_url=url, redis_ca_cert=ca_file)) == {
        "ssl_cert_reqs": "required", "ssl_ca_certs": str(ca_file)}
    assert tls_options(Settings(redis_url=url, redis_tls_verify=False)) == {
        "ssl_cert_reqs": "none"}


@pytest.mark.parametrize(("url", "verify", "with_ca", "message"), [
    ("rediss://h:6380/0?ssl_cert_reqs=none", True, False, "set REDIS_TLS_VERIFY"),
    ("rediss://h:6380/0?ssl_ca_certs=/ca.pem", True, False, "set REDIS_CA_CERT"),
    ("redis://h:6379/0", False, False, "must then be rediss://"),
    ("redis+cluster://h:7000", True, True, "must then be rediss://"),
    ("rediss://h:6380/0", False, True, "set one of them"),
])
def test_client006_tls_settings_that_contradict_are_refused(ca_file, url, verify, with_ca,
                                                            message):
    settings = Settings(redis_url=url, redis_tls_verify=verify,
                        redis_ca_cert=ca_file if with_ca else None)
    with pytest.raises(ConfigurationError, match=message):
        connect(settings)


def test_client007_ca_file_must_exist(tmp_path):
    with pytest.raises(ValidationError, match="redis_ca_cert"):
        Settings(redis_url="rediss://h:6380/0", redis_ca_cert=tmp_path / "missing.pem")
