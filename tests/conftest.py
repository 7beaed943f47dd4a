"""Shared fixtures: a real redis-server per session (flushed per test), the app, a live HTTP
server for the app, a hand-moved clock. Helpers to import are in tests/helpers.py.

Tests pass in any order (pytest-randomly shuffles them) and on a busy machine: every test sets
the settings it depends on, none comes from the machine (environment or a local .env), and
nothing is shared between tests but the flushed Redis server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from hypothesis import settings as hypothesis_settings

from app import create_app
from core.redis_client import DECODING
from core.settings import Settings
from ghl.fake import FakeGhlApi, FakeServer
from tests.helpers import UNLIMITED_WEBHOOKS, FakeClock, LiveServer
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]
# A busy machine can stall any example for longer than Hypothesis's 200 ms default deadline;
# a timing failure there says nothing about the code, so no deadline anywhere.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


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
    client = redis.Redis.from_url(redis_server.url, **DECODING)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def settings(redis_server: RedisServer) -> Settings:
    return Settings(redis_url=redis_server.url, webhook_rate_limit=UNLIMITED_WEBHOOKS)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(settings: Settings, redis_client: redis.Redis):
    return create_app(settings, redis_client)


@pytest.fixture(scope="session")
def serve() -> Callable[[Flask], LiveServer]:
    """``with serve(flask_server) as server:`` serves an app a test (or a fixture of any
    scope) built itself on a real port, ``server.url``, for the block."""
    return LiveServer


@pytest.fixture
def live_server(app, serve) -> Iterator[LiveServer]:
    """The ``app`` fixture on a real port."""
    with serve(app.server) as server:
        yield server


@pytest.fixture
def ghl_api() -> Iterator[FakeServer]:
    """GoHighLevel's API played by a local HTTP server that records every request."""
    with FakeGhlApi().serve() as server:
        yield server
