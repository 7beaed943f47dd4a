"""Helpers of the browser tests (test_ui_*.py): settings, serving the app, clicking, reading."""

from __future__ import annotations

import time
from pathlib import Path

import redis
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from app import create_app
from core.settings import Settings
from tests.helpers import UNLIMITED_WEBHOOKS
from tests.redis_server import free_port

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# The one browser window size of every browser test (tests that resize put it back).
DESKTOP = (1440, 1000)
# How long a browser test waits for a condition: long enough for a machine whose cores are
# busy with other work, never a fixed pause.
WAIT_SECONDS = 15
# "instant": Bootstrap turns on smooth scrolling, and an element still gliding into view
# is not where the click lands.
SCROLL_TO_CENTER = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})"
# Caches off and a 1 s refresh: a test sees a change on the next tick. The webhook budget is
# out of the way (a module's tests share one Redis).
UI_SETTINGS = {"refresh_interval_seconds": 1, "cache_kpi_seconds": 0,
               "cache_distribution_seconds": 0, "cache_trend_seconds": 0,
               "webhook_rate_limit": UNLIMITED_WEBHOOKS}


def start(dash_duo, app) -> str:
    """Serve ``app`` on a free port (the machine is shared) and wait for the table.

    Every ``dash_duo.wait_for_*`` without a timeout of its own waits WAIT_SECONDS, not
    dash.testing's 10 s (its Browser takes no such option, so its default wait is replaced)."""
    dash_duo._wd_wait = WebDriverWait(dash_duo.driver, WAIT_SECONDS)
    dash_duo.start_server(app, port=free_port(), start_timeout=WAIT_SECONDS)
    dash_duo.wait_for_element("#conversations-table", timeout=WAIT_SECONDS)
    return dash_duo.server_url


def act(dash_duo, selector: str, action, timeout: float = WAIT_SECONDS) -> None:
    """Scroll the element to the middle of the viewport (clear of the sticky header), then do
    ``action(element)``; while a re-render still replaces, moves or covers it, find it again
    and retry, until ``timeout``."""

    def done(driver) -> bool:
        element = driver.find_element(By.CSS_SELECTOR, selector)
        driver.execute_script(SCROLL_TO_CENTER, element)
        try:
            action(element)
        except (ElementClickInterceptedException, ElementNotInteractableException,
                StaleElementReferenceException):
            return False
        return True

    WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.2).until(
        done, f"could not use {selector} within {timeout} s")


def click(dash_duo, selector: str) -> None:
    act(dash_duo, selector, lambda element: element.click())


def choose(dash_duo, selector: str, value: str) -> None:
    """Pick ``value`` in the <select> ``selector``."""
    act(dash_duo, selector, lambda element: Select(element).select_by_value(value))


def scroll_into_view(dash_duo, selector: str):
    """The element, scrolled to the middle of the viewport at once (for pointer actions)."""
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(SCROLL_TO_CENTER, element)
    return element


def texts(dash_duo, selector: str) -> list[str]:
    """The text of every element matching ``selector``, read inside the page in one step: a
    re-render between finding an element and reading it cannot make it stale."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText.trim())",
        selector)


def text(dash_duo, selector: str) -> str | None:
    """The text of the first element matching ``selector`` (None: there is none)."""
    found = texts(dash_duo, selector)
    return found[0] if found else None


def callbacks_idle(dash_duo) -> bool:
    """No Dash callback is queued or waiting for the server in the page."""
    return dash_duo.redux_state_rqs == []


def holds(condition, seconds: float, msg: str) -> None:
    """For what must NOT happen: ``condition`` stays true for ``seconds`` (checked as it
    goes, failing the moment it stops holding). A slow machine makes this check weaker,
    never wrong."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition(), msg
        time.sleep(0.2)  # the polling interval, as in dash.testing.wait.until
    assert condition(), msg


def make_app(settings: Settings, client: redis.Redis, **kwargs):
    return create_app(settings, client, **kwargs)
