"""Every field is read from every message, whatever the bot asked (issue 12, item 3)."""

from __future__ import annotations

import pytest

from tests.unit.chat import Chat


@pytest.mark.parametrize(("texts", "fields", "asking"), [
    # Asked about the condition, the seller gives the price first: kept, no try spent.
    (["hey", "hmm", "prob like 315"], {"price_expectation": 315_000, "condition": None},
     "condition"),
    (["hi", "eh", "435-ish"], {"price_expectation": 435_000}, "condition"),
    # Asked the price, answered the reason: kept, the price is asked again.
    (["hi", "needs new carpet", "we're retiring to arizona"],
     {"motivation": "retirement", "price_expectation": None}, "price_expectation"),
    # Everything in one text: straight to the offer.
    (["hello", "roof leaks, want 480k, got a job in boise, asap"],
     {"condition": "major_repairs", "price_expectation": 480_000,
      "motivation": "job_relocation"}, "offer_response"),
    # A number that is a timeline or a size is not a price.
    (["hi", "fixer upper", "like 60 days"], {"price_expectation": None, "timeline_days": 60},
     "price_expectation"),
    (["hi", "3 bed 2 bath about 1600 sq ft"], {"price_expectation": None}, "condition"),
])
def test_flow_fields001_read_whatever_was_asked(texts, fields, asking):
    chat = Chat()
    chat.script(texts)
    for name, value in fields.items():
        assert getattr(chat.conv, name) == value, name
    assert chat.conv.asking == asking


def test_flow_fields002_an_answer_to_the_next_question_is_not_a_failed_try():
    chat = Chat()
    chat.script(["hi", "umm", "350k"])  # one miss on the condition, then the price
    assert chat.conv.failed_attempts == 0
    assert "condition" not in chat.conv.unknown_fields
    chat.says("it's in decent shape, just dated")
    assert chat.conv.condition == "minor_repairs"
    assert chat.conv.asking == "motivation"


def test_flow_fields003_a_volunteered_city_is_kept_and_a_street_joins_it():
    chat = Chat()
    chat.says("thinking of selling my place in Fontana")
    assert chat.conv.address == "Fontana, CA"
    chat.says("needs paint, about 450k")
    chat.says("1420 Juniper Ave")
    assert chat.conv.address == "1420 Juniper Ave, Fontana, CA"


@pytest.mark.parametrize(("answer", "condition"), [
    ("good", "move_in_ready"), ("its rough", "major_repairs"), ("fair", "minor_repairs"),
])
def test_flow_fields004_a_one_word_verdict_answers_the_condition_question(answer, condition):
    chat = Chat()
    chat.says("hi")
    assert chat.conv.asking == "condition"
    chat.says(answer)
    assert chat.conv.condition == condition


def test_flow_fields005_a_one_word_verdict_is_no_condition_when_not_asked():
    chat = Chat()
    chat.script(["hi", "needs new paint", "good"])  # "good" answers the price question
    assert chat.conv.condition == "minor_repairs"
