"""One voice, fitting acknowledgements, the right words (issue 12, item 11)."""

from __future__ import annotations

import pytest

from tests.unit.chat import TO_OFFER, Chat

BOOKED = (*TO_OFFER, "yes", "1530 Ironwood Ave, Moreno Valley", "1")


def test_flow_voice001_the_assistant_speaks_for_the_buyer_throughout():
    chat = Chat()
    chat.script(BOOKED)
    assert chat.replies[0].startswith("Hi Maria, I'm Jorge's assistant.")
    for reply in chat.replies:
        assert "this is Jorge" not in reply and "I'm Jorge." not in reply
        assert " we " not in f" {reply.lower()} "  # the assistant says "I", the buyer "Jorge"


@pytest.mark.parametrize("shrug", ["idk", "dunno", "not sure tbh", "🤷", "no idea"])
def test_flow_voice002_no_thanks_for_nothing(shrug):
    chat = Chat()
    chat.says("hi")
    reply = chat.says(shrug)
    for opener in ("Makes sense", "Appreciate it", "Got it", "Thanks", "Good to know"):
        assert not reply.startswith(opener)


@pytest.mark.parametrize(("text", "words"), [
    ("my dad passed away in march, it's in probate now", "sorry for your loss"),
    ("going thru a nasty divorce", "sorry you're going through that"),
    ("my husband got cancer and we need to move closer to his doctors", "health"),
])
def test_flow_voice003_the_right_words_for_a_hard_time(text, words):
    chat = Chat()
    chat.script(["hi", "needs work", "380k"])
    reply = chat.says(text)
    assert words in reply


def test_flow_voice004_no_name_no_guess():
    chat = Chat(name=None)
    assert chat.says("hello").startswith("Hi there, I'm Jorge's assistant.")
