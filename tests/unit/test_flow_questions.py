"""Seller questions answered from settings, then the pending question (issue 12, item 5)."""

from __future__ import annotations

import pytest

from tests.unit.chat import TO_OFFER, Chat


@pytest.mark.parametrize(("question", "answer"), [
    ("who's this?", "assistant"),
    ("how did you get my number", "public property records"),
    ("is this a cash deal or financing?", "all cash"),
    ("who covers closing costs", "closing costs"),
    ("how fast can you close?", "7 to 14 days"),
    ("are you a realtor?", "isn't an agent"),
])
def test_flow_q001_answered_then_the_pending_question_again(question, answer):
    chat = Chat()
    chat.says("hi")
    reply = chat.says(question)
    assert answer in reply
    assert chat.conv.asking == "condition"
    assert "condition" in reply or "shape" in reply or "work" in reply
    assert chat.conv.failed_attempts == 0 and not chat.conv.needs_human


def test_flow_q002_answers_come_from_settings():
    chat = Chat(answer_cash_or_financing="Cash from {buyer}'s fund, closing in escrow.")
    chat.says("hello")
    assert chat.says("u paying all cash?").startswith("Cash from Jorge's fund")


def test_flow_q003_how_the_offer_was_computed_names_the_percent():
    chat = Chat()
    chat.script(TO_OFFER)
    reply = chat.says("how did you come up with that number?")
    assert "75%" in reply and "$300,000" in reply
    assert chat.conv.asking == "offer_response"


def test_flow_q004_the_address_and_appointment_they_have():
    chat = Chat()
    chat.script([*TO_OFFER, "ok deal", "2250 Cherry Ave, Fontana CA 92335", "1"])
    assert "2250 Cherry Ave" in chat.says("what's the address you have for me?")
    assert "You're booked for" in chat.says("when is my appointment again?")


def test_flow_q005_a_question_not_understood_twice_goes_to_a_person():
    chat = Chat()
    chat.says("hi")
    first = chat.says("can you pay my moving costs?")
    assert "another way" in first and not chat.conv.needs_human
    second = chat.says("do you do leasebacks?")
    assert chat.conv.needs_human and chat.conv.needs_human_reason == "question_not_understood"
    assert "Jorge" in second


def test_flow_q006_asked_for_the_offer_before_there_is_one():
    chat = Chat()
    reply = chat.says("what would you pay for my house on Mesa Verde Dr?")
    assert "depends on the home and the price you have in mind" in reply
    assert "%" not in reply and chat.conv.asking == "condition"


def test_flow_q007_a_long_configured_answer_is_cut_after_a_whole_sentence():
    long_answer = "It's all cash. " + "We have done this for years and close fast. " * 8
    chat = Chat(answer_cash_or_financing=long_answer)
    chat.says("hello")
    reply = chat.says("is it all cash?")
    assert len(reply) <= 320 and reply.endswith(".")
