"""is_correction: explicit corrections of an earlier answer, and look-alikes that are not."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_price, extract_timeline_days, is_correction
from seller_bot.extract.condition import extract_condition
from tests.helpers import yes_and_no

CORRECTIONS = [
    "wait, I meant 470 not 440",
    "wait i meant 470",
    "scratch that, more like 6 weeks",
    "Scratch that lol",
    "actually more like 6 weeks",
    "actually its closer to 500",
    "sorry, I mean 260k",
    "sorry its 260 not 230",
    "230k, I mean 260k",
    "correction: 480",
    "Correction - the roof is fine, its the plumbing",
    "no wait, 2 months",
    "wait no its 3 bedrooms",
    "my bad, 450",
    "typo, 350k",
    "oops 375",
    "make that 400",
    "470 not 440",
    "470, not 440",
    "not 440, 470",
    "6 weeks not 3 months",
    "450k instead of 420k",
    "I misspoke, it needs a new roof",
    "on second thought, no rush",
    "i take that back, it needs work",
    "perdón, quise decir 380 mil, no 350",
    "quise decir 380",
    "me equivoqué, son 2 meses",
    "mejor dicho 400 mil",
    "en realidad necesita techo nuevo",
    "350, digo 380",
    "no, espere, 500 mil",
    "perdon es 420",
]
NOT_CORRECTIONS = [
    "I mean it's ok I guess",
    "sorry for the late reply",
    "what do you mean?",
    "perdón, no hablo mucho inglés",
    "not bad",
    "not 100% sure",
    "450k",
    "needs a new roof",
    "no thanks",
    "not interested",
    "wrong number",
    "sorry who is this?",
    "no rush",
    "idk maybe 250",
    "it is not in bad shape",
    "hola",
]


@pytest.mark.parametrize(("message", "expected"), yes_and_no(CORRECTIONS, NOT_CORRECTIONS))
def test_correction(message: str, expected: bool) -> None:
    assert is_correction(message) is expected


# The value a correction carries is the corrected one.
PRICES = [
    ("wait, I meant 470 not 440", 470_000),
    ("wait i meant 470 not 440 sorry", 470_000),
    ("not 440, 470", 470_000),
    ("470k not 440k", 470_000),
    ("450k instead of 420k", 450_000),
    ("sorry, I mean 260k", 260_000),
    ("230k, I mean 260k", 260_000),
    ("perdón, quise decir 380 mil, no 350", 380_000),
    ("350, digo 380", 380_000),
    ("make that 400", 400_000),
    ("no wait 475k", 475_000),
    ("not 400 but 425", 425_000),
]


@pytest.mark.parametrize(("message", "expected"), PRICES)
def test_corrected_price(message: str, expected: int) -> None:
    assert extract_price(message, expecting=True) == expected
    assert extract_price(message, bare_ok=True) == expected


def test_corrected_timeline() -> None:
    from datetime import date

    today = date(2026, 12, 1)
    assert extract_timeline_days("scratch that, more like 6 weeks", today) == 42
    assert extract_timeline_days("not 6 weeks, 3 months", today) == 90
    assert extract_timeline_days("3 months not 6 weeks", today) == 90
    assert extract_timeline_days("6 weeks not 3 months", today) == 42


def test_corrected_condition() -> None:
    assert extract_condition("actually no wait, the roof needs replacing") == "major_repairs"
    assert extract_condition("correction: it's move in ready, I was thinking of my "
                             "other house") == "move_in_ready"
