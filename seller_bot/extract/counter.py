"""A seller's counter to the cash offer, in dollars ("I could do 600k" -> 600,000).

Rules:
- Any amount the seller asks instead of the offer is a counter, whatever words surround it:
  "I could do 600k", "how about 575?", "meet me at 590", "if you can do 620 we have a
  deal", "375 and it's yours", "too low, I need at least 500", "lo menos 550 mil", "si me
  da 260 mil tenemos trato". A deal phrase around a different amount is a condition, not
  an acceptance.
- Bare thousands count ("575" -> 575,000, "1.2M" -> 1,200,000), so do debt-plus-equity
  amounts ("I owe 300, need 50 on top" -> 350,000).
- Not counters: the offer itself repeated ("338 is too low", "yes 338k works"), amounts
  owed or quoted by others ("zillow says 500", "my neighbor sold for 600", "I owe 200"),
  and amounts out of proportion to the offer (under COUNTER_RANGE[0] or over
  COUNTER_RANGE[1] times it: "2" is a slot, "5 million" a joke).
- None for acceptance, decline or hesitation without an amount ("deal", "no thanks", "let
  me think", "can you do better?").
- Several amounts: the first one led by a price word ("how about", "need", "lo menos")
  wins, else the last one.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import preceding
from seller_bot.extract.price import _candidates, _debt_plus_equity, _prepare, _tokens

COUNTER_RANGE = (0.5, 3.0)  # a counter between half and three times the offer
SAME_AS_OFFER = 0.005  # within 0.5% of the offer is the offer itself ("338" for $338,000)

# Amounts that are someone else's number, not the seller's ask.
_QUOTED_RE = re.compile(
    r"\b(?:zillow|redfin|realtor|agent|appraisal|appraised|apprais\w*|comps?|worth|"
    r"neighbou?rs?|sold for|listed for|valued|value|estimate\w*|vale)\b[^\d$]{0,25}$"
)


def extract_counter_offer(text: str, offer_amount: int) -> int | None:
    """The amount the seller asks instead of the offer, or None (accept, decline, undecided)."""
    prepared = _prepare(text)
    if not prepared:
        return None
    owed_plus_net = _debt_plus_equity(prepared)
    if owed_plus_net is not None:
        return owed_plus_net if _plausible(owed_plus_net, offer_amount) else None
    quoted = [tok for tok in _tokens(prepared)
              if _QUOTED_RE.search(preceding(prepared, tok.start, 40))]
    for tok in quoted:
        prepared = prepared[:tok.start] + " " * (tok.end - tok.start) + prepared[tok.end:]
    found = [(dollars, cued) for dollars, cued in _candidates(prepared, expecting=True)
             if _plausible(dollars, offer_amount)]
    cued = [dollars for dollars, is_cued in found if is_cued]
    if cued:
        return cued[0]
    return found[-1][0] if found else None


def _plausible(amount: int, offer_amount: int) -> bool:
    """A different amount in proportion to the offer."""
    if offer_amount <= 0:
        return False
    if abs(amount - offer_amount) <= offer_amount * SAME_AS_OFFER:
        return False
    return COUNTER_RANGE[0] * offer_amount <= amount <= COUNTER_RANGE[1] * offer_amount
