"""Browser tests: dash_duo drives Debian's headless Chromium. Fixtures: the browser's options,
a redis-server per module (``ui_redis``, ``empty_redis``, ``ui_settings``) and
``open_dashboard``; acting on the page is in page.py. Every test here carries the ``browser``
marker (``-m "not browser"`` leaves them out)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.support.ui import WebDriverWait

from core.redis_client import DECODING
from core.settings import Settings
from tests.browser.page import DESKTOP, UI_SETTINGS
from tests.redis_server import RedisServer, free_port
from tests.waiting import WAIT_SECONDS

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


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
    client = redis.Redis.from_url(ui_redis_server.url, **DECODING,
                                  socket_timeout=2, socket_connect_timeout=1)
    yield client
    client.close()


@pytest.fixture
def empty_redis(ui_redis: redis.Redis) -> redis.Redis:
    """The module's Redis, emptied for this test."""
    ui_redis.flushall()
    return ui_redis


@pytest.fixture(scope="module")
def ui_settings(ui_redis_server: RedisServer) -> Settings:
    return Settings(redis_url=ui_redis_server.url, **UI_SETTINGS)


@pytest.fixture
def open_dashboard(dash_duo) -> Callable[..., str]:
    """``open_dashboard(app)``: serve the Dash ``app`` on a free port (the machine is shared),
    open it and wait for the table; returns its URL.

    Every ``dash_duo.wait_for_*`` without a timeout of its own waits WAIT_SECONDS, not
    dash.testing's 10 s (its Browser takes no such option, so its default wait is replaced)."""

    def open_app(app) -> str:
        dash_duo._wd_wait = WebDriverWait(dash_duo.driver, WAIT_SECONDS)
        dash_duo.start_server(app, port=free_port(), start_timeout=WAIT_SECONDS)
        dash_duo.wait_for_element("#conversations-table", timeout=WAIT_SECONDS)
        return dash_duo.server_url

    return open_app
