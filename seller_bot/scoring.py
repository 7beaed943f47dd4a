"""Lead score (0-100), its explainable parts, and temperature."""

from __future__ import annotations

from dataclasses import dataclass

from seller_bot.models import Conversation, ScorePart

DISTRESS_MOTIVATIONS = frozenset(
    {"divorce", "foreclosure", "financial_distress", "inheritance", "job_relocation", "medical"}
)
# A counter-offer is engagement: the seller wants to deal, at another number.
COUNTER_POINTS = 10
HOT_AT = 75
WARM_AT = 45


@dataclass(frozen=True)
class BuyBox:
    minimum: int
    maximum: int


def _part(name: str, points: int) -> ScorePart:
    return ScorePart(part=name, points=points)


# The parts are the same few values for every conversation: built once, shared (never
# mutated), so rescoring a message validates no model.
KNOWN_PARTS = {name: _part(f"{label} known", 10) for name, label in (
    ("condition", "condition"), ("price_expectation", "price"), ("motivation", "motivation"),
    ("timeline_days", "timeline"))}
IN_BUY_BOX = _part("price inside buy box", 10)
WITHIN_30 = _part("timeline within 30 days", 20)
WITHIN_90 = _part("timeline within 90 days", 10)
MOTIVATED = _part("motivated seller", 10)
ACCEPTED = _part("offer accepted", 20)
DECLINED = _part("offer declined", -10)
COUNTERED = _part("counter-offer: still negotiating", COUNTER_POINTS)


def score_parts(conv: Conversation, buy_box: BuyBox) -> list[ScorePart]:
    """The parts that add up to the lead score, each with its points (only non-zero parts)."""
    parts = [part for name, part in KNOWN_PARTS.items() if getattr(conv, name) is not None]
    price = conv.price_expectation
    if price is not None and buy_box.minimum <= price <= buy_box.maximum:
        parts.append(IN_BUY_BOX)
    days = conv.timeline_days
    if days is not None and days <= 30:
        parts.append(WITHIN_30)
    elif days is not None and days <= 90:
        parts.append(WITHIN_90)
    if conv.motivation in DISTRESS_MOTIVATIONS:
        parts.append(MOTIVATED)
    if conv.offer_response == "accepted":
        parts.append(ACCEPTED)
    elif conv.counter_amount is not None:
        parts.append(COUNTERED)
    elif conv.offer_response == "declined":
        parts.append(DECLINED)
    return parts


def lead_score(parts: list[ScorePart]) -> int:
    return max(0, min(100, sum(part.points for part in parts)))


def temperature(score: int) -> str:
    if score >= HOT_AT:
        return "hot"
    if score >= WARM_AT:
        return "warm"
    return "cold"
