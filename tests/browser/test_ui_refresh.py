"""Auto-refresh in the browser: new data arrives on the next tick without a reload, a hidden
tab stops ticking, a Redis outage shows the stale banner and recovery removes it, and the
demo's live trickle moves the KPI cards."""

from __future__ import annotations

import redis
from selenium.webdriver.common.action_chains import ActionChains

from app import create_app
from components import formatting as fmt
from components import ids
from core.redis_client import DECODING
from core.settings import Settings
from simulator.demo import DemoTraffic
from tests.browser.page import UI_SETTINGS, callbacks_idle, scroll_into_view, text, texts
from tests.helpers import Seller
from tests.redis_server import RedisServer
from tests.waiting import WAIT_SECONDS, WaitTimeout, holds, until

SET_HIDDEN = """
const hidden = arguments[0];
Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
Object.defineProperty(document, 'visibilityState', {configurable: true,
                      get: () => hidden ? 'hidden' : 'visible'});
document.dispatchEvent(new Event('visibilitychange'));
"""

GRAPH = f"document.querySelector('#{ids.GRAPH_MESSAGES} .js-plotly-plot')"
# The x range the user zoomed to (autorange = no zoom), and the inbound messages drawn; null
# while the graph is not drawn (yet, or again).
X_RANGE = (f"const g = {GRAPH}; if (!g || !g.layout || !g.layout.xaxis) return null;"
           " return g.layout.xaxis.autorange ? null : g.layout.xaxis.range;")
INBOUND_TOTAL = (f"const g = {GRAPH}; if (!g || !g.data) return null;"
                 " const t = g.data.find(d => d.name === 'Inbound messages');"
                 " return t ? t.y.reduce((a, b) => a + (b || 0), 0) : null;")


def zoom_box(dash_duo) -> list:
    """Drag a zoom box over the messages graph, as a user does; returns the zoomed x range.
    A drag can miss while the page is still settling: then find the graph again and retry."""
    for _ in range(4):
        drag = scroll_into_view(dash_duo, f"#{ids.GRAPH_MESSAGES} .nsewdrag")
        # From left of and above the plot area's centre, across it (offsets from the centre:
        # the origin Selenium 4.3+ uses).
        ActionChains(dash_duo.driver).move_to_element(drag).move_by_offset(-60, -30) \
            .click_and_hold().move_by_offset(100, 50).release().perform()
        try:
            until(lambda: dash_duo.driver.execute_script(X_RANGE) is not None, 5)
        except WaitTimeout:
            continue
        return dash_duo.driver.execute_script(X_RANGE)
    raise AssertionError("could not zoom")



def names(dash_duo) -> list[str]:
    return texts(dash_duo, f'#{ids.TABLE} td[data-dash-column="name"]')


def test_ui101_webhook_conversation_appears_on_the_next_tick(dash_duo, open_dashboard, empty_redis,
                                                             ui_settings):
    url = open_dashboard(create_app(ui_settings, empty_redis))
    # First run: say what to do, never zeros that look like data.
    dash_duo.wait_for_text_to_equal(f"#{ids.EMPTY_STATE}", fmt.EMPTY_STORE)
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_EMPTY}", fmt.EMPTY_STORE)
    assert text(dash_duo, f"#{ids.kpi_value('active_conversations')}") == \
        fmt.NO_DATA
    dash_duo.driver.execute_script("window.__same_page = true")

    Seller(url, contact="new-seller", contactName="Rosa Diaz").says(
        "Hi, thinking about selling my house, it needs a new roof")
    dash_duo.wait_for_text_to_equal(f'#{ids.TABLE} td[data-dash-column="name"]', "Rosa Diaz",
                                    timeout=WAIT_SECONDS)
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "1",
                                    timeout=WAIT_SECONDS)
    until(lambda: not dash_duo.find_elements(f"#{ids.EMPTY_STATE}"), WAIT_SECONDS)
    assert text(dash_duo, f"#{ids.TABLE_EMPTY}") == ""
    assert dash_duo.driver.execute_script("return window.__same_page") is True  # no reload
    assert text(dash_duo, f"#{ids.FRESHNESS}").startswith("updated ")

    # Zoom into the messages graph; the next data change redraws it and keeps the zoom.
    # (Charts are drawn when they come into view.)
    dash_duo.driver.execute_script(
        f"document.getElementById('{ids.GRAPH_MESSAGES}').scrollIntoView()")
    dash_duo.wait_for_element(f"#{ids.GRAPH_MESSAGES} .js-plotly-plot", timeout=WAIT_SECONDS)
    until(lambda: dash_duo.driver.execute_script(INBOUND_TOTAL) == 1, WAIT_SECONDS,
          msg="the graph does not show the first message")
    zoomed = zoom_box(dash_duo)
    Seller(url, contact="second-seller", contactName="Sam Next").says("hello, selling a condo")
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "2",
                                    timeout=WAIT_SECONDS)
    until(lambda: dash_duo.driver.execute_script(INBOUND_TOTAL) == 2, WAIT_SECONDS,
          msg="the graph was not redrawn with the new message")
    assert dash_duo.driver.execute_script(X_RANGE) == zoomed
    assert dash_duo.get_logs() == []


def test_ui102_hidden_tab_stops_refreshing_until_visible_again(dash_duo, open_dashboard,
                                                               empty_redis, ui_settings):
    url = open_dashboard(create_app(ui_settings, empty_redis))
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_EMPTY}", fmt.EMPTY_STORE)
    dash_duo.driver.execute_script(SET_HIDDEN, True)
    # A refresh sent before the tab was hidden may still be on its way: let it land first.
    until(lambda: callbacks_idle(dash_duo), WAIT_SECONDS, msg="callbacks still running")
    Seller(url, contact="while-hidden", contactName="Hidden Harry").says("hi, selling a house")
    holds(lambda: names(dash_duo) == [], 3.5 * UI_SETTINGS["refresh_interval_seconds"],
          msg="a hidden tab refreshed")
    dash_duo.driver.execute_script(SET_HIDDEN, False)
    # Becoming visible checks again.
    dash_duo.wait_for_text_to_equal(f'#{ids.TABLE} td[data-dash-column="name"]',
                                    "Hidden Harry", timeout=WAIT_SECONDS)
    assert dash_duo.get_logs() == []


def test_ui103_redis_down_shows_stale_banner_and_recovery_clears_it(dash_duo, open_dashboard):
    server = RedisServer(appendonly=True).start()
    client = redis.Redis.from_url(server.url, **DECODING, socket_timeout=1,
                                  socket_connect_timeout=0.5)
    try:
        settings = Settings(redis_url=server.url, **UI_SETTINGS)
        url = open_dashboard(create_app(settings, client))
        Seller(url, contact="before-outage", contactName="Olga Stale").says(
            "hello, I want to sell my place")
        dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "1",
                                        timeout=WAIT_SECONDS)

        server.stop()
        until(lambda: "Redis unreachable since" in (text(dash_duo, f"#{ids.STALE_BANNER}") or ""),
              WAIT_SECONDS, msg="no stale banner")
        banner = text(dash_duo, f"#{ids.STALE_BANNER}")
        assert banner.startswith("Showing data from ")
        # The last figures stay on screen.
        assert text(dash_duo, f"#{ids.kpi_value('active_conversations')}") == "1"
        assert "Olga Stale" in names(dash_duo)

        server.start()
        until(lambda: not dash_duo.find_elements(f"#{ids.STALE_BANNER}"), WAIT_SECONDS,
              msg="stale banner did not clear")
        Seller(url, contact="after-outage", contactName="Rita Back").says("hi there")
        dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "2",
                                        timeout=WAIT_SECONDS)
        assert dash_duo.get_logs() == []
    finally:
        client.close()
        server.cleanup()


def test_ui104_demo_live_trickle_changes_the_kpi_cards(dash_duo, open_dashboard, empty_redis,
                                                       ui_settings):
    demo = DemoTraffic(empty_redis, ui_settings, sellers=15, interval=(0.2, 0.4))
    demo.seed(progress=False)
    app = create_app(ui_settings, empty_redis, demo=True)
    demo.start(app.server)
    try:
        open_dashboard(app)
        dash_duo.wait_for_text_to_equal(f"#{ids.DEMO_BADGE}", "Demo data",
                                        timeout=WAIT_SECONDS)
        first = text(dash_duo, f"#{ids.HERO}")
        until(lambda: text(dash_duo, f"#{ids.HERO}") != first, WAIT_SECONDS,
              msg="the KPI cards did not move")
        assert demo.sent > 0
    finally:
        demo.stop()
    assert dash_duo.get_logs() == []
