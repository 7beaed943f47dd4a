"""Row presentation: one ConversationRow per conversation, with what to do next in an
agent's words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import redis

from core.keys import LocationKeys
from core.privacy import mask_phone
from core.settings import Settings
from seller_bot.fields import FIELDS, columns
from seller_bot.flow import appointment_passed
from seller_bot.models import Conversation
from services.conversation_view import is_stalled
from services.dashboard_models import ConversationRow, FieldView

NEEDS_HUMAN_ACTIONS = {
    "question_not_understood": "Answer the seller's question",
    "no_slot_free": "No free slot: call to book a time",
    "language_not_supported": "Reply in the seller's language",
    "angry": "Seller upset: call with care",
    "distressed": "Seller going through a hard time: call with care",
    "appointment_passed": "Record the outcome",
}
STAGE_ACTIONS = {
    "new": "New lead: bot is greeting",
    "condition": "Waiting for condition answer",
    "price": "Waiting for asking price",
    "motivation": "Waiting for reason and timeline",
    "offer": "Waiting on offer answer",
    "booked": "Appointment booked",
    "declined": "Declined offer: call to negotiate",
    "wrong_number": "Wrong number: do not contact",
    "held": "Appointment held: follow up on the contract",
    "no_show": "No-show: call to reschedule",
    "under_contract": "Under contract",
    "dead": "Dead lead",
}


def appointment_text(at: datetime, timezone: str) -> str:
    """``Tue Dec 1 10:00 AM`` in the buyer's time zone."""
    local = at.astimezone(ZoneInfo(timezone))
    return f"{local:%a %b} {local.day} {local.hour % 12 or 12}:{local:%M %p}"


def stage_action(stage: str) -> str:
    """What a stage waits on; a stage without its own wording reads as its name."""
    return STAGE_ACTIONS.get(stage, stage.replace("_", " ").capitalize())


def _idle_text(conv: Conversation, now: datetime) -> str:
    idle = now - conv.last_inbound_at
    if idle.days >= 2:
        return f"{idle.days} days"
    return "1 day" if idle.days == 1 else f"{int(idle.total_seconds() // 3600)} h"


def _qualified_action(conv: Conversation) -> str:
    if conv.asking == "address":
        return "Waiting for the property address"
    if conv.asking == "appointment_at" and conv.slots_offered:
        return "Waiting for the seller to pick a time"
    return "Book the appointment"


def next_action(conv: Conversation, now: datetime, settings: Settings) -> str:
    """What the agent (or the bot) does next with this seller, in an agent's words."""
    if conv.stage == "opted_out":
        return "Do not contact"
    if conv.paused:
        return "Human handling (paused)"
    if conv.counter_amount is not None and conv.stage == "negotiating":
        return f"Call to negotiate: they asked ${conv.counter_amount:,}"
    if appointment_passed(conv, now):
        return "Record the outcome"
    if conv.needs_human and conv.needs_human_reason in NEEDS_HUMAN_ACTIONS:
        return NEEDS_HUMAN_ACTIONS[conv.needs_human_reason]
    if is_stalled(conv, now, settings.stalled_after_seconds):
        return f"Follow up: no reply in {_idle_text(conv, now)}"
    if conv.stage == "booked" and conv.appointment_at is not None:
        return f"Appointment {appointment_text(conv.appointment_at, settings.timezone)}"
    if conv.stage == "qualified":
        return _qualified_action(conv)
    if conv.stage == "offer" and conv.offer_response == "undecided":
        return "Seller undecided: call about the offer"
    return stage_action(conv.stage)


def conversation_row(conv: Conversation, now: datetime, settings: Settings,
                     reveal_phone: bool) -> ConversationRow:
    return ConversationRow(
        contact_id=conv.contact_id, location_id=conv.location_id, name=conv.name,
        phone=conv.phone if reveal_phone else mask_phone(conv.phone),
        stage=conv.stage, temperature=conv.temperature, lead_score=conv.lead_score,
        last_activity_at=conv.last_activity_at.isoformat(),
        stalled=is_stalled(conv, now, settings.stalled_after_seconds),
        paused=conv.paused, next_action=next_action(conv, now, settings),
        offer_amount=conv.offer_amount,
        appointment_at=conv.appointment_at.isoformat() if conv.appointment_at else None,
        needs_human=conv.needs_human, needs_human_reason=conv.needs_human_reason,
        counter_amount=conv.counter_amount, language=conv.language,
        extracted={f.name: getattr(conv, f.name) for f in FIELDS},
    )


def field_columns() -> list[FieldView]:
    """The table's columns of extracted fields (``Field.column``), in the registry's order."""
    return [FieldView(f.name, f.column, f.kind) for f in columns()]


def load_rows(client: redis.Redis, picked: Iterable[tuple[str, str]], now: datetime,
              settings: Settings, reveal_phone: bool) -> list[ConversationRow]:
    """Rows for (location, contact) pairs, in the given order; one pipelined GET per row
    (not MGET: a Redis Cluster pipeline refuses multi-key commands, even in one slot)."""
    picked = list(picked)
    with client.pipeline(transaction=False) as pipe:
        for location, member in picked:
            pipe.get(LocationKeys(location).conversation(member))
        documents = pipe.execute()
    return [conversation_row(Conversation.from_json(raw), now, settings, reveal_phone)
            for raw in documents
            if raw is not None]  # None: deleted or expired between the index read and this one
