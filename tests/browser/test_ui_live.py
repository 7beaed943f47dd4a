"""Issue #14 in the browser: a webhook message reaches the cards and the funnel within one tick,
clicks on a card, a funnel stage and a donut slice list exactly the conversations counted, the
page-wide range changes the panels it claims to, the URL restores the view, and the phone
layout has no overlapping elements."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
import redis
from dash.testing import errors
from selenium.webdriver.common.action_chains import ActionChains

from app import create_app
from components import ids
from tests.browser.page import DESKTOP, SCROLL_TO_CENTER, click, scroll_to, text
from tests.helpers import Seller
from tests.table_store import build_store
from tests.waiting import WAIT_SECONDS, until

NOW = datetime.now(UTC).replace(microsecond=0)
PHONE = (390, 844)
FUNNEL_NEW = (f"const g = document.querySelector('#{ids.GRAPH_FUNNEL} .js-plotly-plot');"
              " return g && g.data.length ? g.data[0].x[0] : null;")
MESSAGES_POINTS = (f"const g = document.querySelector('#{ids.GRAPH_MESSAGES} .js-plotly-plot');"
                   " return g && g.data.length ? g.data[0].x.length : null;")
HEATMAP_TOTAL = (f"const g = document.querySelector('#{ids.GRAPH_HEATMAP} .js-plotly-plot');"
                 " return g && g.data.length ? g.data[0].z.flat().reduce((a, b) => a + b, 0)"
                 " : 0;")



@pytest.fixture
def seeded(ui_redis: redis.Redis, ui_settings):
    ui_redis.flushall()
    build_store(ui_redis, ui_settings, NOW, count=60)
    return ui_redis


def show_charts(dash_duo, graph_id: str = ids.GRAPH_MESSAGES) -> None:
    """Scroll a chart into view, as a person does: plotly.js loads when a chart comes near."""
    scroll_to(dash_duo, f"#{graph_id}")


def table_total(dash_duo) -> int | None:
    """The row count the table's summary states ("12 conversations match · ...")."""
    words = (text(dash_duo, f"#{ids.TABLE_SUMMARY}") or "").split()
    return int(words[0].replace(",", "")) if words else None


def listed(dash_duo) -> int:
    """Rows the table lists: full pages before the last one, and the last page's rows."""
    pages = text(dash_duo, "div.last-page")
    count = int(pages) if pages else 1
    if count > 1:
        click(dash_duo, "button.last-page")
        until(lambda: f"page {count} of {count}" in text(dash_duo, f"#{ids.TABLE_SUMMARY}"),
              WAIT_SECONDS, msg="the last page did not load")
    rows = len(dash_duo.find_elements(f'#{ids.TABLE} td[data-dash-column="name"]'))
    return (count - 1) * 10 + rows


# A point inside an SVG path (the centroid of points along its outline: inside a bar, and inside
# a donut slice smaller than half the donut), as an offset from its bounding box's centre.
INSIDE = """
const p = arguments[0]; const n = 40; const len = p.getTotalLength();
const m = p.getScreenCTM(); let x = 0, y = 0;
for (let i = 0; i < n; i++) {
  const q = p.getPointAtLength(len * i / n).matrixTransform(m); x += q.x / n; y += q.y / n;
}
const r = p.getBoundingClientRect();
return [x - (r.left + r.width / 2), y - (r.top + r.height / 2)];
"""


def press(dash_duo, mark) -> None:
    """Click a plotted mark as a person does, on a point inside it."""
    dash_duo.driver.execute_script(SCROLL_TO_CENTER, mark)
    dx, dy = dash_duo.driver.execute_script(INSIDE, mark)
    ActionChains(dash_duo.driver).move_to_element(mark).move_by_offset(int(dx), int(dy)) \
        .click().perform()


def query(dash_duo) -> dict[str, str]:
    search = urlparse(dash_duo.driver.current_url).query
    return {k: v[-1] for k, v in parse_qs(search).items()}


def test_ui105_webhook_message_reaches_cards_and_funnel_within_one_tick(dash_duo, open_dashboard,
                                                                        empty_redis, ui_settings):
    """The KPI tier is 30 s here: entries keyed by the data version still show a new message
    on the next 1 s tick."""
    settings = ui_settings.model_copy(update={"cache_kpi_seconds": 30,
                                              "cache_distribution_seconds": 300,
                                              "cache_trend_seconds": 3600})
    url = open_dashboard(create_app(settings, empty_redis))
    show_charts(dash_duo, ids.GRAPH_FUNNEL)
    Seller(url, contact="first", contactName="Ana Ruiz").says("hi, selling my house")
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "1",
                                    timeout=WAIT_SECONDS)
    until(lambda: dash_duo.driver.execute_script(FUNNEL_NEW) == 1, WAIT_SECONDS,
          msg="funnel does not show the first conversation")
    Seller(url, contact="second", contactName="Bo Lee").says("hello, thinking of selling")
    # One tick is 1 s; allow for a recompute throttled by the previous one (1 s) and a slow
    # machine: well under the 30 s the tier would have taken.
    dash_duo.wait_for_text_to_equal(f"#{ids.kpi_value('active_conversations')}", "2",
                                    timeout=WAIT_SECONDS)
    until(lambda: dash_duo.driver.execute_script(FUNNEL_NEW) == 2, WAIT_SECONDS,
          msg="funnel does not show the second conversation")
    assert text(dash_duo, f"#{ids.FRESHNESS}").startswith("updated ")
    assert dash_duo.get_logs() == []


def test_ui106_clicks_on_a_card_a_funnel_stage_and_a_donut_slice_list_exactly_those(
        dash_duo, open_dashboard, seeded, ui_settings):
    open_dashboard(create_app(ui_settings, seeded))
    card = f"#{ids.kpi_value('active_conversations')}"
    until(lambda: text(dash_duo, card).isdigit(), WAIT_SECONDS)
    shown = int(text(dash_duo, card))
    click(dash_duo, f"#{ids.kpi('active_conversations')}")
    until(lambda: query(dash_duo).get("seg") == "open", WAIT_SECONDS,
          msg="card click not in the URL")
    until(lambda: table_total(dash_duo) == shown, WAIT_SECONDS,
          msg=f"table says {table_total(dash_duo)}, card {shown}")
    assert "Active conversations" in text(dash_duo, f"#{ids.SEGMENT_CHIP}")
    assert listed(dash_duo) == shown

    # A funnel stage: the bar's own number, then the same count in the table.
    show_charts(dash_duo, ids.GRAPH_FUNNEL)
    dash_duo.wait_for_element(f"#{ids.GRAPH_FUNNEL} g.point path")
    offers = dash_duo.driver.execute_script(
        f"const g = document.querySelector('#{ids.GRAPH_FUNNEL} .js-plotly-plot');"
        " return g.data[0].x[g.data[0].customdata.indexOf('funnel:offer')];")
    for _ in range(3):  # a click landing while the graph redraws is lost: click again
        press(dash_duo, dash_duo.find_elements(f"#{ids.GRAPH_FUNNEL} g.point path")[4])
        try:
            until(lambda: query(dash_duo).get("seg") == "funnel:offer", WAIT_SECONDS)
            break
        except errors.TestingTimeoutError:
            continue
    assert query(dash_duo).get("seg") == "funnel:offer", "funnel click not in the URL"
    until(lambda: table_total(dash_duo) == offers, WAIT_SECONDS,
          msg=f"table says {table_total(dash_duo)}, funnel {offers}")

    # A donut slice: the temperature filter, the slice's number.
    labels, values = dash_duo.driver.execute_script(
        f"const g = document.querySelector('#{ids.GRAPH_TEMPERATURE} .js-plotly-plot');"
        " return [g.data[0].labels, g.data[0].values];")
    smallest = values.index(min(values))  # under half the donut: its outline centroid is in it
    slices = dash_duo.find_elements(f"#{ids.GRAPH_TEMPERATURE} g.slice path.surface")
    # Plotly listens for a pie's clicks on the slice itself (d3), not on the drag layer.
    dash_duo.driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); const d = arguments[1];"
        " arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, view: window,"
        " clientX: r.left + r.width / 2 + d[0], clientY: r.top + r.height / 2 + d[1]}));",
        slices[smallest], dash_duo.driver.execute_script(INSIDE, slices[smallest]))
    temperature = labels[smallest]
    until(lambda: query(dash_duo).get("temperature") == temperature, WAIT_SECONDS,
          msg="donut click not in the URL")
    assert "seg" not in query(dash_duo)
    until(lambda: table_total(dash_duo) == values[smallest], WAIT_SECONDS,
          msg=f"table says {table_total(dash_duo)}, donut {values[smallest]}")
    assert dash_duo.get_logs() == []


def test_ui107_range_changes_every_panel_it_claims_and_the_url_restores_the_view(
        dash_duo, open_dashboard, seeded, ui_settings):
    url = open_dashboard(create_app(ui_settings, seeded))
    show_charts(dash_duo)
    until(lambda: dash_duo.driver.execute_script(MESSAGES_POINTS) == 24, WAIT_SECONDS)
    day_heat = dash_duo.driver.execute_script(HEATMAP_TOTAL)
    booked_card = f"#{ids.kpi('appointments_booked')}"
    assert "last 24 h" in text(dash_duo, booked_card)
    click(dash_duo, f"#{ids.RANGE_SELECT} .form-check:nth-child(2) label")
    until(lambda: query(dash_duo).get("range") == "7d", WAIT_SECONDS, msg="range not in the URL")
    until(lambda: dash_duo.driver.execute_script(MESSAGES_POINTS) == 168, WAIT_SECONDS,
          msg="messages graph did not follow the range")
    until(lambda: "last 7 days" in text(dash_duo, booked_card), WAIT_SECONDS)
    assert "last 7 days" in text(dash_duo, f"#{ids.kpi('response_time_ms')}")
    assert dash_duo.driver.execute_script(HEATMAP_TOTAL) >= day_heat
    assert "now" in text(dash_duo, f"#{ids.RANGE_LABEL}")  # what cannot follow is named
    # The same URL, opened afresh with a filter, restores range and filter.
    dash_duo.driver.get(f"{url}/?range=7d&seg=hot_action")
    dash_duo.wait_for_element(f"#{ids.TABLE}")
    show_charts(dash_duo)
    until(lambda: dash_duo.driver.execute_script(MESSAGES_POINTS) == 168, WAIT_SECONDS,
          msg="range not restored from the URL")
    until(lambda: "Hot leads needing action" in text(dash_duo, f"#{ids.SEGMENT_CHIP}"),
          WAIT_SECONDS)
    hot_action = text(dash_duo, f"#{ids.kpi_value('hot_leads')}")
    until(lambda: str(table_total(dash_duo) or 0) == hot_action
          or (hot_action == "0" and table_total(dash_duo) is None), WAIT_SECONDS)
    checked = dash_duo.find_element(f"#{ids.RANGE_SELECT} input:checked")
    assert checked.get_attribute("value") == "7d"
    assert dash_duo.get_logs() == []


def test_ui108_phone_layout_has_no_overlaps(dash_duo, open_dashboard, seeded, ui_settings):
    open_dashboard(create_app(ui_settings, seeded))
    driver = dash_duo.driver
    driver.set_window_size(*PHONE)
    show_charts(dash_duo, ids.GRAPH_HEATMAP)
    dash_duo.wait_for_element(f"#{ids.GRAPH_HEATMAP} .main-svg", timeout=WAIT_SECONDS)
    until(lambda: driver.execute_script("return window.innerWidth") <= PHONE[0], WAIT_SECONDS)
    boxes = driver.execute_script("""
        const pick = s => [...document.querySelectorAll(s)];
        const els = [...pick('.kpi-card'), ...pick('.chart-card'), ...pick('.range-bar'),
                     ...pick('.app-header'), document.querySelector('.conversations'),
                     document.querySelector('.appointments')];
        return els.filter(e => e && e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect();
            return [e.className, r.left, r.top + window.scrollY, r.right,
                    r.bottom + window.scrollY];
        });""")
    assert len(boxes) > 20
    for i, (name, left, top, right, bottom) in enumerate(boxes):
        assert left >= -1 and right <= PHONE[0] + 1, name  # nothing sticks out sideways
        for other, l2, t2, r2, b2 in boxes[i + 1:]:
            overlap = min(right, r2) - max(left, l2) > 1 and min(bottom, b2) - max(top, t2) > 1
            assert not overlap, (name, other)
    cards = [b for b in boxes if "kpi-card" in b[0]]
    assert len({round(b[1]) for b in cards}) == 2  # two columns of cards
    # The legend sits below the plot, the toolbar at its top: never over each other.
    legend = driver.execute_script(
        f"const l = document.querySelector('#{ids.GRAPH_MESSAGES} .legend');"
        f" const p = document.querySelector('#{ids.GRAPH_MESSAGES} .nsewdrag');"
        " return [l.getBoundingClientRect().top, p.getBoundingClientRect().bottom];")
    assert legend[0] >= legend[1] - 1, legend
    wide = driver.execute_script(
        "return [...document.querySelectorAll('body *')].filter(e => e instanceof HTMLElement"
        " && e.offsetParent !== null"
        " && e.getBoundingClientRect().right > window.innerWidth + 1"
        " && !e.closest('.table-wrap')).map(e => e.id || e.className).slice(0, 5);")
    assert wide == []  # only the table scrolls sideways, inside its card
    driver.set_window_size(*DESKTOP)
    assert dash_duo.get_logs() == []
