"""Simulated sellers read the bot's structured answer (``InboundResult.to_dict``), not its
wording: the same state gets the same answer whatever the reply says."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest

from core.settings import Settings
from seller_bot.bot import InboundResult
from seller_bot.flow import BotRules, handle_message, record_reply, start_conversation
from simulator.personas import make_persona
from simulator.seller import SimulatedSeller, question_topic

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # Tue 10:00 in Los Angeles


def answer(**state: object) -> dict:
    return {"status": "processed", "reply": "whatever the bot says", "stage": "condition",
            "asking": None, "missing": [], "offer_response": None, "slots_offered": [],
            **state}


def seller(seed: str = "sim-unit", **persona: object) -> SimulatedSeller:
    """A clear, plain-spoken English seller (``persona`` overrides)."""
    rng = random.Random(seed)
    drawn = dataclasses.replace(make_persona(rng, 0), **{
        "language": "en", "asks": False, "corrects": False, "quits_at": None, "clarity": 1.0,
        "style": "plain", **persona})
    return SimulatedSeller(drawn, rng)


@pytest.mark.parametrize(("state", "topic"), [
    ({"reply": None}, "none"),
    ({"asking": None, "stage": "booked"}, "closed"),
    ({"asking": "condition"}, "condition"),
    ({"asking": "price_expectation"}, "price"),
    ({"asking": "motivation", "missing": ["motivation", "timeline_days"]},
     "motivation_timeline"),
    ({"asking": "motivation", "missing": ["motivation"]}, "motivation"),
    ({"asking": "offer_response"}, "offer"),
    ({"asking": "offer_response", "offer_response": "undecided"}, "offer_waiting"),
    ({"asking": "appointment_at"}, "slots"),
])
def test_simseller001_the_topic_comes_from_the_state(state, topic):
    assert question_topic(answer(**state)) == topic


def test_simseller002_a_slot_is_named_from_the_times_offered():
    slots = ["2026-12-03T18:00:00+00:00", "2026-12-04T22:00:00+00:00"]  # Thu 10 AM, Fri 2 PM
    texts = set()
    for index in range(60):
        chooser = seller(slot_pick=1)
        chooser.rng.seed(index)
        texts.add(chooser.respond(answer(asking="appointment_at", slots_offered=slots)))
    assert texts & {"Friday works", "fri is better for me", "the 2pm one"}
    assert not any("Thursday" in text or "thu" in text or "10am" in text for text in texts)


def test_simseller003_after_booking_at_most_one_more_text():
    first_texts = []
    for index in range(40):
        booked = seller(ending="book")
        booked.rng.seed(index)
        first_texts.append(booked.respond(answer(stage="booked")))
        assert booked.respond(answer(stage="booked")) is None
    assert any(first_texts) and not all(first_texts)


@pytest.mark.parametrize("index", range(8))
def test_simseller004_the_bots_result_leads_a_willing_seller_to_a_booking(index):
    """Through the pure flow: each text answers ``InboundResult.answer`` of the document."""
    rules = BotRules.from_settings(Settings(_env_file=None))
    willing = seller(f"sim-{index}", ending="book", language="es" if index % 4 == 0 else "en")
    conv = start_conversation(f"sim-{index}", "sim-location", NOW)
    text, now = willing.opening(), NOW
    for turn in range(14):
        if text is None:
            break
        now += timedelta(minutes=3)
        reply = handle_message(conv, text, now, rules, message_id=f"m{turn}")
        if reply is not None:
            record_reply(conv, reply, now, 1.0)
        text = willing.respond(InboundResult.answer("processed", conv, reply).to_dict())
    assert conv.stage == "booked"
