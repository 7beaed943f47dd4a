"""The qualification flow (README "What it does", docs/seller-flow.md) as a pure function of
state, message and time.

Every turn reads every field from the message, whatever was asked: a volunteered answer is
kept, an explicit correction replaces the earlier value, and a message that answers another
question moves the flow on instead of counting as a failed try. Questions the seller asks are
answered from the settings, then the pending question is asked again. Some messages hand the
conversation to a person (``needs_human``); while flagged, the bot only answers briefly.

The address is asked right after the seller accepts the offer (docs/seller-flow.md says why),
unless it was volunteered already; the booking confirmation repeats it.

The turn is built up by concern: ``reading.py`` (what the message says, the seller's own
questions), ``booking.py`` (offer, address, slots), ``asking.py`` (the qualifying questions, in
the order of ``fields.py``); ``_Turn`` here picks the handler for what the bot is waiting on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from seller_bot import replies
from seller_bot.asking import AskingTurn
from seller_bot.calendar import still_free
from seller_bot.extract import (
    detect_language,
    distress_kind,
    extract_counter_offer,
    extract_offer_response,
    extract_slot_choice,
    is_opt_out,
    is_wrong_number,
    rejects_slots,
)
from seller_bot.fields import FIELD, QUALIFYING
from seller_bot.models import (
    SILENT_STAGES,
    Conversation,
    Message,
    ScorePart,
    StageChange,
    TemperatureChange,
)
from seller_bot.reading import EMPATHY, flag_for_human, has_street, set_stage
from seller_bot.scoring import BuyBox, lead_score, score_parts, temperature
from seller_bot.slots import DAYS_AHEAD, SLOT_LENGTH

# Questions answered from settings (the rest depend on the conversation).
SETTINGS_ANSWERS = ("who_is_this", "how_got_number", "cash_or_financing", "closing_costs",
                    "how_fast_close", "how_offer_computed", "are_you_agent")
GRIEF = ("death", "illness")  # the seller is told there is no rush and a person follows up
SETTLED_AFTER = 3  # inbound messages after which plain ASCII text keeps the language
URGENCY = FIELD["urgency"]
# Letters of scripts other than Latin (Latin ends at U+024F) and Vietnamese's extra vowels
# (U+1EA0-U+1EFF): a message mostly in them is in a language the bot does not speak.
LATIN_END = 0x024F
VIETNAMESE = range(0x1EA0, 0x1F00)
VIETNAMESE_LETTERS = frozenset("ăđơưĂĐƠƯ")


@dataclass(frozen=True)
class BotRules:
    buyer_name: str
    offer_percent: float
    buy_box: BuyBox
    timezone: str
    business_hours: tuple[int, int]
    days_ahead: int = DAYS_AHEAD
    # (language, question key) -> answer text, buyer and percent filled in.
    answers: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings) -> BotRules:
        values = {"buyer": settings.buyer_name, "percent": f"{settings.offer_percent:g}"}
        answers = {}
        for key in SETTINGS_ANSWERS:
            answers["en", key] = getattr(settings, f"answer_{key}").format(**values)
            answers["es", key] = getattr(settings, f"answer_{key}_es").format(**values)
        return cls(
            buyer_name=settings.buyer_name,
            offer_percent=settings.offer_percent,
            buy_box=BuyBox(settings.buy_box_min, settings.buy_box_max),
            timezone=settings.timezone,
            business_hours=(settings.business_hours_start, settings.business_hours_end),
            days_ahead=settings.appointment_days_ahead,
            answers=answers,
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


def unsupported_language(text: str) -> bool:
    """Mostly letters of a script the bot does not write (Chinese, Vietnamese, Arabic...)."""
    if text.isascii():
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return False
    if sum(1 for ch in letters if ord(ch) in VIETNAMESE or ch in VIETNAMESE_LETTERS) >= 2:
        return True
    foreign = sum(1 for ch in letters if ord(ch) > LATIN_END)
    return foreign * 2 >= len(letters)


def appointment_passed(conv: Conversation, now: datetime) -> bool:
    """Booked, the appointment is over, and nobody recorded how it went."""
    return (conv.stage == "booked" and conv.appointment_at is not None
            and conv.appointment_outcome is None and conv.appointment_at + SLOT_LENGTH <= now)


class _Turn(AskingTurn):
    """One inbound message being handled: what it says decides which handler replies."""

    # -- the turn ------------------------------------------------------------------------
    def run(self) -> str | None:
        conv, text = self.conv, self.text
        if conv.stage in SILENT_STAGES:
            return None
        foreign = unsupported_language(text)
        language = None if foreign or self.language_settled() else detect_language(text)
        if language is not None and language != conv.language:
            conv.language = language
        if self.knows_nothing() and is_wrong_number(text):
            return self.exit("wrong_number")
        if is_opt_out(text):
            return self.exit("opted_out")
        if conv.paused:
            return None
        self.absorb()
        self.keep_address()
        self.distress = distress_kind(text)
        if foreign:
            flag_for_human(conv, "language_not_supported")
            return self.say("unsupported_language")
        if self.distress == "angry":
            flag_for_human(conv, "angry")
            return self.say("angry")
        if appointment_passed(conv, self.now):
            flag_for_human(conv, "appointment_passed")
        if conv.needs_human:
            return self.brief()
        if conv.asking is None and conv.stage == "new":
            return self.first_reply()
        handler = {
            "offer_response": self.answer_offer,
            "appointment_at": self.answer_slot,
            "address": self.answer_address,
            None: self.answer_after_flow,
        }.get(conv.asking, self.answer_field)
        return handler()

    def language_settled(self) -> bool:
        """After a few messages the conversation's language is known; only text with
        accents or inverted marks is read for it again."""
        inbound = len(self.conv.transcript) - self.turn
        return inbound > SETTLED_AFTER and self.text.isascii()

    def knows_nothing(self) -> bool:
        """No fact about the house yet: a seller who answered is not a wrong number."""
        conv = self.conv
        return conv.offer_amount is None and all(
            getattr(conv, f.name) is None for f in QUALIFYING)

    def exit(self, stage: str) -> str:
        """Opt-out or wrong number: one last polite line, then never a text again."""
        self.set_stage(stage)
        self.conv.asking = None
        return self.say(stage)

    def brief(self) -> str:
        """While a person has to step in: answer a known question, or acknowledge."""
        answer = self.answer_to(self.question)
        return answer or self.say("holding")

    def answer_field(self) -> str:
        """The bot asked for a qualifying field."""
        asking = self.conv.asking
        answer = self.answer_to(self.question)
        if self.distress in GRIEF and asking not in self.changed:
            # A death or an illness, and not the answer asked for: no question now.
            flag_for_human(self.conv, "distressed")
            return replies.join(self.ack(), self.say("no_rush"))
        if self.changed:
            return replies.join(self.ack(), answer, self.next_question())
        if answer:
            return replies.join(answer, self.pending_question())
        if unclear := self.open_question():
            return unclear
        if self.distress in EMPATHY:
            flag_for_human(self.conv, "distressed")
            return replies.join(self.ack(), self.say("no_rush"))
        return self.failed(asking, lambda: self.say(FIELD[asking].reask_key))

    def answer_offer(self) -> str:
        conv = self.conv
        if "price_expectation" in self.corrected:
            return replies.join(self.ack(), self.make_offer())
        response = extract_offer_response(self.text)
        if response == "accepted":
            return self.accept()
        counter = extract_counter_offer(self.text, conv.offer_amount)
        if counter is not None:
            return self.negotiate(counter)
        if response == "declined":
            conv.offer_response = "declined"
            conv.asking = None
            self.set_stage("declined")
            return self.say("declined")
        if response == "undecided":
            conv.offer_response = "undecided"
            conv.failed_attempts = 0
            return self.say("offer_undecided", amount=replies.money(conv.offer_amount))
        answer = self.answer_to(self.question)
        if answer or self.changed:
            return replies.join(self.ack(), answer, self.pending_question())
        if unclear := self.open_question():
            return unclear
        return self.failed("offer_response", lambda: self.say(
            "offer_reask", amount=replies.money(conv.offer_amount)))

    def answer_address(self) -> str:
        answer = self.answer_to(self.question)
        if has_street(self.conv.address) and "address" in self.changed:
            return replies.join(self.ack(), answer, self.offer_slots(first_time=True))
        if answer:
            return replies.join(answer, self.pending_question())
        if unclear := self.open_question():
            return unclear
        return self.failed("address", lambda: self.say(FIELD["address"].reask_key))

    def answer_slot(self) -> str:
        conv = self.conv
        tz = ZoneInfo(self.rules.timezone)
        slots = [slot.astimezone(tz) for slot in conv.slots_offered]
        choice = extract_slot_choice(self.text, slots, today=self.today())
        if choice is not None and slots[choice] > self.now:
            slot = slots[choice]
            if slot in self.full_slots() or (
                    self.free_slots is not None and not still_free(slot, self.free_slots())):
                return self.slot_gone(slot)
            return self.book(slot)
        if conv.failed_attempts == 0 and not any(s > self.now for s in slots):
            return self.offer_slots(first_time=False)
        answer = self.answer_to(self.question)
        if answer:
            return replies.join(answer, self.pending_question())
        if rejects_slots(self.text):
            return self.failed("appointment_at", lambda: self.offer_slots(first_time=False))
        return self.failed("appointment_at", lambda: self.pending_question())

    def answer_after_flow(self) -> str:
        """Messages after the flow ended: a change of heart is honoured, the rest acknowledged."""
        conv = self.conv
        answer = self.answer_to(self.question)
        if conv.stage == "booked":
            if answer:
                return answer
            if unclear := self.open_question():
                return unclear
            return self.say("after_booking", when=(
                (" for " if self.lang == "en" else ", ") + self.local_when(conv.appointment_at)
                if conv.appointment_at else ""))
        if (conv.stage in ("declined", "offer") and conv.offer_amount
                and extract_offer_response(self.text) == "accepted"):
            return self.accept()
        if conv.stage in ("declined", "offer") and conv.offer_amount:
            counter = extract_counter_offer(self.text, conv.offer_amount)
            if counter is not None:
                return self.negotiate(counter)
        if conv.stage == "qualified" and conv.appointment_at is None:
            return self.offer_slots(first_time=False)
        return answer or self.say("holding")

    # -- bookkeeping -------------------------------------------------------------------------
    def rescore(self) -> None:
        conv = self.conv
        if "timeline_days" in self.changed or conv.urgency is None:
            urgency = URGENCY.read(self)
            if urgency is not None and urgency != conv.urgency:
                conv.urgency = urgency
        rescore(conv, self.rules, self.now)


def rescore(conv: Conversation, rules: BotRules, now: datetime) -> None:
    """Score parts, lead score and temperature from the fields as they are now."""
    parts = score_parts(conv, rules.buy_box)
    if parts == conv.score_parts:
        return  # the parts are shared objects: equal lists, nothing changed
    conv.score_parts = parts
    conv.lead_score = lead_score(parts)
    temp = temperature(conv.lead_score)
    if temp != conv.temperature:
        conv.temperature = temp
        conv.temperature_history.append(TemperatureChange(temperature=temp, at=now))


def handle_message(
    conv: Conversation,
    text: str,
    now: datetime,
    rules: BotRules,
    *,
    message_id: str | None = None,
    taken_slots: Callable[[], Iterable[datetime]] = tuple,
    free_slots: Callable[[], list[datetime]] | None = None,
) -> str | None:
    """Record the inbound text, advance the flow, rescore; return the reply (None: stay quiet).

    ``taken_slots`` is called only when slots are offered or picked: appointment times booked
    to capacity; ``free_slots`` (a GoHighLevel calendar) replaces the built-in slots.
    """
    conv.transcript.append(Message(direction="inbound", body=text, at=now, message_id=message_id))
    conv.last_activity_at = now
    conv.last_inbound_at = now
    turn = _Turn(conv, unicodedata.normalize("NFC", text), now, rules, taken_slots, free_slots)
    reply = turn.run()
    turn.rescore()
    return None if reply is None else replies.shorten(reply)


def record_reply(conv: Conversation, reply: str, now: datetime, response_ms: float) -> None:
    conv.transcript.append(
        Message(direction="outbound", body=reply, at=now, response_ms=round(response_ms, 3))
    )
    conv.last_activity_at = now


def record_outcome(conv: Conversation, outcome: str, now: datetime) -> None:
    """How the appointment went (held, no_show, under_contract, dead): it becomes the stage."""
    conv.appointment_outcome = outcome
    conv.asking = None
    set_stage(conv, outcome, now)
    if conv.needs_human_reason == "appointment_passed":
        conv.needs_human = False
        conv.needs_human_reason = None


def flag_passed_appointment(conv: Conversation, now: datetime) -> bool:
    """Flag a booked conversation whose appointment is over without an outcome; True if it
    changed."""
    if conv.needs_human or not appointment_passed(conv, now):
        return False
    flag_for_human(conv, "appointment_passed")
    return True


def reoffer_refused_slot(conv: Conversation, start_time: datetime, now: datetime,
                         rules: BotRules, taken_slots: Callable[[], Iterable[datetime]],
                         free_slots: Callable[[], list[datetime]] | None) -> str | None:
    """GoHighLevel refused to book the picked slot (taken meanwhile): back to choosing, with
    two new slots; None when the booking has changed since."""
    if conv.stage != "booked" or conv.appointment_at is None \
            or conv.appointment_at.timestamp() != start_time.timestamp():
        return None
    conv.appointment_at = None
    turn = _Turn(conv, "", now, rules, taken_slots, free_slots)
    turn.set_stage("qualified")
    return turn.slot_gone(start_time)[: replies.MAX_REPLY_CHARS]


def record_other_channel(conv: Conversation, body: str, channel: str, now: datetime,
                         message_id: str | None) -> None:
    """A call, voicemail or email from a known seller: kept in the transcript, not answered."""
    conv.transcript.append(Message(direction="inbound", body=body, at=now,
                                   message_id=message_id, channel=channel))
    conv.last_activity_at = now
    conv.last_inbound_at = now


__all__ = ["BotRules", "ScorePart", "handle_message", "record_outcome", "record_reply",
           "start_conversation"]
