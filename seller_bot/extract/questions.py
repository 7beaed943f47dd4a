"""Questions a seller asks the bot, as a key the flow answers from settings.

Keys: who_is_this, how_got_number, cash_or_financing, closing_costs, how_fast_close,
how_offer_computed, are_you_agent, my_address, my_appointment, unknown (a question the bot
cannot answer). None when the message is not a question to the bot.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import normalize

QUESTION_KEYS = (
    "who_is_this", "how_got_number", "cash_or_financing", "closing_costs", "how_fast_close",
    "how_offer_computed", "are_you_agent", "my_address", "my_appointment",
)

_PATTERNS: dict[str, re.Pattern[str]] = {
    "how_got_number": re.compile(r"\b(?:how did you get|where did you get|como consiguio|"
                                 r"como obtuvo|de donde saco)\b"),
    "who_is_this": re.compile(r"\b(?:who is this|who'?s this|who are you|quien es|quien eres|"
                              r"quien habla)\b"),
    "are_you_agent": re.compile(r"\b(?:are you (?:an? )?(?:agent|realtor|broker)|"
                                r"eres agente|es usted agente)\b"),
    "cash_or_financing": re.compile(r"\b(?:all cash|cash or|in cash|financing|es en efectivo|"
                                    r"efectivo)\b"),
    "closing_costs": re.compile(r"\b(?:closing costs?|fees|commission|costos de cierre|"
                                r"comision)\b"),
    "how_fast_close": re.compile(r"\b(?:how (?:fast|quick|soon) (?:can|could|do|would) you "
                                 r"close|que tan rapido)\b"),
    "how_offer_computed": re.compile(r"\b(?:how did you (?:get|come up with|calculate)|"
                                     r"why so low|how much would you pay|como calcul)\b"),
    "my_address": re.compile(r"\b(?:what(?:'s| is) the address|which address|que direccion)\b"),
    "my_appointment": re.compile(r"\b(?:when is my appointment|what time is (?:my|the) "
                                 r"appointment|cuando es mi cita)\b"),
}
_QUESTION_RE = re.compile(r"\?|^(?:who|what|when|where|why|how|is|are|do|does|can|could|"
                          r"quien|que|cuando|donde|por que|como)\b")


def classify_question(text: str, language: str = "en") -> str | None:
    """The question's key, 'unknown' for a question the bot cannot answer, None otherwise."""
    clean = normalize(text)
    for key, pattern in _PATTERNS.items():
        if pattern.search(clean):
            return key
    if "?" in clean and not re.search(r"\d", clean):
        return "unknown"
    return None
