"""Lead score (0-100), its explainable parts, and temperature."""

from __future__ import annotations

from dataclasses import dataclass

from seller_bot.fields import FIELDS, score_part
from seller_bot.models import Conversation, ScorePart

# A counter-offer is engagement: the seller wants to deal, at another number.
COUNTER_POINTS = 10
KNOWN_POINTS = 10
HOT_AT = 75
WARM_AT = 45
MAX_LEAD_SCORE = 100


@dataclass(frozen=True)
class BuyBox:
    minimum: int
    maximum: int


# The parts are the same few values for every conversation: built once, shared (never
# mutated), so rescoring a message validates no model.
KNOWN_PARTS = {f.name: score_part(f"{f.score_label} known", KNOWN_POINTS)
               for f in FIELDS if f.score_label is not None}
VALUED = tuple(f for f in FIELDS if f.value_part is not None)
ACCEPTED = score_part("offer accepted", 20)
DECLINED = score_part("offer declined", -10)
COUNTERED = score_part("counter-offer: still negotiating", COUNTER_POINTS)


def score_parts(conv: Conversation, buy_box: BuyBox) -> list[ScorePart]:
    """The parts that add up to the lead score, each with its points (only non-zero parts):
    each known field's, what its value says (``Field.value_part``), then the offer's."""
    parts = [part for name, part in KNOWN_PARTS.items() if getattr(conv, name) is not None]
    for f in VALUED:
        value = getattr(conv, f.name)
        if value is not None and (part := f.value_part(value, buy_box)) is not None:
            parts.append(part)
    if conv.offer_response == "accepted":
        parts.append(ACCEPTED)
    elif conv.counter_amount is not None:
        parts.append(COUNTERED)
    elif conv.offer_response == "declined":
        parts.append(DECLINED)
    return parts


def lead_score(parts: list[ScorePart]) -> int:
    return max(0, min(MAX_LEAD_SCORE, sum(part.points for part in parts)))


def temperature(score: int) -> str:
    if score >= HOT_AT:
        return "hot"
    if score >= WARM_AT:
        return "warm"
    return "cold"
