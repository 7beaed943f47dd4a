"""The qualification flow (README "What it does", docs/seller-flow.md) as a pure function of
state, message and time.

Every turn reads every field from the message, whatever was asked: a volunteered answer is
kept, an explicit correction replaces the earlier value, and a message that answers another
question moves the flow on instead of counting as a failed try. Questions the seller asks are
answered from the settings, then the pending question is asked again. Some messages hand the
conversation to a person (``needs_human``); while flagged, the bot only answers briefly.

The address is asked right after the seller accepts the offer (docs/seller-flow.md says why),
unless it was volunteered already; the booking confirmation repeats it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from seller_bot import replies
from seller_bot.calendar import calendar_slots, still_free
from seller_bot.extract import (
    QUESTION_KEYS,
    classify_question,
    detect_language,
    distress_kind,
    extract_address,
    extract_condition,
    extract_counter_offer,
    extract_motivation,
    extract_offer_response,
    extract_price,
    extract_slot_choice,
    extract_timeline_days,
    extract_urgency,
    is_correction,
    is_opt_out,
    is_wrong_number,
    rejects_slots,
)
from seller_bot.models import (
    SILENT_STAGES,
    Conversation,
    Message,
    ScorePart,
    StageChange,
    TemperatureChange,
)
from seller_bot.scoring import BuyBox, lead_score, score_parts, temperature
from seller_bot.slots import DAYS_AHEAD, SLOT_LENGTH, pick_slots

MAX_FAILED_TRIES = 2
QUALIFYING_FIELDS = ("condition", "price_expectation", "motivation", "timeline_days")
STAGE_OF_FIELD = {
    "condition": "condition",
    "price_expectation": "price",
    "motivation": "motivation",
    "timeline_days": "motivation",
}
# Questions answered from settings (the rest depend on the conversation).
SETTINGS_ANSWERS = ("who_is_this", "how_got_number", "cash_or_financing", "closing_costs",
                    "how_fast_close", "how_offer_computed", "are_you_agent")
EMPATHY = ("death", "divorce", "illness")
GRIEF = ("death", "illness")  # the seller is told there is no rush and a person follows up
UNREAD = "unread"  # a lazily read property not read yet
SETTLED_AFTER = 3  # inbound messages after which plain ASCII text keeps the language
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


def has_street(address: str | None) -> bool:
    """Whether an address names a house number and street (not just a city)."""
    return bool(address) and address[0].isdigit()


def city_of(address: str) -> str:
    """'Fontana' of 'Fontana, CA' (a city-only address)."""
    return address.split(",")[0]


def flag_for_human(conv: Conversation, reason: str) -> None:
    """Hand the conversation to a person; the first reason stays until a person clears it."""
    if not conv.needs_human:
        conv.needs_human = True
        conv.needs_human_reason = reason


def appointment_passed(conv: Conversation, now: datetime) -> bool:
    """Booked, the appointment is over, and nobody recorded how it went."""
    return (conv.stage == "booked" and conv.appointment_at is not None
            and conv.appointment_outcome is None and conv.appointment_at + SLOT_LENGTH <= now)


class _Turn:
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
        self.timeline_changed = False
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
            getattr(conv, name) is None for name in QUALIFYING_FIELDS)

    def exit(self, stage: str) -> str:
        """Opt-out or wrong number: one last polite line, then never a text again."""
        self.set_stage(stage)
        self.conv.asking = None
        return self.say(stage)

    def brief(self) -> str:
        """While a person has to step in: answer a known question, or acknowledge."""
        answer = self.answer_to(self.question)
        return answer or self.say("holding")

    # -- facts -----------------------------------------------------------------------------
    def today(self) -> date:
        if self._today is None:
            self._today = self.now.astimezone(ZoneInfo(self.rules.timezone)).date()
        return self._today

    def extract(self, name: str) -> object | None:
        text = self.text
        if name == "condition":
            # Just asked: a one-word verdict ("good", "rough") is an answer.
            return extract_condition(text, expecting=self.conv.asking == "condition")
        if name == "price_expectation":
            return self.extract_price()
        if name == "motivation":
            return extract_motivation(text)
        if name == "timeline_days":
            return extract_timeline_days(text, self.today())
        raise ValueError(name)

    def extract_price(self) -> int | None:
        """Asked: any number; unknown: a plausible bare one too; known: only a cued one.
        Around the offer and the slots a number is a counter or a choice, not a price."""
        conv = self.conv
        around_offer = (conv.asking in ("offer_response", "appointment_at")
                        or conv.stage == "negotiating")
        if around_offer and not (self.correcting and extract_offer_response(self.text)
                                 in (None, "declined")):
            return None  # a yes, a counter or a slot pick, not a new asking price
        asked = conv.asking == "price_expectation"
        price = extract_price(self.text, expecting=asked,
                              bare_ok=conv.price_expectation is None or self.correcting)
        return None if around_offer and price == conv.offer_amount else price

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
        """Every field from the message: unknown ones filled, known ones replaced only by an
        explicit correction (the transcript keeps both messages)."""
        conv = self.conv
        for name in QUALIFYING_FIELDS:
            current = getattr(conv, name)
            if current is not None and not self.correcting:
                continue
            value = self.extract(name)
            if value is None or value == current:
                continue
            if current is not None:
                self.corrected.append(name)
            self.set_field(name, value)

    def set_field(self, name: str, value: object) -> None:
        setattr(self.conv, name, value)
        self.changed.append(name)
        if name in self.conv.unknown_fields:
            self.conv.unknown_fields.remove(name)
        if name == "timeline_days":
            self.timeline_changed = True

    def keep_address(self) -> None:
        """A street address replaces what is known; a city alone fills only an empty one
        (and a street given later joins the city known before)."""
        conv = self.conv
        if has_street(conv.address) and not any(ch.isdigit() for ch in self.text):
            return  # only a new house number can change a street address
        found = extract_address(self.text)
        if found is None or found == conv.address:
            return
        current = conv.address
        if has_street(found):
            if current and not has_street(current) and "," not in found:
                found = f"{found}, {current}"
        elif current is not None:
            return
        conv.address = found
        self.changed.append("address")
        if "address" in conv.unknown_fields:
            conv.unknown_fields.remove("address")

    # -- what to say -------------------------------------------------------------------------
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

    def local_when(self, at: datetime) -> str:
        return replies.when(at.astimezone(ZoneInfo(self.rules.timezone)), self.lang)

    # -- questions -----------------------------------------------------------------------------
    def first_reply(self) -> str:
        """Introduce the assistant, answer a question, then ask what is missing (or make the
        offer right away)."""
        answer = None if self.question == "who_is_this" else self.answer_to(self.question)
        rest = self.next_question()
        with_thanks = self.conv.stage != "offer" and answer is None
        return replies.greeting(self.conv.name, self.rules.buyer_name,
                                replies.join(answer, rest), self.lang, with_thanks)

    def next_question(self) -> str:
        conv = self.conv
        if conv.failed_attempts:
            conv.failed_attempts = 0
        missing = [f for f in QUALIFYING_FIELDS
                   if getattr(conv, f) is None and f not in conv.unknown_fields]
        if missing:
            name = missing[0]
            conv.asking = name
            self.set_stage(STAGE_OF_FIELD[name])
            if name == "motivation" and conv.timeline_days is not None:
                return self.say("ask:motivation_only")
            return self.say(f"ask:{name}")
        if conv.price_expectation is None:
            conv.asking = "price_expectation"
            self.set_stage("price")
            return self.say("price_again")
        return self.make_offer()

    def pending_question(self) -> str:
        """The question the bot is waiting on, asked again (no try counted)."""
        conv = self.conv
        asking = conv.asking
        if asking == "offer_response":
            return self.say("offer_pending", amount=replies.money(conv.offer_amount))
        if asking == "appointment_at":
            return self.say("slots_reask", listed=self.listed(conv.slots_offered))
        if asking == "address":
            return self.ask_address()
        if asking == "motivation" and conv.timeline_days is not None:
            return self.say("ask:motivation_only")
        if asking in QUALIFYING_FIELDS:
            return self.say(f"ask:{asking}")
        return ""

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
        return self.failed(asking, lambda: self.say(f"reask:{asking}"))

    def failed(self, name: str, reask: Callable[[], str]) -> str:
        """Count a try that was not understood; after the last one the field stays unknown."""
        conv = self.conv
        conv.failed_attempts += 1
        if conv.failed_attempts < MAX_FAILED_TRIES:
            return reask()
        if name not in conv.unknown_fields:
            conv.unknown_fields.append(name)
        if name in QUALIFYING_FIELDS:
            setattr(conv, name, None)
            return self.next_question()
        conv.failed_attempts = 0
        if name == "address":
            return replies.join(self.say("address_skipped"), self.offer_slots(first_time=True))
        conv.asking = None
        if name == "appointment_at":
            flag_for_human(conv, "no_slot_free")
            return self.say("no_slots")
        return self.say("holding")

    # -- offer and booking -------------------------------------------------------------------
    def make_offer(self) -> str:
        conv = self.conv
        conv.offer_amount = self.rules.offer_for(conv.price_expectation)
        conv.offer_response = None
        conv.asking = "offer_response"
        conv.failed_attempts = 0
        self.set_stage("offer")
        return self.say("offer", amount=replies.money(conv.offer_amount))

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

    def negotiate(self, amount: int) -> str:
        """A counter-offer: kept, and a person calls to negotiate."""
        conv = self.conv
        conv.counter_amount = amount
        conv.offer_response = "undecided"
        conv.asking = None
        conv.failed_attempts = 0
        self.set_stage("negotiating")
        flag_for_human(conv, "counter_offer")
        return self.say("counter", amount=replies.money(amount))

    def accept(self) -> str:
        conv = self.conv
        conv.offer_response = "accepted"
        self.set_stage("qualified")
        if not has_street(conv.address) and "address" not in conv.unknown_fields:
            conv.asking = "address"
            conv.failed_attempts = 0
            return replies.join(self.say("ack_accepted"), self.ask_address())
        return replies.join(self.say("ack_accepted"), self.offer_slots(first_time=True))

    def ask_address(self) -> str:
        address = self.conv.address
        if address and not has_street(address):
            return self.say("ask:address_in", city=city_of(address))
        return self.say("ask:address")

    def answer_address(self) -> str:
        answer = self.answer_to(self.question)
        if has_street(self.conv.address) and "address" in self.changed:
            return replies.join(self.ack(), answer, self.offer_slots(first_time=True))
        if answer:
            return replies.join(answer, self.pending_question())
        if unclear := self.open_question():
            return unclear
        return self.failed("address", lambda: self.say("reask:address"))

    def full_slots(self) -> list[datetime]:
        return list(self.taken_slots())

    def offer_slots(self, first_time: bool, also_taken: Iterable[datetime] = (),
                    key: str = "slots") -> str:
        conv = self.conv
        start, end = self.rules.business_hours
        taken = [*self.full_slots(), *also_taken, *([] if first_time else conv.slots_offered)]
        if self.free_slots is not None:
            conv.slots_offered = calendar_slots(self.free_slots(), self.now, taken)
        else:
            conv.slots_offered = pick_slots(self.now, self.rules.timezone, start, end, taken,
                                            self.rules.days_ahead)
        conv.failed_attempts = 0
        if not conv.slots_offered:
            conv.asking = None
            flag_for_human(conv, "no_slot_free")
            return self.say("no_slots")
        conv.asking = "appointment_at"
        return self.say(key, listed=self.listed(conv.slots_offered))

    def listed(self, slots: list[datetime]) -> str:
        tz = ZoneInfo(self.rules.timezone)
        return replies.listed([slot.astimezone(tz) for slot in slots], self.lang)

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

    def slot_gone(self, slot: datetime) -> str:
        """The seller's pick was taken meanwhile: two slots still free (or a call back)."""
        return self.offer_slots(first_time=True, also_taken=[slot], key="slot_taken")

    def book(self, slot: datetime) -> str:
        conv = self.conv
        conv.appointment_at = slot
        conv.asking = None
        conv.failed_attempts = 0
        self.set_stage("booked")
        if not conv.address:
            return self.say("booked_no_address", when=self.local_when(slot))
        return self.say("booked", when=self.local_when(slot),
                        where=(" at " if self.lang == "en" else " en ") + conv.address)

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
    def set_stage(self, stage: str) -> None:
        set_stage(self.conv, stage, self.now)

    def rescore(self) -> None:
        conv = self.conv
        if self.timeline_changed or conv.urgency is None:
            urgency = extract_urgency(self.text, conv.timeline_days)
            if urgency is not None and urgency != conv.urgency:
                conv.urgency = urgency
        rescore(conv, self.rules, self.now)


def set_stage(conv: Conversation, stage: str, now: datetime) -> None:
    if conv.stage != stage:
        conv.stage = stage
        conv.stage_history.append(StageChange(stage=stage, at=now))


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
