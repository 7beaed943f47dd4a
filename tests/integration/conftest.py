"""Browser tests: dash_duo drives Debian's headless Chromium (helpers in browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from selenium.webdriver.chrome.options import Options

from core.settings import Settings
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
