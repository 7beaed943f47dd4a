"""Helpers of the browser tests (test_ui_*.py): settings, serving the app, clicking."""

from __future__ import annotations

import time
from pathlib import Path

import redis
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
)

from app import create_app
from core.settings import Settings
from tests.redis_server import free_port

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DESKTOP = (1440, 1000)
# Caches off and a 1 s refresh: a test sees a change on the next tick.
UI_SETTINGS = {"refresh_interval_seconds": 1, "cache_kpi_seconds": 0,
               "cache_distribution_seconds": 0, "cache_trend_seconds": 0}



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
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})",
                                       element)
        try:
            element.click()
            return
        except (ElementClickInterceptedException, StaleElementReferenceException):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def make_app(settings: Settings, client: redis.Redis, **kwargs):
    return create_app(settings, client, **kwargs)
