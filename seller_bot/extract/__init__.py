"""Text extraction for the seller bot: pure functions from one SMS to one field.

Each field has its own module with its rules and constants documented at the top. All
functions are pure (no I/O, no clock, no randomness) and return None when the message does
not say, so the flow never invents a value.
"""

from seller_bot.extract.address import extract_address
from seller_bot.extract.condition import extract_condition
from seller_bot.extract.motivation import extract_motivation
from seller_bot.extract.offer_response import extract_offer_response
from seller_bot.extract.opt_out import is_opt_out
from seller_bot.extract.price import extract_price
from seller_bot.extract.slot_choice import extract_slot_choice, rejects_slots
from seller_bot.extract.timeline import extract_timeline_days
from seller_bot.extract.urgency import extract_urgency

__all__ = [
    "extract_address",
    "extract_condition",
    "extract_motivation",
    "extract_offer_response",
    "extract_price",
    "extract_slot_choice",
    "extract_timeline_days",
    "extract_urgency",
    "is_opt_out",
    "rejects_slots",
]
