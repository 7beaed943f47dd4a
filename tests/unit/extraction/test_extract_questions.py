"""classify_question: what a seller asks the bot, and messages that only look like questions."""

from __future__ import annotations

import pytest

from seller_bot.extract import QUESTION_KEYS, classify_question

CASES = [
    # who is this
    ("who is this?", "who_is_this"),
    ("Who is this", "who_is_this"),
    ("whos this", "who_is_this"),
    ("who dis", "who_is_this"),
    ("who r u??", "who_is_this"),
    ("what company is this?", "who_is_this"),
    ("is this a bot", "who_is_this"),
    ("are you a real person?", "who_is_this"),
    ("hey is this jorge", "who_is_this"),
    ("¿quién es?", "who_is_this"),
    ("quien habla", "who_is_this"),
    ("con quién hablo?", "who_is_this"),
    # how did you get my number
    ("how did you get my number??", "how_got_number"),
    ("where'd you get my info", "how_got_number"),
    ("who gave you my number", "how_got_number"),
    ("why are you texting me", "how_got_number"),
    ("how do you know my house", "how_got_number"),
    ("¿cómo consiguió mi número?", "how_got_number"),
    ("de donde saco mi numero", "how_got_number"),
    # cash
    ("is it all cash?", "cash_or_financing"),
    ("got your text. is it all cash?", "cash_or_financing"),
    ("cash or financing?", "cash_or_financing"),
    ("do you pay cash", "cash_or_financing"),
    ("do you need a loan to buy it", "cash_or_financing"),
    ("can you show proof of funds", "cash_or_financing"),
    ("¿es en efectivo?", "cash_or_financing"),
    ("pagan de contado?", "cash_or_financing"),
    # closing costs
    ("who pays closing costs?", "closing_costs"),
    ("any fees?", "closing_costs"),
    ("do I pay commission", "closing_costs"),
    ("what does it cost me", "closing_costs"),
    ("¿quién paga los costos de cierre?", "closing_costs"),
    ("cobran comisión?", "closing_costs"),
    # how fast
    ("how fast can you close?", "how_fast_close"),
    ("how quickly could you close", "how_fast_close"),
    ("how long does it take", "how_fast_close"),
    ("when can you close", "how_fast_close"),
    ("can you close in 2 weeks?", "how_fast_close"),
    ("¿qué tan rápido pueden cerrar?", "how_fast_close"),
    ("cuánto tiempo tarda?", "how_fast_close"),
    # how the offer was computed
    ("how did you come up with that number?", "how_offer_computed"),
    ("why so low?", "how_offer_computed"),
    ("why only 338k??", "how_offer_computed"),
    ("how much would you pay?", "how_offer_computed"),
    ("what would you offer", "how_offer_computed"),
    ("whats your offer", "how_offer_computed"),
    ("what's my house worth", "how_offer_computed"),
    ("¿cómo calcularon la oferta?", "how_offer_computed"),
    ("por que tan poco?", "how_offer_computed"),
    ("cuanto me ofrecen?", "how_offer_computed"),
    # agent
    ("are you an agent?", "are_you_agent"),
    ("r u a realtor", "are_you_agent"),
    ("is this a wholesaler?", "are_you_agent"),
    ("are you the buyer?", "are_you_agent"),
    ("¿es usted agente?", "are_you_agent"),
    # address / appointment
    ("what address do you have for me?", "my_address"),
    ("what's the address you have for me?", "my_address"),
    ("which house?", "my_address"),
    ("¿qué dirección tiene?", "my_address"),
    ("when is my appointment?", "my_appointment"),
    ("what time is jorge coming?", "my_appointment"),
    ("is my appointment still on?", "my_appointment"),
    ("¿a qué hora es mi cita?", "my_appointment"),
    # questions the bot cannot answer
    ("do you guys buy mobile homes too?", "unknown"),
    ("can I stay a month after closing?", "unknown"),
    ("do you buy land", "unknown"),
    ("¿compran terrenos?", "unknown"),
]
NOT_QUESTIONS = [
    "290?",
    "idk 390?",
    "440-ish",
    "is 450 ok?",
    "can you do 500?",
    "how about 575?",
    "would you take 600k?",
    "the first one?",
    "tomorrow?",
    "needs a new roof",
    "sounds good",
    "ok",
    "hello?",
    "you there?",
    "huh?",
    "ok?",
    "no thanks",
    "I could do 600k",
    "let me think about it",
    "stop texting me",
    "sí, acepto",
    "la primera",
    "",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_question(message: str, expected: str) -> None:
    assert classify_question(message) == expected
    assert expected == "unknown" or expected in QUESTION_KEYS


@pytest.mark.parametrize("message", NOT_QUESTIONS)
def test_not_a_question(message: str) -> None:
    assert classify_question(message) is None


def test_language_argument_is_accepted() -> None:
    assert classify_question("¿quién es?", language="es") == "who_is_this"


@pytest.mark.parametrize("message", [
    "when I find a new place",
    "es una casa jaja",
    "es vieja",
    "es complicado",
    "how I see it, its worth 500",
    "who knows lol",
])
def test_statements_are_not_questions(message: str) -> None:
    assert classify_question(message) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("do you buy land", "unknown"),
    ("can you just call me", "unknown"),
    ("is it all cash", "cash_or_financing"),
    ("why do you need to know that", "unknown"),
    ("how does this work exactly", "unknown"),
])
def test_questions_without_a_question_mark(message: str, expected: str) -> None:
    assert classify_question(message) == expected


@pytest.mark.parametrize("message", ["why?", "why", "why tho", "how come?", "¿por qué?",
                                     "por que?", "why that number?"])
def test_a_bare_why_asks_how_the_offer_is_made(message: str) -> None:
    assert classify_question(message) == "how_offer_computed"
