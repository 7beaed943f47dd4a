"""A seller who writes in Spanish gets the conversation in Spanish (issue 12, item 8)."""

from __future__ import annotations

import pytest

from tests.unit.chat import Chat

ENGLISH_WORDS = (" the ", " you ", " your ", " offer ", "Thanks", "Great")


@pytest.mark.parametrize("texts", [
    ("Hola buenas tardes, quiero vender mi casa en Riverside",
     "necesita techo nuevo y la cocina está vieja", "unos 350 mil",
     "me mudo por trabajo, en 30 días", "sí, está bien", "4521 Magnolia Ave", "la primera"),
    ("hola, me interesa vender mi casa", "está en buenas condiciones",
     "quisiera 480 mil", "la heredé de mi mamá, lo antes posible", "trato hecho",
     "1190 Kendall Dr, San Bernardino CA 92407", "2"),
])
def test_flow_es001_whole_conversation_in_spanish(texts):
    chat = Chat()
    chat.script(texts)
    conv = chat.conv
    assert conv.language == "es"
    assert conv.stage == "booked", chat.replies
    assert None not in (conv.condition, conv.price_expectation, conv.motivation,
                        conv.timeline_days, conv.address)
    assert chat.replies[0].startswith("Hola Maria, soy asistente de Jorge.")
    assert any("en efectivo" in reply for reply in chat.replies)
    assert chat.replies[-1].startswith("Listo, su cita es el ")
    for reply in chat.replies:
        assert not any(word in f" {reply} " for word in ENGLISH_WORDS), reply


def test_flow_es002_questions_answered_in_spanish():
    chat = Chat()
    chat.says("hola, quiero vender mi casa")
    reply = chat.says("¿es en efectivo?")
    assert reply.startswith("Es todo al contado")
    assert chat.conv.asking == "condition"


def test_flow_es003_a_short_reply_keeps_the_language():
    chat = Chat()
    chat.says("hola, quiero vender mi casa en Fontana")
    chat.says("ok")
    assert chat.conv.language == "es"
    english = Chat()
    english.says("hi, thinking about selling my house")
    english.says("si")
    assert english.conv.language == "en"
