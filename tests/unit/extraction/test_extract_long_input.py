"""Every reader copes with the longest and strangest SMS (1,600 characters) without failing."""

from __future__ import annotations

import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from seller_bot.extract import (
    classify_question,
    detect_language,
    distress_kind,
    extract_address,
    extract_condition,
    extract_counter_offer,
    extract_motivation,
    extract_offer_response,
    extract_price,
    extract_slot_choice,
    extract_timeline_days,
    extract_urgency,
    is_correction,
    is_opt_out,
    is_wrong_number,
)

LA = ZoneInfo("America/Los_Angeles")
SLOTS = [datetime(2026, 12, 1, 14, tzinfo=LA), datetime(2026, 12, 2, 10, tzinfo=LA)]
TODAY = date(2026, 12, 1)
READERS = [
    detect_language, is_opt_out, is_wrong_number, is_correction, classify_question,
    distress_kind, extract_address, extract_condition, extract_motivation,
    extract_offer_response,
    lambda text: extract_price(text, bare_ok=True),
    lambda text: extract_price(text, expecting=True),
    lambda text: extract_timeline_days(text, TODAY),
    lambda text: extract_counter_offer(text, 450_000),
    lambda text: extract_slot_choice(text, SLOTS, today=TODAY),
    lambda text: extract_urgency(text, 30),
]
LONG = [
    "9" * 1600, "1 " * 800, "a " * 800, "stop " * 320, "$" * 1600, "450," * 400,
    "1 k " * 400, "1.1." * 400, "1-" * 800, "é" * 1600, "😀" * 800, "¿" * 1600,
    (string.printable * 20)[:1600], "no " * 530, "not " * 400, "1234 w elm st " * 110,
]


@pytest.mark.parametrize("text", LONG, ids=lambda text: repr(text[:12]))
def test_long_and_strange_messages_are_read_without_failing(text: str) -> None:
    for read in READERS:
        read(text)


def test_empty_message() -> None:
    for read in READERS[:-1]:  # urgency falls back on the timeline it is given
        assert read("") in (None, False)
    assert extract_urgency("", None) is None
