"""Every field is read from every message: an answer to one question must leave the others empty.

Each row is a message as a seller would send it in answer to one question, and the only fields
it may fill. Everything else (condition, price with bare_ok, motivation, timeline, address,
question, distress, correction, opt-out, wrong number, language aside) must stay None/False.
"""

from __future__ import annotations

from datetime import date

import pytest

from seller_bot.extract import (
    classify_question,
    distress_kind,
    extract_address,
    extract_condition,
    extract_motivation,
    extract_price,
    extract_timeline_days,
    is_correction,
    is_opt_out,
    is_wrong_number,
)

TODAY = date(2026, 12, 1)
READERS = {
    "condition": extract_condition,
    "price": lambda text: extract_price(text, bare_ok=True),
    "motivation": extract_motivation,
    "timeline": lambda text: extract_timeline_days(text, TODAY),
    "address": extract_address,
    "question": classify_question,
    "distress": distress_kind,
    "correction": is_correction,
    "opt_out": is_opt_out,
    "wrong_number": is_wrong_number,
}

ANSWERS = [
    # condition answers
    ("needs a new roof", {"condition"}),
    ("3 bed 2 bath, needs paint", {"condition"}),
    ("built in 1985, move in ready", {"condition"}),
    ("its in good shape, 1800 sq ft", {"condition"}),
    ("está en buenas condiciones", {"condition"}),
    # price answers
    ("prob about 290", {"price"}),
    ("440-ish", {"price"}),
    ("350 mil", {"price"}),
    ("hoping for 525k", {"price"}),
    ("mid 300s", {"price"}),
    # motivation answers
    ("relocating for work", {"motivation"}),
    ("divorce", {"motivation", "distress"}),
    ("inherited it from my grandma", {"motivation"}),
    ("me mudo por trabajo", {"motivation"}),
    ("tired of being a landlord", {"motivation"}),
    # timeline answers
    ("30 days", {"timeline"}),
    ("6 weeks", {"timeline"}),
    ("no rush, sometime next year", {"timeline"}),
    ("by summer", {"timeline"}),
    ("lo antes posible", {"timeline"}),
    # addresses
    ("1234 W Elm St, Fontana, CA 92335", {"address"}),
    ("its in Hemet", {"address"}),
    # slots, offers, small talk
    ("the first one", set()),
    ("tuesday at 10", set()),
    ("option 2", set()),
    ("yes", set()),
    ("sounds good", set()),
    ("no thanks", set()),
    ("ok", set()),
    ("thanks!", set()),
    ("👍", set()),
    ("la primera", set()),
    ("sí, acepto", set()),
    ("trato hecho", set()),
    ("call me at 909-555-0148", set()),
    ("my zip is 92335", set()),
    ("I'm 72", set()),
    # questions
    ("who is this?", {"question"}),
    ("is it all cash?", {"question"}),
    ("how fast can you close?", {"question"}),
]


@pytest.mark.parametrize(("message", "fields"), ANSWERS)
def test_an_answer_fills_only_its_fields(message: str, fields: set[str]) -> None:
    filled = {name for name, read in READERS.items() if read(message) not in (None, False)}
    assert filled == fields
