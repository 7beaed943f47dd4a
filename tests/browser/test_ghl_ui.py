"""The dashboard side of GoHighLevel two-way: a reply GoHighLevel never accepted is listed in
the drill-down and its Retry button sends it; without a token the page says replies are off."""

from __future__ import annotations

from app import create_app
from components import header, ids
from core.settings import Settings
from ghl.fake import Fault
from ghl.worker import RelayThread
from seller_bot.bot import SellerBot
from tests.browser.page import UI_SETTINGS, click, text
from tests.helpers import Seller
from tests.waiting import WAIT_SECONDS, until

FIRST_NAME_CELL = f'#{ids.TABLE} td[data-dash-column="name"]'
RETRY = f"#{ids.DETAIL_BODY} .dead-letter button"



def test_ghlui001_dead_letter_listed_and_retried_from_the_drill_down(dash_duo, open_dashboard,
                                                                     empty_redis, ui_redis_server,
                                                                     ghl_api):
    settings = Settings(redis_url=ui_redis_server.url, ghl_api_token="test-token",
                        ghl_api_base=ghl_api.url, relay_poll_seconds=0.02,
                        ghl_retry_base_seconds=0.05, ghl_retry_max_seconds=0.2,
                        ghl_max_attempts=2, **UI_SETTINGS)
    ghl_api.api.fail_next(Fault(500), Fault(500))
    relay = RelayThread(empty_redis, settings, SellerBot(empty_redis, settings)).start()
    try:
        url = open_dashboard(create_app(settings, empty_redis))
        assert not [banner for banner in dash_duo.find_elements(f"#{ids.REPLIES_OFF_BANNER}")
                    if banner.is_displayed()]
        rosa = Seller(url, contact="rosa-1", contactName="Rosa Diaz")
        reply = rosa.says("Hi, thinking about selling my house")["reply"]
        until(lambda: rosa.state()["dead_letters"], msg="the reply dead-lettered")
        dash_duo.wait_for_text_to_equal(FIRST_NAME_CELL, "Rosa Diaz", timeout=WAIT_SECONDS)
        dash_duo.driver.refresh()  # the page's banner counts what GoHighLevel never accepted
        dash_duo.wait_for_contains_text(f"#{ids.DEAD_LETTERS_BANNER}", "1 message or CRM update",
                                        timeout=WAIT_SECONDS)
        dash_duo.wait_for_text_to_equal(FIRST_NAME_CELL, "Rosa Diaz", timeout=WAIT_SECONDS)
        click(dash_duo, FIRST_NAME_CELL)
        dash_duo.wait_for_element(f"#{ids.DETAIL_BODY} .dead-letter", timeout=WAIT_SECONDS)
        assert reply in text(dash_duo, f"#{ids.DETAIL_BODY} .dead-letter")
        click(dash_duo, RETRY)
        until(lambda: not dash_duo.find_elements(RETRY), WAIT_SECONDS,
              msg="dead letter still listed")
        until(lambda: ghl_api.api.sent("/conversations/messages"), msg="reply sent")
        assert [r.body["message"] for r in ghl_api.api.sent("/conversations/messages")] == [
            reply]
    finally:
        relay.stop()
    assert dash_duo.get_logs() == []


def test_ghlui002_without_a_token_the_page_says_replies_are_not_sent(dash_duo, open_dashboard,
                                                                     empty_redis, ui_settings):
    open_dashboard(create_app(ui_settings, empty_redis))
    dash_duo.wait_for_text_to_equal(f"#{ids.REPLIES_OFF_BANNER}", header.REPLIES_OFF)
    assert dash_duo.get_logs() == []
