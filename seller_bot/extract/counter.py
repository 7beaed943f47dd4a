"""A seller's counter to the cash offer, in dollars ("I could do 600k" -> 600,000)."""

from __future__ import annotations

from seller_bot.extract.offer_response import extract_offer_response
from seller_bot.extract.price import extract_price


def extract_counter_offer(text: str, offer_amount: int) -> int | None:
    """The amount the seller asks instead of the offer, or None (accept, decline, undecided)."""
    if extract_offer_response(text) in ("accepted", "declined"):
        return None
    amount = extract_price(text, expecting=True)
    if amount is None or amount == offer_amount:
        return None
    return amount
