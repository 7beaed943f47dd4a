"""detect_language: Spanish or English from one text, None when the text cannot tell."""

from __future__ import annotations

import pytest

from seller_bot.extract import detect_language

CASES = [
    # English
    ("hi, thinking about selling my house", "en"),
    ("needs a new roof", "en"),
    ("prob about 290", "en"),
    ("idk tbh", "en"),
    ("yes", "en"),
    ("the first one", "en"),
    ("who is this?", "en"),
    ("my house in San Bernardino", "en"),
    ("stop", "en"),
    ("my mom passed 😢", "en"),
    ("we r moving to idaho for my husbands job", "en"),
    # Spanish, with and without accents
    ("Hola, quiero vender mi casa", "es"),
    ("hola", "es"),
    ("gracias", "es"),
    ("ok gracias", "es"),
    ("sí", "es"),
    ("necesita reparaciones", "es"),
    ("está en buenas condiciones", "es"),
    ("lista para vivir", "es"),
    ("350 mil dolares", "es"),
    ("trescientos cincuenta mil", "es"),
    ("medio millón", "es"),
    ("déjame pensarlo", "es"),
    ("dejame pensarlo", "es"),
    ("no gracias", "es"),
    ("trato hecho", "es"),
    ("la primera", "es"),
    ("el martes", "es"),
    ("ALTO", "es"),
    ("CANCELAR", "es"),
    ("ya no me escriba", "es"),
    ("número equivocado", "es"),
    ("¿quién es?", "es"),
    ("q onda, cuanto ofrecen x la casa", "es"),
    ("perdón, no hablo mucho inglés", "es"),
    # mixed: the majority decides
    ("tengo una house en Hemet", "es"),
    ("my mom's casa needs a lot of work", "en"),
    # nothing to tell
    ("ok", None),
    ("k", None),
    ("450k", None),
    ("$450,000", None),
    ("👍", None),
    ("no", None),
    ("si", None),
    ("1", None),
    ("Loma Linda", None),
    ("1580 E Highland Ave San Bernardino", None),
    ("", None),
    ("...", None),
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_detect_language(message: str, expected: str | None) -> None:
    assert detect_language(message) == expected


ADDRESS_AND_SHORT = [
    ("11238 vista grande way, fontana ca 92335", None),
    ("15206 francis st in ontario", None),
    ("12361 Rosewood St in Chino Hills", None),
    ("1532 Calle Mango Ave, San Jacinto", None),
    ("me jubilo", "es"),
    ("vendemos la casa", "es"),
    ("in", None),
    ("the house is at 11238 Vista Grande Way", "en"),
    ("la casa está en 11238 Vista Grande Way", "es"),
    ("who pays the closing costs?", "en"),
]


@pytest.mark.parametrize(("message", "expected"), ADDRESS_AND_SHORT)
def test_addresses_and_short_words(message: str, expected: str | None) -> None:
    assert detect_language(message) == expected
