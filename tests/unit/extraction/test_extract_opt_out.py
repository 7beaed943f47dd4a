"""is_opt_out: carrier keywords and plain requests to stop, not other uses of 'stop'."""

from __future__ import annotations

import pytest

from seller_bot.extract import is_opt_out

OPT_OUTS = [
    "STOP",
    "stop",
    "Stop!!",
    "stop.",
    "STOP STOP STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "please stop",
    "stop 🛑",
    "Stop. I already sold it",
    "stop texting me",
    "stop messaging me",
    "quit texting me",
    "remove me from your list",
    "pls remove my number",
    "do not contact me",
    "Don\u2019t text me again!",
    "dont call me",
    "leave me alone",
    "unsubscribe me",
    "take me off your list",
    "wrong number stop",
    "lose my number",
]

NOT_OPT_OUTS = [
    "I can't stop worrying about the house",
    "the bus stop is close",
    "don't stop, tell me more",
    "cancel the appointment",
    "can we cancel tuesday and do thursday",
    "stop by anytime",
    "end of the year",
    "it's the end unit",
    "who is this",
    "yes",
    "wrong number",  # its own exit: is_wrong_number
]


@pytest.mark.parametrize("message", OPT_OUTS)
def test_opt_out(message: str) -> None:
    assert is_opt_out(message) is True


@pytest.mark.parametrize("message", NOT_OPT_OUTS)
def test_not_opt_out(message: str) -> None:
    assert is_opt_out(message) is False
