"""Redis over TLS (docs/deploy.md): a throwaway CA signs a server certificate, real TLS-only
redis-servers use it (one server, and a 3-master cluster whose bus is TLS too), and every
client the app makes goes over TLS to them: the webhook's, the dashboard's and its cache's, the
login limiter's (on a cluster Flask-Limiter's own cluster client), the relay command's. The
server's certificate is verified: against REDIS_CA_CERT, else the system's CAs, and not at all
only with REDIS_TLS_VERIFY=0."""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app import create_app
from core.keys import CACHE_PREFIX, RATE_LIMIT_PREFIX, LocationKeys
from core.redis_client import DECODING, connect, is_cluster, limits_storage
from core.settings import ConfigurationError, Settings
from services.users import user_entry
from tests.helpers import (
    PASSWORD,
    SECRET_KEY,
    UNLIMITED_WEBHOOKS,
    WEBHOOK_SECRET,
    inbound,
    log_in,
    signed_post,
)
from tests.redis_cluster import RedisClusterServers
from tests.redis_server import RedisServer, ServerTls, TlsUnsupported
from tests.waiting import until

LOCATION, CONTACT = "loc-tls", "c-tls"
VERIFY_FAILED = "CERTIFICATE_VERIFY_FAILED"


def issue_certificates(directory: Path, name: str) -> ServerTls:
    """A new CA and a certificate it signs for 127.0.0.1/localhost (server and cluster-bus
    client), valid for a day; PEM files in ``directory``."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} test CA")])
    ca = (_valid_for_a_day(x509.CertificateBuilder(), now)
          .subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(
              digital_signature=False, content_commitment=False, key_encipherment=False,
              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
              encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        _valid_for_a_day(x509.CertificateBuilder(), now)
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name).public_key(key.public_key())
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                              ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
    files = ServerTls(ca_file=directory / "ca.pem", cert_file=directory / "server.pem",
                      key_file=directory / "server.key")
    files.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    files.key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return files


def _valid_for_a_day(builder: x509.CertificateBuilder, now: datetime) -> x509.CertificateBuilder:
    return (builder.serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1)))


def started(make: Callable[[], Any]) -> Any:
    """``make().start()``, skipping the test where no redis-server here speaks TLS."""
    try:
        return make().start()
    except TlsUnsupported as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> ServerTls:
    return issue_certificates(tmp_path_factory.mktemp("redis-tls"), "redis")


@pytest.fixture(scope="module")
def untrusted_ca(tmp_path_factory) -> Path:
    """Another CA's certificate: it signed nothing the servers use."""
    return issue_certificates(tmp_path_factory.mktemp("other-ca"), "other").ca_file


@pytest.fixture(scope="module")
def tls_server(certificates) -> Iterator[RedisServer]:
    server = started(lambda: RedisServer(tls=certificates))
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
def tls_cluster(certificates) -> Iterator[RedisClusterServers]:
    cluster = started(lambda: RedisClusterServers(tls=certificates))
    yield cluster
    cluster.cleanup()


@dataclass(frozen=True)
class TlsRedis:
    """Where the app is pointed (its REDIS_URL and settings) and the TLS servers behind it,
    which the test reads with clients of its own."""

    url: str
    ports: list[int]
    tls: ServerTls
    overrides: dict[str, Any] = field(default_factory=dict)

    def settings(self, **overrides) -> Settings:
        return Settings(redis_url=self.url, **self.overrides, **overrides)

    def keys(self, pattern: str) -> list[str]:
        """Every server's keys matching ``pattern`` (read over TLS, trusting the test CA)."""
        found: list[str] = []
        for port in self.ports:
            with redis.Redis(port=port, **DECODING,
                             **self.tls.client_options()) as node:
                found += node.keys(pattern)
        return found

    def flush(self) -> None:
        for port in self.ports:
            with redis.Redis(port=port, **self.tls.client_options()) as node:
                node.flushall()


@pytest.fixture(params=["rediss", "rediss+cluster", "REDIS_CLUSTER=1"])
def tls_redis(request, certificates) -> TlsRedis:
    """One TLS server (``rediss://``), or the TLS cluster named by ``rediss+cluster://`` or by
    a node's ``rediss://`` URL with REDIS_CLUSTER=1."""
    if request.param == "rediss":
        server = request.getfixturevalue("tls_server")
        target = TlsRedis(server.url, [server.port], certificates)
    else:
        cluster = request.getfixturevalue("tls_cluster")
        if request.param == "rediss+cluster":
            target = TlsRedis(cluster.url, cluster.ports, certificates)
        else:
            target = TlsRedis(f"rediss://127.0.0.1:{cluster.ports[0]}", cluster.ports,
                              certificates, {"redis_cluster": True})
    target.flush()
    return target


def start_relay(settings: Settings, cwd: Path) -> subprocess.Popen:
    """``flask --app app relay`` (the Procfile's worker), configured by its environment."""
    env = {**os.environ, "REDIS_URL": settings.redis_url,
           "REDIS_CLUSTER": "1" if settings.redis_cluster else "0",
           "REDIS_CA_CERT": str(settings.redis_ca_cert), "GHL_API_TOKEN": "test-token",
           "GHL_API_BASE": settings.ghl_api_base, "RELAY_POLL_SECONDS": "0.02"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "relay"], cwd=cwd,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def limiter_counts(client: redis.Redis, key: str) -> bool:
    """One hit on the login limiters' storage for ``client`` (``limits_storage``)."""
    uri, options = limits_storage(client)
    storage = storage_from_string(uri, key_prefix=RATE_LIMIT_PREFIX, **options)
    return FixedWindowRateLimiter(storage).hit(parse("5/minute"), key)


def test_tls001_every_client_of_the_app_over_tls(tls_redis, serve, ghl_api, command_dir):
    """Production settings with REDIS_CA_CERT: the app makes its own clients (``connect``)."""
    settings = tls_redis.settings(
        redis_ca_cert=tls_redis.tls.ca_file, app_env="production", secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET, dashboard_users=user_entry("jorge", PASSWORD),
        webhook_rate_limit=UNLIMITED_WEBHOOKS, ghl_api_token="test-token",
        ghl_api_base=ghl_api.url)
    app = create_app(settings)
    client = app.server.extensions["sellerbot"]["redis"]
    assert client.get_connection_kwargs()["ssl_ca_certs"] == str(tls_redis.tls.ca_file)
    assert is_cluster(client) is (tls_redis.url.startswith("rediss+cluster")
                                  or settings.redis_cluster)
    try:
        with serve(app.server) as server:
            message = inbound("Hi, thinking about selling my house", CONTACT, LOCATION)
            stored = signed_post(server, message)
            assert stored.status_code == 200, stored.text
            _, refused = log_in(server, password="wrong")
            session, signed_in = log_in(server)
            dashboard = session.get(f"{server.url}/api/dashboard", timeout=10)
            table = session.get(f"{server.url}/api/conversations", timeout=10)
    finally:
        client.close()
    assert refused.status_code != 302 and signed_in.status_code == 302, signed_in.text
    assert dashboard.status_code == 200, dashboard.text
    assert [row["contact_id"] for row in table.json()["rows"]] == [CONTACT]
    assert tls_redis.keys(LocationKeys(LOCATION).conversation(CONTACT))
    assert tls_redis.keys(f"{RATE_LIMIT_PREFIX}*")  # the login limiter counted over TLS
    assert tls_redis.keys(f"{CACHE_PREFIX}*")

    relay = start_relay(settings, command_dir)
    try:
        # A fresh process imports the app first: slow on a busy machine.
        sent = until(lambda: ghl_api.api.sent("/conversations/messages"), timeout=60,
                     msg="the relay's reply sent to GoHighLevel")
    finally:
        relay.send_signal(signal.SIGTERM)
        _, errors = relay.communicate(timeout=15)
    assert [request.body["contactId"] for request in sent] == [CONTACT]
    assert relay.returncode == 0, errors.decode()


@pytest.mark.parametrize("ca", ["untrusted", "system"])
def test_tls002_certificate_not_trusted_is_refused(tls_redis, untrusted_ca, ca):
    """A server certificate neither REDIS_CA_CERT's CA nor the system's CAs signed: the app
    does not start, and says what to set."""
    settings = tls_redis.settings(redis_ca_cert=untrusted_ca if ca == "untrusted" else None)
    with pytest.raises(ConfigurationError, match=f"not trusted.*{VERIFY_FAILED}.*REDIS_CA_CERT"):
        create_app(settings)


def test_tls003_verification_off_only_when_asked(tls_redis, caplog):
    """REDIS_TLS_VERIFY=0 (Heroku Redis's self-signed certificates): still TLS, no CA needed,
    and the log says so; the login limiters' storage connects the same way."""
    with caplog.at_level(logging.WARNING, logger="core.redis_client"):
        client = connect(tls_redis.settings(redis_tls_verify=False))
    try:
        assert client.ping()
        assert limiter_counts(client, "unverified")
    finally:
        client.close()
    assert "REDIS_TLS_VERIFY=0" in caplog.text
    assert tls_redis.keys(f"{RATE_LIMIT_PREFIX}*unverified*")
