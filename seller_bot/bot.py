"""The bot's entry point: one inbound message in, one reply out, one atomic write."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import redis

from core.clock import utc_now
from core.settings import Settings
from seller_bot.fields import QUALIFYING
from seller_bot.flow import (
    BotRules,
    flag_passed_appointment,
    handle_message,
    record_other_channel,
    record_outcome,
    record_reply,
    reoffer_refused_slot,
    start_conversation,
)
from seller_bot.models import APPOINTMENT_OUTCOMES, Conversation
from seller_bot.outbox import Requeue, arrival_ms
from seller_bot.payload import InboundMessage
from seller_bot.store import (
    UNREAD,
    ConflictError,
    ConversationStore,
    DuplicateMessage,
    SlotTaken,
    Suppressed,
)

RETIRE_EVERY_SECONDS = 60
log = logging.getLogger(__name__)
# A seller who loses a slot race is offered two new slots; losing again and again is only
# possible under a storm of bookings, and then the message is refused (GoHighLevel retries).
MAX_SLOT_RACES = 20
# A GoHighLevel calendar: (location id, now) -> its free slot start times.
FreeSlots = Callable[[str, datetime], list[datetime]]


class NoAppointment(ValueError):
    """An outcome was recorded for a conversation without an appointment."""


@dataclass(frozen=True)
class InboundResult:
    """The bot's answer to one message: the reply, and the conversation's state after it in
    fields (what it asks for, its offer, the slots it offers), so a caller acts on the state
    and never on the reply's wording."""

    status: str  # processed | duplicate | ignored
    reply: str | None = None
    stage: str | None = None
    temperature: str | None = None
    lead_score: int | None = None
    reason: str | None = None
    asking: str | None = None  # the question the bot waits on (None: none)
    language: str | None = None
    needs_human: bool = False
    missing: tuple[str, ...] = ()  # qualifying fields unknown, not given up on (to ask)
    offer_amount: int | None = None
    offer_response: str | None = None  # "undecided": the offer stands, the seller thinks
    slots_offered: tuple[datetime, ...] = ()  # while asking for a slot: the times offered

    @classmethod
    def answer(cls, status: str, conv: Conversation, reply: str | None) -> InboundResult:
        """``reply`` and the state of ``conv`` after the message it answers."""
        return cls(status, reply=reply, stage=conv.stage, temperature=conv.temperature,
                   lead_score=conv.lead_score, asking=conv.asking, language=conv.language,
                   needs_human=conv.needs_human,
                   missing=tuple(f.name for f in QUALIFYING
                                 if getattr(conv, f.name) is None
                                 and f.name not in conv.unknown_fields),
                   offer_amount=conv.offer_amount, offer_response=conv.offer_response,
                   slots_offered=(tuple(conv.slots_offered)
                                  if conv.asking == "appointment_at" else ()))

    def to_dict(self) -> dict:
        if self.status == "duplicate" and self.stage is None:
            return {"status": "duplicate"}
        if self.status not in ("processed", "duplicate"):
            return {"status": self.status, **({"reason": self.reason} if self.reason else {})}
        # A duplicate repeats the first answer (the caller may never have received it).
        return {"status": self.status, "reply": self.reply, "stage": self.stage,
                "temperature": self.temperature, "lead_score": self.lead_score,
                "asking": self.asking, "language": self.language,
                "needs_human": self.needs_human, "missing": list(self.missing),
                "offer_amount": self.offer_amount, "offer_response": self.offer_response,
                "slots_offered": [slot.isoformat() for slot in self.slots_offered]}


def reply_to(conv: Conversation, message_id: str) -> str | None:
    """The bot's reply to one inbound message, from the transcript (None: no reply was sent,
    or the message was summarised away by the transcript cap)."""
    for position, msg in enumerate(conv.transcript):
        if msg.direction == "inbound" and msg.message_id == message_id:
            after = conv.transcript[position + 1: position + 2]
            return after[0].body if after and after[0].direction == "outbound" else None
    return None


def cap_transcript(conv: Conversation, max_messages: int, max_bytes: int) -> None:
    """Keep the newest messages within both limits; the older ones are counted in
    ``transcript_trimmed``, so the document says how many there were."""
    sizes = [len(m.body.encode()) + 100 for m in conv.transcript]  # + timestamps, ids
    keep, total = 0, 0
    for size in reversed(sizes):
        if keep == max_messages or total + size > max_bytes:
            break
        keep, total = keep + 1, total + size
    dropped = len(conv.transcript) - max(keep, 1)
    if dropped > 0:
        conv.transcript = conv.transcript[dropped:]
        conv.transcript_trimmed += dropped


class SellerBot:
    """Applies the qualification rules to inbound messages and persists the result."""

    def __init__(self, client: redis.Redis, settings: Settings,
                 clock: Callable[[], datetime] = utc_now,
                 wall_clock: Callable[[], float] = time.time,
                 timer: Callable[[], float] = time.perf_counter,
                 calendar: FreeSlots | None = None,
                 store: ConversationStore | None = None) -> None:
        """``store``: where conversations are kept (default: a ``ConversationStore`` on
        ``client``); the simulator passes one that buffers a backfill in memory."""
        self.settings = settings
        self.calendar = calendar
        self.clock = clock
        self.timer = timer  # measures response time; the simulator injects a fake for replays
        self.rules = BotRules.from_settings(settings)
        # The furthest ahead a slot is offered: built-in slots or the GoHighLevel calendar's.
        self.slot_horizon = (max(settings.appointment_days_ahead, settings.ghl_calendar_days)
                             + 1) * 86400
        self.store = store or ConversationStore(client, settings, wall_clock=wall_clock)
        self._last_retired: dict[str, float] = {}
        self._last_swept_all = float("-inf")

    def handle_inbound(self, message: InboundMessage, received: float | None = None, *,
                       stored: str | object | None = UNREAD) -> InboundResult:
        """Process one webhook event; ``received`` is its ``timer()`` arrival time, ``stored``
        the contact's document if the caller read it already (``ConversationStore.peek``)."""
        received = self.timer() if received is None else received
        ignore = message.ignore_reason
        if ignore:
            if not message.is_text and message.type == "InboundMessage" \
                    and message.direction.lower() == "inbound":
                return self._record_other_channel(message, ignore)
            return InboundResult("ignored", reason=ignore)
        location, contact = message.locationId, message.contactId
        message_id = message.idempotency_key
        now = self.clock()
        outcome: dict[str, str | None] = {}

        def apply(conv: Conversation) -> Conversation:
            if message.seller_name and not conv.name:
                conv.name = message.seller_name
            if message.phone and not conv.phone:
                conv.phone = message.phone
            reply = handle_message(conv, message.body, now, self.rules,
                                   message_id=message_id,
                                   taken_slots=lambda: self._taken_slots(location),
                                   free_slots=self._free_slots(location, now))
            if reply is not None:
                elapsed_ms = (self.timer() - received) * 1000
                record_reply(conv, reply, now, elapsed_ms)
            cap_transcript(conv, self.settings.transcript_max_messages,
                           self.settings.transcript_max_bytes)
            outcome["reply"] = reply
            return conv

        def create() -> Conversation:
            return start_conversation(contact, location, now, name=message.seller_name,
                                      phone=message.phone,
                                      conversation_id=message.conversationId)

        first_read = {} if stored is UNREAD else {"first_raw": stored}
        for _ in range(MAX_SLOT_RACES):
            try:
                conv = self.store.update(location, contact, apply, message_id=message_id,
                                         create=create, **first_read)
                break
            except DuplicateMessage:
                return self.duplicate_result(message)
            except Suppressed:
                return InboundResult("ignored", reason="deleted")
            except SlotTaken:
                first_read = {}  # re-run the turn on a fresh read: the slot now counts as full
        else:
            raise ConflictError(f"slots kept filling up for {contact}; retry later")
        self._housekeeping_now_and_then(location)
        reply = outcome.get("reply")
        if reply is None:
            reason = ("wrong number" if conv.stage == "wrong_number"
                      else "opted out" if conv.stage == "opted_out" else "paused")
            return InboundResult("ignored", reason=reason)
        return InboundResult.answer("processed", conv, reply)

    def duplicate_result(self, message: InboundMessage,
                         stored: str | object | None = UNREAD) -> InboundResult:
        """The answer to a message processed already: the reply it got then. Registers the
        location again (idempotent), in case the first attempt failed right after its commit."""
        self.store.register_location(message.locationId)
        key = message.idempotency_key
        raw = (self.store.load_raw(message.locationId, message.contactId) if stored is UNREAD
               else stored)
        conv = Conversation.from_json(raw) if raw else None
        if conv is None or not key:
            return InboundResult("duplicate")
        return InboundResult.answer("duplicate", conv, reply_to(conv, key))

    def _free_slots(self, location_id: str,
                    now: datetime) -> Callable[[], list[datetime]] | None:
        """The calendar's free slots, fetched once per message and only when needed."""
        if self.calendar is None:
            return None
        fetched: list[list[datetime]] = []

        def free() -> list[datetime]:
            if not fetched:
                try:
                    fetched.append(self.calendar(location_id, now))
                except Exception as exc:  # the calendar is down: offer no slot, never a wrong one
                    log.warning("calendar free slots unavailable: %s", exc)
                    fetched.append([])
            return fetched[0]

        return free

    def slot_refused(self, location_id: str, contact_id: str, start_time: str) -> None:
        """GoHighLevel refused the booking (slot taken meanwhile): offer two new slots."""
        now = self.clock()
        start = datetime.fromisoformat(start_time)

        def apply(conv: Conversation) -> Conversation:
            reply = reoffer_refused_slot(conv, start, now, self.rules,
                                         lambda: self._taken_slots(location_id),
                                         self._free_slots(location_id, now))
            if reply is not None:
                record_reply(conv, reply, now, 0.0)
                conv.last_activity_at = now
            return conv

        self.store.update(location_id, contact_id, apply)

    def _taken_slots(self, location_id: str) -> list[datetime]:
        """Full slots within the furthest the bot offers (bookings beyond it cannot collide:
        their count would otherwise grow every offer's read)."""
        after = self.clock().timestamp()
        return [datetime.fromtimestamp(ts, UTC)
                for ts in self.store.taken_slots(location_id, after, after + self.slot_horizon)]

    def _housekeeping_now_and_then(self, location_id: str) -> None:
        """At most once a minute per location: retire conversations reaching their TTL, and
        flag booked ones whose appointment is over without an outcome."""
        wall_now = time.monotonic()
        if wall_now - self._last_retired.get(location_id, float("-inf")) < RETIRE_EVERY_SECONDS:
            return
        self._last_retired[location_id] = wall_now
        self.store.retire_expired(location_id)
        self.flag_passed_appointments(location_id)

    def housekeep_all(self) -> None:
        """Housekeeping for every location (each at most once a minute): what keeps the
        counters of a location that receives no messages true. The relay worker calls it
        every round; the location list is read once a minute at most."""
        wall_now = time.monotonic()
        if wall_now - self._last_swept_all < RETIRE_EVERY_SECONDS:
            return
        self._last_swept_all = wall_now
        for location_id in self.store.locations():
            try:
                self._housekeeping_now_and_then(location_id)
            except ConflictError:  # a conversation kept changing: the next round retries
                log.warning("housekeeping of a location gave up for now",
                            extra={"location_id": location_id})

    def flag_passed_appointments(self, location_id: str) -> int:
        """Flag for a person every booked conversation whose appointment is over; how many."""
        now = self.clock()
        return sum(self._flag_passed(location_id, contact_id, now)
                   for contact_id in self.store.passed_appointments(location_id,
                                                                    now.timestamp()))

    def _flag_passed(self, location_id: str, contact_id: str, now: datetime) -> bool:
        stored = self.store.load(location_id, contact_id)
        if stored is None or not flag_passed_appointment(stored, now):
            return False  # flagged already (or gone): nothing to write
        changed = []

        def apply(conv: Conversation) -> Conversation:
            changed.append(flag_passed_appointment(conv, now))
            return conv

        self.store.update(location_id, contact_id, apply)
        return bool(changed and changed[-1])

    def record_outcome(self, location_id: str, contact_id: str,
                       outcome: str) -> Conversation | None:
        """How the appointment went; None when the contact is unknown. Raises NoAppointment
        when the conversation has no appointment, ValueError for an unknown outcome."""
        if outcome not in APPOINTMENT_OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(APPOINTMENT_OUTCOMES)}")
        now = self.clock()

        def apply(conv: Conversation) -> Conversation:
            if conv.appointment_at is None:
                raise NoAppointment(contact_id)
            record_outcome(conv, outcome, now)
            return conv

        return self.store.update(location_id, contact_id, apply)

    def _record_other_channel(self, message: InboundMessage, reason: str) -> InboundResult:
        """Calls, voicemails and emails are not answered; a known seller's are recorded."""
        now = self.clock()
        status = f" ({message.status})" if message.status else ""
        body = message.body.strip() or f"{message.messageType.lower()}{status}"

        def apply(conv: Conversation) -> Conversation:
            record_other_channel(conv, body, message.messageType, now, message.idempotency_key)
            return conv

        try:
            conv = self.store.update(message.locationId, message.contactId, apply,
                                     message_id=message.idempotency_key)
        except DuplicateMessage:
            return InboundResult("duplicate")
        return InboundResult("ignored", reason=f"{reason}; recorded" if conv else reason)

    def set_paused(self, location_id: str, contact_id: str, paused: bool, *,
                   takeover_tag: bool | None = None) -> Conversation | None:
        """Human takeover: while paused the bot records messages but does not reply.

        ``takeover_tag``: whether GoHighLevel's contact now carries HUMAN_TAKEOVER_TAG (the
        pause came from the CRM), kept so only the tag's removal resumes the bot.
        """

        def apply(conv: Conversation) -> Conversation:
            conv.paused = paused
            if not paused:  # handed back to the bot: the person has dealt with it
                conv.needs_human = False
                conv.needs_human_reason = None
            if takeover_tag is not None:
                conv.takeover_tag = takeover_tag
            return conv

        return self.store.update(location_id, contact_id, apply)

    def contact_tags_changed(self, location_id: str, contact_id: str,
                             tags: list[str]) -> Conversation | None:
        """GoHighLevel's ContactTagUpdate: the takeover tag added pauses, removed resumes."""
        conv = self.store.load(location_id, contact_id)
        if conv is None:
            return None
        tagged = self.settings.human_takeover_tag.lower() in {t.lower() for t in tags}
        if tagged == conv.takeover_tag:
            return conv
        return self.set_paused(location_id, contact_id, tagged, takeover_tag=tagged)

    # -- outbox feedback (the relay reports what GoHighLevel answered) --------------------
    def record_delivery(self, location_id: str, contact_id: str, action_id: str,
                        ghl_message_id: str | None, accepted_at: datetime) -> None:
        """A reply was accepted by GoHighLevel: its id, when, and the delay the seller felt."""

        def apply(conv: Conversation) -> Conversation:
            for msg in conv.transcript:
                if msg.outbox_id == action_id and msg.accepted_at is None:
                    msg.ghl_message_id = ghl_message_id
                    msg.accepted_at = accepted_at
                    msg.delivered_ms = max(
                        0.0, round(accepted_at.timestamp() * 1000 - arrival_ms(msg), 3))
            return conv

        self.store.update(location_id, contact_id, apply)

    def record_appointment(self, location_id: str, contact_id: str,
                           appointment_id: str | None) -> None:
        def apply(conv: Conversation) -> Conversation:
            conv.ghl_appointment_id = appointment_id
            return conv

        self.store.update(location_id, contact_id, apply)

    def fill_contact(self, location_id: str, contact_id: str, name: str | None,
                     phone: str | None) -> None:
        """Name and phone from GoHighLevel's Contacts API, where the webhook had none."""

        def apply(conv: Conversation) -> Conversation:
            conv.name = conv.name or name
            conv.phone = conv.phone or phone
            return conv

        self.store.update(location_id, contact_id, apply)

    def requeue(self, location_id: str, contact_id: str, action: Requeue) -> bool:
        """Queue a dead-lettered action again (same idempotency id); False: contact gone."""
        return self.store.update(location_id, contact_id, lambda conv: conv,
                                 requeue=(action,)) is not None
