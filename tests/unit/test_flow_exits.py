"""Wrong numbers, opt-outs and appointment outcomes (issue 12, items 9 and 10)."""

from __future__ import annotations

import pytest

from seller_bot.flow import record_outcome
from seller_bot.models import CLOSED_STAGES
from tests.unit.chat import TO_OFFER, Chat


@pytest.mark.parametrize("text", [
    "wrong number buddy", "u have the wrong #", "I don't own a house, wrong person",
    "número equivocado",
])
def test_flow_exit001_wrong_number_is_its_own_exit(text):
    chat = Chat()
    chat.says("hi")
    reply = chat.says(text)
    assert chat.conv.stage == "wrong_number"
    assert "won't text this number again" in reply or "No volveré" in reply
    assert chat.says("hello?") is None  # never texted again
    assert chat.conv.stage in CLOSED_STAGES


@pytest.mark.parametrize("text", ["STOP", "Alto", "PARAR", "cancelar", "ya no me escriba",
                                  "no me envíe más mensajes"])
def test_flow_exit002_opt_outs_in_english_and_spanish(text):
    chat = Chat()
    chat.says("hola, quiero vender mi casa")
    chat.says(text)
    assert chat.conv.stage == "opted_out"
    assert chat.says("hola?") is None


@pytest.mark.parametrize("outcome", ["held", "no_show", "under_contract", "dead"])
def test_flow_exit003_an_outcome_becomes_the_stage(outcome):
    chat = Chat()
    chat.script([*TO_OFFER, "ok", "1530 Ironwood Ave Moreno Valley", "2"])
    record_outcome(chat.conv, outcome, chat.now)
    assert chat.conv.stage == outcome == chat.conv.appointment_outcome
    assert chat.conv.stage_history[-1].stage == outcome
