"""Browser tests: dash_duo drives Debian's headless Chromium (helpers in browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from selenium.webdriver.chrome.options import Options

from core.settings import Settings
from ghl.fake import FakeGhlApi, FakeServer
from ghl.worker import RelayThread
from seller_bot.bot import SellerBot
from tests.helpers import UNLIMITED_WEBHOOKS
from tests.integration.browser import CHROMIUM, DESKTOP, UI_SETTINGS
from tests.redis_server import RedisServer


def pytest_setup_options():
    """Selenium options for dash_duo: the distribution's Chromium, quiet and sandbox-free
    (containers), desktop-sized, and with reduced motion (no smooth scrolling or sliding
    panels: what the test reads is where things are)."""
    options = Options()
    if Path(CHROMIUM).exists():
        options.binary_location = CHROMIUM
    for argument in ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-sync", "--force-prefers-reduced-motion",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    return options


@pytest.fixture(scope="module")
def ui_redis_server() -> Iterator[RedisServer]:
    """A redis-server of the module's own (the session one is flushed by other tests)."""
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
def ui_redis(ui_redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(ui_redis_server.url, decode_responses=True,
                                  socket_timeout=2, socket_connect_timeout=1)
    yield client
    client.close()


@pytest.fixture(scope="module")
def ui_settings(ui_redis_server: RedisServer) -> Settings:
    return Settings(redis_url=ui_redis_server.url, **UI_SETTINGS)


# -- GoHighLevel two-way (test_ghl_*.py) ---------------------------------------------------
@pytest.fixture
def ghl_api() -> Iterator[FakeServer]:
    """GoHighLevel's API played by a local HTTP server that records every request."""
    with FakeGhlApi().serve() as server:
        yield server


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

