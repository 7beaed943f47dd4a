"""extract_offer_response: accepted / declined / undecided, with negation and mixed signals."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_offer_response

CASES = [
    # accepted
    ("yes", "accepted"),
    ("Yeah", "accepted"),
    ("yep", "accepted"),
    ("ok", "accepted"),
    ("okay 👍", "accepted"),
    ("sure", "accepted"),
    ("deal", "accepted"),
    ("sounds good", "accepted"),
    ("lets do it", "accepted"),
    ("I accept", "accepted"),
    ("works for me", "accepted"),
    ("👍", "accepted"),
    ("k", "accepted"),
    ("no problem, let's do it", "accepted"),
    ("hell yeah send the paperwork", "accepted"),
    ("yes!!!! when can we close", "accepted"),
    ("im good with that", "accepted"),
    ("I'll take it", "accepted"),
    ("y", "accepted"),
    ("sure why not", "accepted"),
    # declined
    ("no", "declined"),
    ("nope", "declined"),
    ("no deal", "declined"),
    ("too low", "declined"),
    ("thats way too low lol", "declined"),
    ("not interested", "declined"),
    ("pass", "declined"),
    ("no thanks", "declined"),
    ("that's insulting", "declined"),
    ("I'll list with a realtor", "declined"),
    ("nah ill keep it", "declined"),
    ("yeah no", "declined"),
    ("i dont think so", "declined"),
    ("not good enough", "declined"),
    ("👎", "declined"),
    ("not right now", "declined"),
    ("no thats too low", "declined"),
    # undecided
    ("not sure", "undecided"),
    ("maybe", "undecided"),
    ("let me think", "undecided"),
    ("need to talk to my wife", "undecided"),
    ("can you do better?", "undecided"),
    ("idk", "undecided"),
    ("could you go any higher", "undecided"),
    ("how about 420", "undecided"),
    ("yes but too low", "undecided"),  # mixed signals
    ("sounds good but my husband has to sign off", "undecided"),
    ("ok let me sleep on it", "undecided"),
    ("not bad", "undecided"),  # praise, not a commitment
    ("a little low", "undecided"),
    ("🤔", "undecided"),
    ("ok thanks", "undecided"),  # an acknowledgement, not a yes
    ("Let me talk to my husband and get back to you", "undecided"),
    ("Is that the best you can do", "undecided"),
]

NONE_CASES = [
    "what's the weather",
    "who is this?",
    "what's the deal with closing costs",
    "thanks",
    "the house has 3 bedrooms",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_offer_response(message: str, expected: str) -> None:
    assert extract_offer_response(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_not_an_answer(message: str) -> None:
    assert extract_offer_response(message) is None


MORE_CASES = [
    ("not sure", "undecided"),
    ("idk tbh", "undecided"),
    ("no deal", "declined"),
    ("pass", "declined"),
    ("too low for me, pass", "declined"),
    ("sounds good", "accepted"),
    ("let's do it", "accepted"),
    ("deal", "accepted"),
    ("deal!", "accepted"),
    ("ok", "accepted"),
    ("ok deal", "accepted"),
    ("thats fair ok", "accepted"),
    # a deal on a condition is a counter
    ("if you can do 620 we have a deal", "undecided"),
    ("meet me at 700 and we have a deal", "undecided"),
    ("meh too low, 375 and its yours", "undecided"),
    ("bump it to 480 and its a deal", "undecided"),
    ("how about 575?", "undecided"),
    # Spanish
    ("sí", "accepted"),
    ("si", "accepted"),
    ("sí, acepto", "accepted"),
    ("acepto", "accepted"),
    ("trato hecho", "accepted"),
    ("de acuerdo", "accepted"),
    ("ok está bien", "accepted"),
    ("me parece bien", "accepted"),
    ("dale", "accepted"),
    ("no gracias", "declined"),
    ("no, gracias, es muy poco", "declined"),
    ("muy poco, no", "declined"),
    ("no me interesa", "declined"),
    ("mejor no", "declined"),
    ("déjame pensarlo", "undecided"),
    ("dejeme pensarlo", "undecided"),
    ("lo voy a pensar", "undecided"),
    ("no sé, déjeme hablar con mi esposo", "undecided"),
    ("tal vez", "undecided"),
    ("tengo que hablar con mi familia", "undecided"),
    ("le aviso mañana", "undecided"),
    ("lo menos 550 mil", "undecided"),
    ("si me da 260 mil tenemos trato", "undecided"),
]
MORE_NONE = [
    "how long does the sale take?",
    "who is this?",
    "hola",
    "la primera",
]


@pytest.mark.parametrize(("message", "expected"), MORE_CASES)
def test_offer_response_more(message: str, expected: str) -> None:
    assert extract_offer_response(message) == expected


@pytest.mark.parametrize("message", MORE_NONE)
def test_no_offer_response_more(message: str) -> None:
    assert extract_offer_response(message) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("hmm that's pretty low. we'll pass", "declined"),
    ("a bit low, no thanks", "declined"),
    ("hmm not interested", "declined"),
    ("no thanks, let me think about what to do", "undecided"),
    ("I'll pass it by my wife", "undecided"),
    ("maybe, but no deal for now", "undecided"),
])
def test_firm_refusal_outweighs_fillers(message: str, expected: str) -> None:
    assert extract_offer_response(message) == expected
