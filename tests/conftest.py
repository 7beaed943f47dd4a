"""Shared fixtures: a real redis-server per session (flushed per test), the app, a live HTTP
server for the app, a hand-moved clock. Helpers to import are in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from app import create_app
from core.settings import Settings
from tests.helpers import FakeClock, LiveServer
from tests.redis_server import RedisServer


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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis):
    return create_app(settings, redis_client)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app.server) as server:
        yield server
