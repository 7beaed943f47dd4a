"""The shared helpers: normalisation, number words, negation."""

from __future__ import annotations

import pytest

from seller_bot.extract.common import is_negated, normalize, words_to_digits


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("four fifty", "450"),
        ("three hundred fifty thousand", "350000"),
        ("four hundred and fifty thousand", "450000"),
        ("a million two", "1200000"),
        ("a million two fifty", "1250000"),
        ("5 hundred thousand", "500000"),
        ("1.2 million", "1200000"),
        ("one point two million", "1200000"),
        ("nineteen eighty five", "1985"),
        ("twenty-five", "25"),
        ("low four hundreds", "low 400s"),
        ("between three and four", "between 3 and 4"),
        ("the first one", "the first one"),  # a lone "one" is a pronoun
    ],
)
def test_words_to_digits(words: str, digits: str) -> None:
    assert words_to_digits(words) == digits


def test_normalize() -> None:
    assert normalize("It\u2019s  \u201cGREAT\u201d 👍ok w/ pool & spa") == (
        "it's \"great\" ok with pool and spa"
    )


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("i wouldn't say it's in bad shape", "bad", True),
        ("not going through a divorce", "divorce", True),
        ("no major issues", "major", True),
        ("there are no real issues", "issues", True),
        ("no it needs a new roof", "needs", False),
        ("no, it needs a new roof", "needs", False),
        ("not bad but needs a new roof", "needs", False),
        ("no problem let's do it", "let's", False),
        ("it needs a new roof", "needs", False),
    ],
)
def test_is_negated(text: str, word: str, negated: bool) -> None:
    assert is_negated(text, text.index(word)) is negated


@pytest.mark.parametrize(("typed", "read"), [
    ("good condtion", "good condition"),
    ("roof leaaks", "roof leaks"),
    ("water damae", "water damage"),
    ("fouundation issues", "foundation issues"),
    ("rouugh shape", "rough shape"),
    ("not bad shpe just dated", "not bad shape just dated"),
    ("hosue needs work", "house needs work"),
    ("four seventy fiev maybe", "four seventy five maybe"),
    ("netx month", "next month"),
    ("next mnoth", "next month"),
    ("mucas reparaciones", "muchas reparaciones"),
    ("en buuenas condiciones", "en buenas condiciones"),
    ("lista paar vivir", "lista para vivir"),
    # real words stay as they are
    ("there", "there"),
    ("the estate of my state", "the estate of my state"),
    ("close in 2 weeks", "close in 2 weeks"),
    ("medio millon", "medio millon"),
    ("leaning toward yes", "leaning toward yes"),
    ("the date", "the date"),
    ("from", "from"),
    ("round 450", "round 450"),
])
def test_normalize_repairs_slipped_domain_words(typed: str, read: str) -> None:
    assert normalize(typed) == read


@pytest.mark.parametrize("word", ["colon", "renal", "stirs", "rally", "state", "close", "loser",
                                  "leaning", "mucha", "millon", "update", "round", "there"])
def test_real_words_are_never_repaired(word: str) -> None:
    assert normalize(f"the {word} is fine") == f"the {word} is fine"
