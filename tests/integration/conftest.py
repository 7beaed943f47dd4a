"""Browser tests: dash_duo drives Debian's headless Chromium; helpers shared by test_ui_*.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.options import Options

from app import create_app
from core.settings import Settings
from tests.redis_server import RedisServer, free_port

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DESKTOP = (1440, 1000)
# Caches off and a 1 s refresh: a test sees a change on the next tick.
UI_SETTINGS = {"refresh_interval_seconds": 1, "cache_kpi_seconds": 0,
               "cache_distribution_seconds": 0, "cache_trend_seconds": 0}


def pytest_setup_options():
    """Selenium options for dash_duo: the distribution's Chromium, quiet and sandbox-free
    (containers), desktop-sized so the whole table is clickable."""
    options = Options()
    if Path(CHROMIUM).exists():
        options.binary_location = CHROMIUM
    for argument in ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-sync",
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


def start(dash_duo, app) -> str:
    """Serve ``app`` on a free port (the machine is shared) and wait for the table."""
    dash_duo.start_server(app, port=free_port())
    dash_duo.wait_for_element("#conversations-table", timeout=10)
    return dash_duo.server_url


def click(dash_duo, selector: str, attempts: int = 5) -> None:
    """Scroll the element to the middle of the viewport (clear of the sticky header), then
    click it; retried while a re-render is still moving it."""
    for attempt in range(attempts):
        element = dash_duo.find_element(selector)
        # Instant: Bootstrap makes scrolling smooth, and a click mid-scroll misses.
        dash_duo.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        try:
            element.click()
            return
        except (ElementClickInterceptedException, StaleElementReferenceException):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def make_app(settings: Settings, client: redis.Redis, **kwargs):
    return create_app(settings, client, **kwargs)
