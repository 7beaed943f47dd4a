"""The conversation document stored in Redis (one per contact; its stored form:
``seller_bot.document``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from seller_bot.document import document_json

# New stages go at the end: a stage's position is its rank in the stage sort index.
Stage = Literal[
    "new", "condition", "price", "motivation", "offer", "qualified", "booked",
    "declined", "opted_out",
    "negotiating", "wrong_number", "held", "no_show", "under_contract", "dead",
]
STAGES: tuple[str, ...] = Stage.__args__
AppointmentOutcome = Literal["held", "no_show", "under_contract", "dead"]
APPOINTMENT_OUTCOMES: tuple[str, ...] = AppointmentOutcome.__args__
EXIT_STAGES = frozenset({"declined", "opted_out", "wrong_number", "no_show", "dead"})
# Not in the bot's hands any more: exits, and appointments booked or held.
CLOSED_STAGES = EXIT_STAGES | {"booked", "held", "under_contract"}
# Never texted again, whatever they write.
SILENT_STAGES = frozenset({"opted_out", "wrong_number"})
FUNNEL_STAGES: tuple[str, ...] = (
    "new", "condition", "price", "motivation", "offer", "qualified", "booked", "held",
    "under_contract",
)
Language = Literal["en", "es"]
# Why a person has to step in (``needs_human_reason``).
NEEDS_HUMAN_REASONS: tuple[str, ...] = (
    "question_not_understood", "counter_offer", "no_slot_free", "language_not_supported",
    "angry", "distressed", "appointment_passed",
)
Temperature = Literal["hot", "warm", "cold"]
TEMPERATURES: tuple[str, ...] = ("hot", "warm", "cold")
Condition = Literal["move_in_ready", "minor_repairs", "major_repairs"]
Motivation = Literal[
    "job_relocation", "divorce", "foreclosure", "financial_distress", "inheritance",
    "downsizing", "upsizing", "retirement", "medical", "landlord_exit", "other",
]
MOTIVATIONS: tuple[str, ...] = Motivation.__args__
Urgency = Literal["high", "medium", "low"]
OfferResponse = Literal["accepted", "declined", "undecided"]


class Message(BaseModel):
    direction: Literal["inbound", "outbound"]
    body: str
    at: datetime
    message_id: str | None = None
    response_ms: float | None = None
    # GoHighLevel two-way (issue #11): the outbox action that sends this reply, GoHighLevel's
    # answer, and the delay the seller felt (webhook arrival to GoHighLevel accepting it).
    channel: str | None = None
    outbox_id: str | None = None
    ghl_message_id: str | None = None
    accepted_at: datetime | None = None
    delivered_ms: float | None = None


class StageChange(BaseModel):
    stage: Stage
    at: datetime


class TemperatureChange(BaseModel):
    temperature: Temperature
    at: datetime


class ScorePart(BaseModel):
    part: str
    points: int


class Conversation(BaseModel):
    """Everything known about one seller; the aggregates and indexes derive from it."""

    contact_id: str
    location_id: str
    conversation_id: str | None = None
    name: str | None = None
    phone: str | None = None
    address: str | None = None

    stage: Stage = "new"
    created_at: datetime
    last_activity_at: datetime
    last_inbound_at: datetime | None = None

    condition: Condition | None = None
    price_expectation: int | None = None
    motivation: Motivation | None = None
    timeline_days: int | None = None
    urgency: Urgency | None = None
    offer_amount: int | None = None
    offer_response: OfferResponse | None = None
    slots_offered: list[datetime] = Field(default_factory=list)
    appointment_at: datetime | None = None

    paused: bool = False
    asking: str | None = None
    failed_attempts: int = 0
    unknown_fields: list[str] = Field(default_factory=list)

    lead_score: int = 0
    temperature: Temperature = "cold"
    score_parts: list[ScorePart] = Field(default_factory=list)

    transcript: list[Message] = Field(default_factory=list)
    stage_history: list[StageChange] = Field(default_factory=list)
    temperature_history: list[TemperatureChange] = Field(default_factory=list)

    # Issue #12: the bot in front of real sellers.
    language: Language = "en"
    needs_human: bool = False
    needs_human_reason: str | None = None
    counter_amount: int | None = None
    appointment_outcome: AppointmentOutcome | None = None

    # GoHighLevel two-way (issue #11): outbox sequence (orders a contact's outbound actions),
    # whether the human-takeover tag is on the contact, the appointment booked in GoHighLevel.
    outbox_seq: int = 0
    takeover_tag: bool = False
    ghl_appointment_id: str | None = None

    # Transcript cap (issue #13): how many older messages were summarised away.
    transcript_trimmed: int = 0

    @property
    def qualified(self) -> bool:
        return self.offer_response == "accepted"

    def to_json(self) -> str:
        # Fields at their default are left out (pydantic fills them back in on reading): a
        # transcript message carries 6 optional fields that are mostly unset.
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Conversation:
        """A document as stored (``seller_bot.document``: compressed, or plain JSON)."""
        return cls.model_validate_json(document_json(raw))
