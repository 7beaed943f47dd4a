"""The first screen sent with the page (components/first_screen.py): it shows the figures Dash
then renders, in the same places (nothing moves when Dash takes over, on a laptop and a
phone, in both themes), and only what the URL and the signed-in user may see."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import requests

from app import create_app
from components import first_screen, ids
from core.settings import Settings
from services.users import user_entry
from tests.browser.page import DESKTOP
from tests.helpers import (
    PASSWORD,
    SECRET_KEY,
    UNLIMITED_WEBHOOKS,
    WEBHOOK_SECRET,
    LiveServer,
    inbound,
    log_in,
    signed_post,
)
from tests.table_store import build_store
from tests.waiting import WAIT_SECONDS, until

NOW = datetime.now(UTC).replace(microsecond=0)
NAMES = "north=North County,south=Inland Empire"
# (location, contact, texts): three open conversations, two of them in north; one opted out.
SELLERS = (("north", "ana", ("hi, want to sell",)), ("north", "ben", ("hello",)),
           ("south", "cleo", ("hi", "STOP")), ("south", "dan", ("hi, want to sell",)))
PHONE = (390, 844)
# What is compared: the header, the banners, the range bar and every card and figure.
PARTS = ("header, .alert, .range-bar, .range-label, .kpi-card, .kpi-title, .kpi-value, "
         ".kpi-detail, .kpi-delta")
# Runs before the page's own scripts: the first screen's boxes and figures as first laid out
# (DOMContentLoaded comes before Dash has fetched its layout), and every layout shift.
RECORD = """
const PARTS = PARTS_JSON, FIRST = FIRST_JSON;
window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(
    entry => window.__shifts.push(entry.value))).observe({type: 'layout-shift', buffered: true});
window.__boxes = root => root ? Array.from(root.querySelectorAll(PARTS)).map(e => {
    const r = e.getBoundingClientRect();
    return [e.className, Math.round(r.x), Math.round(r.y), Math.round(r.width),
            Math.round(r.height), e.classList.contains('kpi-value') ? e.textContent : ''];
}) : null;
document.addEventListener('DOMContentLoaded', () => {
    window.__before = window.__boxes(document.getElementById(FIRST));
});
""".replace("PARTS_JSON", json.dumps(PARTS)).replace(
    "FIRST_JSON", json.dumps(first_screen.FIRST_SCREEN))
DASH_DONE = (f"return !!document.getElementById('{ids.TABLE}') && "
             f"!document.getElementById('{first_screen.FIRST_SCREEN}') && "
             f"document.getElementById('{ids.FRESHNESS}').textContent !== ''")
KPI_VALUE = re.compile(r'<div class="kpi-value[^"]*">([^<]*)</div>')
THEME = "return document.documentElement.getAttribute('data-bs-theme')"


def talk(post) -> None:
    """Every seller's texts, each through ``post`` (the webhook)."""
    for location, contact, texts in SELLERS:
        for text in texts:
            response = post(inbound(text, contact, location))
            assert response.status_code == 200, response.text


def first_screen_of(page: str) -> str:
    """The first screen's markup in a served page ('' when there is none)."""
    start = page.find(f'<div id="{first_screen.FIRST_SCREEN}">')
    return page[start:page.index('<div id="react-entry-point">')] if start >= 0 else ""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_fsui001_dash_takes_over_the_first_screen_with_the_same_figures_in_place(
        dash_duo, open_dashboard, empty_redis, ui_settings, theme):
    build_store(empty_redis, ui_settings, NOW, count=60)
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": theme}]})
    url = open_dashboard(create_app(ui_settings, empty_redis))
    for width, height in (DESKTOP, PHONE):
        driver.set_window_size(width, height)
        driver.get(url)
        until(lambda: driver.execute_script(DASH_DONE), WAIT_SECONDS,
              msg="Dash's page did not replace the first screen")
        # The theme was on <html> before the first paint, not only once Dash ran.
        assert driver.execute_script(THEME) == theme
        before = driver.execute_script("return window.__before")
        after = driver.execute_script(f"return window.__boxes(document.getElementById("
                                      f"'{ids.PAGE}'))")
        assert before is not None and len([b for b in before if b[5]]) == 12, before
        assert before == after, [(b, a) for b, a in zip(before, after, strict=True) if b != a]
        assert sum(driver.execute_script("return window.__shifts")) < 0.001
    driver.set_window_size(*DESKTOP)


def test_fsui002_the_first_screen_follows_the_url_and_is_never_shared(live_locations):
    page = requests.get(live_locations.url, timeout=10)
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in page.headers["Vary"]
    screen = first_screen_of(page.text)
    # Active conversations, all locations: the four sellers minus the one who opted out.
    assert KPI_VALUE.findall(screen)[3] == "3"
    for query in ("?location=south", "?range=7d", "?location=north&range=30d"):
        other = first_screen_of(requests.get(live_locations.url + query, timeout=10).text)
        assert "Seller Bot Analytics" in other and KPI_VALUE.findall(other) == [], query
    filtered = first_screen_of(requests.get(live_locations.url + "?seg=hot_action",
                                            timeout=10).text)
    assert KPI_VALUE.findall(filtered) == KPI_VALUE.findall(screen)


def test_fsui003_signed_out_nothing_signed_in_only_the_users_locations(limited_server):
    signed_out = requests.get(limited_server.url, timeout=10, allow_redirects=False)
    assert signed_out.status_code == 302 and "kpi-value" not in signed_out.text
    session, response = log_in(limited_server)
    assert response.status_code == 302
    own = session.get(f"{limited_server.url}/api/dashboard", timeout=10).json()
    screen = first_screen_of(session.get(limited_server.url, timeout=10).text)
    values = KPI_VALUE.findall(screen)
    assert values[3] == str(own["hero"]["active_conversations"]["value"]) == "2"
    assert "Inland Empire" not in screen


@pytest.fixture
def live_locations(empty_redis, ui_settings):
    settings = ui_settings.model_copy(update={"locations": NAMES})
    with LiveServer(create_app(settings, empty_redis).server) as live:
        talk(lambda payload: requests.post(f"{live.url}/webhooks/ghl/inbound", json=payload,
                                           timeout=10))
        yield live


@pytest.fixture
def limited_server(empty_redis, ui_redis_server):
    """Production mode; jorge may see north only."""
    settings = Settings(app_env="production", redis_url=ui_redis_server.url,
                        secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET,
                        dashboard_users=user_entry("jorge", PASSWORD) + "@north",
                        locations=NAMES, cache_kpi_seconds=0,
                        webhook_rate_limit=UNLIMITED_WEBHOOKS)
    with LiveServer(create_app(settings, empty_redis).server) as live:
        talk(lambda payload: signed_post(live, payload))
        yield live

