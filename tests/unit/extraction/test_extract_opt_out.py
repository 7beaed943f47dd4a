"""is_opt_out: carrier keywords and plain requests to stop, not other uses of 'stop'."""

from __future__ import annotations

import pytest

from seller_bot.extract import is_opt_out, is_wrong_number
from tests.helpers import yes_and_no

OPT_OUTS = [
    "STOP",
    "stop",
    "Stop!!",
    "stop.",
    "STOP STOP STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "please stop",
    "stop 🛑",
    "Stop. I already sold it",
    "stop texting me",
    "stop messaging me",
    "quit texting me",
    "remove me from your list",
    "pls remove my number",
    "do not contact me",
    "Don\u2019t text me again!",
    "dont call me",
    "leave me alone",
    "unsubscribe me",
    "take me off your list",
    "wrong number stop",
    "lose my number",
    # more English forms
    "pls stop txting me",
    "STOP!!!",
    "Stop. I already sold it",
    "remove me",
    "please remove me from this list",
    "do not contact me again",
    "dont ever text me again",
    "leave me the hell alone",
    "no more texts please",
    "delete my number",
    "not interested, stop",
    "this is harassment",
    "stop harassing me",
    "quit messaging me",
    "UNSUBSCRIBE",
    "opt me out",
    "fuck off",
    # Spanish
    "ALTO",
    "alto.",
    "Parar",
    "PARE",
    "para",
    "CANCELAR",
    "Basta!",
    "basta ya",
    "ya no me escriba",
    "ya no me escribas por favor",
    "Ya no me escriban",
    "no me envíe más mensajes",
    "no me envies mas mensajes",
    "no me mande más",
    "no me mandes mas textos",
    "quítame de la lista",
    "quitenme de su lista porfa",
    "sáquenme de su lista",
    "no me molesten",
    "deje de escribirme",
    "déjenme en paz",
    "quiero darme de baja",
    "no quiero mas mensajes",
    "borren mi numero",
    "ALTO por favor",
    "no me vuelva a llamar",
]

NOT_OPT_OUTS = [
    "I can't stop worrying about the house",
    "the bus stop is close",
    "don't stop, tell me more",
    "cancel the appointment",
    "can we cancel tuesday and do thursday",
    "stop by anytime",
    "end of the year",
    "it's the end unit",
    "who is this",
    "yes",
    "wrong number",  # its own exit: is_wrong_number
    "no rush",
    "don't stop by before 5",
    "can you stop by tomorrow",
    "stop sign on the corner",
    "not interested",
    "no thanks",
    "take it off the market?",
    "leave it alone for now, still deciding",
    "remove the carpet and it's fine",
    "para el verano",
    "necesita reparaciones para venderla",
    "cancelar la cita del martes",
    "no me escriba en inglés por favor",
    "el techo es alto",
    "hasta luego",
    "I'll stop paying the mortgage soon",
    "the bus stop is on my street",
    "i dont want to end up in foreclosure",
    "basement? no",
    "end of the month",
]


@pytest.mark.parametrize(("message", "expected"), yes_and_no(OPT_OUTS, NOT_OPT_OUTS))
def test_opt_out(message: str, expected: bool) -> None:
    assert is_opt_out(message) is expected


WRONG_NUMBERS = [
    "wrong number",
    "Wrong #",
    "u have the wrong person",
    "you have the wrong guy buddy",
    "wrong number, I don't own a house",
    "I dont own any property",
    "i don't own a home, i rent",
    "i just rent here",
    "this is not my house",
    "I'm not the owner",
    "no one here by that name",
    "sorry nobody by that name",
    "I no longer own that house",
    "número equivocado",
    "numero equivocado",
    "se equivocaron de persona",
    "se equivocó de número",
    "no soy dueño",
    "no soy la dueña de esa casa",
    "yo no tengo ninguna casa",
    "no es mi casa",
]
NOT_WRONG_NUMBERS = [
    "I don't own it outright, still have a mortgage",
    "is this the right number?",
    "not the wrong number, I just wasn't sure who you were",
    "my wife owns the house, not me",
    "who is this",
    "the roof is the wrong color lol",
    "STOP",
    "soy el dueño",
    "the owner is me",
    "I don't owe much on it",
]


@pytest.mark.parametrize(("message", "expected"), yes_and_no(WRONG_NUMBERS, NOT_WRONG_NUMBERS))
def test_wrong_number(message: str, expected: bool) -> None:
    assert is_wrong_number(message) is expected


@pytest.mark.parametrize(("message", "expected"), [
    ("we rent this house out to tenants", False),
    ("I rent it out", False),
    ("i rent this place, talk to the landlord", True),
    ("we just rent here", True),
    ("im just the tenant", True),
])
def test_renters_and_landlords(message: str, expected: bool) -> None:
    assert is_wrong_number(message) is expected
