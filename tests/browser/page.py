"""Acting on the dashboard page in a browser test: click, choose, scroll, read text, callbacks
idle. Plain functions of ``dash_duo``, called mid-test with a selector (the page itself is
opened by the ``open_dashboard`` fixture, conftest.py)."""

from __future__ import annotations

from pathlib import Path

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.helpers import UNLIMITED_WEBHOOKS
from tests.waiting import WAIT_SECONDS

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# The one browser window size of every browser test (tests that resize put it back).
DESKTOP = (1440, 1000)
# "instant": Bootstrap turns on smooth scrolling, and an element still gliding into view
# is not where the click lands.
CENTER = "{block: 'center', behavior: 'instant'}"
SCROLL_TO_CENTER = f"arguments[0].scrollIntoView({CENTER})"
# Caches off and a 1 s refresh: a test sees a change on the next tick. The webhook budget is
# out of the way (a module's tests share one Redis).
UI_SETTINGS = {"refresh_interval_seconds": 1, "cache_kpi_seconds": 0,
               "cache_distribution_seconds": 0, "cache_trend_seconds": 0,
               "webhook_rate_limit": UNLIMITED_WEBHOOKS}


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


def scroll_to(dash_duo, selector: str) -> None:
    """Scroll the element matching ``selector`` to the middle of the viewport, found and
    scrolled inside the page in one step: a re-render in between cannot make it stale."""
    dash_duo.driver.execute_script(
        f"document.querySelector(arguments[0]).scrollIntoView({CENTER})", selector)


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
