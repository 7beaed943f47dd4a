"""Text extraction for the seller bot: pure functions from one SMS to one field.

Each field has its own module with its rules and constants documented at the top. All
functions are pure (no I/O, no clock, no randomness) and return None when the message does
not say, so the flow never invents a value.
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
