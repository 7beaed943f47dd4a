"""extract_urgency: explicit words first, then the timeline; None when nothing is known."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_urgency

CASES = [
    # explicit words beat the timeline
    ("need to sell asap", 200, "high"),
    ("this is urgent", None, "high"),
    ("need to sell fast", None, "high"),
    ("how quick can u close", None, "high"),
    ("were behind on payments", None, "high"),
    ("the bank is foreclosing", None, "high"),
    ("auction is dec 12 please help", None, "high"),
    ("needed it gone yesterday 😩", None, "high"),
    ("no rush", 7, "low"),
    ("whenever honestly", None, "low"),
    ("not in a hurry at all", 20, "low"),
    ("just curious what you'd pay", None, "low"),
    ("its not urgent", None, "low"),
    # the timeline decides when the words don't
    ("30 days", 30, "high"),
    ("next month", 6, "high"),
    ("couple months", 60, "medium"),
    ("in 90 days", 90, "medium"),
    ("91 days", 91, "low"),
    ("6 months", 180, "low"),
    ("by summer", 208, "low"),
    # a negated distress word says nothing; the timeline still counts
    ("we're not behind on payments", 45, "medium"),
]

NONE_CASES = [
    "ok",
    "quick question, do you buy condos?",
    "i talked to my wife yesterday",
    "what's the weather",
]


@pytest.mark.parametrize(("message", "timeline_days", "expected"), CASES)
def test_urgency(message: str, timeline_days: int | None, expected: str) -> None:
    assert extract_urgency(message, timeline_days) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_urgency_without_words_or_timeline(message: str) -> None:
    assert extract_urgency(message, None) is None
