"""The transactional outbox: what GoHighLevel must be told after a conversation changed.

The actions are a pure function of the document before and after a write (plus explicit
re-queues); the store appends them to the location's outbox stream in the same atomic script
call as the state change, so a decided reply is never lost and never sent without its state.
Each action carries the contact's sequence number (``Conversation.outbox_seq``), which the
relay uses to deliver one contact's actions in order, and an idempotency id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from seller_bot.fields import QUALIFYING
from seller_bot.models import Conversation, Message

TEMPERATURE_TAGS = {"hot": "seller_hot", "warm": "seller_warm", "cold": "seller_cold"}
STAGE_TAGS = {"booked": "seller_booked", "opted_out": "seller_opted_out"}
# Conversation fields GHL_CUSTOM_FIELDS may map to GoHighLevel custom fields.
CUSTOM_FIELDS = (*(f.name for f in QUALIFYING), "lead_score", "offer_amount")


@dataclass(frozen=True)
class CrmConfig:
    """What the outbox tells GoHighLevel besides replies (from the settings)."""

    custom_fields: dict[str, str] = field(default_factory=dict)
    calendar_id: str | None = None

    @classmethod
    def from_settings(cls, settings) -> CrmConfig | None:
        """None when replies are not sent (no GHL_API_TOKEN): the outbox is off."""
        if not settings.outbox_enabled:
            return None
        fields = {name: key for name, key in settings.custom_field_keys.items()
                  if name in CUSTOM_FIELDS}
        return cls(custom_fields=fields, calendar_id=settings.ghl_calendar_id)


@dataclass(frozen=True)
class Requeue:
    """An explicit action to queue again (a dead letter retried from the dashboard)."""

    kind: str
    action_id: str
    data: dict


@dataclass(frozen=True)
class Action:
    kind: str
    action_id: str
    contact_id: str
    generation: str
    seq: int
    data: dict

    def stream_fields(self) -> list[str]:
        """Flat field/value list for XADD."""
        return ["id", self.action_id, "kind", self.kind, "contact", self.contact_id,
                "gen", self.generation, "seq", str(self.seq),
                "data", orjson.dumps(self.data).decode()]

    @classmethod
    def from_stream(cls, entry: dict[str, str]) -> Action:
        return cls(kind=entry["kind"], action_id=entry["id"], contact_id=entry["contact"],
                   generation=entry["gen"], seq=int(entry["seq"]),
                   data=orjson.loads(entry["data"]))


def generation(conv: Conversation) -> str:
    """Tells a contact's conversations apart (a forgotten contact may write in again)."""
    return str(int(conv.created_at.timestamp() * 1000))


def arrival_ms(msg: Message) -> int:
    """When the webhook that caused this reply arrived (epoch ms): the bot stamps a reply with
    the time it took the message, within the parse and signature check of the arrival."""
    return int(msg.at.timestamp() * 1000)


def _field_value(value: object) -> str:
    return "" if value is None else str(value)


Draft = tuple[str, dict, Message | None]


def _drafts(old: Conversation | None, new: Conversation, config: CrmConfig) -> list[Draft]:
    """What changed between ``old`` (None: a new contact) and ``new``, as (kind, data, the
    reply it sends) in the order the relay delivers them."""
    return [*_appointment(old, new, config), *_replies(old, new), *_tags(old, new),
            *_custom_fields(old, new, config), *_contact(old, new)]


def _appointment(old: Conversation | None, new: Conversation, config: CrmConfig) -> list[Draft]:
    # Before the confirmation: if GoHighLevel refuses the slot, the relay skips it.
    if config.calendar_id and new.stage == "booked" and new.appointment_at and (
            old is None or old.appointment_at != new.appointment_at):
        return [("appointment", {"calendarId": config.calendar_id,
                                 "startTime": new.appointment_at.isoformat()}, None)]
    return []


def _replies(old: Conversation | None, new: Conversation) -> list[Draft]:
    start = len(old.transcript) if old else 0
    return [("sms", {"message": msg.body, "arrived_ms": arrival_ms(msg)}, msg)
            for msg in new.transcript[start:]
            if msg.direction == "outbound" and msg.outbox_id is None]


def _tags(old: Conversation | None, new: Conversation) -> list[Draft]:
    drafts: list[Draft] = []
    if old is None or old.temperature != new.temperature:
        wanted = TEMPERATURE_TAGS[new.temperature]
        drafts.append(("tags_add", {"tags": [wanted]}, None))
        drafts.append(("tags_remove",
                       {"tags": [t for t in TEMPERATURE_TAGS.values() if t != wanted]}, None))
    for stage, tag in STAGE_TAGS.items():
        if new.stage == stage and (old is None or old.stage != stage):
            drafts.append(("tags_add", {"tags": [tag]}, None))
    return drafts


def _custom_fields(old: Conversation | None, new: Conversation,
                   config: CrmConfig) -> list[Draft]:
    changed = {key: _field_value(getattr(new, name))
               for name, key in config.custom_fields.items()
               if (old is None and getattr(new, name) is not None)
               or (old is not None and getattr(old, name) != getattr(new, name))}
    return [("fields", {"fields": changed}, None)] if changed else []


def _contact(old: Conversation | None, new: Conversation) -> list[Draft]:
    """A new contact without a name or phone: the relay reads them from GoHighLevel."""
    return [("contact", {}, None)] if old is None and (not new.name or not new.phone) else []


def derive_actions(old: Conversation | None, new: Conversation | None, config: CrmConfig,
                   requeue: tuple[Requeue, ...] = ()) -> list[Action]:
    """The actions this change causes, numbered after the contact's last one.

    Mutates ``new``: advances ``outbox_seq`` and stamps each new reply with its action id.
    """
    if new is None:
        return []
    gen = generation(new)
    actions = []
    drafts = [(r.kind, r.data, r.action_id) for r in requeue]
    drafts += [(kind, data, msg) for kind, data, msg in _drafts(old, new, config)]
    appointment = None
    for kind, data, origin in drafts:
        new.outbox_seq += 1
        if kind == "sms" and appointment is not None:
            data = {**data, "requires": appointment}
        if isinstance(origin, str):
            action_id = origin
        else:
            action_id = f"{new.contact_id}.{gen}.{new.outbox_seq}"
            if origin is not None:
                origin.outbox_id = action_id
        if kind == "appointment":
            appointment = action_id
        actions.append(Action(kind=kind, action_id=action_id, contact_id=new.contact_id,
                              generation=gen, seq=new.outbox_seq, data=data))
    return actions
