"""extract_price: asking prices as people text them, and numbers that are not prices."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_price

# (message, expected) when the bot has just asked for the price (expecting=True).
ANSWERS = [
    ("450k", 450_000),
    ("$450,000", 450_000),
    ("450000", 450_000),
    ("1.2M", 1_200_000),
    ("1.2 million", 1_200_000),
    ("four fifty", 450_000),
    ("umm four fifty i guess", 450_000),
    ("around 500 grand", 500_000),
    ("between 300 and 400", 350_000),
    ("somewhere between 300 and 400k", 350_000),
    ("300-400k", 350_000),
    ("300 to 400", 350_000),
    ("like 450-475", 462_500),
    ("I think 350000", 350_000),
    ("450", 450_000),
    ("450?", 450_000),
    ("low 400s", 410_000),
    ("mid 500s", 550_000),
    ("high 300s", 380_000),
    ("low four hundreds", 410_000),
    ("half a mil", 500_000),
    ("$1.25m", 1_250_000),
    ("575K", 575_000),
    ("5 hundred thousand", 500_000),
    ("three hundred fifty thousand", 350_000),
    ("four hundred and fifty thousand", 450_000),
    ("a million two", 1_200_000),
    ("450 k", 450_000),
    ("450,00", 450_000),
    ("$450.000", 450_000),
    ("around 4 hundred", 400_000),
    ("4 fifty", 450_000),
    ("like 450ish", 450_000),
    ("$450", 450_000),
    ("350,000k", 350_000),
    ("we were hoping for 525k 🙏", 525_000),
    ("honestly id take 380", 380_000),
    ("zillow says 500k but i want 450k", 450_000),
    ("i owe 200k and want 450k", 450_000),
    ("needs 50k in repairs, asking 425k", 425_000),
    ("no less than $399,900", 399_900),
    ("425 obo", 425_000),
    ("we owe about 250 so we need at least 300", 300_000),
    ("4 hundred thousand", 400_000),
    ("500 grand or best offer", 500_000),
]

# (message, expected) volunteered before the bot asked (expecting=False).
VOLUNTEERED = [
    ("needs a new roof and we want around 450 k, moving to texas for work next month", 450_000),
    ("3 bed 2 bath, asking 389k", 389_000),
    ("built in 1985 and we want 500k", 500_000),
    ("can you do 400", 400_000),
    ("how about 415?", 415_000),
    ("450k. well maybe 475k", 475_000),
    ("I want 500k but I'd take 450k", 500_000),
    ("they offered me 300k but i want 400k", 400_000),
    ("it's worth 600k easy", 600_000),
    ("2 million", 2_000_000),
    ("mid 500s", 550_000),
    ("ok", None),
    ("four fifty", None),  # no money marker: too vague unless the bot just asked
    ("450", None),
    ("between 300 and 400", None),
    ("around 4 hundred", None),
    ("I owe 200k on it", None),
    ("the mortgage balance is about 180k", None),
    ("we paid 200k in 2010", None),
    ("its 30 days out", None),
]

# Numbers that are never a price, even right after the price question.
NOT_PRICES = [
    "30 days",
    "2-3 months",
    "3 bed 2 bath",
    "built in 1985",
    "1985",
    "zip 91730",
    "91730",
    "call me at 909-555-1234",
    "(909) 555 1234",
    "123 Main St",
    "5",
    "$5",
    "1.2",  # 1.2 million or 120k? too vague
    "we're thinking 4.5",
    "idk what its worth",
    "make me an offer",
    "100 billion dollars lol",
    "10am works",
    "its 1800 sq ft",
    "rent is $1,500/mo",
    "payment is 2800 a month",
    "the tenant pays 1800 monthly",
]


@pytest.mark.parametrize(("message", "expected"), ANSWERS)
def test_price_when_asked(message: str, expected: int) -> None:
    assert extract_price(message, expecting=True) == expected


@pytest.mark.parametrize(("message", "expected"), VOLUNTEERED)
def test_price_volunteered(message: str, expected: int | None) -> None:
    assert extract_price(message) == expected


@pytest.mark.parametrize("message", NOT_PRICES)
def test_not_a_price_even_when_asked(message: str) -> None:
    assert extract_price(message, expecting=True) is None


def test_result_is_whole_dollars() -> None:
    assert isinstance(extract_price("$1.25m"), int)


# bare_ok=True: the flow reads a price from any message while the price is still unknown.
BARE_OK = [
    ("prob about 290", 290_000),
    ("440-ish", 440_000),
    ("440ish", 440_000),
    ("290", 290_000),
    ("290?", 290_000),
    ("like 375 i guess", 375_000),
    ("idk maybe 250", 250_000),
    ("325 obo", 325_000),
    ("500 firm", 500_000),
    ("mid 300s", 350_000),
    ("low 400s", 410_000),
    ("high 500s tbh", 580_000),
    ("somewhere around 600 or so", 600_000),
    ("1.2M", 1_200_000),
    ("$450", 450_000),
    ("450k", 450_000),
    ("350 mil", 350_000),
    ("trescientos cincuenta mil", 350_000),
    ("medio millón", 500_000),
    ("medio millon", 500_000),
    ("un millón y medio", 1_500_000),
    ("como 420 mil", 420_000),
    ("unos 480 mil", 480_000),
    ("450 mil dólares", 450_000),
    ("quiero 400 mil", 400_000),
    ("lo menos 550 mil", 550_000),
    ("cuatrocientos mil", 400_000),
    # not prices
    ("30 days", None),
    ("120 days", None),
    ("6 weeks", None),
    ("2019", None),
    ("we bought it in 2015", None),
    ("3 bedrooms 2 baths", None),
    ("3bd 2ba", None),
    ("4 bed 3 bath 2200 sq ft", None),
    ("1600 sq ft", None),
    ("1234 elm", None),
    ("1234 W Elm St, Fontana, CA 92335", None),
    ("92335", None),
    ("zip is 92335", None),
    ("909-555-0148", None),
    ("call me at 9095550148", None),
    ("I'm 72", None),
    ("unit 204", None),
    ("apt 110", None),
    ("#2", None),
    ("2", None),
    ("the 2nd one", None),
    ("10am", None),
    ("2:30", None),
    ("she passed in 2019", None),
    ("roof is 15 years old", None),
    ("rent is 1800 a month", None),
    ("I owe 200k on it", None),
    ("en 2 meses", None),
    ("3 recámaras 2 baños", None),
    ("I have 3 kids", None),
    ("100% sure", None),
    ("we lived there 25 years", None),
    ("vacant 6 months", None),
    ("it needs about 50k in repairs", None),
    ("1600", None),  # square feet or 1.6 million? not without being asked
    ("hey", None),
]


@pytest.mark.parametrize(("message", "expected"), BARE_OK)
def test_price_bare_ok(message: str, expected: int | None) -> None:
    assert extract_price(message, bare_ok=True) == expected


# Debt plus equity: the seller needs the payoff and the cash on top.
DEBT_PLUS_EQUITY = [
    ("I still owe 200 and want 150 out of it", 350_000),
    ("i still owe 120, want 60 on top", 180_000),
    ("owe about 200k and want to walk away with 100k", 300_000),
    ("we owe 310k on the mortgage and need 90k in our pocket", 400_000),
    ("mortgage is 180k, I want 120k for me", 300_000),
    ("debo 200 mil y quiero sacar 150 mil para mi", 350_000),
    ("payoff is 250 plus 50 on top", 300_000),
    # a total, not a sum
    ("we owe about 250 so we need at least 300", 300_000),
    ("i owe 200k and want 450k", 450_000),
]


@pytest.mark.parametrize(("message", "expected"), DEBT_PLUS_EQUITY)
def test_debt_plus_equity(message: str, expected: int) -> None:
    assert extract_price(message, expecting=True) == expected
    assert extract_price(message, bare_ok=True) == expected


# Read for every field every turn: other answers must not become prices, even when asked.
OTHER_ANSWERS = [
    "needs a new roof, built in 1978",
    "relocating for work in 30 days",
    "inherited it in 2019",
    "we bought it in 2015, 3 bedrooms 2 baths",
    "roof was redone in 2019",
    "she passed last summer",
    "been vacant 6 months",
    "2 months",
    "the first one",
    "option 2",
    "tuesday at 10",
    "1420 N Vine Ave Ontario 91762",
]


@pytest.mark.parametrize("message", OTHER_ANSWERS)
def test_other_answers_are_not_prices(message: str) -> None:
    assert extract_price(message, bare_ok=True) is None
    assert extract_price(message) is None
