"""Shared fixtures: a real redis-server per session (flushed per test), the app, a live HTTP
server for the app, and signed webhook helpers.

Tests pass in any order (pytest-randomly shuffles them) and on a busy machine: every test sets
the settings it depends on, none comes from the machine (environment or a local .env), and
nothing is shared between tests but the flushed Redis server."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import requests
from hypothesis import settings as hypothesis_settings
from werkzeug.serving import make_server

from app import create_app
from core.settings import Settings
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]
# A busy machine can stall any example for longer than Hypothesis's 200 ms default deadline;
# a timing failure there says nothing about the code, so no deadline anywhere.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")
# Far above what any test sends: only the tests of the rate limit set a real one.
UNLIMITED_WEBHOOKS = "1000000/minute"


@pytest.fixture(scope="session", autouse=True)
def settings_from_the_tests_only() -> Iterator[None]:
    """No setting comes from the developer's environment or a local .env (the test process
    and the commands it starts): each test sets what it depends on."""
    with pytest.MonkeyPatch.context() as patch:
        for name in Settings.model_fields:
            for variable in {name.upper(), name}:
                if variable in os.environ:
                    patch.delenv(variable)
        patch.setitem(Settings.model_config, "env_file", None)
        yield


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def command_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a command a test starts runs: outside the checkout, so it reads no local .env
    either; it imports the project through PYTHONPATH."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return tmp_path


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def settings(redis_server: RedisServer) -> Settings:
    return Settings(redis_url=redis_server.url, webhook_rate_limit=UNLIMITED_WEBHOOKS)


class FakeClock:
    """A clock tests move by hand; starts at the real current time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis):
    return create_app(settings, redis_client)


class LiveServer:
    """The app's Flask server on a real port in a background thread."""

    def __init__(self, flask_app) -> None:
        # Port 0: the system picks a free port as it binds, so no other process can take it.
        self._server = make_server("127.0.0.1", 0, flask_app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app.server) as server:
        yield server


def inbound(text: str, contact: str = "contact-1", location: str = "loc-1", **extra) -> dict:
    """A GoHighLevel InboundMessage webhook body with a message id of its own (unique across
    tests, runs and processes, so no store ever takes it for a duplicate)."""
    payload = {
        "type": "InboundMessage", "locationId": location, "contactId": contact,
        "conversationId": f"conv-{contact}", "messageId": f"msg-{uuid.uuid4().hex}",
        "body": text,
        "messageType": "SMS", "direction": "inbound",
        "dateAdded": datetime.now(UTC).isoformat(), "contactName": "Maria Lopez",
        "phone": "+19095550101",
    }
    payload.update(extra)
    return payload


class Seller:
    """Texts the bot through the real HTTP route, like GoHighLevel would."""

    def __init__(self, base_url: str, contact: str = "contact-1", location: str = "loc-1",
                 session: requests.Session | None = None, **fields) -> None:
        self.base_url = base_url
        self.contact = contact
        self.location = location
        self.fields = fields
        self.http = session or requests.Session()

    def says(self, text: str) -> dict:
        response = self.http.post(
            f"{self.base_url}/webhooks/ghl/inbound",
            json=inbound(text, self.contact, self.location, **self.fields), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def state(self) -> dict:
        response = self.http.get(f"{self.base_url}/api/conversations/{self.contact}", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()
