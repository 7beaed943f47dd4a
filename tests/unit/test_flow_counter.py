"""Counter-offers are kept and handed to a person (issue 12, item 6)."""

from __future__ import annotations

import pytest

from seller_bot.scoring import COUNTER_POINTS
from tests.unit.chat import TO_OFFER, Chat


@pytest.mark.parametrize(("text", "amount"), [
    ("could you do 360?", 360_000),
    ("I'd take 350k", 350_000),
    ("meet me at 340k?", 340_000),
    ("best I can do is $355,000", 355_000),
])
def test_flow_counter001_kept_negotiating_flagged(text, amount):
    chat = Chat()
    chat.script(TO_OFFER)
    before = chat.conv.lead_score
    reply = chat.says(text)
    conv = chat.conv
    assert conv.counter_amount == amount
    assert conv.stage == "negotiating"
    assert conv.needs_human and conv.needs_human_reason == "counter_offer"
    assert f"${amount:,}" in reply
    assert conv.lead_score == before + COUNTER_POINTS  # engagement, not a decline
    assert conv.offer_amount == 300_000  # the offer stays what it was


def test_flow_counter002_a_plain_no_is_still_a_decline():
    chat = Chat()
    chat.script(TO_OFFER)
    chat.says("nah too low")
    assert chat.conv.stage == "declined" and chat.conv.counter_amount is None
