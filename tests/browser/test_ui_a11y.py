"""Accessibility and loading of the page: axe-core finds nothing in either theme, on a laptop
and a phone; the table and the drill-down work with the keyboard alone; each chart has its
data as text; plotly.js is our custom bundle from assets/lazy/, loaded when the charts come
into view, with long cache lifetimes for versioned assets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from app import create_app
from components import ids, performance_chart
from tests.browser.page import DESKTOP, click, text, texts
from tests.table_store import build_store
from tests.waiting import WAIT_SECONDS, until

NOW = datetime.now(UTC).replace(microsecond=0)
PHONE = (390, 844)
# axe-core 4.11.1 (npm, MPL-2.0), vendored: the tests need no network.
AXE = (Path(__file__).resolve().parents[1] / "fixtures" / "axe.min.js").read_text()
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: [
    'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
  .then(result => done(result.violations.map(v => [v.id, v.help, v.nodes.map(
      n => n.target.join(' ') + ': ' + n.failureSummary)])),
        error => done([['axe-error', String(error), []]]));
"""
THEME = "return document.documentElement.getAttribute('data-bs-theme')"
DRAWN = "return document.querySelectorAll('.chart-card .js-plotly-plot').length"
RESOURCES = "return performance.getEntriesByType('resource').map(e => e.name)"
# Read in the page in one step, so a re-render cannot make the element stale meanwhile.
TEXT_CONTENT = "const e = document.querySelector(arguments[0]); return e ? e.textContent : ''"
ACTIVE = ("const e = document.activeElement; return [e.tagName, e.getAttribute('aria-label'),"
          " e.getAttribute('data-dash-column'), e.textContent.trim()];")


@pytest.fixture(scope="module")
def seeded(ui_redis, ui_settings):
    build_store(ui_redis, ui_settings, NOW, count=60)


def draw_charts(dash_duo) -> None:
    """Scroll through the charts (they are drawn when they come into view) until all are."""
    driver = dash_duo.driver
    driver.execute_script("document.querySelector('.chart-card').scrollIntoView()")
    until(lambda: driver.execute_script(DRAWN) == len(performance_chart.GRAPHS), WAIT_SECONDS,
          msg="the charts were not drawn after scrolling to them")


def violations(dash_duo) -> list:
    driver = dash_duo.driver
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(AXE)
    driver.set_script_timeout(60)
    return driver.execute_async_script(AXE_RUN)


def test_a11y001_no_axe_violation_light_dark_desktop_phone(dash_duo, open_dashboard, ui_redis,
                                                           ui_settings, seeded):
    open_dashboard(create_app(ui_settings, ui_redis))
    driver = dash_duo.driver
    draw_charts(dash_duo)
    found = {}
    for theme in ("light", "dark"):
        if driver.execute_script(THEME) != theme:
            driver.execute_script("window.scrollTo(0, 0)")
            click(dash_duo, f"#{ids.THEME_TOGGLE}")
            until(lambda theme=theme: driver.execute_script(THEME) == theme, WAIT_SECONDS)
        for size, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
            driver.set_window_size(width, height)
            until(lambda width=width: driver.execute_script("return window.innerWidth")
                  <= width, WAIT_SECONDS)
            found[theme, size] = violations(dash_duo)
        driver.set_window_size(*DESKTOP)
        # The drill-down too, open over the page.
        click(dash_duo, f'#{ids.TABLE} td[data-dash-column="name"]')
        until(lambda: dash_duo.find_elements(f"#{ids.DETAIL}.show"), WAIT_SECONDS)
        found[theme, "drill-down"] = violations(dash_duo)
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        until(lambda: not dash_duo.find_elements(".offcanvas.show, .offcanvas-backdrop"),
              WAIT_SECONDS)
    report = [f"{theme}/{where}: {rule} ({help_}): {'; '.join(nodes)}"
              for (theme, where), rules in found.items() for rule, help_, nodes in rules]
    assert not report, "\n".join(report)
    assert dash_duo.get_logs() == []


def names(dash_duo) -> list[str]:
    return texts(dash_duo, f'#{ids.TABLE} td[data-dash-column="name"]')


def scores(dash_duo) -> list[int]:
    return [int(score) for score in texts(
        dash_duo, f'#{ids.TABLE} td[data-dash-column="lead_score"]')]


def tab_until(dash_duo, wanted, limit: int = 40) -> list:
    """Press Tab until the focused element matches ``wanted`` (fails after ``limit``)."""
    driver = dash_duo.driver
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.execute_script(ACTIVE)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element; last focus {focused}")


def test_a11y002_table_and_drill_down_with_the_keyboard_alone(dash_duo, open_dashboard, ui_redis,
                                                              ui_settings, seeded):
    open_dashboard(create_app(ui_settings, ui_redis))
    driver = dash_duo.driver
    summary = f"#{ids.TABLE_SUMMARY}"
    until(lambda: "page 1 of" in (text(dash_duo, summary) or ""), WAIT_SECONDS)
    click(dash_duo, f"#{ids.FILTER_SEARCH}")

    # A sort button, named by its column: Enter sorts by it, Enter again reverses.
    first_names = names(dash_duo)
    tab_until(dash_duo, lambda f: f[1] == "Sort by Score")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    until(lambda: names(dash_duo) != first_names and scores(dash_duo) == sorted(
        scores(dash_duo)), WAIT_SECONDS, msg=f"not sorted by score: {scores(dash_duo)}")
    assert driver.execute_script(ACTIVE)[1] == "Sort by Score"  # the focus stays
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    until(lambda: scores(dash_duo) == sorted(scores(dash_duo), reverse=True)
          and scores(dash_duo)[0] > 0, WAIT_SECONDS, msg=f"not sorted down: {scores(dash_duo)}")

    # Tab leaves the sort buttons (no keyboard trap) for the first seller; Enter opens it.
    focused = tab_until(dash_duo, lambda f: f[0] == "TD" and f[2] == "name")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    until(lambda: dash_duo.find_elements(f"#{ids.DETAIL}.show"), WAIT_SECONDS,
          msg="Enter on a seller did not open the conversation")
    dash_duo.wait_for_contains_text(".offcanvas-title", focused[3])
    assert driver.execute_script("return !!document.activeElement.closest('.offcanvas')")
    # Escape closes it and gives the focus back to the table.
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    until(lambda: not dash_duo.find_elements(f"#{ids.DETAIL}.show"), WAIT_SECONDS)
    assert driver.execute_script(
        "return !!document.activeElement.closest('.dash-table-container')")

    # The pager's icon buttons are named; "Next page" works from the keyboard.
    tab_until(dash_duo, lambda f: f[1] == "Next page")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    until(lambda: "page 2 of" in (text(dash_duo, summary) or ""), WAIT_SECONDS)
    assert dash_duo.get_logs() == []


def test_a11y003_charts_load_when_seen_with_their_data_as_text(dash_duo, open_dashboard, ui_redis,
                                                               ui_settings, seeded):
    url = open_dashboard(create_app(ui_settings, ui_redis))
    driver = dash_duo.driver
    driver.set_window_size(*PHONE)  # the charts are well below the first screen
    driver.refresh()
    dash_duo.wait_for_element(f'#{ids.TABLE} td[data-dash-column="name"]')
    # The first screen is complete without plotly.js; the charts' places say they load.
    assert not [r for r in driver.execute_script(RESOURCES) if "plotly" in r]
    assert driver.execute_script("return window.Plotly.version") is None
    loading = driver.execute_script(
        "return getComputedStyle(document.querySelector('.chart-body'), '::before').content")
    assert "Loading chart" in loading
    # Each chart's data is there as text at once, before the chart is drawn.
    price_text = f"#{ids.chart_text(ids.GRAPH_PRICE)}"
    until(lambda: ": " in driver.execute_script(TEXT_CONTENT, price_text), WAIT_SECONDS)

    draw_charts(dash_duo)
    plotly = [r for r in driver.execute_script(RESOURCES) if "plotly" in r]
    assert len(plotly) == 1 and "/assets/lazy/plotly-" in plotly[0], plotly
    assert driver.execute_script("return window.Plotly.version") == "4.1.1"

    # The text alternative holds exactly the drawn figure's data.
    drawn = driver.execute_script(
        f"const d = document.querySelector('#{ids.GRAPH_PRICE} .js-plotly-plot').data[0];"
        "return d.x.map((x, i) => [x, d.y[i]]);")
    shown = driver.execute_script(TEXT_CONTENT, price_text)
    assert drawn and shown == "; ".join(f"{x}: {y}" for x, y in drawn) + "."

    # Versioned assets may be cached for a year; the page itself is always revalidated.
    bundle = requests.get(plotly[0], timeout=10)
    assert bundle.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    css = next(r for r in driver.execute_script(RESOURCES) if "/assets/app.css?m=" in r)
    assert requests.get(css, timeout=10).headers["Cache-Control"].startswith("public, max-age")
    assert "max-age" not in requests.get(url, timeout=10).headers.get("Cache-Control", "")
    html = requests.get(url, timeout=10).text
    assert '<html lang="en">' in html and "plotly.min.js" not in html
    assert dash_duo.get_logs() == []
