"""Auto-refresh in the browser: new data arrives on the next tick without a reload, a hidden
tab stops ticking, a Redis outage shows the stale banner and recovery removes it, and the
demo's live trickle moves the KPI cards."""

from __future__ import annotations

import time

import pytest
import redis
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains

from components import formatting as fmt
from components import ids
from core.settings import Settings
from seller_bot.demo import DemoTraffic
from tests.conftest import Seller
from tests.integration.conftest import UI_SETTINGS, make_app, start
from tests.redis_server import RedisServer

pytestmark = pytest.mark.browser
SET_HIDDEN = """
const hidden = arguments[0];
Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
Object.defineProperty(document, 'visibilityState', {configurable: true,
                      get: () => hidden ? 'hidden' : 'visible'});
document.dispatchEvent(new Event('visibilitychange'));
"""

GRAPH = f"document.querySelector('#{ids.GRAPH_MESSAGES} .js-plotly-plot')"
# The x range the user zoomed to (autorange = no zoom), and the inbound messages drawn.
X_RANGE = f"const g = {GRAPH}; return g.layout.xaxis.autorange ? null : g.layout.xaxis.range;"
INBOUND_TOTAL = (f"const g = {GRAPH}; const t = g.data.find(d => d.name === 'Inbound messages');"
                 " return t ? t.y.reduce((a, b) => a + (b || 0), 0) : null;")


def zoom_box(dash_duo) -> None:
    """Drag a zoom box over the messages graph, as a user does."""
    drag = dash_duo.find_element(f"#{ids.GRAPH_MESSAGES} .nsewdrag")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", drag)
    time.sleep(0.3)
    ActionChains(dash_duo.driver).move_to_element_with_offset(drag, 10, 10).click_and_hold() \
        .move_by_offset(100, 50).release().perform()
    time.sleep(0.5)


@pytest.fixture
def empty_redis(ui_redis: redis.Redis) -> redis.Redis:
    ui_redis.flushall()
    return ui_redis


def names(dash_duo) -> list[str]:
    return [c.text for c in dash_duo.find_elements(f'#{ids.TABLE} td[data-dash-column="name"]')]


def test_ui101_webhook_conversation_appears_on_the_next_tick(dash_duo, empty_redis,
                                                             ui_settings):
    url = start(dash_duo, make_app(ui_settings, empty_redis))
    # First run: say what to do, never zeros that look like data.
    dash_duo.wait_for_text_to_equal(f"#{ids.EMPTY_STATE}", fmt.EMPTY_STORE)
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_EMPTY}", fmt.EMPTY_STORE)
    assert dash_duo.find_element(f"#{ids.kpi_value('active_conversations')}").text == \
        fmt.NO_DATA
    dash_duo.driver.execute_script("window.__same_page = true")

    Seller(url, contact="new-seller", contactName="Rosa Diaz").says(
        "Hi, thinking about selling my house, it needs a new roof")
    dash_duo.wait_for_text_to_equal(f'#{ids.TABLE} td[data-dash-column="name"]', "Rosa Diaz",
                                    timeout=8)
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "1")
    until(lambda: not dash_duo.find_elements(f"#{ids.EMPTY_STATE}"), 5)
    assert dash_duo.find_element(f"#{ids.TABLE_EMPTY}").text == ""
    assert dash_duo.driver.execute_script("return window.__same_page") is True  # no reload
    assert dash_duo.find_element(f"#{ids.FRESHNESS}").text.startswith("updated ")

    # Zoom into the messages graph; the next data change redraws it and keeps the zoom.
    # (Charts are drawn when they come into view.)
    dash_duo.driver.execute_script(
        f"document.getElementById('{ids.GRAPH_MESSAGES}').scrollIntoView()")
    dash_duo.wait_for_element(f"#{ids.GRAPH_MESSAGES} .js-plotly-plot")
    until(lambda: dash_duo.driver.execute_script(INBOUND_TOTAL) == 1, 5,
          msg="the graph does not show the first message")
    for _ in range(4):  # a drag can miss while the page is still settling; try again
        zoom_box(dash_duo)
        if dash_duo.driver.execute_script(X_RANGE) is not None:
            break
    assert dash_duo.driver.execute_script(X_RANGE) is not None, "could not zoom"
    zoomed = dash_duo.driver.execute_script(X_RANGE)
    Seller(url, contact="second-seller", contactName="Sam Next").says("hello, selling a condo")
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "2",
                                    timeout=8)
    until(lambda: dash_duo.driver.execute_script(INBOUND_TOTAL) == 2, 5,
          msg="the graph was not redrawn with the new message")
    assert dash_duo.driver.execute_script(X_RANGE) == zoomed
    assert dash_duo.get_logs() == []


def test_ui102_hidden_tab_stops_refreshing_until_visible_again(dash_duo, empty_redis,
                                                               ui_settings):
    url = start(dash_duo, make_app(ui_settings, empty_redis))
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_EMPTY}", fmt.EMPTY_STORE)
    dash_duo.driver.execute_script(SET_HIDDEN, True)
    time.sleep(0.3)
    Seller(url, contact="while-hidden", contactName="Hidden Harry").says("hi, selling a house")
    time.sleep(3.5)  # three and a half refresh periods
    assert names(dash_duo) == []
    dash_duo.driver.execute_script(SET_HIDDEN, False)
    # Becoming visible checks at once, without waiting for the next period.
    dash_duo.wait_for_text_to_equal(f'#{ids.TABLE} td[data-dash-column="name"]',
                                    "Hidden Harry", timeout=3)
    assert dash_duo.get_logs() == []


def test_ui103_redis_down_shows_stale_banner_and_recovery_clears_it(dash_duo):
    server = RedisServer(appendonly=True).start()
    client = redis.Redis.from_url(server.url, decode_responses=True, socket_timeout=1,
                                  socket_connect_timeout=0.5)
    try:
        settings = Settings(redis_url=server.url, **UI_SETTINGS)
        url = start(dash_duo, make_app(settings, client))
        Seller(url, contact="before-outage", contactName="Olga Stale").says(
            "hello, I want to sell my place")
        dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "1")

        server.stop()
        until(lambda: "Redis unreachable since" in dash_duo.find_element(
            f"#{ids.STALE_BANNER}").text, 10, msg="no stale banner")
        banner = dash_duo.find_element(f"#{ids.STALE_BANNER}").text
        assert banner.startswith("Showing data from ")
        # The last figures stay on screen.
        assert dash_duo.find_element(f"#{ids.kpi_value('active_conversations')}").text == "1"
        assert "Olga Stale" in names(dash_duo)

        server.start()
        until(lambda: not dash_duo.find_elements(f"#{ids.STALE_BANNER}"), 15,
              msg="stale banner did not clear")
        Seller(url, contact="after-outage", contactName="Rita Back").says("hi there")
        dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "2",
                                        timeout=8)
        assert dash_duo.get_logs() == []
    finally:
        client.close()
        server.cleanup()


def test_ui104_demo_live_trickle_changes_the_kpi_cards(dash_duo, empty_redis, ui_settings):
    demo = DemoTraffic(empty_redis, ui_settings, sellers=15, interval=(0.2, 0.4))
    demo.seed(progress=False)
    app = make_app(ui_settings, empty_redis, demo=True)
    demo.start(app.server)
    try:
        start(dash_duo, app)
        dash_duo.wait_for_text_to_equal(f"#{ids.DEMO_BADGE}", "Demo data")
        first = dash_duo.find_element(f"#{ids.HERO}").text
        until(lambda: dash_duo.find_element(f"#{ids.HERO}").text != first, 15,
              msg="the KPI cards did not move")
        assert demo.sent > 0
    finally:
        demo.stop()
    assert dash_duo.get_logs() == []
