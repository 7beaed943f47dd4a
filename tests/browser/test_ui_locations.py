"""The location selector in a real browser: choosing a location changes the cards and the
table, the URL says so, and opening that URL restores the view."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from app import create_app
from components import ids
from seller_bot.bot import SellerBot
from tests.browser.page import act, click, texts
from tests.integration.test_metrics_cache import say
from tests.waiting import WAIT_SECONDS, until

NAMES = "north=North County,south=Inland Empire"
ACTIVE = f"#{ids.kpi('active_conversations')} .kpi-value"
LOCATION_CELLS = f'#{ids.TABLE} td[data-dash-column="location"]'
ROWS = f"#{ids.TABLE} tbody tr td[data-dash-column='name']"


@pytest.fixture(scope="module")
def app(ui_redis, ui_settings):
    settings = ui_settings.model_copy(update={"locations": NAMES})
    bot = SellerBot(ui_redis, settings)
    for contact in ("ana", "ben", "cruz"):
        say(bot, "hi, want to sell", contact, location="north")
    say(bot, "hello", "dora", location="south")
    return create_app(settings, ui_redis)


def shows(dash_duo, active: str, rows: int) -> bool:
    return (texts(dash_duo, ACTIVE) == [active]
            and len(texts(dash_duo, ROWS)) == rows)


def wait_for_view(dash_duo, active: str, rows: int) -> None:
    until(lambda: shows(dash_duo, active, rows), WAIT_SECONDS,
          msg=f"active {texts(dash_duo, ACTIVE)}, rows {len(texts(dash_duo, ROWS))}; "
              f"wanted {active} and {rows}")


def pick_location(dash_duo, location_id: str) -> None:
    """Open the selector (Dash 4's dropdown: a popover of checkboxes), tick the location and
    close it."""
    click(dash_duo, f"#{ids.LOCATION_SELECT}")
    click(dash_duo, f'.dash-dropdown-option input[value="{location_id}"]')
    dash_duo.find_element("body").send_keys(Keys.ESCAPE)


def deselect_all(dash_duo) -> None:
    click(dash_duo, f"#{ids.LOCATION_SELECT}")
    act(dash_duo, ".dash-dropdown-actions", lambda element: element.find_elements(
        By.CSS_SELECTOR, ".dash-dropdown-action-button")[1].click())
    dash_duo.find_element("body").send_keys(Keys.ESCAPE)


def chosen(dash_duo) -> str:
    return " ".join(texts(dash_duo, f"#{ids.LOCATION_SELECT}-value"))


def test_uiloc001_choosing_a_location_changes_the_cards_and_the_table(dash_duo, app,
                                                                    open_dashboard):
    url = open_dashboard(app)
    wait_for_view(dash_duo, "4", 4)  # all locations, each row naming its location
    until(lambda: sorted(set(texts(dash_duo, LOCATION_CELLS))) == [
        "Inland Empire", "North County"], WAIT_SECONDS)
    pick_location(dash_duo, "south")
    wait_for_view(dash_duo, "1", 1)
    until(lambda: "location=south" in dash_duo.driver.current_url, WAIT_SECONDS)
    until(lambda: texts(dash_duo, LOCATION_CELLS) == [], WAIT_SECONDS)  # one location: no column
    # The URL restores the view: a fresh page on it shows north only, the selector says so.
    dash_duo.driver.get(f"{url}/?location=north")
    dash_duo.wait_for_element(f"#{ids.TABLE}")
    wait_for_view(dash_duo, "3", 3)
    until(lambda: "North County" in chosen(dash_duo), WAIT_SECONDS)
    assert "Inland Empire" not in chosen(dash_duo)
    # Nothing chosen is "All locations" again.
    deselect_all(dash_duo)
    wait_for_view(dash_duo, "4", 4)
    until(lambda: "location=" not in dash_duo.driver.current_url, WAIT_SECONDS)
    assert "All locations" in chosen(dash_duo)
