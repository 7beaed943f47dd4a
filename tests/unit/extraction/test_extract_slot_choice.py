"""extract_slot_choice: which offered slot the seller picked, as an index."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from seller_bot.extract import extract_slot_choice

LA = ZoneInfo("America/Los_Angeles")
# What the bot offers: two weekdays, at its preferred hours.
SLOTS = [datetime(2026, 12, 1, 10, tzinfo=LA), datetime(2026, 12, 2, 14, tzinfo=LA)]  # Tue, Wed
SAME_DAY = [datetime(2026, 12, 1, 10, tzinfo=LA), datetime(2026, 12, 1, 14, tzinfo=LA)]
THREE = [*SLOTS, datetime(2026, 12, 3, 11, 30, tzinfo=LA)]  # + Thu 11:30
LATER = [datetime(2026, 12, 11, 15, tzinfo=LA), datetime(2026, 12, 14, 9, tzinfo=LA)]  # Fri, Mon

CASES = [
    ("the first one", SLOTS, 0),
    ("first", SLOTS, 0),
    ("1", SLOTS, 0),
    ("one", SLOTS, 0),
    ("option one", SLOTS, 0),
    ("#2", SLOTS, 1),
    ("option 2", SLOTS, 1),
    ("2", SLOTS, 1),
    ("2\ufe0f\u20e3", SLOTS, 1),
    ("second", SLOTS, 1),
    ("the second one pls", SLOTS, 1),
    ("the later one", SLOTS, 1),
    ("the earlier one", SLOTS, 0),
    ("Tuesday works", SLOTS, 0),
    ("tue", SLOTS, 0),
    ("lets do weds", SLOTS, 1),
    ("im free tuesday", SLOTS, 0),
    ("10am", SLOTS, 0),
    ("ten am", SLOTS, 0),
    ("the 2pm", SLOTS, 1),
    ("2 pm works", SLOTS, 1),
    ("at 2", SLOTS, 1),
    ("2:00", SLOTS, 1),
    ("10", SLOTS, 0),
    ("wed at 2", SLOTS, 1),
    ("wednesday afternoon", SLOTS, 1),
    ("the morning one", SLOTS, 0),
    ("either", SLOTS, 0),
    ("whichever", SLOTS, 0),
    ("any", SLOTS, 0),
    ("either works but not tuesday", SLOTS, 1),
    ("tuesday doesnt work, wednesday is good", SLOTS, 1),
    ("the 2nd", SLOTS, 1),  # Dec 2 is also the second slot
    ("dec 2", SLOTS, 1),
    ("12/1", SLOTS, 0),
    ("the 1st", SLOTS, 0),
    ("tue 👍", SLOTS, 0),
    # slots on the same day: the time decides, the day alone picks the first
    ("the 2pm", SAME_DAY, 1),
    ("tuesday", SAME_DAY, 0),
    ("tuesday afternoon", SAME_DAY, 1),
    # dates and a 9am slot
    ("the 14th", LATER, 1),
    ("friday the 11th at 3", LATER, 0),
    ("monday morning", LATER, 1),
    ("9", LATER, 1),
    ("the 1st", LATER, 0),  # no slot on the 1st: an option
    # three slots
    ("third", THREE, 2),
    ("3", THREE, 2),
    ("thursday at 11:30", THREE, 2),
    ("the last one", THREE, 2),
]

NONE_CASES = [
    "neither",
    "none of those work",
    "no",
    "nope",
    "what's the weather",
    "thursday",  # no slot on a Thursday
    "9am",  # no slot at 9
    "tuesday at 2",  # Tuesday's slot is at 10
    "the 12th",
    "not the first one",
    "can't do either",
    "i'll let you know later",
    "one second let me check",
]


@pytest.mark.parametrize(("message", "slots", "expected"), CASES)
def test_slot_choice(message: str, slots: list[datetime], expected: int) -> None:
    assert extract_slot_choice(message, slots) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_slot_choice(message: str) -> None:
    assert extract_slot_choice(message, SLOTS) is None


def test_no_slots_offered() -> None:
    assert extract_slot_choice("the first one", []) is None


DAY_CASES = [
    # today / tomorrow with the seller's local date (Tue Dec 1 slot, Wed Dec 2 slot)
    ("tomorrow works", datetime(2026, 11, 30).date(), 0),
    ("tmrw", datetime(2026, 11, 30).date(), 0),
    ("2morrow is good", datetime(2026, 12, 1).date(), 1),
    ("today", datetime(2026, 12, 1).date(), 0),
    ("today at 10", datetime(2026, 12, 1).date(), 0),
    ("the day after tomorrow", datetime(2026, 11, 30).date(), 1),
    ("not tomorrow, wednesday", datetime(2026, 11, 30).date(), 1),
    ("tomorrow", datetime(2026, 12, 5).date(), None),  # no slot falls on it
    ("mañana", datetime(2026, 11, 30).date(), 0),
    ("hoy en la mañana", datetime(2026, 12, 1).date(), 0),
    ("pasado mañana", datetime(2026, 11, 30).date(), 1),
]


@pytest.mark.parametrize(("message", "today", "expected"), DAY_CASES)
def test_today_and_tomorrow(message: str, today, expected: int | None) -> None:
    assert extract_slot_choice(message, SLOTS, today=today) == expected


def test_tomorrow_without_today_is_not_read() -> None:
    assert extract_slot_choice("tomorrow works", SLOTS) is None


SPANISH = [
    ("la primera", SLOTS, 0),
    ("La primera opción", SLOTS, 0),
    ("el primero", SLOTS, 0),
    ("la segunda", SLOTS, 1),
    ("la segunda opción", SLOTS, 1),
    ("el segundo", SLOTS, 1),
    ("el martes", SLOTS, 0),
    ("el miércoles", SLOTS, 1),
    ("el miercoles está bien", SLOTS, 1),
    ("a las 2", SLOTS, 1),
    ("la de las 10", SLOTS, 0),
    ("en la tarde", SAME_DAY, 1),
    ("en la mañana", SAME_DAY, 0),
    ("cualquiera", SLOTS, 0),
    ("me da igual", SLOTS, 0),
    ("el martes no puedo, el miércoles sí", SLOTS, 1),
    ("la última", SLOTS, 1),
    ("ninguna", SLOTS, None),
    ("ninguna de esas", SLOTS, None),
    ("no sé", SLOTS, None),
]


@pytest.mark.parametrize(("message", "slots", "expected"), SPANISH)
def test_spanish_choice(message: str, slots, expected: int | None) -> None:
    assert extract_slot_choice(message, slots) == expected


def test_an_unplaceable_day_picks_nothing() -> None:
    # Without today's date "tomorrow afternoon" could be either slot's day: pick none.
    assert extract_slot_choice("mañana en la tarde", SLOTS) is None
    assert extract_slot_choice("tomorrow at 2", SLOTS) is None
    assert extract_slot_choice("tomorrow at 2", SLOTS, today=datetime(2026, 12, 1).date()) == 1
