"""The fields the bot reads from the seller's messages, each declared once.

A ``Field`` says how the flow reads it (``read``, given the turn being handled), whether and
when the bot asks for it (``qualifying`` fields are asked in the order of ``FIELDS``, ``stage``
is the conversation's stage while asking), the reply keys of its question and re-ask
(``seller_bot/replies.py``), how it scores (``score_label``: a "<label> known" part;
``value_part``: a part for what the value says), and the names the read side shows it under:
``counter`` (the stats counter prefix written by ``seller_bot/aggregates.py``), ``column`` (the
conversations table's header, None when not a column) and ``detail`` (the drill-down line).
docs/architecture.md, "How to add an extracted field", lists the files a new field touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from seller_bot.extract import (
    extract_address,
    extract_condition,
    extract_motivation,
    extract_offer_response,
    extract_price,
    extract_timeline_days,
    extract_urgency,
)
from seller_bot.models import Conversation, ScorePart

if TYPE_CHECKING:
    from seller_bot.scoring import BuyBox

DISTRESS_MOTIVATIONS = frozenset(
    {"divorce", "foreclosure", "financial_distress", "inheritance", "job_relocation", "medical"}
)


class Reading(Protocol):
    """What a field's reader sees of the turn being handled."""

    conv: Conversation
    text: str

    @property
    def correcting(self) -> bool: ...

    def today(self) -> date: ...


@dataclass(frozen=True)
class Field:
    name: str  # the Conversation attribute
    read: Callable[[Reading], object | None]
    detail: str
    counter: str | None = None
    column: str | None = None
    qualifying: bool = False
    stage: str | None = None
    score_label: str | None = None
    value_part: Callable[[object, BuyBox], ScorePart | None] | None = None
    # A qualifying field whose question also asks for another: once that other one is known,
    # the question is asked alone (``ask:<name>_only``).
    asked_with: str | None = None

    def question_key(self, conv: Conversation) -> str:
        """The reply key that asks for this field (``ask:<name>``), given what is known."""
        alone = self.asked_with is not None and getattr(conv, self.asked_with) is not None
        return f"ask:{self.name}_only" if alone else f"ask:{self.name}"

    @property
    def reask_key(self) -> str:
        """The reply key that asks again after an answer the bot did not understand."""
        return f"reask:{self.name}"



def score_part(name: str, points: int) -> ScorePart:
    return ScorePart(part=name, points=points)


# The parts are the same few values for every conversation: built once, shared (never
# mutated), so rescoring a message validates no model.
IN_BUY_BOX = score_part("price inside buy box", 10)
WITHIN_30 = score_part("timeline within 30 days", 20)
WITHIN_90 = score_part("timeline within 90 days", 10)
MOTIVATED = score_part("motivated seller", 10)


def _read_condition(turn: Reading) -> str | None:
    # Just asked: a one-word verdict ("good", "rough") is an answer.
    return extract_condition(turn.text, expecting=turn.conv.asking == "condition")


def _read_price(turn: Reading) -> int | None:
    """Asked: any number; unknown: a plausible bare one too; known: only a cued one.
    Around the offer and the slots a number is a counter or a choice, not a price."""
    conv = turn.conv
    around_offer = (conv.asking in ("offer_response", "appointment_at")
                    or conv.stage == "negotiating")
    if around_offer and not (turn.correcting and extract_offer_response(turn.text)
                             in (None, "declined")):
        return None  # a yes, a counter or a slot pick, not a new asking price
    asked = conv.asking == "price_expectation"
    price = extract_price(turn.text, expecting=asked,
                          bare_ok=conv.price_expectation is None or turn.correcting)
    return None if around_offer and price == conv.offer_amount else price


def _price_part(price: int, buy_box: BuyBox) -> ScorePart | None:
    return IN_BUY_BOX if buy_box.minimum <= price <= buy_box.maximum else None


def _timeline_part(days: int, buy_box: BuyBox) -> ScorePart | None:
    if days <= 30:
        return WITHIN_30
    return WITHIN_90 if days <= 90 else None


def _motivation_part(motivation: str, buy_box: BuyBox) -> ScorePart | None:
    return MOTIVATED if motivation in DISTRESS_MOTIVATIONS else None


FIELDS: tuple[Field, ...] = (
    Field("condition", _read_condition, detail="Condition", counter="condition",
          qualifying=True, stage="condition", score_label="condition"),
    Field("price_expectation", _read_price, detail="Asking price", counter="price_bin",
          column="Price", qualifying=True, stage="price", score_label="price",
          value_part=_price_part),
    Field("motivation", lambda turn: extract_motivation(turn.text), detail="Motivation",
          counter="motivation", qualifying=True, stage="motivation", score_label="motivation",
          value_part=_motivation_part, asked_with="timeline_days"),
    Field("timeline_days", lambda turn: extract_timeline_days(turn.text, turn.today()),
          detail="Timeline", counter="timeline", column="Timeline", qualifying=True,
          stage="motivation", score_label="timeline", value_part=_timeline_part),
    # Asked once the offer is accepted (seller_bot/booking.py), unless volunteered before.
    Field("address", lambda turn: extract_address(turn.text), detail="Property",
          column="Property"),
    # Never asked: read from the wording and the timeline (seller_bot/flow.py, rescore).
    Field("urgency", lambda turn: extract_urgency(turn.text, turn.conv.timeline_days),
          detail="Urgency", counter="urgency"),
)
FIELD = {f.name: f for f in FIELDS}
QUALIFYING: tuple[Field, ...] = tuple(f for f in FIELDS if f.qualifying)
