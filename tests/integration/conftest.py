"""Fixtures of the integration tests: GoHighLevel two-way (test_ghl_*.py), the relay pointed at
the fake API (``ghl_api``, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from core.settings import Settings
from ghl.fake import FakeServer
from ghl.worker import RelayThread
from seller_bot.bot import SellerBot
from tests.helpers import UNLIMITED_WEBHOOKS
from tests.redis_server import RedisServer


@pytest.fixture
def ghl_settings(redis_server: RedisServer, ghl_api: FakeServer) -> Settings:
    """Replies on, pointed at the local fake; short poll, claim and retry times."""
    return Settings(redis_url=redis_server.url, ghl_api_token="test-token",
                    webhook_rate_limit=UNLIMITED_WEBHOOKS,
                    ghl_api_base=ghl_api.url, relay_poll_seconds=0.02,
                    relay_claim_idle_seconds=1.0, ghl_retry_base_seconds=0.05,
                    ghl_retry_max_seconds=0.5, ghl_max_attempts=3, ghl_timeout_seconds=2.0)


@pytest.fixture
def relay_thread(ghl_settings: Settings, redis_client: redis.Redis) -> Iterator[RelayThread]:
    """A relay in a thread, using the app's bot rules."""
    thread = RelayThread(redis_client, ghl_settings, SellerBot(redis_client, ghl_settings))
    yield thread.start()
    thread.stop()
