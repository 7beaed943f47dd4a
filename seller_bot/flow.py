"""The qualification flow (README, "What it does") as a pure function of state, message and time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from seller_bot import replies
from seller_bot.extract import (
    extract_address,
    extract_condition,
    extract_motivation,
    extract_offer_response,
    extract_price,
    extract_slot_choice,
    extract_timeline_days,
    extract_urgency,
    is_opt_out,
    rejects_slots,
)
from seller_bot.models import (
    Conversation,
    Message,
    ScorePart,
    StageChange,
    TemperatureChange,
)
from seller_bot.scoring import BuyBox, lead_score, score_parts, temperature
from seller_bot.slots import pick_slots

MAX_FAILED_TRIES = 2
QUALIFYING_FIELDS = ("condition", "price_expectation", "motivation", "timeline_days")
STAGE_OF_FIELD = {
    "condition": "condition",
    "price_expectation": "price",
    "motivation": "motivation",
    "timeline_days": "motivation",
    "offer_response": "offer",
    "appointment_at": "qualified",
}


@dataclass(frozen=True)
class BotRules:
    buyer_name: str
    offer_percent: float
    buy_box: BuyBox
    timezone: str
    business_hours: tuple[int, int]

    @classmethod
    def from_settings(cls, settings) -> BotRules:
        return cls(
            buyer_name=settings.buyer_name,
            offer_percent=settings.offer_percent,
            buy_box=BuyBox(settings.buy_box_min, settings.buy_box_max),
            timezone=settings.timezone,
            business_hours=(settings.business_hours_start, settings.business_hours_end),
        )

    def offer_for(self, price: int) -> int:
        """OFFER_PERCENT of the price, rounded to the nearest $1,000 (halves round up)."""
        return int(price * self.offer_percent / 100 / 1000 + 0.5) * 1000


def start_conversation(
    contact_id: str, location_id: str, now: datetime, name: str | None = None,
    phone: str | None = None, conversation_id: str | None = None,
) -> Conversation:
    return Conversation(
        contact_id=contact_id, location_id=location_id, conversation_id=conversation_id,
        name=name, phone=phone, created_at=now, last_activity_at=now,
        stage_history=[StageChange(stage="new", at=now)],
        temperature_history=[TemperatureChange(temperature="cold", at=now)],
    )


class _Turn:
    """One inbound message being handled; mutates the conversation it was given."""

    def __init__(self, conv: Conversation, text: str, now: datetime, rules: BotRules,
                 taken_slots: Callable[[], Iterable[datetime]]) -> None:
        self.conv = conv
        self.text = text
        self.now = now
        self.rules = rules
        self.taken_slots = taken_slots
        self.turn = sum(1 for m in conv.transcript if m.direction == "outbound")
        self.timeline_changed = False

    def run(self) -> str | None:
        conv = self.conv
        if conv.stage == "opted_out":
            return None
        if is_opt_out(self.text):
            self.set_stage("opted_out")
            conv.asking = None
            return replies.opted_out()
        if conv.paused:
            return None
        asking = conv.asking
        self.absorb_volunteered(skip=asking)
        if conv.address is None:
            conv.address = extract_address(self.text)
        if asking is None and conv.stage == "new":
            return self.first_reply()
        handler = {
            "offer_response": self.answer_offer,
            "appointment_at": self.answer_slot,
        }.get(asking or "", self.answer_question)
        return handler(asking)

    # -- facts -------------------------------------------------------------------------
    def extract(self, field: str, expecting: bool) -> object | None:
        text = self.text
        if field == "condition":
            return extract_condition(text)
        if field == "price_expectation":
            return extract_price(text, expecting=expecting)
        if field == "motivation":
            return extract_motivation(text)
        if field == "timeline_days":
            local_today = self.now.astimezone(ZoneInfo(self.rules.timezone)).date()
            return extract_timeline_days(text, local_today)
        raise ValueError(field)

    def set_field(self, field: str, value: object) -> None:
        setattr(self.conv, field, value)
        if field in self.conv.unknown_fields:
            self.conv.unknown_fields.remove(field)
        if field == "timeline_days":
            self.timeline_changed = True

    def absorb_volunteered(self, skip: str | None) -> None:
        """Fill still-empty fields the seller mentions before being asked."""
        for field in QUALIFYING_FIELDS:
            if field == skip or getattr(self.conv, field) is not None:
                continue
            value = self.extract(field, expecting=False)
            if value is not None:
                self.set_field(field, value)

    # -- questions ---------------------------------------------------------------------
    def first_reply(self) -> str:
        """Introduce the buyer, then ask what is missing (or make the offer right away)."""
        reply = self.next_question()
        return replies.greeting(self.conv.name, self.rules.buyer_name, reply,
                                with_thanks=self.conv.stage != "offer")

    def next_question(self) -> str:
        conv = self.conv
        conv.failed_attempts = 0
        missing = [f for f in QUALIFYING_FIELDS
                   if getattr(conv, f) is None and f not in conv.unknown_fields]
        if missing:
            field = missing[0]
            conv.asking = field
            self.set_stage(STAGE_OF_FIELD[field])
            if field == "motivation" and conv.timeline_days is not None:
                return replies.pick(replies.ASK_MOTIVATION_ONLY, self.turn)
            return replies.pick(replies.ASK[field], self.turn)
        if conv.price_expectation is None:
            conv.asking = "price_expectation"
            self.set_stage("price")
            return replies.pick(replies.PRICE_AGAIN, self.turn)
        return self.make_offer()

    def answer_question(self, field: str | None) -> str:
        if field is None:
            return self.answer_after_flow()
        value = self.extract(field, expecting=True)
        if value is not None:
            self.set_field(field, value)
            return self.next_question()
        return self.failed(field, lambda: replies.pick(replies.REASK[field], self.turn))

    def failed(self, field: str, reask) -> str:
        """Count a try that was not understood; after the last one the field stays unknown."""
        conv = self.conv
        conv.failed_attempts += 1
        if conv.failed_attempts < MAX_FAILED_TRIES:
            return reask()
        if field not in conv.unknown_fields:
            conv.unknown_fields.append(field)
        setattr(conv, field, None)
        if field in QUALIFYING_FIELDS:
            return self.next_question()
        conv.asking = None
        conv.failed_attempts = 0
        if field == "appointment_at":
            return replies.no_slots(self.rules.buyer_name)
        return replies.holding(self.rules.buyer_name)

    # -- offer and booking -------------------------------------------------------------
    def make_offer(self) -> str:
        conv = self.conv
        conv.offer_amount = self.rules.offer_for(conv.price_expectation)
        conv.offer_response = None
        conv.asking = "offer_response"
        conv.failed_attempts = 0
        self.set_stage("offer")
        return replies.offer(conv.offer_amount, self.rules.buyer_name, self.turn)

    def answer_offer(self, _field: str | None) -> str:
        conv = self.conv
        response = extract_offer_response(self.text)
        # Right after an offer a bare number is a counter in thousands ("can you do 450?").
        counter = extract_price(self.text, expecting=True)
        if response == "accepted":
            return self.accept()
        if response == "declined":
            conv.offer_response = "declined"
            conv.asking = None
            self.set_stage("declined")
            return replies.declined(self.rules.buyer_name)
        if counter is not None and counter != conv.offer_amount:
            conv.offer_response = "undecided"
            conv.failed_attempts = 0
            return replies.counter_offer(conv.offer_amount, self.rules.buyer_name)
        if response == "undecided":
            conv.offer_response = "undecided"
            conv.failed_attempts = 0
            return replies.offer_undecided(conv.offer_amount, self.rules.buyer_name, self.turn)
        return self.failed("offer_response",
                           lambda: replies.offer_reask(conv.offer_amount, self.turn))

    def accept(self) -> str:
        conv = self.conv
        conv.offer_response = "accepted"
        self.set_stage("qualified")
        return self.offer_slots(first_time=True)

    def offer_slots(self, first_time: bool) -> str:
        conv = self.conv
        start, end = self.rules.business_hours
        taken = [*self.taken_slots(), *([] if first_time else conv.slots_offered)]
        conv.slots_offered = pick_slots(self.now, self.rules.timezone, start, end, taken)
        if not conv.slots_offered:
            conv.asking = None
            return replies.no_slots(self.rules.buyer_name)
        conv.asking = "appointment_at"
        return replies.slots_offer(conv.slots_offered, self.rules.buyer_name, self.turn)

    def answer_slot(self, _field: str | None) -> str:
        conv = self.conv
        tz = ZoneInfo(self.rules.timezone)
        slots = [slot.astimezone(tz) for slot in conv.slots_offered]
        choice = extract_slot_choice(self.text, slots)
        if choice is not None and slots[choice] > self.now:
            conv.appointment_at = slots[choice]
            conv.asking = None
            conv.failed_attempts = 0
            self.set_stage("booked")
            return replies.booked(slots[choice], self.rules.buyer_name)
        if conv.failed_attempts == 0 and not any(s > self.now for s in slots):
            return self.offer_slots(first_time=False)
        if rejects_slots(self.text):
            return self.failed("appointment_at", lambda: self.offer_slots(first_time=False))
        return self.failed("appointment_at", lambda: replies.slots_reask(slots))

    def answer_after_flow(self) -> str:
        """Messages after the flow ended: a change of heart is honoured, the rest acknowledged."""
        conv = self.conv
        buyer = self.rules.buyer_name
        if conv.stage == "booked":
            return replies.after_booking(conv.appointment_at, buyer)
        if (conv.stage in ("declined", "offer") and conv.offer_amount
                and extract_offer_response(self.text) == "accepted"):
            return self.accept()
        if conv.stage == "qualified" and conv.appointment_at is None:
            return self.offer_slots(first_time=False)
        return replies.holding(buyer)

    # -- bookkeeping -------------------------------------------------------------------
    def set_stage(self, stage: str) -> None:
        if self.conv.stage != stage:
            self.conv.stage = stage
            self.conv.stage_history.append(StageChange(stage=stage, at=self.now))

    def rescore(self) -> None:
        conv = self.conv
        if self.timeline_changed or conv.urgency is None:
            conv.urgency = extract_urgency(self.text, conv.timeline_days) or conv.urgency
        parts = score_parts(conv, self.rules.buy_box)
        conv.score_parts = parts
        conv.lead_score = lead_score(parts)
        temp = temperature(conv.lead_score)
        if temp != conv.temperature:
            conv.temperature = temp
            conv.temperature_history.append(TemperatureChange(temperature=temp, at=self.now))


def handle_message(
    conv: Conversation,
    text: str,
    now: datetime,
    rules: BotRules,
    *,
    message_id: str | None = None,
    taken_slots: Callable[[], Iterable[datetime]] = tuple,
) -> str | None:
    """Record the inbound text, advance the flow, rescore; return the reply (None: stay quiet).

    ``taken_slots`` is called only when slots are offered: appointment times already booked.
    """
    conv.transcript.append(Message(direction="inbound", body=text, at=now, message_id=message_id))
    conv.last_activity_at = now
    conv.last_inbound_at = now
    turn = _Turn(conv, text, now, rules, taken_slots)
    reply = turn.run()
    turn.rescore()
    if reply is not None:
        reply = reply[: replies.MAX_REPLY_CHARS]
    return reply


def record_reply(conv: Conversation, reply: str, now: datetime, response_ms: float) -> None:
    conv.transcript.append(
        Message(direction="outbound", body=reply, at=now, response_ms=round(response_ms, 3))
    )
    conv.last_activity_at = now


__all__ = ["BotRules", "ScorePart", "handle_message", "record_reply", "start_conversation"]
