"""Shared fixtures: a real redis-server per session (flushed per test), the app, a live HTTP
server for the app, and signed webhook helpers."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis
import requests
from werkzeug.serving import make_server

from app import create_app
from core.settings import Settings
from tests.redis_server import RedisServer, free_port


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def settings(redis_server: RedisServer) -> Settings:
    return Settings(redis_url=redis_server.url)


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
        self.port = free_port()
        self._server = make_server("127.0.0.1", self.port, flask_app, threaded=True)
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


_message_ids = itertools.count(1)


def inbound(text: str, contact: str = "contact-1", location: str = "loc-1", **extra) -> dict:
    """A GoHighLevel InboundMessage webhook body."""
    n = next(_message_ids)
    payload = {
        "type": "InboundMessage", "locationId": location, "contactId": contact,
        "conversationId": f"conv-{contact}", "messageId": f"msg-{n}", "body": text,
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
