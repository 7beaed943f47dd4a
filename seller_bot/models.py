"""The conversation document stored in Redis (one JSON string per contact)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Stage = Literal[
    "new", "condition", "price", "motivation", "offer", "qualified", "booked",
    "declined", "opted_out",
]
STAGES: tuple[str, ...] = (
    "new", "condition", "price", "motivation", "offer", "qualified", "booked",
    "declined", "opted_out",
)
EXIT_STAGES = frozenset({"declined", "opted_out"})
CLOSED_STAGES = EXIT_STAGES | {"booked"}
FUNNEL_STAGES: tuple[str, ...] = (
    "new", "condition", "price", "motivation", "offer", "qualified", "booked",
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

    # Transcript cap (issue #13): how many older messages were summarised away.
    transcript_trimmed: int = 0

    @property
    def qualified(self) -> bool:
        return self.offer_response == "accepted"

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Conversation:
        return cls.model_validate_json(raw)
