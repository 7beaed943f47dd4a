"""The conversation drill-down: a row click opens the transcript, the pause button really stops
the bot from replying, and seller-controlled text is shown as text, never as HTML."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import NoAlertPresentException

from app import create_app
from components import conversation_detail, ids
from tests.browser.page import click, text
from tests.helpers import Seller
from tests.waiting import WAIT_SECONDS, until

FIRST_NAME_CELL = f'#{ids.TABLE} td[data-dash-column="name"]'
XSS_NAME = "<img src=x onerror=alert(1)>"



def test_ui201_row_click_opens_conversation_and_pause_stops_the_bot(dash_duo, open_dashboard,
                                                                    empty_redis, ui_settings):
    app = create_app(ui_settings, empty_redis)
    url = open_dashboard(app)
    maria = Seller(url, contact="maria-1", contactName="Maria Lopez", phone="+19095550123")
    maria.says("Hi, I got your flyer. Thinking about selling my house")
    maria.says("it needs a new roof and the kitchen is dated")
    maria.says("around 450k")
    dash_duo.wait_for_text_to_equal(FIRST_NAME_CELL, "Maria Lopez", timeout=WAIT_SECONDS)

    click(dash_duo, FIRST_NAME_CELL)
    dash_duo.wait_for_text_to_equal(".offcanvas-title", "Maria Lopez", timeout=WAIT_SECONDS)
    bubbles = dash_duo.find_elements(f"#{ids.DETAIL_BODY} .bubble")
    assert len(bubbles) == len(maria.state()["transcript"]) == 6
    assert len(dash_duo.find_elements(f"#{ids.DETAIL_BODY} .bubble-in")) == 3
    body = text(dash_duo, f"#{ids.DETAIL_BODY}")
    assert "$450,000" in body and "major repairs" in body
    assert "Lead score" in body

    click(dash_duo, f"#{ids.DETAIL_PAUSE}")
    dash_duo.wait_for_text_to_equal(f"#{ids.DETAIL_PAUSE}", conversation_detail.RESUME_LABEL,
                                    timeout=WAIT_SECONDS)
    assert text(dash_duo, f"#{ids.DETAIL_STATUS}").startswith("Paused")
    assert maria.state()["paused"] is True
    assert maria.says("hello? are you there") == {"status": "ignored", "reason": "paused"}
    # The open drill-down picks up the new message on the next tick; the bot did not answer.
    until(lambda: len(dash_duo.find_elements(f"#{ids.DETAIL_BODY} .bubble")) == 7, WAIT_SECONDS,
          msg="new message not shown in the open conversation")
    assert dash_duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].pop().className",
        f"#{ids.DETAIL_BODY} .bubble") == "bubble bubble-in"
    # The table shows the takeover after the next tick.
    dash_duo.wait_for_contains_text(f'#{ids.TABLE} td[data-dash-column="stage"]', "paused",
                                    timeout=WAIT_SECONDS)

    click(dash_duo, f"#{ids.DETAIL_PAUSE}")
    dash_duo.wait_for_text_to_equal(f"#{ids.DETAIL_PAUSE}", conversation_detail.PAUSE_LABEL,
                                    timeout=WAIT_SECONDS)
    assert maria.state()["paused"] is False
    assert maria.says("relocating for work, need to close in 30 days")["status"] == "processed"
    assert dash_duo.get_logs() == []


def test_ui202_seller_name_with_html_renders_as_text(dash_duo, open_dashboard, empty_redis,
                                                     ui_settings):
    url = open_dashboard(create_app(ui_settings, empty_redis))
    Seller(url, contact="xss-1", contactName=XSS_NAME).says("hi, selling my house")
    dash_duo.wait_for_text_to_equal(FIRST_NAME_CELL, XSS_NAME, timeout=WAIT_SECONDS)
    click(dash_duo, FIRST_NAME_CELL)
    dash_duo.wait_for_text_to_equal(".offcanvas-title", XSS_NAME, timeout=WAIT_SECONDS)
    until(lambda: dash_duo.find_elements(f"#{ids.DETAIL_BODY} .bubble"), WAIT_SECONDS)
    # No <img> was created anywhere in the page's content, and no alert fired.
    assert dash_duo.driver.execute_script(
        "return document.querySelectorAll('main img, .offcanvas img').length") == 0
    with pytest.raises(NoAlertPresentException):
        dash_duo.driver.switch_to.alert.text  # noqa: B018 - raises when no alert is open
    assert dash_duo.get_logs() == []  # an <img src=x> would have logged a failed load
