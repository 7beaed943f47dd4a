"""One conversation as the API and the drill-down show it."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.keys import ID_PATTERN
from seller_bot.fields import FIELDS
from seller_bot.models import CLOSED_STAGES, Conversation, Message
from services.dashboard_models import FieldView

INTERNAL_FIELDS = {"asking", "failed_attempts", "stage_history", "temperature_history",
                   "slots_offered", "outbox_seq"}
DELIVERY_FIELDS = ("channel", "ghl_message_id", "delivered_ms")


def transcript_entry(m: Message) -> dict:
    """One message; replies sent through GoHighLevel carry its id, acceptance and delay."""
    entry = {"direction": m.direction, "body": m.body, "at": m.at.isoformat()}
    if m.response_ms is not None:
        entry["response_ms"] = m.response_ms
    for name in DELIVERY_FIELDS:
        if getattr(m, name) is not None:
            entry[name] = getattr(m, name)
    if m.accepted_at is not None:
        entry["accepted_at"] = m.accepted_at.isoformat()
    return entry


def detail_fields() -> list[FieldView]:
    """The drill-down's lines of extracted fields (``Field.detail``), in the registry's order;
    the detail carries each value under the field's name."""
    return [FieldView(f.name, f.detail, f.kind) for f in FIELDS]


def valid_id(value: object) -> bool:
    """A location or contact id as the store names them (anything from a browser is checked)."""
    return isinstance(value, str) and ID_PATTERN.match(value) is not None


def is_stalled(conv: Conversation, now: datetime, stalled_after_seconds: int) -> bool:
    """No inbound message for the stall period while the conversation is still open."""
    if conv.stage in CLOSED_STAGES or conv.last_inbound_at is None:
        return False
    return now - conv.last_inbound_at >= timedelta(seconds=stalled_after_seconds)


def conversation_detail(conv: Conversation, now: datetime, *, stalled_after_seconds: int,
                        commission_rate: float) -> dict:
    """Every field the spec lists for GET /api/conversations/<id>, JSON-ready."""
    data = conv.model_dump(mode="json", exclude=INTERNAL_FIELDS)
    data["transcript"] = [transcript_entry(m) for m in conv.transcript]
    data["slots_offered"] = [slot.isoformat() for slot in conv.slots_offered]
    data["stage_history"] = [{"stage": s.stage, "at": s.at.isoformat()}
                             for s in conv.stage_history]
    data["stalled"] = is_stalled(conv, now, stalled_after_seconds)
    data["qualified"] = conv.qualified
    data["commission_potential"] = (
        round(conv.price_expectation * commission_rate)
        if conv.price_expectation is not None else None
    )
    return data
