"""Whole seller conversations through the real HTTP webhook route and a real Redis."""

from __future__ import annotations

from datetime import datetime

import pytest
import requests

from tests.helpers import Seller


def test_conv001_first_text_to_booked(live_server):
    seller = Seller(live_server.url)
    first = seller.says("Hi, I got your card. Thinking about selling my house")
    assert first["status"] == "processed"
    assert first["stage"] == "condition"
    assert "Maria" in first["reply"]

    assert seller.says("it needs a new roof and the kitchen is old")["stage"] == "price"
    assert seller.says("around 450k")["stage"] == "motivation"
    offer = seller.says("relocating to Texas for work, need to close in 30 days")
    assert offer["stage"] == "offer"
    assert "$338,000" in offer["reply"]  # 75% of 450,000 rounded to $1,000

    address = seller.says("yes that works")
    assert address["stage"] == "qualified" and address["asking"] == "address"
    assert seller.state()["offer_response"] == "accepted"
    slots = seller.says("it's 8421 Sycamore Ln, Fontana CA 92335")
    assert slots["asking"] == "appointment_at"
    state = seller.state()
    assert len(state["slots_offered"]) == 2

    booked = seller.says("the first one")
    assert booked["stage"] == "booked"
    assert "8421 Sycamore Ln, Fontana, CA 92335" in booked["reply"]
    state = seller.state()
    assert state["appointment_at"] == state["slots_offered"][0]
    appointment = datetime.fromisoformat(state["appointment_at"])
    assert 9 <= appointment.hour < 17
    assert state["condition"] == "major_repairs"
    assert state["price_expectation"] == 450_000
    assert state["motivation"] == "job_relocation"
    assert state["timeline_days"] == 30
    assert state["urgency"] == "high"
    assert state["offer_amount"] == 338_000
    # 40 known + 10 buy box + 20 timeline + 10 motivation + 20 accepted
    assert state["lead_score"] == 100
    assert state["temperature"] == "hot"
    assert {p["part"] for p in state["score_parts"]} >= {"offer accepted", "price inside buy box"}
    directions = [m["direction"] for m in state["transcript"]]
    assert directions == ["inbound", "outbound"] * 7
    assert state["address"] == "8421 Sycamore Ln, Fontana, CA 92335"
    assert all(len(m["body"]) < 320 for m in state["transcript"])


@pytest.mark.parametrize(("texts", "stage", "stored"), [
    pytest.param(["want to sell, needs a new roof, looking for 450k"], "motivation",
                 {"condition": "major_repairs", "price_expectation": 450_000},
                 id="conv002_volunteered_answers_skip_questions"),
    pytest.param(["hello", "move in ready", "500k", "divorce, we want out in 2-3 months",
                  "no deal, that's way too low"], "declined",
                 {"offer_response": "declined", "offer_amount": 375_000},
                 id="conv003_declined_offer"),
])
def test_conv002_where_the_answers_lead(live_server, texts, stage, stored):
    seller = Seller(live_server.url)
    replies = [seller.says(text) for text in texts]
    assert replies[-1]["stage"] == stage
    state = seller.state()
    assert {field: state[field] for field in stored} == stored


def test_conv004_stop_opts_out_and_bot_stays_silent(live_server):
    seller = Seller(live_server.url)
    seller.says("hi")
    stop = seller.says("STOP")
    assert stop["stage"] == "opted_out"
    later = seller.says("actually what was your offer?")
    assert later == {"status": "ignored", "reason": "opted out"}
    state = seller.state()
    assert state["stage"] == "opted_out"
    assert state["transcript"][-1] == {**state["transcript"][-1], "direction": "inbound",
                                       "body": "actually what was your offer?"}
    assert sum(m["direction"] == "outbound" for m in state["transcript"]) == 2


def test_conv005_paused_contact_is_recorded_not_answered(live_server):
    seller = Seller(live_server.url)
    seller.says("hi there")
    paused = requests.post(f"{live_server.url}/api/conversations/contact-1/pause", timeout=5)
    assert paused.status_code == 200 and paused.json()["paused"] is True
    assert seller.says("it's move in ready") == {"status": "ignored", "reason": "paused"}
    assert seller.state()["transcript"][-1]["body"] == "it's move in ready"
    resumed = requests.post(f"{live_server.url}/api/conversations/contact-1/resume", timeout=5)
    assert resumed.json()["paused"] is False
    assert seller.says("it's move in ready")["status"] == "processed"


def test_conv006_not_understood_twice_moves_on_with_unknown(live_server):
    seller = Seller(live_server.url)
    assert seller.says("hello")["stage"] == "condition"
    again = seller.says("it's a house lol")
    assert again["stage"] == "condition"
    moved = seller.says("🤷")
    assert moved["stage"] == "price"
    state = seller.state()
    assert state["condition"] is None
    assert "condition" in state["unknown_fields"]


def test_conv007_no_price_no_offer(live_server):
    seller = Seller(live_server.url)
    seller.says("hi")
    seller.says("needs some paint")
    seller.says("idk")
    assert seller.says("depends")["stage"] == "motivation"  # price unknown after two tries
    reply = seller.says("inherited it from my dad, no rush")
    assert reply["stage"] == "price"  # asks for the price again instead of inventing an offer
    assert seller.state()["offer_amount"] is None
    assert seller.says("i guess 380k")["stage"] == "offer"


def test_conv008_reply_and_state_for_unknown_contact_is_404(live_server):
    response = requests.get(f"{live_server.url}/api/conversations/nobody", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
