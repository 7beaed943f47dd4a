"""extract_counter_offer: what a seller asks instead of the cash offer."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_counter_offer

OFFER = 450_000

COUNTERS = [
    ("I could do 600k", 600_000),
    ("how about 575?", 575_000),
    ("meet me at 590", 590_000),
    ("if you can do 620 we have a deal", 620_000),
    ("if u can do 620k we got a deal", 620_000),
    ("575", 575_000),
    ("575?", 575_000),
    ("is 500 ok?", 500_000),
    ("would you take 525", 525_000),
    ("can you do 500?", 500_000),
    ("too low, I need at least 500", 500_000),
    ("meh too low, 525 and its yours", 525_000),
    ("no, 600k", 600_000),
    ("I was hoping for $550,000", 550_000),
    ("we'd do it for half a mil", 500_000),
    ("lo menos 550 mil", 550_000),
    ("si me da 500 mil tenemos trato", 500_000),
    ("qué tal 520 mil?", 520_000),
    ("450 is too low, 520 and we're done", 520_000),
    ("520 and we're done, 450 is too low", 520_000),
    ("zillow says 700 but I'd take 550", 550_000),
    ("I owe 400 and need 100 on top", 500_000),
    ("bump it to 480 and its a deal", 480_000),
    ("four eighty", 480_000),
]
NOT_COUNTERS = [
    "sounds good",
    "deal",
    "ok",
    "yes 450k works",
    "450 is too low",
    "no thanks",
    "no deal, way too low",
    "let me think about it",
    "can you do better?",
    "how did you come up with that?",
    "zillow says 700",
    "my neighbor sold for 650",
    "I owe 200 on it",
    "the first one",
    "2",
    "5 million lol",
    "call me at 909-555-0101",
    "can we close in 30 days?",
    "sí, acepto",
    "déjame pensarlo",
    "",
]


@pytest.mark.parametrize(("message", "expected"), COUNTERS)
def test_counter(message: str, expected: int) -> None:
    assert extract_counter_offer(message, OFFER) == expected


@pytest.mark.parametrize("message", NOT_COUNTERS)
def test_not_counter(message: str) -> None:
    assert extract_counter_offer(message, OFFER) is None


def test_bare_thousands_follow_the_offer() -> None:
    assert extract_counter_offer("230", 210_000) == 230_000
    assert extract_counter_offer("how about 1.2M", 900_000) == 1_200_000
    assert extract_counter_offer("300", 900_000) is None  # a third of the offer: not a counter
