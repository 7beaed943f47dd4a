"""extract_address: a volunteered street address, normalised; None when there is none."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_address

CASES = [
    ("it's 1234 W Foothill Blvd, Upland CA 91786", "1234 W Foothill Blvd, Upland, CA 91786"),
    ("1234 w foothill blvd upland california 91786", "1234 W Foothill Blvd, Upland, CA 91786"),
    ("8421 Haven Ave Rancho Cucamonga", "8421 Haven Ave, Rancho Cucamonga"),
    ("the house on 55 Oak St", "55 Oak St"),
    ("123 main street", "123 Main St"),
    ("its at 4521 n 4th st apt 2 san bernardino ca 92407",
     "4521 N 4th St #2, San Bernardino, CA 92407"),
    ("16052 Sierra Lakes Pkwy Fontana, CA 92336", "16052 Sierra Lakes Pkwy, Fontana, CA 92336"),
    ("1550 e. highland avenue, san bernardino", "1550 E Highland Ave, San Bernardino"),
    ("address is 777 mountain view dr. in yucaipa", "777 Mountain View Dr, Yucaipa"),
    ("12 oak st springfield il 62701", "12 Oak St, Springfield, IL 62701"),
    ("needs a new roof, its 9 palm ct in riverside, want 450k", "9 Palm Ct, Riverside"),
]

NONE_CASES = [
    "3 beds on main st",
    "i want 450k",
    "zip 91730",
    "call me 909-555-1234",
    "i live on baseline",
    "8421 haven",
    "needs a new roof",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_address(message: str, expected: str) -> None:
    assert extract_address(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_address(message: str) -> None:
    assert extract_address(message) is None
