"""Hand-off to a person: the flag, its reasons, and a brief bot meanwhile (issue 12, item 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from seller_bot.flow import flag_passed_appointment
from tests.unit.chat import TO_OFFER, Chat


@pytest.mark.parametrize(("texts", "reason"), [
    (["hi", "you guys are a scam"], "angry"),
    (["hello", "we lost my brother last week, give me some time"], "distressed"),
    (["hi", "my wife is in the hospital right now, not a good time"], "distressed"),
    (["我想卖房子，多少钱？"], "language_not_supported"),
    (["hi", "Tôi muốn bán nhà của tôi ở Riverside"], "language_not_supported"),
    ([*TO_OFFER, "would you do 375k"], "counter_offer"),
    (["hi", "can you pay my moving costs?", "do you do leasebacks?"],
     "question_not_understood"),
])
def test_flow_human001_flagged_with_a_reason(texts, reason):
    chat = Chat()
    chat.script(texts)
    assert chat.conv.needs_human is True
    assert chat.conv.needs_human_reason == reason


def test_flow_human002_while_flagged_the_bot_is_brief():
    chat = Chat()
    chat.script(["hi", "you guys are a scam"])
    reply = chat.says("whatever, it needs a roof")
    assert reply == "Thanks for the message! Jorge will follow up with you personally."
    assert chat.conv.condition == "major_repairs"  # still read and kept
    assert "closing costs" in chat.says("who pays closing costs?")  # answered, briefly
    assert chat.conv.needs_human_reason == "angry"  # the first reason stays


def test_flow_human003_grief_gets_words_not_a_question():
    chat = Chat()
    chat.says("hi")
    reply = chat.says("my husband passed in june")
    assert reply.startswith("I'm so sorry for your loss.")
    assert "?" not in reply


def test_flow_human004_no_free_slot_in_the_window():
    chat = Chat(appointment_days_ahead=1)
    chat.later(days=4, hours=7)  # Friday 4 pm: too late today, and tomorrow is Saturday
    chat.script([*TO_OFFER, "sounds good", "318 Pepper Tree Ln, Rialto"])
    assert chat.conv.needs_human_reason == "no_slot_free"
    assert chat.conv.slots_offered == [] and chat.conv.asking is None
    assert "calendar is full" in chat.replies[-1]


def test_flow_human005_an_appointment_over_without_outcome():
    chat = Chat()
    chat.script([*TO_OFFER, "yes", "318 Pepper Tree Ln, Rialto", "the first one"])
    conv = chat.conv
    assert conv.stage == "booked"
    assert not flag_passed_appointment(conv, conv.appointment_at)
    assert flag_passed_appointment(conv, conv.appointment_at + timedelta(hours=1))
    assert conv.needs_human_reason == "appointment_passed"


def test_flow_human006_a_booked_seller_asking_what_the_bot_cannot_do():
    chat = Chat()
    chat.script([*TO_OFFER, "yes", "318 Pepper Tree Ln, Rialto", "the first one"])
    assert "another way" in chat.says("can we push it to thursday?")
    chat.says("can jorge come thursday instead?")
    assert chat.conv.needs_human_reason == "question_not_understood"
