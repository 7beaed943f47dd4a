"""What one inbound message says: the fields it fills or corrects (``seller_bot/fields.py``),
the address, the seller's own question and its answer. The base of the turn in ``flow.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from seller_bot import replies
from seller_bot.extract import QUESTION_KEYS, classify_question, is_correction
from seller_bot.fields import FIELD, QUALIFYING
from seller_bot.models import Conversation, StageChange

if TYPE_CHECKING:
    from seller_bot.flow import BotRules

EMPATHY = ("death", "divorce", "illness")
UNREAD = "unread"  # a lazily read property not read yet
ADDRESS = FIELD["address"]


def has_street(address: str | None) -> bool:
    """Whether an address names a house number and street (not just a city)."""
    return bool(address) and address[0].isdigit()


def flag_for_human(conv: Conversation, reason: str) -> None:
    """Hand the conversation to a person; the first reason stays until a person clears it."""
    if not conv.needs_human:
        conv.needs_human = True
        conv.needs_human_reason = reason


def set_stage(conv: Conversation, stage: str, now: datetime) -> None:
    if conv.stage != stage:
        conv.stage = stage
        conv.stage_history.append(StageChange(stage=stage, at=now))


class ReadingTurn:
    """One inbound message being handled; mutates the conversation it was given."""

    def __init__(self, conv: Conversation, text: str, now: datetime, rules: BotRules,
                 taken_slots: Callable[[], Iterable[datetime]],
                 free_slots: Callable[[], list[datetime]] | None = None) -> None:
        self.conv = conv
        self.free_slots = free_slots  # the GoHighLevel calendar's, when one is set (#11)
        self.text = text
        self.now = now
        self.rules = rules
        self.taken_slots = taken_slots
        self.turn = sum(1 for m in conv.transcript if m.direction == "outbound")
        self.changed: list[str] = []  # fields this message filled or corrected
        self.corrected: list[str] = []
        self._question: str | None = UNREAD
        self.distress: str | None = None
        self._today: date | None = None
        self._correcting: bool | None = None

    # -- language ------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.conv.language

    def say(self, key: str, **values: object) -> str:
        return replies.text(self.lang, key, self.turn, buyer=self.rules.buyer_name, **values)

    def local_when(self, at: datetime) -> str:
        return replies.when(at.astimezone(ZoneInfo(self.rules.timezone)), self.lang)

    def set_stage(self, stage: str) -> None:
        set_stage(self.conv, stage, self.now)

    # -- facts -----------------------------------------------------------------------------
    def today(self) -> date:
        if self._today is None:
            self._today = self.now.astimezone(ZoneInfo(self.rules.timezone)).date()
        return self._today

    @property
    def question(self) -> str | None:
        """The seller's question (read when needed): a message that answered something is
        read for a question only when it has a question mark."""
        if self._question is UNREAD:
            self._question = (None if self.changed and "?" not in self.text
                              else classify_question(self.text, self.conv.language))
        return self._question

    @property
    def correcting(self) -> bool:
        """Whether the message explicitly corrects an earlier answer (read when needed)."""
        if self._correcting is None:
            self._correcting = is_correction(self.text)
        return self._correcting

    def absorb(self) -> None:
        """Every qualifying field from the message: unknown ones filled, known ones replaced
        only by an explicit correction (the transcript keeps both messages)."""
        conv = self.conv
        for f in QUALIFYING:
            current = getattr(conv, f.name)
            if current is not None and not self.correcting:
                continue
            value = f.read(self)
            if value is None or value == current:
                continue
            if current is not None:
                self.corrected.append(f.name)
            self.set_field(f.name, value)

    def set_field(self, name: str, value: object) -> None:
        setattr(self.conv, name, value)
        self.changed.append(name)
        if name in self.conv.unknown_fields:
            self.conv.unknown_fields.remove(name)

    def keep_address(self) -> None:
        """A street address replaces what is known; a city alone fills only an empty one
        (and a street given later joins the city known before)."""
        current = self.conv.address
        if has_street(current) and not any(ch.isdigit() for ch in self.text):
            return  # only a new house number can change a street address
        found = ADDRESS.read(self)
        if found is None or found == current:
            return
        if has_street(found):
            if current and not has_street(current) and "," not in found:
                found = f"{found}, {current}"
        elif current is not None:
            return
        self.set_field("address", found)

    # -- the seller's questions ----------------------------------------------------------------
    def ack(self) -> str | None:
        """How the reply opens: words for a hard time, a correction noted, thanks for an
        answer; nothing when the message gave nothing ("idk" gets no "Makes sense")."""
        if self.distress in EMPATHY:
            return self.say(f"empathy:{self.distress}")
        if self.corrected:
            return self.say("ack_correction")
        if self.changed:
            return self.say("ack")
        return None

    def answer_to(self, question: str | None) -> str | None:
        """The answer to a recognised seller question, or None."""
        if question is None or question == "unknown" or question not in QUESTION_KEYS:
            return None
        conv = self.conv
        if question == "my_address":
            return (self.say("my_address", address=conv.address) if conv.address
                    else self.say("my_address_unknown"))
        if question == "how_offer_computed" and conv.offer_amount is None:
            return self.say("offer_not_yet")
        if question == "my_appointment":
            if conv.appointment_at is None:
                return self.say("my_appointment_none")
            return self.say("my_appointment", when=self.local_when(conv.appointment_at))
        return self.rules.answers.get((self.lang, question))

    def open_question(self) -> str | None:
        """The reply to a question this message asks, when it answered nothing else; None when
        there is no such question. An unknown question is asked to rephrase once; asked
        again, a person takes over."""
        if self.question is None or self.changed:
            return None
        if self.question != "unknown":
            return None
        if self.previous_question_unknown():
            flag_for_human(self.conv, "question_not_understood")
            return self.say("question_to_human")
        return self.say("question_unclear")

    def previous_question_unknown(self) -> bool:
        inbound = [m for m in self.conv.transcript if m.direction == "inbound"]
        return (len(inbound) >= 2
                and classify_question(inbound[-2].body, self.lang) == "unknown")
