"""extract_timeline_days: how soon the seller wants to sell, in days from a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from seller_bot.extract import extract_timeline_days

TODAY = date(2026, 11, 25)  # a Wednesday

CASES = [
    # vague words (constants documented in timeline.py)
    ("ASAP", 7),
    ("asap!!", 7),
    ("as soon as possible", 7),
    ("need it gone right away", 7),
    ("immediately", 7),
    ("the sooner the better honestly", 7),
    ("gotta sell fast", 7),
    ("yesterday lol", 0),
    ("we needed it sold yesterday", 0),
    ("pretty soon", 45),
    ("no rush", 180),
    ("whenever tbh", 180),
    ("not in a hurry", 180),
    ("im not in any rush", 180),
    # durations
    ("30 days", 30),
    ("thirty days", 30),
    ("a month", 30),
    ("2 weeks", 14),
    ("two wks", 14),
    ("couple months", 60),
    ("a few weeks", 21),
    ("in 2-3 months", 75),
    ("1-2 months", 45),
    ("in a month or two", 45),
    ("6 months", 180),
    ("within 6 mo", 180),
    ("within 90 days", 90),
    ("90 day close", 90),
    ("lived there 10 years but want out in 2 months", 60),
    ("like 2 or 3 months", 75),
    ("within the next 30 days", 30),
    ("asap like within 2 weeks", 14),
    # calendar
    ("next month", 6),  # Dec 1
    ("end of this month", 5),  # Nov 30
    ("next week", 5),  # Monday Nov 30
    ("this weekend", 3),  # Saturday Nov 28
    ("by thanksgiving", 1),  # Nov 26, 2026
    ("by christmas", 30),
    ("end of the year", 36),
    ("end of year", 36),
    ("by EOY", 36),
    ("before the new year", 36),
    ("by the end of next month", 36),  # Dec 31
    ("mid december", 20),
    ("after the holidays", 37),
    ("next year", 218),  # its middle: Jul 1, 2027
    ("sometime in 2027", 37),
    ("by march", 96),  # Mar 1, 2027
    ("by june 15", 202),
    ("in the spring", 115),  # Mar 20, 2027
    ("by summer", 208),  # Jun 21, 2027
    ("this fall", 301),  # Sep 22, 2027
    # mixed and negated
    ("needs a new roof and we want around 450 k, moving to texas for work next month", 6),
    ("not asap, maybe in the spring", 115),
    ("not in the next 6 months", 360),
    ("we can't close in 30 days", 60),
    ("not until summer", 208),
]

NONE_CASES = [
    "450k",
    "$450,000",
    "3 bed 2 bath",
    "built in 1985",
    "i talked to my wife yesterday",
    "talk soon",
    "quick question do you buy condos",
    "im 3 months behind on payments",
    "we bought it 12 years ago",
    "my roof is 30 years old",
    "it has a 30 year mortgage",
    "im flexible on price",
    "not sure",
    "hello?",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_timeline_days(message: str, expected: int) -> None:
    assert extract_timeline_days(message, TODAY) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_timeline(message: str) -> None:
    assert extract_timeline_days(message, TODAY) is None


@pytest.mark.parametrize(
    ("message", "today", "expected"),
    [
        ("next month", date(2026, 12, 10), 22),  # Jan 1 of the next year
        ("by summer", date(2026, 7, 1), 355),  # summer started: next year's
        ("by summer", date(2026, 3, 1), 112),
        ("end of the year", date(2026, 12, 31), 0),
        ("by christmas", date(2026, 12, 26), 364),
    ],
)
def test_timeline_depends_on_today(message: str, today: date, expected: int) -> None:
    assert extract_timeline_days(message, today) == expected


BENCH_DAY = date(2026, 12, 1)  # a Tuesday, the accuracy bench's day

MORE = [
    # the year ahead
    ("no rush, sometime next year", 212),
    ("sometime next year", 212),
    ("next yr", None),
    ("early next year", 31),
    ("beginning of next year", 31),
    ("within the next year", 365),
    ("end of next year", 395),
    ("after the holidays", 31),
    # weeks, months, seasons
    ("6 weeks", 42),
    ("prob 6 wks", 42),
    ("scratch that, more like 6 weeks", 42),
    ("like 2 months", 60),
    ("2 mos", 60),
    ("3-4 months", 105),
    ("a month or two", 45),
    ("in a couple months", 60),
    ("relocating for work in feb", 62),
    ("by march", 90),
    ("by the end of january", 61),
    ("want it gone by christmas", 24),
    ("retiring, summer", 202),
    ("summer", 202),
    ("hopefully summer", 202),
    ("retiring and moving to AZ, by summer", 202),
    ("end of the year would be ideal", 30),
    ("next month", 31),
    # past events are not targets
    ("she passed last summer", None),
    ("she passed last summer and none of us want it. 3 months or so", 90),
    ("my dad pased in march 🙏 house needs alot of work", None),
    ("grandma passed away in october and left us the house", None),
    ("we bought it in 2015", None),
    ("been vacant 6 months", None),
    ("its been vacant 6 months, needs cleaning", None),
    ("new roof 2 yrs ago", None),
    ("we split up last yr", None),
    ("lived there 25 years", None),
    ("married 30 years", None),
    ("tenants for 5 years, tired of it", None),
    ("3 months behind on the mortgage", None),
    ("roof was redone in 2019", None),
    ("we moved in june", None),
    ("need it sold by march", 90),
    ("want it closed in march", 90),
    ("we're moving in march", 90),
    ("she died in may, want to sell by summer", 202),
    ("passed away 2 months ago, want to sell in 2 months", 60),
    # corrections
    ("not 6 weeks, 3 months", 90),
    ("3 months not 6 weeks", 90),
    # Spanish
    ("lo antes posible", 7),
    ("lo más pronto posible", 7),
    ("cuanto antes", 7),
    ("necesito vender rápido", 7),
    ("en 2 meses", 60),
    ("en dos meses", 60),
    ("en un mes", 30),
    ("en 30 días", 30),
    ("en 6 semanas", 42),
    ("en unas semanas", 21),
    ("en un par de meses", 60),
    ("dentro de 3 meses", 90),
    ("para el verano", 202),
    ("antes del verano", 202),
    ("sin prisa", 180),
    ("no hay prisa", 180),
    ("no tengo prisa, cuando sea", 180),
    ("el próximo año", 212),
    ("el año que viene", 212),
    ("el mes que viene", 31),
    ("antes de fin de año", 30),
    ("para fin de año", 30),
    ("para navidad", 24),
    ("para marzo", 90),
    ("en enero", 31),
    ("pronto", 45),
    ("mi mamá falleció en marzo", None),
    ("hace 2 años", None),
    ("vivimos ahí 20 años", None),
    ("me mudo por trabajo a Texas, en 3 meses", 90),
    # not timelines
    ("needs a new roof", None),
    ("450k", None),
    ("3 bedrooms 2 baths", None),
    ("stop by anytime", None),
    ("the first one", None),
]


@pytest.mark.parametrize(("message", "expected"), MORE)
def test_timeline_days_more(message: str, expected: int | None) -> None:
    assert extract_timeline_days(message, BENCH_DAY) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("how fast can you close?", None),  # a question about the buyer, not the seller's date
    ("how quick can u close", None),
    ("para ayer jaja", 0),
    ("como para ayer", 0),
    ("en uno o dos meses", 45),
    ("en 2 o 3 meses", 75),
    ("como en 90 días", 90),
    ("quisiera terminar para el verano", 202),
    ("en 6 meses más o menos", 180),
    ("el próximo mes idealmente", 31),
    ("necesito cerrar en 30 días", 30),
    ("sin prisa la verdad", 180),
    ("cuando sea, somos flexibles", 180),
])
def test_timeline_simulated_phrasings(message: str, expected: int | None) -> None:
    assert extract_timeline_days(message, BENCH_DAY) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("month or two", 45),
    ("week or 2", 11),
    ("a year or two", 548),
])
def test_bare_unit_or_two(message: str, expected: int) -> None:
    assert extract_timeline_days(message, BENCH_DAY) == expected


@pytest.mark.parametrize("message", [
    "maybe, give me a few days",
    "tal vez, deme unos días",
    "let me think about it a couple days",
    "I'll get back to you in 2 days",
    "ill let u know in a week",
])
def test_time_to_decide_is_no_timeline(message: str) -> None:
    assert extract_timeline_days(message, BENCH_DAY) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("by the 15th", 14),
    ("need to be out by the 1st", 31),
    ("before the 20th would be great", 19),
])
def test_day_of_the_month(message: str, expected: int) -> None:
    assert extract_timeline_days(message, BENCH_DAY) == expected


@pytest.mark.parametrize("message", [
    "Hola, ¿cuánto me darían por mi casa en 2068 Vista Grande Way, Montclair CA 91763?",
    "in 2068",
    "2099",
    "in 40 years",
])
def test_far_years_and_house_numbers_are_no_timeline(message: str) -> None:
    assert extract_timeline_days(message, BENCH_DAY) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("un mes o dos", 45),
    ("una semana o dos", 11),
    ("en una semana", 7),
])
def test_spanish_one_or_two(message: str, expected: int) -> None:
    assert extract_timeline_days(message, BENCH_DAY) == expected
