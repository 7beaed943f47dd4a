"""The conversation table: pages, filters, sorts and search read from the write-time indexes.

Per location, every query is one sorted set read in order, as one or two score ranges
("segments"):

- no filter, temperature or stage: that filter's index as written (price: known, then unknown);
- temperature and stage by lead score or stage: a score range of one index, because those
  scores pack the lead score or stage rank above the activity time;
- stalled alone, by last activity: the range "last inbound <= now - 48 h" of open_inbound;
- stalled with an open stage, by last activity: "activity <= cutoff" of the stage's index;
- temperature and stage by activity or price: the stage index read in order, keeping members
  of the temperature index (exact count from the lead-score range), while a page needs at most
  SCAN_LIMIT entries read; deeper pages, like everything else (stalled with a temperature or
  another sort): an intersection stored in a short-lived key under the location's hash tag,
  named by the data version, so every page and refresh reuses it until the data changes.

Pages are read by rank, so a deep page costs the same as page 1. Contacts past their TTL that
the sweep has not retired yet are skipped by rank. Search (a Lua script) resolves each word
through the lex index ``idx:search`` and filters the candidates by index scores in Redis;
Python sorts them, so a search costs O(matching contacts).
"""

from __future__ import annotations

import heapq
import re
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from math import ceil
from uuid import uuid4
from zoneinfo import ZoneInfo

import redis

from core.keys import LOCATIONS, LocationKeys
from core.privacy import mask_phone
from core.settings import Settings
from seller_bot.aggregates import SEARCH_SEPARATOR, STAGE_RANK, search_words, segment_names
from seller_bot.flow import appointment_passed
from seller_bot.models import CLOSED_STAGES, STAGES, TEMPERATURES, Conversation
from seller_bot.scoring import HOT_AT, WARM_AT
from seller_bot.store import ConversationStore
from services.conversation_view import conversation_detail, is_stalled
from services.dashboard_models import (
    SORT_KEYS,
    ConversationQuery,
    ConversationRow,
    ConversationsPage,
)

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
MAX_SEARCH_CHARS = 200
ORDERS = ("asc", "desc")
# Table sort -> write-time index name (seller_bot.aggregates.SORT_KEYS).
SORT_INDEX = {"last_activity": "activity", "lead_score": "score",
              "price_expectation": "price", "stage": "stage"}
# aggregates.sort_score packs lead score and stage rank as ``value * BAND + activity``.
BAND = 1e10
UNKNOWN_PRICE = -1.0
TEMPERATURE_SCORES = {"hot": (HOT_AT, None), "warm": (WARM_AT, HOT_AT), "cold": (None, WARM_AT)}
# Intersections are rebuilt only when the data version changes; this bounds their memory.
DERIVED_KEY_SECONDS = 30
# Temperature and stage by activity or price: a page is found by reading the stage index in
# order and keeping members of the temperature index, when that reads at most this many
# entries; deeper pages use the stored intersection.
SCAN_LIMIT = 1000
SCAN_CHUNK = 1000
EXPORT_SNAPSHOT_SECONDS = 300
EXPORT_CHUNK = 500
# A document's PXAT expiry is truncated to the millisecond, so it can vanish up to 1 ms before
# its activity + TTL: treat that last millisecond as expired already.
EXPIRY_SLACK_SECONDS = 0.001
# Digits typed with phone formatting ("(909) 555-0123", "+1 909.555.0123") are one search term.
SEGMENTS = frozenset(segment_names())
PHONE_RUN = re.compile(r"(?<!\w)\+?\(?\d[\d\s().+-]*\d(?!\w)")


# Search one location in Redis, so candidate lists never travel to Python and back.
# KEYS: search (lex), activity, sort-score index (temperature's when filtered), stage filter
# index (or the sort index again), open_inbound.
# ARGV: expired cutoff, stalled cutoff ('' = no stalled filter), use stage ('1'/'0'), entry cap,
# then one (min, max) lex range per term. Reply: {contact, score, ...}, or {TOO_MANY} when the
# terms match more index entries than the cap (the caller then searches in steps).
TOO_MANY = "TOO_MANY"
SEARCH_ENTRY_CAP = 20_000
SEARCH_SCRIPT = r"""
local ranges = {}
local entries = 0
for i = 5, #ARGV, 2 do
  local count = redis.call('ZLEXCOUNT', KEYS[1], ARGV[i], ARGV[i + 1])
  if count == 0 then return {} end
  entries = entries + count
  ranges[#ranges + 1] = {ARGV[i], ARGV[i + 1], count}
end
if entries > tonumber(ARGV[4]) then return {'TOO_MANY'} end
table.sort(ranges, function(a, b) return a[3] < b[3] end)
local owners = nil
for _, range in ipairs(ranges) do
  local found = {}
  for _, entry in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], range[1], range[2])) do
    local id = string.match(entry, '\31(.*)$')
    if owners == nil or owners[id] then found[id] = true end
  end
  owners = found
  if next(owners) == nil then return {} end
end
local expired, stalled = tonumber(ARGV[1]), tonumber(ARGV[2])
-- Usually nothing is past its TTL: then one lookup per candidate is enough.
local check_expiry = redis.call('ZCOUNT', KEYS[2], '-inf', ARGV[1]) > 0
local out = {}
for id in pairs(owners or {}) do
  local score = redis.call('ZSCORE', KEYS[3], id)
  if score and check_expiry then
    score = tonumber(redis.call('ZSCORE', KEYS[2], id) or 0) > expired and score
  end
  if score and (ARGV[3] == '0' or redis.call('ZSCORE', KEYS[4], id)) then
    local inbound = stalled and redis.call('ZSCORE', KEYS[5], id)
    if not stalled or (inbound and tonumber(inbound) <= stalled) then
      out[#out + 1] = id
      out[#out + 1] = score
    end
  end
end
return out
"""


class InvalidQuery(ValueError):
    """A table parameter is invalid; ``parameter`` names it (the API answers 422)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Bound:
    """One end of a score range."""

    value: float
    inclusive: bool = True

    def arg(self) -> str:
        if self.value == float("inf"):
            return "+inf"
        if self.value == float("-inf"):
            return "-inf"
        return repr(self.value) if self.inclusive else f"({self.value!r}"

    def complement(self) -> str:
        """The same point as the bound of the range on the other side of it."""
        point = Bound(self.value).arg()
        return point if not self.inclusive else f"({point}"  # "(-inf": nothing beyond


LOWEST = Bound(float("-inf"))
HIGHEST = Bound(float("inf"))


@dataclass
class Segment:
    """A score range of one sorted set; ``before`` and ``count`` are filled by ``_measure``."""

    low: Bound = LOWEST
    high: Bound = HIGHEST
    before: int = 0
    count: int = 0
    holes: list[int] = field(default_factory=list)  # expired members' positions, ascending


@dataclass
class Source:
    """One location's matching contacts, in table order: segments of ``key`` read one by one."""

    location_id: str
    key: str
    reverse: bool
    segments: list[Segment]
    expired: set[str] = field(default_factory=set)
    # Positions read along with the sizes, in case the first segment starts the set (it usually
    # does): saves a round trip. (start, stop, entries) or None.
    guess: tuple[int, int, list] | None = None
    # Scanning: members of ``key`` count only if also in ``filter_key``; ``matches`` of them.
    filter_key: str | None = None
    matches: int = 0

    @property
    def total(self) -> int:
        return self.matches if self.filter_key else self.scanned_total

    @property
    def scanned_total(self) -> int:
        return sum(s.count - len(s.holes) for s in self.segments)


def search_terms(text: str) -> list[str]:
    """The query's words as the lex index holds them; phone digits joined into one term."""
    terms = [_national_digits(run) for run in PHONE_RUN.findall(text)]
    terms += search_words(PHONE_RUN.sub(" ", text))
    return list(dict.fromkeys(terms))


def _national_digits(run: str) -> str:
    """Digits of a typed phone run without the US country code ("+1 909 555": 909555)."""
    digits = "".join(ch for ch in run if ch.isdigit())
    if digits.startswith("1") and (run.startswith("+1") or len(digits) == 11):
        return digits[1:]
    return digits


def appointment_text(at: datetime, timezone: str) -> str:
    """``Tue Dec 1 10:00 AM`` in the buyer's time zone."""
    local = at.astimezone(ZoneInfo(timezone))
    return f"{local:%a %b} {local.day} {local.hour % 12 or 12}:{local:%M %p}"


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
        idle = now - conv.last_inbound_at
        since = (f"{idle.days} days" if idle.days >= 2 else
                 "1 day" if idle.days == 1 else f"{int(idle.total_seconds() // 3600)} h")
        return f"Follow up: no reply in {since}"
    if conv.stage == "booked" and conv.appointment_at is not None:
        return f"Appointment {appointment_text(conv.appointment_at, settings.timezone)}"
    if conv.stage == "qualified":
        if conv.asking == "address":
            return "Waiting for the property address"
        if conv.asking == "appointment_at" and conv.slots_offered:
            return "Waiting for the seller to pick a time"
        return "Book the appointment"
    if conv.stage == "offer" and conv.offer_response == "undecided":
        return "Seller undecided: call about the offer"
    return STAGE_ACTIONS.get(conv.stage, conv.stage.replace("_", " ").capitalize())


class ConversationIndex:
    """The conversation table (page, export, detail) over every location's indexes."""

    def __init__(self, redis_client: redis.Redis, settings: Settings,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.redis = redis_client
        self.settings = settings
        self.wall_clock = wall_clock
        self.store = ConversationStore(redis_client, settings, wall_clock=wall_clock)
        self._known_locations: list[str] | None = None
        self._search_script = redis_client.register_script(SEARCH_SCRIPT)

    def __repr__(self) -> str:
        # Stable across instances, so Flask-Caching memoize keys do not depend on id().
        return "ConversationIndex()"

    # -- public --------------------------------------------------------------------------
    def validate(self, query: ConversationQuery) -> None:
        """Raise InvalidQuery naming the first bad parameter; touches no data."""
        if not _is_int(query.page) or not 1 <= query.page <= MAX_PAGE:
            raise InvalidQuery("page", f"must be an integer from 1 to {MAX_PAGE}")
        if not _is_int(query.page_size) or not 1 <= query.page_size <= MAX_PAGE_SIZE:
            raise InvalidQuery("page_size", f"must be an integer from 1 to {MAX_PAGE_SIZE}")
        if query.sort not in SORT_KEYS:
            raise InvalidQuery("sort", f"must be one of {', '.join(SORT_KEYS)}")
        if query.order not in ORDERS:
            raise InvalidQuery("order", "must be asc or desc")
        if query.temperature is not None and query.temperature not in TEMPERATURES:
            raise InvalidQuery("temperature", f"must be one of {', '.join(TEMPERATURES)}")
        if query.stage is not None and query.stage not in STAGES:
            raise InvalidQuery("stage", f"must be one of {', '.join(STAGES)}")
        if not isinstance(query.stalled, bool):
            raise InvalidQuery("stalled", "must be true or false")
        if not isinstance(query.needs_human, bool):
            raise InvalidQuery("needs_human", "must be true or false")
        if query.q is not None and (not isinstance(query.q, str)
                                    or len(query.q) > MAX_SEARCH_CHARS):
            raise InvalidQuery("q", f"must be text of at most {MAX_SEARCH_CHARS} characters")
        if not isinstance(query.reveal_phone, bool):
            raise InvalidQuery("reveal_phone", "must be true or false")
        if query.segment is not None and query.segment not in SEGMENTS:
            raise InvalidQuery("segment", "must name a figure of the dashboard "
                               "(open, hot_action, funnel:<stage>, price:<bin>, ...)")
        if query.segment and (query.stage or query.needs_human) and _has_search(query):
            raise InvalidQuery("segment", "cannot be combined with stage or needs_human and q")

    def page(self, query: ConversationQuery) -> ConversationsPage:
        """One page of the table (the module docstring says what each kind of query costs)."""
        self.validate(query)
        now = self.wall_clock()
        start = (query.page - 1) * query.page_size
        stop = start + query.page_size
        if _has_search(query):
            total, matches = self._search(query, now, stop)
            picked = matches[start:stop]
        else:
            sources = self._sources(query, now, window=(start, stop))
            total = sum(source.total for source in sources)
            picked = self._read_merged(sources, start, stop)
        return ConversationsPage(
            rows=self._rows(picked, query, now), page=query.page, page_size=query.page_size,
            total=total, pages=ceil(total / query.page_size), as_of=_iso(now))

    def iter_rows(self, query: ConversationQuery) -> Iterator[ConversationRow]:
        """Every row matching the filters in table order (paging ignored), read in chunks."""
        self.validate(query)
        return self._iter_rows(query, self.wall_clock())

    def detail(self, contact_id: str, location_id: str | None = None) -> dict | None:
        """The drill-down of one conversation (transcript, fields, score parts), or None."""
        location_id = location_id or self.store.find_location(contact_id)
        conv = self.store.load(location_id, contact_id) if location_id else None
        if conv is None:
            return None
        return conversation_detail(
            conv, _at(self.wall_clock()), stalled_after_seconds=self.settings.stalled_after_seconds,
            commission_rate=self.settings.commission_rate)

    # -- planning ------------------------------------------------------------------------
    def _locations(self) -> list[str]:
        self._known_locations = sorted(self.redis.smembers(LOCATIONS))
        return self._known_locations

    def _expired_cutoff(self, now: float) -> float:
        return now - self.settings.conversation_ttl_seconds + EXPIRY_SLACK_SECONDS

    def _stalled_cutoff(self, now: float) -> float:
        # The same instant is_stalled() compares against, so rows and filter agree.
        return (_at(now) - timedelta(seconds=self.settings.stalled_after_seconds)).timestamp()

    def _sources(self, query: ConversationQuery, now: float, *, snapshot: bool = False,
                 window: tuple[int, int] | None = None) -> list[Source]:
        """Plan, materialize if needed, (snapshot,) and measure one Source per location."""
        # Pages use the locations seen last time and check them in the measuring round trip.
        locations = (self._known_locations if self._known_locations is not None and not snapshot
                     else self._locations())
        sources = [self._plan(location, query, now) for location in locations]
        scan = window is not None and _scannable(query)
        derived = [(s, d) for s in sources if (d := self._derivation(s.location_id, query))]
        if scan:
            for source, inputs in derived:
                source.key, source.filter_key = inputs[1], inputs[0]
        elif derived:
            self._materialize(derived, query, now)
        if snapshot:
            self._snapshot(sources)
        if window and len(sources) > 1:
            window = (0, window[1])  # each location's head, for the merge
        current = self._measure(sources, now, window)
        if current != locations:
            self._known_locations = current
            return self._sources(query, now, snapshot=snapshot, window=window)
        if scan:
            self._count_matches(sources, query)
            deep = [(s, d) for s, d in derived if s.matches and window[1] * s.scanned_total
                    > SCAN_LIMIT * s.matches]
            if deep:
                for source, _ in deep:
                    source.filter_key = None
                self._materialize(deep, query, now)
                self._measure([s for s, _ in deep], now)
        return sources

    def _plan(self, location_id: str, query: ConversationQuery, now: float) -> Source:
        keys = LocationKeys(location_id)
        sort = SORT_INDEX[query.sort]
        reverse = query.order == "desc"
        temp, stage = query.temperature, query.stage
        segment = Segment()
        if _segment_alone(query):
            key = keys.index(f"seg:{query.segment}")
        elif query.needs_human:
            key = keys.index(f"needs_human:{sort}")  # other filters: an intersection
        elif _stalled_by_range(query) and stage:
            key = keys.index(f"stage:{stage}:activity")
            segment = (Segment(low=HIGHEST, high=LOWEST) if stage in CLOSED_STAGES
                       else Segment(high=Bound(self._stalled_cutoff(now))))
        elif _stalled_by_range(query):
            key = keys.index("open_inbound")
            segment = Segment(high=Bound(self._stalled_cutoff(now)))
        elif temp and stage and sort == "score":
            key, segment = keys.index(f"stage:{stage}:score"), _temperature_range(temp)
        elif temp and stage and sort == "stage":
            key, segment = keys.index(f"temp:{temp}:stage"), _stage_range(stage)
        elif temp:
            key = keys.index(f"temp:{temp}:{sort}")
        elif stage:
            key = keys.index(f"stage:{stage}:{sort}")
        else:
            key = keys.index(sort)
        if sort == "price":
            # Unknown prices (score -1) go last in both orders, like blanks in a spreadsheet.
            segments = [Segment(low=Bound(UNKNOWN_PRICE, inclusive=False)),
                        Segment(high=Bound(UNKNOWN_PRICE))]
        else:
            segments = [segment]
        return Source(location_id, key, reverse, segments)

    def _derivation(self, location_id: str, query: ConversationQuery) -> list[str] | None:
        """Index keys to intersect (the first carries the sort score), or None if not needed."""
        keys = LocationKeys(location_id)
        if query.segment and not _segment_alone(query):
            # The table's other filters, then only the segment's members (weight 0).
            base = replace(query, segment=None)
            inputs = (self._derivation(location_id, base)
                      or [self._plan(location_id, base, 0).key])
            return [*inputs, keys.index(f"seg:{query.segment}")]
        sort = SORT_INDEX[query.sort]
        temp, stage = query.temperature, query.stage
        if query.needs_human:
            inputs = [keys.index(f"needs_human:{sort}")]
            inputs += [keys.index(f"temp:{temp}:{sort}")] if temp else []
            inputs += [keys.index(f"stage:{stage}:{sort}")] if stage else []
            return inputs if len(inputs) > 1 or query.stalled else None
        if temp and stage and sort in ("activity", "price"):
            inputs = [keys.index(f"temp:{temp}:{sort}"), keys.index(f"stage:{stage}:{sort}")]
        elif query.stalled and not _stalled_by_range(query):
            inputs = [self._plan(location_id, replace(query, stalled=False), 0).key]
        else:
            return None
        return inputs

    def _materialize(self, derived: list[tuple[Source, list[str]]], query: ConversationQuery,
                     now: float) -> None:
        """Point each source at the intersection it needs, building it unless it exists."""
        stalled_cutoff = repr(self._stalled_cutoff(now))
        with self.redis.pipeline(transaction=False) as pipe:
            for source, _ in derived:
                keys = LocationKeys(source.location_id)
                pipe.get(keys.version)
                if query.stalled:
                    pipe.zcount(keys.index("open_inbound"), "-inf", stalled_cutoff)
            answers = iter(pipe.execute())
        names = []
        for source, inputs in derived:
            version = next(answers) or "0"
            # With the data unchanged, the stalled set is the first n of open_inbound: the count
            # names it exactly.
            stalled = next(answers) if query.stalled else "-"
            tag = LocationKeys(source.location_id).tag
            names.append(f"{tag}:tmp:table:{':'.join(k.rsplit(':idx:', 1)[1] for k in inputs)}"
                         f":stalled={stalled}:v{version}")
        with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.exists(name)
            present = pipe.execute()
        for (source, inputs), name, exists in zip(derived, names, present, strict=True):
            if exists:
                continue
            # One transaction per location (one hash slot), so a concurrent builder of the same
            # key never sees the helper set half made.
            with self.redis.pipeline(transaction=True) as pipe:
                sets = list(inputs)
                if query.stalled:
                    stalled_set = f"{name}:stalled"
                    pipe.zrangestore(stalled_set,
                                     LocationKeys(source.location_id).index("open_inbound"),
                                     "-inf", stalled_cutoff, byscore=True)
                    sets.append(stalled_set)
                # The first set carries the sort score; the others only filter (weight 0).
                pipe.zinterstore(name, {key: (1 if i == 0 else 0) for i, key in enumerate(sets)})
                pipe.expire(name, DERIVED_KEY_SECONDS)
                if query.stalled:
                    pipe.delete(stalled_set)
                pipe.execute()
        for (source, _), name in zip(derived, names, strict=True):
            source.key = name

    def _measure(self, sources: list[Source], now: float,
                 window: tuple[int, int] | None = None) -> list[str]:
        """Fill each segment's position and size, and the ranks of expired members in it;
        return the current locations."""
        cutoff = repr(self._expired_cutoff(now))
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.smembers(LOCATIONS)
            for source in sources:
                pipe.zrangebyscore(LocationKeys(source.location_id).index("activity"),
                                   "-inf", cutoff)
                for seg in source.segments:
                    if source.reverse:
                        pipe.zcount(source.key, seg.high.complement(), "+inf")
                    else:
                        pipe.zcount(source.key, "-inf", seg.low.complement())
                    pipe.zcount(source.key, seg.low.arg(), seg.high.arg())
                if window and _starts_the_set(source) and not source.filter_key:
                    pipe.zrange(source.key, window[0], window[1] - 1, desc=source.reverse,
                                withscores=True)
            answers = iter(pipe.execute())
        locations = sorted(next(answers))
        for source in sources:
            source.expired = set(next(answers))
            for seg in source.segments:
                seg.before, seg.count = next(answers), next(answers)
            if window and _starts_the_set(source) and not source.filter_key:
                source.guess = (*window, next(answers))
        # Rare (the sweep retires contacts before their TTL): find where the expired ones sit.
        pending = [s for s in sources if s.expired]
        if not pending:
            return locations
        with self.redis.pipeline(transaction=False) as pipe:
            for source in pending:
                for member in source.expired:
                    (pipe.zrevrank if source.reverse else pipe.zrank)(source.key, member)
            answers = iter(pipe.execute())
        for source in pending:
            ranks = sorted(r for member in source.expired if (r := next(answers)) is not None)
            for seg in source.segments:
                seg.holes = [r - seg.before for r in ranks
                             if seg.before <= r < seg.before + seg.count]
        return locations

    # -- reading -------------------------------------------------------------------------
    def _read(self, source: Source, start: int, stop: int) -> list[tuple[int, float, str]]:
        """Live members at positions [start, stop) of the source: (segment, score, member)."""
        head = source.segments[0]
        if (source.guess and source.guess[:2] == (start, stop) and not head.holes
                and (head.count >= stop or len(source.segments) == 1)):
            within = max(0, min(stop, head.count) - start)
            return [(0, score, member) for member, score in source.guess[2][:within]]
        plan = []
        offset, wanted = start, stop - start
        for number, seg in enumerate(source.segments):
            live = seg.count - len(seg.holes)
            if wanted <= 0:
                break
            if offset >= live:
                offset -= live
                continue
            first = _physical(seg.holes, offset)
            last = _physical(seg.holes, offset + min(wanted, live - offset) - 1)
            plan.append((number, seg.before + first, seg.before + last))
            wanted -= min(wanted, live - offset)
            offset = 0
        if not plan:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for _, low, high in plan:
                pipe.zrange(source.key, low, high, desc=source.reverse, withscores=True)
            chunks = pipe.execute()
        return [(number, score, member)
                for (number, _, _), chunk in zip(plan, chunks, strict=True)
                for member, score in chunk if member not in source.expired]

    def _read_any(self, source: Source, start: int, stop: int) -> list[tuple[int, float, str]]:
        return (self._read_filtered(source, start, stop) if source.filter_key
                else self._read(source, start, stop))

    def _read_filtered(self, source: Source, start: int,
                       stop: int) -> list[tuple[int, float, str]]:
        """Positions [start, stop) among the members also in ``filter_key``, read in order."""
        matched: list[tuple[int, float, str]] = []
        density = source.matches / max(1, source.scanned_total)
        position = 0
        while len(matched) < stop and position < source.scanned_total and density:
            size = min(SCAN_CHUNK, int((stop - len(matched)) / density * 1.2) + 10)
            chunk = self._read(source, position, position + size)
            if chunk:
                present = self.redis.zmscore(source.filter_key, [m for _, _, m in chunk])
                matched += [entry for entry, score in zip(chunk, present, strict=True)
                            if score is not None]
            position += size
        return matched[start:stop]

    def _count_matches(self, sources: list[Source], query: ConversationQuery) -> None:
        """Exact size of temperature and stage together: a score range of the stage's lead
        score index (temperature is a lead score range), less expired members."""
        band = _temperature_range(query.temperature)
        with self.redis.pipeline(transaction=False) as pipe:
            for source in sources:
                keys = LocationKeys(source.location_id)
                pipe.zcount(keys.index(f"stage:{query.stage}:score"), band.low.arg(),
                            band.high.arg())
                if source.expired:
                    expired = sorted(source.expired)
                    pipe.zmscore(source.key, expired)
                    pipe.zmscore(source.filter_key, expired)
            answers = iter(pipe.execute())
        for source in sources:
            source.matches = next(answers)
            if source.expired:
                in_both = zip(next(answers), next(answers), strict=True)
                source.matches -= sum(a is not None and b is not None for a, b in in_both)

    def _read_merged(self, sources: list[Source], start: int,
                     stop: int) -> list[tuple[str, str]]:
        """(location, contact) at positions [start, stop) of all locations merged."""
        if len(sources) == 1:
            only = sources[0]
            return [(only.location_id, m) for _, _, m in self._read_any(only, start, stop)]
        # Each location's first `stop` entries are enough to know the merged first `stop`.
        streams = [[(_merge_key(seg, score, member, source), source.location_id, member)
                    for seg, score, member in self._read_any(source, 0, stop)]
                   for source in sources]
        reverse = sources[0].reverse if sources else False
        merged = heapq.merge(*streams, reverse=reverse)
        return [(location, member) for _, location, member in islice(merged, start, stop)]

    def _iter_rows(self, query: ConversationQuery, now: float) -> Iterator[ConversationRow]:
        if _has_search(query):
            _, matches = self._search(query, now)
            for first in range(0, len(matches), EXPORT_CHUNK):
                yield from self._rows(matches[first:first + EXPORT_CHUNK], query, now)
            return
        sources = self._sources(query, now, snapshot=True)
        try:
            streams = [self._stream(source) for source in sources]
            merged = heapq.merge(*streams, reverse=query.order == "desc")
            while chunk := [(loc, member) for _, loc, member in islice(merged, EXPORT_CHUNK)]:
                yield from self._rows(chunk, query, now)
        finally:
            if sources:
                self.redis.delete(*[source.key for source in sources])

    def _snapshot(self, sources: list[Source]) -> None:
        """Copy each source's set, so rows that move while an export streams are neither
        skipped nor repeated."""
        with self.redis.pipeline(transaction=False) as pipe:
            for source in sources:
                snapshot = f"{LocationKeys(source.location_id).tag}:tmp:export:{uuid4().hex}"
                pipe.copy(source.key, snapshot)
                pipe.expire(snapshot, EXPORT_SNAPSHOT_SECONDS)
                source.key = snapshot
            pipe.execute()

    def _stream(self, source: Source) -> Iterator[tuple[tuple, str, str]]:
        """The source's live members in order, with their merge key, one chunk at a time."""
        for first in range(0, source.total, EXPORT_CHUNK):
            self.redis.expire(source.key, EXPORT_SNAPSHOT_SECONDS)
            for seg, score, member in self._read(source, first, first + EXPORT_CHUNK):
                yield _merge_key(seg, score, member, source), source.location_id, member

    # -- search --------------------------------------------------------------------------
    def _search(self, query: ConversationQuery, now: float,
                stop: int | None = None) -> tuple[int, list[tuple[str, str]]]:
        """How many contacts match q and the filters, and the first ``stop`` of them (all
        when None) in table order, as (location, contact)."""
        terms = search_terms(query.q or "")
        reverse = query.order == "desc"
        price = SORT_INDEX[query.sort] == "price"
        found = []
        for location in self._locations():
            for member, score in self._search_location(LocationKeys(location), terms, query,
                                                       now):
                unknown = 1 if price and score == UNKNOWN_PRICE else 0
                found.append(((-unknown if reverse else unknown, score, member, location),
                              location, member))
        if stop is None:
            ordered = sorted(found, reverse=reverse)
        else:
            ordered = (heapq.nlargest if reverse else heapq.nsmallest)(stop, found)
        return len(found), [(location, member) for _, location, member in ordered]

    def _search_location(self, keys: LocationKeys, terms: list[str], query: ConversationQuery,
                         now: float) -> list[tuple[str, float]]:
        """(contact, sort score) of one location's matches, found and filtered in Redis."""
        sort = SORT_INDEX[query.sort]
        score_key = (keys.index(f"temp:{query.temperature}:{sort}") if query.temperature
                     else keys.index(sort))
        flagged_key = keys.index(f"needs_human:{sort}")
        # One membership filter at most goes with a search (validate() says so).
        stage_key = (keys.index(f"stage:{query.stage}:{sort}") if query.stage
                     else flagged_key if query.needs_human
                     else keys.index(f"seg:{query.segment}") if query.segment else score_key)
        args: list[object] = [repr(self._expired_cutoff(now)),
                              repr(self._stalled_cutoff(now)) if query.stalled else "",
                              "1" if query.stage or query.needs_human or query.segment else "0",
                              SEARCH_ENTRY_CAP]
        for term in terms:
            prefix = term.encode()
            # 0xFF never occurs in UTF-8, so it sorts after every token with this prefix.
            args += [b"[" + prefix, b"[" + prefix + b"\xff"]
        reply = self._search_script(
            keys=[keys.search, keys.index("activity"), score_key, stage_key,
                  keys.index("open_inbound")], args=args)
        if reply == [TOO_MANY]:
            found = self._search_location_in_steps(keys, args[4:], score_key, stage_key, query,
                                                   now)
        else:
            found = [(reply[i], float(reply[i + 1])) for i in range(0, len(reply), 2)]
        if query.needs_human and query.stage and found:
            flagged = self.redis.zmscore(flagged_key, [member for member, _ in found])
            found = [hit for hit, score in zip(found, flagged, strict=True) if score is not None]
        return found

    def _search_location_in_steps(self, keys: LocationKeys, ranges: list[object],
                                  score_key: str, stage_key: str, query: ConversationQuery,
                                  now: float) -> list[tuple[str, float]]:
        """The same as the search script, in round trips that never block Redis for long
        (for terms so short they match a large part of the index)."""
        with self.redis.pipeline(transaction=False) as pipe:
            for low, high in zip(ranges[::2], ranges[1::2], strict=True):
                pipe.zrangebylex(keys.search, low, high)
            matches = pipe.execute()
        contacts: set[str] | None = None
        for entries in matches:
            owners = {entry.rsplit(SEARCH_SEPARATOR, 1)[1] for entry in entries}
            contacts = owners if contacts is None else contacts & owners
        candidates = sorted(contacts or ())
        if not candidates:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zmscore(keys.index("activity"), candidates)
            pipe.zmscore(score_key, candidates)
            pipe.zmscore(stage_key, candidates)
            pipe.zmscore(keys.index("open_inbound"), candidates)
            activity, scores, in_stage, inbound = pipe.execute()
        expired, stalled = self._expired_cutoff(now), self._stalled_cutoff(now)
        return [(member, scores[i]) for i, member in enumerate(candidates)
                if activity[i] is not None and activity[i] > expired
                and scores[i] is not None and in_stage[i] is not None
                and (not query.stalled or (inbound[i] is not None and inbound[i] <= stalled))]

    # -- rows ----------------------------------------------------------------------------
    def _rows(self, picked: Iterable[tuple[str, str]], query: ConversationQuery,
              now: float) -> list[ConversationRow]:
        """Rows for (location, contact) pairs, in the given order; one pipelined GET per row
        (not MGET: a Redis Cluster pipeline refuses multi-key commands, even in one slot)."""
        picked = list(picked)
        with self.redis.pipeline(transaction=False) as pipe:
            for location, member in picked:
                pipe.get(LocationKeys(location).conversation(member))
            documents = dict(zip(picked, pipe.execute(), strict=True))
        moment = _at(now)
        rows = []
        for pair in picked:
            raw = documents.get(pair)
            if raw is None:  # deleted or expired between the index read and this one
                continue
            rows.append(self._row(Conversation.from_json(raw), moment, query.reveal_phone))
        return rows

    def _row(self, conv: Conversation, now: datetime, reveal_phone: bool) -> ConversationRow:
        return ConversationRow(
            contact_id=conv.contact_id, location_id=conv.location_id, name=conv.name,
            phone=conv.phone if reveal_phone else mask_phone(conv.phone),
            address=conv.address, stage=conv.stage, temperature=conv.temperature,
            lead_score=conv.lead_score, price_expectation=conv.price_expectation,
            timeline_days=conv.timeline_days,
            last_activity_at=conv.last_activity_at.isoformat(),
            stalled=is_stalled(conv, now, self.settings.stalled_after_seconds),
            paused=conv.paused, next_action=next_action(conv, now, self.settings),
            condition=conv.condition, motivation=conv.motivation,
            offer_amount=conv.offer_amount,
            appointment_at=conv.appointment_at.isoformat() if conv.appointment_at else None,
            needs_human=conv.needs_human, needs_human_reason=conv.needs_human_reason,
            counter_amount=conv.counter_amount, language=conv.language,
        )


def _temperature_range(temperature: str) -> Segment:
    low, high = TEMPERATURE_SCORES[temperature]
    return Segment(low=Bound(low * BAND) if low is not None else LOWEST,
                   high=Bound(high * BAND, inclusive=False) if high is not None else HIGHEST)


def _stage_range(stage: str) -> Segment:
    rank = STAGE_RANK[stage]
    return Segment(low=Bound(rank * BAND), high=Bound((rank + 1) * BAND, inclusive=False))


def _physical(holes: list[int], live_position: int) -> int:
    """The position in the segment of its n-th live member, skipping the holes before it."""
    low, high = live_position, live_position + len(holes)
    while low < high:  # smallest p with p - (holes before or at p) == live_position
        mid = (low + high) // 2
        if mid - bisect_left(holes, mid + 1) < live_position:
            low = mid + 1
        else:
            high = mid
    return low


def _merge_key(segment: int, score: float, member: str, source: Source) -> tuple:
    # Descending merges run with reverse=True, so later segments need smaller keys there.
    return (-segment if source.reverse else segment, score, member, source.location_id)


def _starts_the_set(source: Source) -> bool:
    """Whether the first segment begins at rank 0 in the reading direction."""
    head = source.segments[0]
    return (head.high if source.reverse else head.low).value in (float("inf"), float("-inf"))


def _stalled_by_range(query: ConversationQuery) -> bool:
    """Stalled, by last activity, alone or with a stage: one score range of one index.

    Stalled alone is "last inbound <= cutoff" of ``idx:open_inbound``, ordered by last inbound
    time. That time is the last activity too (the bot stamps an inbound message and its reply
    with the same instant, and nothing else moves last_activity_at; a test guards this), so
    the order is by activity, and within an open stage "activity <= cutoff" of the stage's
    activity index is the stalled set (a closed stage has none; "new" is left to the
    intersection, as a contact created without a message has no inbound time).
    """
    return (query.stalled and query.sort == "last_activity" and not query.temperature
            and query.stage != "new" and not query.needs_human)


def _scannable(query: ConversationQuery) -> bool:
    """Temperature and stage by activity or price: scan the stage index for shallow pages."""
    return bool(query.temperature and query.stage and not query.stalled
                and not query.needs_human and not query.segment
                and SORT_INDEX[query.sort] in ("activity", "price"))


def _segment_alone(query: ConversationQuery) -> bool:
    """A segment (the conversations behind one figure) by last activity, no other filter:
    its own index as written."""
    return bool(query.segment and not (query.temperature or query.stage or query.stalled
                                       or query.needs_human)
                and SORT_INDEX[query.sort] == "activity")


def _has_search(query: ConversationQuery) -> bool:
    """A q with nothing searchable in it ("--") filters nothing, like an empty box."""
    return bool(query.q and search_terms(query.q))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _iso(ts: float) -> str:
    return _at(ts).isoformat()


