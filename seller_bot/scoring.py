"""Lead score (0-100), its explainable parts, and temperature."""

from __future__ import annotations

from dataclasses import dataclass

from seller_bot.models import Conversation, ScorePart

DISTRESS_MOTIVATIONS = frozenset(
    {"divorce", "foreclosure", "financial_distress", "inheritance", "job_relocation", "medical"}
)
HOT_AT = 75
WARM_AT = 45


@dataclass(frozen=True)
class BuyBox:
    minimum: int
    maximum: int


def score_parts(conv: Conversation, buy_box: BuyBox) -> list[ScorePart]:
    """The parts that add up to the lead score, each with its points (only non-zero parts)."""
    parts: list[ScorePart] = []
    known = {
        "condition known": conv.condition is not None,
        "price known": conv.price_expectation is not None,
        "motivation known": conv.motivation is not None,
        "timeline known": conv.timeline_days is not None,
    }
    parts += [ScorePart(part=name, points=10) for name, is_known in known.items() if is_known]
    price = conv.price_expectation
    if price is not None and buy_box.minimum <= price <= buy_box.maximum:
        parts.append(ScorePart(part="price inside buy box", points=10))
    days = conv.timeline_days
    if days is not None and days <= 30:
        parts.append(ScorePart(part="timeline within 30 days", points=20))
    elif days is not None and days <= 90:
        parts.append(ScorePart(part="timeline within 90 days", points=10))
    if conv.motivation in DISTRESS_MOTIVATIONS:
        parts.append(ScorePart(part="motivated seller", points=10))
    if conv.offer_response == "accepted":
        parts.append(ScorePart(part="offer accepted", points=20))
    elif conv.offer_response == "declined":
        parts.append(ScorePart(part="offer declined", points=-10))
    return parts


def lead_score(parts: list[ScorePart]) -> int:
    return max(0, min(100, sum(part.points for part in parts)))


def temperature(score: int) -> str:
    if score >= HOT_AT:
        return "hot"
    if score >= WARM_AT:
        return "warm"
    return "cold"
