"""Typed results of the read side; each serializes to the JSON of the API (``to_dict``).

A value that cannot be known is ``None`` (shown as "no data yet"), never zero or a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Range = Literal["24h", "7d"]
SortKey = Literal["last_activity", "lead_score", "price_expectation", "stage"]
SORT_KEYS: tuple[str, ...] = ("last_activity", "lead_score", "price_expectation", "stage")


@dataclass(frozen=True)
class Kpi:
    """A figure now and its change against the previous 24 hours (None: not computable)."""

    value: float | int | None
    delta: float | int | None = None
    previous: float | int | None = None
    note: str | None = None  # why delta/previous are None when that is by design


@dataclass(frozen=True)
class ResponseTimeKpi:
    """Bot response time over the last 24 h, in ms; delta compares the p50 (lower is better)."""

    p50: float | None
    p95: float | None
    p99: float | None
    samples: int
    delta: float | None = None
    previous_p50: float | None = None
    # "delivered": webhook arrival to GoHighLevel accepting the reply (replies sent through
    # the outbox); "processing": arrival to the reply being decided (issue #11).
    basis: Literal["delivered", "processing"] = "processing"


@dataclass(frozen=True)
class SpeedToLeadKpi:
    """First inbound message to the first reply accepted by GoHighLevel, last 24 h (ms)."""

    p50: float | None = None
    p95: float | None = None
    delta: float | None = None
    samples: int = 0


@dataclass(frozen=True)
class Hero:
    active_conversations: Kpi
    qualification_rate: Kpi
    hot_leads: Kpi
    response_time_ms: ResponseTimeKpi
    pipeline_value: Kpi
    commission_potential: Kpi
    appointments_booked: Kpi
    opt_out_rate: Kpi
    speed_to_lead_ms: SpeedToLeadKpi = field(default_factory=SpeedToLeadKpi)


@dataclass(frozen=True)
class Distribution:
    labels: list[str]
    counts: list[int]


@dataclass(frozen=True)
class TimeSeries:
    """Values per bucket; ``buckets`` are ISO start times (hourly)."""

    buckets: list[str]
    series: dict[str, list[float | int | None]]


@dataclass(frozen=True)
class DashboardData:
    as_of: str
    stale: bool
    stale_since: str | None
    version: str
    range: Range
    total_conversations: int
    hero: Hero
    by_temperature: dict[str, int]
    by_stage: dict[str, int]
    funnel: Distribution
    price_distribution: Distribution
    timeline_distribution: Distribution
    motivation_distribution: Distribution
    messages: TimeSeries
    response_times: TimeSeries
    freshness: dict[str, str] = field(default_factory=dict)
    stalled_conversations: int = 0  # open, no inbound message for STALLED_AFTER_SECONDS
    # Conversations a person has to take over: "total" and one count per reason.
    needs_human: dict[str, int] = field(default_factory=dict)
    # {"enabled", "dead_letters", "pending"}: replies through GoHighLevel (issue #11)
    outbox: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ConversationQuery:
    page: int = 1
    page_size: int = 10
    temperature: str | None = None
    stage: str | None = None
    stalled: bool = False
    q: str | None = None
    sort: SortKey = "last_activity"
    order: Literal["asc", "desc"] = "desc"
    reveal_phone: bool = False  # rows carry the full phone number instead of (•••) •••-0123
    needs_human: bool = False  # only conversations flagged for a person


@dataclass(frozen=True)
class ConversationRow:
    contact_id: str
    location_id: str
    name: str | None
    phone: str | None
    address: str | None
    stage: str
    temperature: str
    lead_score: int
    price_expectation: int | None
    timeline_days: int | None
    last_activity_at: str
    stalled: bool
    paused: bool
    next_action: str
    condition: str | None = None
    motivation: str | None = None
    offer_amount: int | None = None
    appointment_at: str | None = None
    needs_human: bool = False
    needs_human_reason: str | None = None
    counter_amount: int | None = None
    language: str = "en"


@dataclass(frozen=True)
class ConversationsPage:
    rows: list[ConversationRow]
    page: int
    page_size: int
    total: int
    pages: int
    as_of: str
    stale: bool = False
    stale_since: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ConversationsPage:
        return cls(**{**data, "rows": [ConversationRow(**row) for row in data["rows"]]})
