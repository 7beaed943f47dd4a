"""Text extraction for the seller bot: pure functions from one SMS to one field.

Each field has its own module with its rules and constants documented at the top. All
functions are pure (no I/O, no clock, no randomness) and return None when the message does
not say, so the flow never invents a value. English and Spanish are read alike (accents
folded, Spanish number words and phrases understood), and one-slip typos of domain words are
repaired first (typos.py).

The flow reads every field from every message, so each extractor is written for precision
as much as recall: a timeline is not a price, a ZIP or a year is not a price, a past event is
not a target date, an address number is not an amount. What each one reads:

- detect_language -> "en" | "es" | None (None: keep the conversation's language)
- is_opt_out / is_wrong_number -> bool (two different exits; a message can be both)
- is_correction -> bool (the message replaces an earlier answer)
- classify_question -> a QUESTION_KEYS key, "unknown", or None (not a question to the bot)
- extract_counter_offer(text, offer_amount) -> dollars asked instead of the offer, or None
- distress_kind -> "death" | "illness" | "divorce" | "angry" | None
- extract_address -> "1234 W Elm St, Fontana, CA 92335", "Fontana, CA", or None
- extract_price(text, expecting=False, *, bare_ok=False) -> dollars; bare_ok reads a bare
  plausible number ("290", "440-ish") when nothing else in the message claims it
- extract_condition(text, *, expecting=False): expecting=True (just asked) also reads a bare
  verdict ("good", "fair", "rough")
- extract_slot_choice(text, slots, *, today=None): with the seller's local date, "today" and
  "tomorrow" are read (without it a day word picks nothing)
- extract_motivation / extract_timeline_days(text, today) / extract_offer_response /
  extract_urgency
"""

from seller_bot.extract.address import extract_address
from seller_bot.extract.condition import extract_condition
from seller_bot.extract.correction import is_correction
from seller_bot.extract.counter import extract_counter_offer
from seller_bot.extract.distress import distress_kind
from seller_bot.extract.language import detect_language
from seller_bot.extract.motivation import extract_motivation
from seller_bot.extract.offer_response import extract_offer_response
from seller_bot.extract.opt_out import is_opt_out, is_wrong_number
from seller_bot.extract.price import extract_price
from seller_bot.extract.questions import QUESTION_KEYS, classify_question
from seller_bot.extract.slot_choice import extract_slot_choice, rejects_slots
from seller_bot.extract.timeline import extract_timeline_days
from seller_bot.extract.urgency import extract_urgency

__all__ = [
    "QUESTION_KEYS",
    "classify_question",
    "detect_language",
    "distress_kind",
    "extract_address",
    "extract_condition",
    "extract_counter_offer",
    "extract_motivation",
    "extract_offer_response",
    "extract_price",
    "extract_slot_choice",
    "extract_timeline_days",
    "extract_urgency",
    "is_correction",
    "is_opt_out",
    "is_wrong_number",
    "rejects_slots",
]
