"""Query planning: which index, which score ranges, and which intersections a query reads.

Per location, every query is one sorted set read in order, as one or two score ranges
("segments"):

- no filter or a stage: the sort's index or the stage's as written (price: known, then
  unknown), or a band of a packed index (a stage by activity or stage: its band of idx:stage;
  ``schema.STAGE_INDEX_SORTS``); a temperature by lead score: its band of idx:score (a
  temperature is a lead-score band: it has no set of its own);
- temperature and stage by lead score: a score range of the stage's lead score index, because
  its scores pack the lead score above the activity time;
- stalled alone, by last activity: the range "last inbound <= now - 48 h" of open_inbound;
- stalled with an open stage, by last activity: "activity <= cutoff" within the stage's band
  of idx:stage;
- a segment alone by last activity: its set, or its sets merged (a funnel stage, the open
  ones); a price bar by price: its bin's band of idx:price;
- a temperature by last activity, alone or with a stage: the bands of its lead scores in
  idx:score (or the stage's lead score index), one per lead score (each in activity order),
  merged by activity (``activity_bands``; ``IndexReader`` finds where a page starts and
  ends in them with ZCOUNTs of an activity bound, and reads about a page from each band);
- a temperature by price or stage, a stage by price, temperature and stage by price or
  stage, needs a person by another sort than activity, a price bar by another sort than
  price (sorts without an index of their own for the filter, issue #15: fewer entries per
  contact): the sort's index (or the stage's band of idx:stage) read in order, keeping
  members of the filter (``scan_filter``: a set, or a band of one: a temperature's
  lead-score band of idx:score, with a stage of the stage's lead score index; exact count
  from it), while a page needs at most SCAN_LIMIT entries read (and gives up past
  SCAN_BUDGET); deeper pages, like everything else (a temperature with needs a person, a
  segment or stalled; stalled with another sort): an intersection stored in a short-lived
  key under the location's hash tag, named by the data version, so every page and refresh
  reuses it until the data changes (a band of a packed index goes into it through a helper
  copy of the band; by activity a temperature is idx:activity and its band of idx:score).

Pages are read by rank, so a deep page costs the same as page 1. Contacts past their TTL that
the sweep has not retired yet are skipped by rank (a temperature's bands by activity start
above the expiry bound). Search (``search``) resolves each word
through the lex index ``idx:search`` and filters the candidates by index scores in Redis;
Python sorts them, so a search costs O(matching contacts).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.keys import LocationKeys
from core.schema import (
    FUNNEL_SEGMENT,
    OPEN_SEGMENT,
    PRICE_SEGMENT,
    SEGMENT_SHARES,
    SORT_BAND,
    STAGE_INDEX_SORTS,
    UNKNOWN_PRICE,
    price_band,
)
from seller_bot.aggregates import STAGE_RANK
from seller_bot.models import CLOSED_STAGES, FUNNEL_STAGES
from seller_bot.scoring import HOT_AT, MAX_LEAD_SCORE, WARM_AT
from services.dashboard_models import ConversationQuery
from services.table.query import (
    band_alone,
    banded_segment,
    filtered_read,
    segment_alone,
    sort_index,
    stalled_by_range,
    temperature_by_activity,
)

# The lead scores of each temperature, as [low, high).
TEMPERATURE_SCORES = {"hot": (HOT_AT, MAX_LEAD_SCORE + 1), "warm": (WARM_AT, HOT_AT),
                      "cold": (0, WARM_AT)}


@dataclass(frozen=True)
class Moment:
    """The instant a query is answered at (epoch s) and the index bounds it implies."""

    now: float
    expired: float  # activity at or below this: past the TTL
    stalled: float  # last inbound at or below this: stalled


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
    """A score range of one sorted set; ``before`` and ``count`` are filled when measured."""

    low: Bound = LOWEST
    high: Bound = HIGHEST
    before: int = 0
    count: int = 0
    holes: list[int] = field(default_factory=list)  # expired members' positions, ascending
    # Subtracted from a score to compare it with the other segments' (``Source.merged``).
    shift: float = 0.0

    def whole(self) -> bool:
        return self.low == LOWEST and self.high == HIGHEST

    def contains(self, score: float) -> bool:
        low, high = self.low, self.high
        return ((score >= low.value if low.inclusive else score > low.value)
                and (score <= high.value if high.inclusive else score < high.value))


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
    # Scanning: members of ``key`` count only if also in ``filter_key`` with a score within
    # ``filter_band``; ``matches`` of them.
    filter_key: str | None = None
    filter_band: Segment = field(default_factory=Segment)
    matches: int = 0
    # The segments are read merged by score less their shift, not one after another.
    merged: bool = False

    @property
    def total(self) -> int:
        return self.matches if self.filter_key else self.scanned_total

    @property
    def scanned_total(self) -> int:
        return sum(s.count - len(s.holes) for s in self.segments)

    def starts_the_set(self) -> bool:
        """Whether the first segment begins at rank 0 in the reading direction."""
        head = self.segments[0]
        return (head.high if self.reverse else head.low).value in (float("inf"), float("-inf"))


def temperature_range(temperature: str) -> Segment:
    """The lead-score range of a temperature, in the packed score of a score index."""
    low, high = TEMPERATURE_SCORES[temperature]
    return Segment(low=Bound(low * SORT_BAND), high=Bound(high * SORT_BAND, inclusive=False))


def activity_bands(temperature: str, expired: float) -> list[Segment]:
    """A temperature's live contacts in a score index, one band per lead score: each in
    activity order (its score less the shift is the activity), from the expiry bound up."""
    return [Segment(low=Bound(score * SORT_BAND + expired, inclusive=False),
                    high=Bound((score + 1) * SORT_BAND, inclusive=False),
                    shift=score * SORT_BAND)
            for score in range(*TEMPERATURE_SCORES[temperature])]


def _stage_range(stage: str) -> Segment:
    rank = STAGE_RANK[stage]
    return Segment(low=Bound(rank * SORT_BAND),
                   high=Bound((rank + 1) * SORT_BAND, inclusive=False))


# A sorted set (or several: their union) and the score range of it that is meant.
Range = tuple[str | tuple[str, ...], Segment]


def segment_sets(keys: LocationKeys, segment: str) -> list[str]:
    """The sorted sets whose union is a segment's conversations, by last activity: a funnel
    stage's are the furthest-stage indexes from it on (``schema.FUNNEL_SEGMENT``), the open
    ones' ``idx:open_inbound`` and ``idx:open_silent`` (``schema.OPEN_SEGMENT``)."""
    if segment.startswith(FUNNEL_SEGMENT) and segment not in SEGMENT_SHARES:
        stage = segment.removeprefix(FUNNEL_SEGMENT)
        return [keys.funnel_index(s) for s in FUNNEL_STAGES[FUNNEL_STAGES.index(stage):]]
    if segment == OPEN_SEGMENT:
        return [keys.open_inbound, keys.open_silent]
    return [keys.segment_index(segment)]


def segment_range(keys: LocationKeys, segment: str) -> Range:
    """A segment as one intersection input (several sets: their union; a price bar: its band
    of the price index)."""
    if banded_segment(segment):
        low, high = price_band(segment.removeprefix(PRICE_SEGMENT))
        return keys.index("price"), Segment(
            low=Bound(low), high=HIGHEST if high is None else Bound(high, inclusive=False))
    sets = segment_sets(keys, segment)
    return (sets[0] if len(sets) == 1 else tuple(sets)), Segment()


def stage_set(keys: LocationKeys, stage: str, sort: str) -> Range | None:
    """The contacts in ``stage`` by ``sort``: the stage's own index, its band of the packed
    ``idx:stage`` (by activity and by stage: the same order), or None (by price: the sort's
    index read with ``stage_members``; ``schema.STAGE_INDEX_SORTS``)."""
    if sort in STAGE_INDEX_SORTS:
        return keys.stage_index(stage, sort), Segment()
    if sort in ("activity", "stage"):
        return keys.index("stage"), _stage_range(stage)
    return None


def temperature_members(keys: LocationKeys, temperature: str) -> Range:
    """The contacts of ``temperature``: its lead-score band of ``idx:score`` (a temperature is
    a function of the lead score), in lead-score order; by another sort it filters that sort's
    index."""
    return keys.index("score"), temperature_range(temperature)


def stage_members(keys: LocationKeys, stage: str, temperature: str | None = None) -> Range:
    """A set holding exactly the contacts in ``stage`` (a filter), and with a temperature its
    lead-score band: the stage's lead score index packs the lead score above the activity."""
    band = temperature_range(temperature) if temperature else Segment()
    return keys.stage_index(stage, "score"), band


def filter_members(keys: LocationKeys, temperature: str | None, stage: str | None) -> Range:
    """The contacts of a temperature, of a stage or of both, as one band of one set (one score
    lookup checks both), by lead score."""
    return (stage_members(keys, stage, temperature) if stage
            else temperature_members(keys, temperature))


def scan_filter(location_id: str, query: ConversationQuery) -> Range:
    """What a scanned source's members must be in (``query.scannable``): its score count is
    the number of matches."""
    keys = LocationKeys(location_id)
    if query.segment:
        return segment_range(keys, query.segment)
    if query.needs_human:
        return keys.needs_human, Segment()
    return filter_members(keys, query.temperature, query.stage)


def _key_and_range(keys: LocationKeys, query: ConversationQuery,
                   stalled_cutoff: float) -> Range:
    """The index a location's rows come from, and the score range of it."""
    sort = sort_index(query)
    temp, stage = query.temperature, query.stage
    if segment_alone(query):  # one of its sets (``plans``: one source per set)
        return segment_sets(keys, query.segment)[0], Segment()
    if band_alone(query):
        return segment_range(keys, query.segment)
    if query.needs_human and sort == "activity" and not (temp or stage):
        return keys.needs_human, Segment()  # with stalled: an intersection
    if stalled_by_range(query) and stage:
        key, band = stage_set(keys, stage, "activity")
        if stage in CLOSED_STAGES:
            return key, Segment(low=HIGHEST, high=LOWEST)
        # The band's scores are the stage's rank band plus the activity time.
        return key, Segment(low=band.low, high=Bound(band.low.value + stalled_cutoff))
    if stalled_by_range(query):
        return keys.open_inbound, Segment(high=Bound(stalled_cutoff))
    if temp and sort == "score":
        return filter_members(keys, temp, stage)
    # The stage's index or band, else the sort's index: read as it is, filtered
    # (``scan_filter``) or intersected (``derivation``).
    ordered = stage_set(keys, stage, sort) if stage else None
    return ordered or (keys.index(sort), Segment())


def plan(location_id: str, query: ConversationQuery, moment: Moment) -> Source:
    """The location's source for the query, before any intersection (``derivation``)."""
    keys = LocationKeys(location_id)
    reverse = query.order == "desc"
    if temperature_by_activity(query):
        key, _ = filter_members(keys, query.temperature, query.stage)
        return Source(location_id, key, reverse,
                      activity_bands(query.temperature, moment.expired), merged=True)
    key, segment = _key_and_range(keys, query, moment.stalled)
    if sort_index(query) == "price" and segment.whole():
        # Unknown prices (score -1) go last in both orders, like blanks in a spreadsheet.
        segments = [Segment(low=Bound(UNKNOWN_PRICE, inclusive=False)),
                    Segment(high=Bound(UNKNOWN_PRICE))]
    else:
        segments = [segment]
    return Source(location_id, key, reverse, segments)


def plans(location_id: str, query: ConversationQuery, moment: Moment) -> list[Source]:
    """The location's sources for the query: one, or one per set of a segment that is a
    union, merged by score (``IndexReader.read_merged``)."""
    first = plan(location_id, query, moment)
    if not segment_alone(query):
        return [first]
    sets = segment_sets(LocationKeys(location_id), query.segment)
    return [first, *(Source(location_id, key, first.reverse, [Segment()]) for key in sets[1:])]


def derivation(location_id: str, query: ConversationQuery) -> list[Range] | None:
    """Index ranges to intersect (the first carries the sort score), or None if not needed."""
    return None if temperature_by_activity(query) else _intersection_inputs(location_id, query)


def _intersection_inputs(location_id: str, query: ConversationQuery) -> list[Range] | None:
    """``derivation`` of any query: with other filters a temperature by activity is
    ``idx:activity`` and the temperature's band."""
    keys = LocationKeys(location_id)
    if query.segment and not segment_alone(query) and not band_alone(query):
        # The table's other filters, then only the segment's members (weight 0).
        base = replace(query, segment=None)
        # Stalled is applied by the intersection itself (``IndexReader._intersect``).
        inputs = (_intersection_inputs(location_id, base)
                  or [_key_and_range(keys, replace(base, stalled=False), 0)])
        return [*inputs, segment_range(keys, query.segment)]
    sort = sort_index(query)
    temp, stage = query.temperature, query.stage
    if query.needs_human:
        # The other filters' source first (it carries the sort score), then the flagged.
        base = replace(query, needs_human=False, stalled=False)
        if sort == "activity" and not (temp or stage):
            return [(keys.needs_human, Segment())] if query.stalled else None
        inputs = _intersection_inputs(location_id, base) or [_key_and_range(keys, base, 0)]
        return [*inputs, (keys.needs_human, Segment())]
    if query.stalled and not stalled_by_range(query):
        unstalled = replace(query, stalled=False)
        return (_intersection_inputs(location_id, unstalled)
                or [_key_and_range(keys, unstalled, 0)])
    if filtered_read(query):
        # What a scan reads (it carries the sort score) and keeps (``scan_filter``).
        return [_key_and_range(keys, query, 0), scan_filter(location_id, query)]
    return None
