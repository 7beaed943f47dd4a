"""extract_condition: the property's condition, with negation and typos."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_condition

CASES = [
    # move_in_ready
    ("move in ready", "move_in_ready"),
    ("Move-in ready!", "move_in_ready"),
    ("its movein ready", "move_in_ready"),
    ("it\u2019s in great shape", "move_in_ready"),
    ("recently remodeled kitchen and baths", "move_in_ready"),
    ("turnkey 🔑", "move_in_ready"),
    ("nothing wrong with it", "move_in_ready"),
    ("doesnt need anything", "move_in_ready"),
    ("very well maintained, we took care of it", "move_in_ready"),
    # minor_repairs
    ("needs paint and carpet", "minor_repairs"),
    ("just needs some TLC", "minor_repairs"),
    ("a few small things", "minor_repairs"),
    ("mostly cosmetic stuff", "minor_repairs"),
    ("needs a little work", "minor_repairs"),
    ("its dated but clean", "minor_repairs"),
    ("move in ready, just needs paint", "minor_repairs"),
    ("good bones", "minor_repairs"),
    ("its a little rough", "minor_repairs"),
    ("could use some updates", "minor_repairs"),
    # major_repairs
    ("needs a new roof", "major_repairs"),
    ("needs a new rooof", "major_repairs"),
    ("roof leaks and theres mold in the bathroom", "major_repairs"),
    ("foundation issues", "major_repairs"),
    ("there was a fire, fire damage in the kitchen", "major_repairs"),
    ("water damage from a pipe that burst", "major_repairs"),
    ("its gutted", "major_repairs"),
    ("honestly its a tear down", "major_repairs"),
    ("needs everything redone", "major_repairs"),
    ("total fixer upper lol", "major_repairs"),
    ("its in bad shape", "major_repairs"),
    ("pretty rough ngl", "major_repairs"),
    ("needs alot of work", "major_repairs"),
    ("the tenants trashed it", "major_repairs"),
    ("great shape but needs a new roof", "major_repairs"),
    ("not just cosmetic, the plumbing is shot", "major_repairs"),
    ("no it needs a new roof", "major_repairs"),
    # negation
    ("I wouldn't say it's in bad shape", "minor_repairs"),
    ("no major issues", "minor_repairs"),
    ("not move in ready", "minor_repairs"),
    ("its not in great shape", "minor_repairs"),
    ("great shape, no major issues", "move_in_ready"),
]

NONE_CASES = [
    "what's the weather",
    "hi who is this",
    "we just put a new roof on in 2020",
    "its in a flood zone",
    "3 bed 2 bath",
    "450k",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_condition(message: str, expected: str) -> None:
    assert extract_condition(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_condition(message: str) -> None:
    assert extract_condition(message) is None


# How sellers really answer, and other answers that must not read as a condition.
MORE_CASES = [
    ("needs some tlc", "minor_repairs"),
    ("needs a lil TLC", "minor_repairs"),
    ("its a fixer upper tbh", "major_repairs"),
    ("fixer-upper", "major_repairs"),
    ("turnkey", "move_in_ready"),
    ("Turn key!", "move_in_ready"),
    ("gutted", "major_repairs"),
    ("house is gutted, fire damage", "major_repairs"),
    ("foundation issues", "major_repairs"),
    ("some foundation cracks", "major_repairs"),
    ("just needs paint and carpet", "minor_repairs"),
    ("remodeled kitchen last year", "move_in_ready"),
    ("needs work, the ac is shot", "major_repairs"),
    ("furnace is out and the plumbing is shot", "major_repairs"),
    ("it needs some repairs, small stuff", "minor_repairs"),
    ("needs a few repairs", "minor_repairs"),
    ("its ok, needs paint and new floors", "minor_repairs"),
    ("its fine, needs carpet", "minor_repairs"),
    ("good condition, just needs paint", "minor_repairs"),
    ("good shape tbh", "move_in_ready"),
    ("decent shape", "minor_repairs"),
    ("bad shape, water damage", "major_repairs"),
    ("tenants trashed it, needs a lot of work", "major_repairs"),
    ("needs alot of work", "major_repairs"),
    ("move-in ready, new roof 2 yrs ago", "move_in_ready"),
    ("movein ready 👍", "move_in_ready"),
    ("its dated but livable", "minor_repairs"),
    ("needs major work, foundation issues", "major_repairs"),
    ("I wouldn't say it's in bad shape, it's just old", "minor_repairs"),
    ("it's not in bad shape", "minor_repairs"),
    ("needs a roof", "major_repairs"),
    ("roof leaks 😩", "major_repairs"),
    ("needs cleaning and paint", "minor_repairs"),
    ("nothing wrong w it", "move_in_ready"),
    ("doesnt need anything", "move_in_ready"),
    # Spanish, with and without accents
    ("necesita reparaciones", "minor_repairs"),
    ("necesita algunas reparaciones menores", "minor_repairs"),
    ("necesita algo de trabajo, pintura y alfombra", "minor_repairs"),
    ("necesita pintura y pisos nuevos", "minor_repairs"),
    ("está bien, solo necesita pintura", "minor_repairs"),
    ("necesita muchas reparaciones", "major_repairs"),
    ("necesita reparaciones, el techo está muy mal", "major_repairs"),
    ("problemas de cimientos", "major_repairs"),
    ("los inquilinos la dejaron muy mal, necesita mucho trabajo", "major_repairs"),
    ("tiene goteras", "major_repairs"),
    ("daños por agua en la cocina", "major_repairs"),
    ("está en buenas condiciones", "move_in_ready"),
    ("esta en buenas condiciones", "move_in_ready"),
    ("en buen estado", "move_in_ready"),
    ("lista para vivir", "move_in_ready"),
    ("la casa está lista para vivir", "move_in_ready"),
    ("como nueva, remodelada hace 2 años", "move_in_ready"),
    ("no necesita nada", "move_in_ready"),
    ("no está en mal estado, solo vieja", "minor_repairs"),
    ("mal estado", "major_repairs"),
]
MORE_NONE = [
    "got a brand new job in Boise",
    "I'm ready to go whenever",
    "got fired last month",
    "ok",
    "sounds good",
    "the first one",
    "not bad",
    "perfect",
    "great!",
    "450k",
    "relocating for work",
    "my mom passed away",
    "está bien",
    "sí, acepto",
    "la primera",
    "350 mil",
    "me mudo por trabajo",
    "idk",
    "tbh idk",
    "who pays closing costs?",
]


@pytest.mark.parametrize(("message", "expected"), MORE_CASES)
def test_condition_more(message: str, expected: str) -> None:
    assert extract_condition(message) == expected


@pytest.mark.parametrize("message", MORE_NONE)
def test_no_condition_more(message: str) -> None:
    assert extract_condition(message) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("honestly its beat up, carpets gross, one bathroom needs redoing", "major_repairs"),
    ("pretty much perfect, we redid everything in 2021", "move_in_ready"),
    ("needs a new water heater and some paint", "minor_repairs"),
    ("run down", "major_repairs"),
])
def test_condition_held_out_phrasings(message: str, expected: str) -> None:
    assert extract_condition(message) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("decent, roof needs work", "major_repairs"),
    ("the kitchen needs to be redone", "major_repairs"),
    ("plumbing needs some work", "major_repairs"),
])
def test_a_big_system_that_needs_work_is_major(message: str, expected: str) -> None:
    assert extract_condition(message) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("good", "move_in_ready"),
    ("Great!", "move_in_ready"),
    ("pretty good", "move_in_ready"),
    ("its good", "move_in_ready"),
    ("fair", "minor_repairs"),
    ("ok", "minor_repairs"),
    ("decent", "minor_repairs"),
    ("not bad", "minor_repairs"),
    ("rough", "major_repairs"),
    ("bad", "major_repairs"),
    ("buena", "move_in_ready"),
    ("regular", "minor_repairs"),
    ("más o menos", "minor_repairs"),
    ("needs a new roof", "major_repairs"),  # the usual reading still applies
])
def test_bare_verdict_when_asked(message: str, expected: str) -> None:
    assert extract_condition(message, expecting=True) == expected


@pytest.mark.parametrize("message", ["good", "ok", "great!", "not bad", "fair", "bad"])
def test_bare_verdict_unasked_is_nothing(message: str) -> None:
    assert extract_condition(message) is None


@pytest.mark.parametrize("message", ["arreglos pequeños", "unos arreglos pequeños nada más"])
def test_small_fixes_in_spanish(message: str) -> None:
    assert extract_condition(message) == "minor_repairs"


@pytest.mark.parametrize(("message", "expected"), [
    ("move in reay", "move_in_ready"),
    ("nothing worng w it", "move_in_ready"),
    ("rugh sahpe", "major_repairs"),
    ("needs a flul remodel", "major_repairs"),
])
def test_more_slips(message: str, expected: str) -> None:
    assert extract_condition(message) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("not bad sape juts dated", "minor_repairs"),
    ("nohing wrrong w it", "move_in_ready"),
    ("faair shape", "minor_repairs"),
    ("rouh shape", "major_repairs"),
    ("roof leks", "major_repairs"),
])
def test_simulated_slips(message: str, expected: str) -> None:
    assert extract_condition(message) == expected
