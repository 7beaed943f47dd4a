"""The fields the bot reads from the seller's messages, each declared once.

A ``Field`` says how the flow reads it (``read``, given the turn being handled), whether and
when the bot asks for it (``qualifying`` fields are asked in the order of ``FIELDS``, ``stage``
is the conversation's stage while asking), the reply keys of its question and re-ask
(``seller_bot/replies.py``), how it scores (``score_label``: a "<label> known" part;
``value_part``: a part for what the value says), and how the read side counts and shows it:
``counter`` (its stats counters, written by ``seller_bot/aggregates.py``, and its dashboard
distribution), ``column`` (the conversations table's header, None when not a column),
``detail`` (the drill-down line's label) and ``kind`` (how its value is written there).
docs/architecture.md, "How to add an extracted field", lists the files a new field touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol

from core.schema import PRICE_BINS, TIMELINE_BUCKETS, UNKNOWN_BIN, price_bin, timeline_bucket
from seller_bot.extract import (
    extract_address,
    extract_condition,
    extract_motivation,
    extract_offer_response,
    extract_price,
    extract_timeline_days,
    extract_urgency,
)
from seller_bot.models import MOTIVATIONS, Condition, Conversation, ScorePart, Urgency

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


# How a value is written in the table and the drill-down: $412,000, "~3 months", a code in
# words ("move in ready"), or the text as it is.
Kind = Literal["money", "days", "code", "text"]


@dataclass(frozen=True)
class Counted:
    """A field's stats counters: ``<family>:<bin>`` counts the conversations whose value falls
    in that bin (``unknown`` while not known). With a ``distribution`` name the dashboard shows
    the bins as ``<distribution>_distribution`` and a bar's conversations are the table segment
    ``<distribution>:<bin>``."""

    family: str
    bins: tuple[str, ...]  # every bin of a known value, in the order the dashboard shows them
    bin_of: Callable[[Any], str] = str
    distribution: str | None = None

    def bin(self, value: object | None) -> str:
        return UNKNOWN_BIN if value is None else self.bin_of(value)

    @property
    def all_bins(self) -> tuple[str, ...]:
        return (*self.bins, UNKNOWN_BIN)


@dataclass(frozen=True)
class Field:
    name: str  # the Conversation attribute
    read: Callable[[Reading], object | None]
    detail: str
    kind: Kind = "code"
    counter: Counted | None = None
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


# In the order of the drill-down's lines and the table's field columns.
FIELDS: tuple[Field, ...] = (
    # Asked once the offer is accepted (seller_bot/booking.py), unless volunteered before.
    # The table shows it with the seller's name and phone (components/conversations_table.py).
    Field("address", lambda turn: extract_address(turn.text), detail="Property", kind="text"),
    Field("condition", _read_condition, detail="Condition",
          counter=Counted("condition", Condition.__args__),
          qualifying=True, stage="condition", score_label="condition"),
    Field("price_expectation", _read_price, detail="Asking price", kind="money",
          counter=Counted("price_bin", tuple(map(str, PRICE_BINS)), price_bin,
                          distribution="price"),
          column="Price", qualifying=True, stage="price", score_label="price",
          value_part=_price_part),
    Field("motivation", lambda turn: extract_motivation(turn.text), detail="Motivation",
          counter=Counted("motivation", MOTIVATIONS, distribution="motivation"),
          qualifying=True, stage="motivation", score_label="motivation",
          value_part=_motivation_part, asked_with="timeline_days"),
    Field("timeline_days", lambda turn: extract_timeline_days(turn.text, turn.today()),
          detail="Timeline", kind="days",
          counter=Counted("timeline", tuple(label for label, _ in TIMELINE_BUCKETS),
                          timeline_bucket, distribution="timeline"),
          column="Timeline", qualifying=True, stage="motivation", score_label="timeline",
          value_part=_timeline_part),
    # Never asked: read from the wording and the timeline (seller_bot/flow.py, rescore).
    Field("urgency", lambda turn: extract_urgency(turn.text, turn.conv.timeline_days),
          detail="Urgency", counter=Counted("urgency", Urgency.__args__)),
)
FIELD = {f.name: f for f in FIELDS}
QUALIFYING: tuple[Field, ...] = tuple(f for f in FIELDS if f.qualifying)


# The read side's views of the registry, read on each call (a test may extend ``FIELDS``).
def counted() -> tuple[Field, ...]:
    """Fields with stats counters."""
    return tuple(f for f in FIELDS if f.counter is not None)


def distributed() -> tuple[Field, ...]:
    """Fields with a dashboard distribution (and table segments per bin)."""
    return tuple(f for f in FIELDS if f.counter is not None and f.counter.distribution)


def columns() -> tuple[Field, ...]:
    """Fields with a column in the conversations table."""
    return tuple(f for f in FIELDS if f.column is not None)
