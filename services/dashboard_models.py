"""Typed results of the read side; each serializes to the JSON of the API (``to_dict``).

A value that cannot be known is ``None`` (shown as "no data yet"), never zero or a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Range = Literal["24h", "7d", "30d", "custom"]
# The table's sort values (core.schema.SORT_KEYS).
SortKey = Literal["last_activity", "lead_score", "price_expectation", "stage"]


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
    """The KPI cards. State figures (counts, rates) are "now"; ``response_time_ms`` and
    ``appointments_booked`` cover the page's range (``DashboardData.window``)."""

    active_conversations: Kpi
    qualification_rate: Kpi
    hot_leads: Kpi                 # open hot leads needing action (not qualified/booked/exits)
    response_time_ms: ResponseTimeKpi
    pipeline_value: Kpi
    commission_potential: Kpi
    appointments_booked: Kpi
    opt_out_rate: Kpi
    speed_to_lead_ms: SpeedToLeadKpi = field(default_factory=SpeedToLeadKpi)
    offer_acceptance_rate: Kpi = field(default_factory=lambda: Kpi(None))
    counter_offers: Kpi = field(default_factory=lambda: Kpi(None))  # stage negotiating
    needs_human: Kpi = field(default_factory=lambda: Kpi(None))


@dataclass(frozen=True)
class Window:
    """The hours a range covers: ISO start and end (exclusive), and since when history is
    kept (older hours are missing, not zero)."""

    range: str
    label: str
    start: str
    end: str
    kept_from: str
    hours: int


@dataclass(frozen=True)
class Heatmap:
    """Inbound messages by weekday (rows, Monday first) and hour of day (columns), local time."""

    weekdays: list[str]
    hours: list[int]
    counts: list[list[int]]


@dataclass(frozen=True)
class Appointment:
    contact_id: str
    location_id: str
    name: str | None
    phone: str | None  # masked; the drill-down shows the number
    address: str | None
    at: str
    past: bool


@dataclass(frozen=True)
class Appointments:
    """Today's appointments, the next ones, the past ones still waiting for their outcome
    (lists capped, totals exact), and bookings per day for the coming week (local days)."""

    today: list[Appointment]
    upcoming: list[Appointment]
    upcoming_total: int
    needs_outcome: list[Appointment]
    needs_outcome_total: int
    per_day: Distribution

    @classmethod
    def from_dict(cls, data: dict) -> Appointments:
        lists = {name: [Appointment(**a) for a in data[name]]
                 for name in ("today", "upcoming", "needs_outcome")}
        return cls(**{**data, **lists, "per_day": Distribution(**data["per_day"])})


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
    # Per field with a distribution (seller_bot/fields.py), by its name: "price", "timeline"...
    distributions: dict[str, Distribution]
    messages: TimeSeries
    response_times: TimeSeries
    freshness: dict[str, str] = field(default_factory=dict)
    stalled_conversations: int = 0  # open, no inbound message for STALLED_AFTER_SECONDS
    # Conversations a person has to take over: "total" and one count per reason.
    needs_human: dict[str, int] = field(default_factory=dict)
    # Replies through GoHighLevel (issue #11): {"enabled", "pending", "dead_letters"}.
    outbox: dict = field(default_factory=dict)
    window: Window | None = None
    heatmap: Heatmap | None = None
    appointments: Appointments | None = None

    def to_dict(self) -> dict:
        """The JSON of ``/api/dashboard``: each distribution is ``<name>_distribution``."""
        data = {}
        for name, value in asdict(self).items():
            if name == "distributions":
                data.update((f"{key}_distribution", split) for key, split in value.items())
            else:
                data[name] = value
        return data


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
    segment: str | None = None  # the conversations behind one figure (aggregates.segments)
    locations: tuple[str, ...] = ()  # only these locations' conversations (none named: all)


@dataclass(frozen=True)
class ConversationRow:
    contact_id: str
    location_id: str
    name: str | None
    phone: str | None
    stage: str
    temperature: str
    lead_score: int
    last_activity_at: str
    stalled: bool
    paused: bool
    next_action: str
    offer_amount: int | None = None
    appointment_at: str | None = None
    needs_human: bool = False
    needs_human_reason: str | None = None
    counter_amount: int | None = None
    language: str = "en"
    # Every extracted field (seller_bot/fields.py) by name: address, condition, asking price...
    extracted: dict[str, Any] = field(default_factory=dict)
    location_name: str | None = None  # LOCATIONS or GoHighLevel name of location_id, else its id

    def to_dict(self) -> dict:
        """The row as the API, the cache and the CSV export carry it: each extracted field is
        a key of its own."""
        data = asdict(self)
        return {**data, **data.pop("extracted")}

    @classmethod
    def from_dict(cls, data: dict) -> ConversationRow:
        own = {f.name for f in fields(cls)} - {"extracted"}
        return cls(**{k: v for k, v in data.items() if k in own},
                   extracted={k: v for k, v in data.items() if k not in own})


@dataclass(frozen=True)
class FieldView:
    """An extracted field as the table and the drill-down show it: its label and its kind
    (``seller_bot.fields.Kind``: money, days, code or text)."""

    name: str
    label: str
    kind: str


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
        return {**asdict(self), "rows": [row.to_dict() for row in self.rows]}

    @classmethod
    def from_dict(cls, data: dict) -> ConversationsPage:
        return cls(**{**data, "rows": [ConversationRow.from_dict(row) for row in data["rows"]]})
