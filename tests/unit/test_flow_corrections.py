"""Corrections replace earlier values; the offer follows before acceptance (issue 12, item 4)."""

from __future__ import annotations

import pytest

from tests.unit.chat import TO_OFFER, Chat


@pytest.mark.parametrize(("correction", "field", "value"), [
    ("oops I mean 440k not 400k", "price_expectation", 440_000),
    ("sorry typo, 440k", "price_expectation", 440_000),
    ("scratch that, more like 3 months", "timeline_days", 90),
    ("actually it needs a whole new roof", "condition", "major_repairs"),
    ("my bad, I inherited it from my aunt", "motivation", "inheritance"),
])
def test_flow_corr001_a_correction_replaces_the_value(correction, field, value):
    chat = Chat()
    chat.script(TO_OFFER)
    before = chat.conv.lead_score
    chat.says(correction)
    assert getattr(chat.conv, field) == value
    # The transcript keeps what was said before and the correction.
    bodies = [m.body for m in chat.conv.transcript if m.direction == "inbound"]
    assert correction in bodies and TO_OFFER[2] in bodies
    assert chat.conv.lead_score == sum(p.points for p in chat.conv.score_parts)
    if field == "motivation":  # inheritance is a motivated seller: +10
        assert chat.conv.lead_score == before + 10


def test_flow_corr002_before_acceptance_the_offer_is_made_again():
    chat = Chat()
    chat.script(TO_OFFER)
    assert chat.conv.offer_amount == 300_000
    reply = chat.says("wait no, I meant 460k")
    assert chat.conv.price_expectation == 460_000
    assert chat.conv.offer_amount == 345_000
    assert "$345,000" in reply and chat.conv.asking == "offer_response"


def test_flow_corr003_after_acceptance_the_offer_stands():
    chat = Chat()
    chat.script([*TO_OFFER, "yes let's do it"])
    chat.says("actually I meant 460k")
    assert chat.conv.price_expectation == 460_000
    assert chat.conv.offer_amount == 300_000
    assert chat.conv.offer_response == "accepted"


def test_flow_corr004_without_a_correction_word_a_known_value_stays():
    chat = Chat()
    chat.script(["hi", "move in ready", "500k"])
    chat.says("houses on my street sell for 550k")
    assert chat.conv.price_expectation == 500_000
