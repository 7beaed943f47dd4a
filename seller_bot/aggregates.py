"""What one conversation contributes to the dashboard's counters and indexes.

The store writes the difference between a conversation's contribution before and after each
message, in the same atomic script as the document. Because the whole contribution is a pure
function of the document, the counters cannot drift: deleting a contact subtracts exactly its
share, and ``services.rebuild`` recomputes everything by summing contributions.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from core.keys import LocationKeys
from core.schema import (
    DELIVERED,
    FUNNEL_SEGMENT,
    HOUR,
    OPEN_SEGMENT,
    PHONE_SUFFIX,
    PRICE_SEGMENT,
    RESPONSE_TIME,
    SEARCH_SEPARATOR,
    SORT_BAND,
    SORT_INDEXES,
    SPEED_TO_LEAD,
    STAGE_INDEX_SORTS,
    STATE_CODES,
    STREET_WORDS,
    UNKNOWN_PRICE,
    Events,
    Stats,
    histogram_field,
    hour_of,
    minute_field,
    rt_bin,
    stat,
)
from seller_bot.fields import counted, distributed
from seller_bot.models import (
    CLOSED_STAGES,
    FUNNEL_STAGES,
    STAGES,
    Conversation,
    Message,
)

# Minute buckets cover two rolling 24 h windows (now and the day before) plus the partial hour
# at each edge, so both windows can be summed to the minute.
MINUTE_RETENTION = 49 * HOUR
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
FUNNEL_RANK = {stage: rank for rank, stage in enumerate(FUNNEL_STAGES)}


def epoch(at: datetime) -> float:
    return at.timestamp()


# Issue #14: stages where a hot lead needs nothing from the team (qualified and booked have
# figures of their own; the rest are closed).
NO_ACTION_STAGES = CLOSED_STAGES | {"qualified"}


def needs_action(stage: str, temperature: str) -> bool:
    """A hot lead the team should act on: hot and in a stage that is still being worked."""
    return temperature == "hot" and stage not in NO_ACTION_STAGES


def segments(conv: Conversation) -> list[str]:
    """Names of the table segments this conversation belongs to: one per clickable figure
    (KPI card, funnel stage, distribution bar), so a click lists exactly what was counted."""
    names = [f"funnel:{stage}" for stage in funnel_reached(conv)]
    names += [f"{f.counter.distribution}:{f.counter.bin(getattr(conv, f.name))}"
              for f in distributed()]
    if conv.stage not in CLOSED_STAGES:
        names.append("open")
    if needs_action(conv.stage, conv.temperature):
        names.append("hot_action")
    if conv.qualified:
        names.append("qualified")
    if conv.needs_human:
        names.append("needs_human")
    if conv.stage == "negotiating":
        names.append("negotiating")
    return names


def stored_segment(name: str) -> bool:
    """Whether a segment has a set of its own (``idx:seg:<segment>``): not a funnel stage (the
    furthest-stage sets), a price bar (a band of ``idx:price``) nor the open ones
    (``open_inbound`` and ``open_silent``)."""
    return name != OPEN_SEGMENT and not name.startswith((FUNNEL_SEGMENT, PRICE_SEGMENT))


def segment_names() -> Iterator[str]:
    """Every segment name ``segments`` can return."""
    yield from (f"funnel:{stage}" for stage in FUNNEL_STAGES)
    for f in distributed():
        yield from (f"{f.counter.distribution}:{b}" for b in f.counter.all_bins)
    yield from ("open", "hot_action", "qualified", "needs_human", "negotiating")


def funnel_reached(conv: Conversation) -> list[str]:
    """The funnel stages this conversation reached (a decline has seen the offer)."""
    reached = max((FUNNEL_RANK.get(s.stage, -1) for s in conv.stage_history), default=0)
    if conv.stage in ("declined", "negotiating"):
        reached = max(reached, FUNNEL_RANK["offer"])
    return [stage for stage, rank in FUNNEL_RANK.items() if rank <= reached]


def in_pipeline(conv: Conversation) -> bool:
    """Hot, qualified or booked leads make up the pipeline (README, "The dashboard")."""
    return conv.temperature == "hot" or conv.qualified or conv.stage == "booked"


@dataclass
class Contribution:
    """Counters (key, field) -> int and sorted-set entries (key, member) -> score."""

    counters: Counter = field(default_factory=Counter)
    entries: dict[tuple[str, str], float] = field(default_factory=dict)
    bucket_expiry: dict[str, float] = field(default_factory=dict)


def search_tokens(conv: Conversation) -> set[str]:
    """Lower-case words of name and address (``address_words``), and the phone number without
    the US country code (``services.table.query`` drops it from a search too), as it is and
    reversed behind ``PHONE_SUFFIX``: a typed run of digits finds the numbers starting or
    ending with it."""
    tokens = set(search_words(conv.name or "")) | set(address_words(conv.address or ""))
    digits = "".join(ch for ch in conv.phone or "" if ch.isdigit())
    if digits:
        national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        tokens.update({national, PHONE_SUFFIX + national[::-1]})
    return tokens


def address_words(address: str) -> list[str]:
    """The address's search words: street types and unit words left out, and a US state code
    as the last word or before a last ZIP code (``schema.STREET_WORDS``,
    ``schema.STATE_CODES``)."""
    words = search_words(address)
    state = len(words) - 1 - zip_code_words(words)
    if state >= 0 and words[state] in STATE_CODES:
        del words[state]
    return [word for word in words if word not in STREET_WORDS]


def zip_code_words(words: list[str]) -> int:
    """How many of the last words are a US ZIP code: 2 for ZIP+4 ("92555-1234"), 1 for five
    digits, else 0."""
    if len(words) >= 2 and _digits(words[-2], 5) and _digits(words[-1], 4):
        return 2
    return 1 if words and _digits(words[-1], 5) else 0


def _digits(word: str, count: int) -> bool:
    return len(word) == count and word.isascii() and word.isdigit()


def search_words(text: str) -> list[str]:
    """Lower-case words without accents ("José Núñez": jose, nunez), as the search matches them."""
    letters = unicodedata.normalize("NFKD", text)
    return "".join(ch.lower() if ch.isalnum() else " " for ch in letters
                   if not unicodedata.combining(ch)).split()


def contribution(conv: Conversation, keys: LocationKeys, wall_now: float,
                 retention: int) -> Contribution:
    """Everything this conversation adds to the location's aggregates and indexes."""
    out = Contribution()
    buckets = _Buckets(keys, wall_now, retention, out)
    _state_counters(conv, keys, out.counters)
    for event in _history_events(conv):
        buckets.event(*event)
    for msg in conv.transcript:
        buckets.message(message_share(msg))
    buckets.lead(speed_to_lead(conv))
    _index_entries(conv, keys, out.entries)
    _search_entries(conv, keys, out.entries)
    return out


def contributions_apart(old: Conversation | None, new: Conversation | None,
                        keys: LocationKeys, wall_now: float,
                        retention: int) -> tuple[Contribution | None, Contribution | None]:
    """``contribution`` of ``old`` and of ``new``, less what both share: the same difference
    (counter by counter and entry by entry), computed from what changed. Messages and history
    events found in both cancel before they are bucketed, so a message costs what it adds,
    not what the whole transcript holds."""
    if old is None or new is None:
        return (None if old is None else contribution(old, keys, wall_now, retention),
                None if new is None else contribution(new, keys, wall_now, retention))
    parts = Contribution(), Contribution()
    events = _apart(_history_events(old), _history_events(new))
    shares = _apart([*map(message_share, old.transcript)], [*map(message_share, new.transcript)])
    leads = speed_to_lead(old), speed_to_lead(new)
    same_search = (old.name, old.address, old.phone) == (new.name, new.address, new.phone)
    for conv, part, conv_events, conv_shares, lead in zip(
            (old, new), parts, events, shares, leads, strict=True):
        buckets = _Buckets(keys, wall_now, retention, part)
        _state_counters(conv, keys, part.counters)
        for event in conv_events:
            buckets.event(*event)
        for share in conv_shares:
            buckets.message(share)
        if leads[0] != leads[1]:
            buckets.lead(lead)
        _index_entries(conv, keys, part.entries)
        if not same_search:
            _search_entries(conv, keys, part.entries)
    return parts


def _apart(old: list, new: list) -> tuple[list, list]:
    """What only ``old`` holds and what only ``new`` holds, as multisets (most often ``new``
    is ``old`` and a few more: compared as lists first)."""
    if new[:len(old)] == old:
        return [], new[len(old):]
    old_count, new_count = Counter(old), Counter(new)
    return [*(old_count - new_count).elements()], [*(new_count - old_count).elements()]


def _state_counters(conv: Conversation, keys: LocationKeys, c: Counter) -> None:
    stats = keys.stats
    c[stats, Stats.CONVERSATIONS] += 1
    c[stats, stat(Stats.STAGE, conv.stage)] += 1
    c[stats, stat(Stats.TEMPERATURE, conv.temperature)] += 1
    for f in counted():
        c[stats, stat(f.counter.family, f.counter.bin(getattr(conv, f.name)))] += 1
    for stage in funnel_reached(conv):
        c[stats, stat(Stats.FUNNEL, stage)] += 1
    if conv.stage not in CLOSED_STAGES:
        c[stats, Stats.OPEN] += 1
    if conv.qualified:
        c[stats, Stats.QUALIFIED] += 1
    if conv.paused:
        c[stats, Stats.PAUSED] += 1
    if conv.needs_human:
        c[stats, Stats.NEEDS_HUMAN] += 1
        c[stats, stat(Stats.NEEDS_HUMAN_REASON, conv.needs_human_reason or "unknown")] += 1
    if conv.price_expectation is not None:
        c[stats, Stats.PRICE_KNOWN] += 1
        c[stats, Stats.PRICE_SUM] += conv.price_expectation
        if in_pipeline(conv):
            c[stats, Stats.PIPELINE_VALUE] += conv.price_expectation
            c[stats, Stats.PIPELINE_LEADS] += 1
    # Issue #14: hot leads needing action, offer answers (counter-offers waiting are
    # stage:negotiating, needs a human is needs_human above).
    if needs_action(conv.stage, conv.temperature):
        c[stats, Stats.HOT_ACTION] += 1
    if conv.offer_response is not None:
        c[stats, stat(Stats.OFFER_RESPONSE, conv.offer_response)] += 1


def _history_events(conv: Conversation) -> list[tuple[str, float, int]]:
    """(event, epoch seconds, amount) for every event of the conversation's life (creation,
    stage and temperature changes); its messages are ``message_share``."""
    events: list[tuple[str, float, int]] = [(Events.NEW, epoch(conv.created_at), 1)]
    first: dict[str, float] = {}
    was_open = True
    events.append((Events.OPEN_NET, epoch(conv.created_at), 1))
    for change in conv.stage_history:
        first.setdefault(change.stage, epoch(change.at))
        is_open = change.stage not in CLOSED_STAGES
        if is_open != was_open:
            events.append((Events.OPEN_NET, epoch(change.at), 1 if is_open else -1))
            was_open = is_open
    for event, stage in ((Events.OFFERS, "offer"), (Events.QUALIFIED, "qualified"),
                         (Events.BOOKED, "booked"), (Events.DECLINED, "declined"),
                         (Events.OPTED_OUT, "opted_out")):
        if stage in first:
            events.append((event, first[stage], 1))
    was_hot = False
    for change in conv.temperature_history:
        is_hot = change.temperature == "hot"
        if is_hot != was_hot:
            events.append((Events.HOT_NET, epoch(change.at), 1 if is_hot else -1))
            was_hot = is_hot
    events += _action_events(conv)
    return events


def _action_events(conv: Conversation) -> list[tuple[str, float, int]]:
    """``hot_action_net``: +1 when the lead starts needing action (see ``needs_action``),
    -1 when it stops, replaying stage and temperature changes in time order."""
    changes = sorted([(epoch(s.at), 0, s.stage) for s in conv.stage_history]
                     + [(epoch(t.at), 1, t.temperature) for t in conv.temperature_history])
    stage, temperature, acting = "new", "cold", False
    events = []
    for at, kind, value in changes:
        if kind == 0:
            stage = value
        else:
            temperature = value
        now_acting = needs_action(stage, temperature)
        if now_acting != acting:
            events.append((Events.HOT_ACTION_NET, at, 1 if now_acting else -1))
            acting = now_acting
    return events


# What a transcript message adds to the buckets depends on these of its fields only:
# (direction, time, response ms, delivered ms).
MessageShare = tuple[str, datetime, float | None, float | None]


def message_share(msg: Message) -> MessageShare:
    return msg.direction, msg.at, msg.response_ms, msg.delivered_ms


@dataclass
class _Buckets:
    """Counts events, messages and the speed to lead into one contribution's hour and minute
    buckets (within their retention)."""

    keys: LocationKeys
    wall_now: float
    retention: int
    out: Contribution

    def event(self, event: str, ts: float, amount: int) -> None:
        c, hour = self.out.counters, hour_of(ts)
        if hour + self.retention > self.wall_now:
            key = self.keys.hour(hour)
            c[key, event] += amount
            self.out.bucket_expiry[key] = hour + self.retention
        if hour + MINUTE_RETENTION > self.wall_now:
            key = self.keys.minutes(hour)
            c[key, minute_field(event, int(ts % HOUR) // 60)] += amount
            self.out.bucket_expiry[key] = hour + MINUTE_RETENTION

    def message(self, share: MessageShare) -> None:
        direction, at, response_ms, delivered_ms = share
        ts = epoch(at)
        self.event(Events.INBOUND if direction == "inbound" else Events.OUTBOUND, ts, 1)
        self.histogram(ts, RESPONSE_TIME, response_ms)
        self.histogram(ts, DELIVERED, delivered_ms)

    def lead(self, lead: tuple[float, float] | None) -> None:
        if lead is not None:
            self.histogram(lead[0], SPEED_TO_LEAD, lead[1])

    def histogram(self, ts: float, kind: str, ms: float | None) -> None:
        hour = hour_of(ts)
        if ms is None or hour + self.retention <= self.wall_now:
            return
        key = self.keys.hour(hour)
        self.out.counters[key, histogram_field(kind, rt_bin(ms))] += 1
        self.out.bucket_expiry[key] = hour + self.retention


def speed_to_lead(conv: Conversation) -> tuple[float, float] | None:
    """(first inbound epoch s, ms from its arrival to GoHighLevel accepting the first reply),
    or None while the first reply has not been accepted (or was never sent through it)."""
    first_in = next((i for i, m in enumerate(conv.transcript) if m.direction == "inbound"), None)
    if first_in is None:
        return None
    reply = next((m for m in conv.transcript[first_in:] if m.direction == "outbound"), None)
    if reply is None or reply.accepted_at is None:
        return None
    arrived = epoch(conv.transcript[first_in].at)
    return arrived, max(0.0, (epoch(reply.accepted_at) - arrived) * 1000)


def changes_past_hours(old: Contribution | None, new: Contribution | None, keys: LocationKeys,
                       wall_now: float) -> bool:
    """Whether going from ``old`` to ``new`` changes an hour or minute bucket of a completed
    hour (a deletion, a retirement, a back-dated message): the readers' merged sums of
    completed hours are then out of date (``keys.history`` is bumped)."""
    current = hour_of(wall_now)
    prefixes = (keys.hour(0)[:-1], keys.minutes(0)[:-1])
    before = old.counters if old else Counter()
    after = new.counters if new else Counter()
    for item in before.keys() | after.keys():
        key = item[0]
        if (key.startswith(prefixes) and int(key.rpartition(":")[2]) < current
                and before[item] != after[item]):
            return True
    return False


def sort_score(conv: Conversation, sort: str) -> float:
    """Index score; ties break by recency so pages are stable."""
    activity = epoch(conv.last_activity_at)
    if sort == "activity":
        return activity
    if sort == "score":
        return conv.lead_score * SORT_BAND + activity
    if sort == "stage":
        return STAGE_RANK[conv.stage] * SORT_BAND + activity
    if sort == "price":
        return UNKNOWN_PRICE if conv.price_expectation is None else conv.price_expectation
    raise ValueError(sort)


def _index_entries(conv: Conversation, keys: LocationKeys,
                   e: dict[tuple[str, str], float]) -> None:
    cid = conv.contact_id
    for sort in SORT_INDEXES:
        score = sort_score(conv, sort)
        e[keys.index(sort), cid] = score
        if sort in STAGE_INDEX_SORTS:
            e[keys.stage_index(conv.stage, sort), cid] = score
    if conv.needs_human:
        e[keys.needs_human, cid] = epoch(conv.last_activity_at)
    if conv.stage not in CLOSED_STAGES:
        if conv.last_inbound_at is not None:
            e[keys.open_inbound, cid] = epoch(conv.last_inbound_at)
        else:  # the rest of the open segment (``schema.OPEN_SEGMENT``)
            e[keys.open_silent, cid] = epoch(conv.last_activity_at)
    if conv.appointment_at is not None and conv.stage == "booked":
        e[keys.appointments, cid] = epoch(conv.appointment_at)
    activity = epoch(conv.last_activity_at)
    furthest = funnel_reached(conv)[-1]
    if furthest != FUNNEL_STAGES[0]:  # the funnel's first stage is every contact: idx:activity
        e[keys.funnel_index(furthest), cid] = activity
    for name in segments(conv):
        if stored_segment(name):
            e[keys.segment_index(name), cid] = activity


def _search_entries(conv: Conversation, keys: LocationKeys,
                    e: dict[tuple[str, str], float]) -> None:
    """The search index's entries: from name, address and phone only (``search_tokens``)."""
    for token in search_tokens(conv):
        e[keys.search, f"{token}{SEARCH_SEPARATOR}{conv.contact_id}"] = 0


def index_keys(keys: LocationKeys) -> Iterator[str]:
    """Every sorted-set index a contact id can be a member of."""
    for sort in SORT_INDEXES:
        yield keys.index(sort)
    yield keys.needs_human
    for sort in STAGE_INDEX_SORTS:
        for stage in STAGES:
            yield keys.stage_index(stage, sort)
    yield keys.open_inbound
    yield keys.open_silent
    yield keys.appointments
    for name in segment_names():
        if stored_segment(name):
            yield keys.segment_index(name)
    for stage in FUNNEL_STAGES:
        yield keys.funnel_index(stage)
