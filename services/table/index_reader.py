"""Reading planned sources from Redis: intersections, sizes, expired holes and pages by rank."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from itertools import islice

import redis

from core.keys import LOCATIONS, LocationKeys
from services.dashboard_models import ConversationQuery
from services.table.planning import Moment, Range, Segment, Source

# A page of score ranges ("runs") merged by score: one location's sets whose union is a
# segment (disjoint), or a temperature's lead-score bands of one score index (each compared by
# its score less its shift: the activity). Per run, how many of its entries come before the
# page's start and before its end, found by moving a score bound (ZCOUNTs at each probe), then
# the entries between the two read by rank: a page reads about its own size, at any depth.
# Bounds are multiples of ARGV[4], so a bound plus a band's shift is exact and cuts every band
# at the same activity (ties on it are never split).
# KEYS: each run's set. ARGV: start, stop, '1' descending / '0' ascending, the bound step, then
# per run (none empty): its score range's bounds (exclusive, or infinite), shift, first rank
# in the reading direction, size.
MERGE_SCRIPT = r"""
local start, stop, desc, step = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1',
  tonumber(ARGV[4])
local function number(text)
  return tonumber(text) or (text:sub(1, 1) == '-' and -math.huge or math.huge)
end
local function open_bound(value) return string.format('(%.17g', value) end
local function by_rank(key, first, last)
  if desc then return redis.call('ZRANGE', key, first, last, 'REV', 'WITHSCORES') end
  return redis.call('ZRANGE', key, first, last, 'WITHSCORES')
end
local runs, zeros, sizes, total, lowest, highest = {}, {}, {}, 0, math.huge, -math.huge
for i, key in ipairs(KEYS) do
  local at = 4 + 5 * (i - 1)
  local run = {key = key, low = number(ARGV[at + 1]), high = number(ARGV[at + 2]),
               shift = tonumber(ARGV[at + 3]), rank = tonumber(ARGV[at + 4]),
               size = tonumber(ARGV[at + 5])}
  run.to = open_bound(run.high)
  run.from = open_bound(run.low)
  local ends = {by_rank(key, run.rank, run.rank)[2],
                by_rank(key, run.rank + run.size - 1, run.rank + run.size - 1)[2]}
  for _, score in ipairs(ends) do
    lowest = math.min(lowest, tonumber(score) - run.shift)
    highest = math.max(highest, tonumber(score) - run.shift)
  end
  runs[i], zeros[i], sizes[i], total = run, 0, run.size, total + run.size
end
-- Per run, its entries before the bound (ticks * step) in the reading direction, and their sum.
local function before(ticks)
  local counts, sum = {}, 0
  for i, run in ipairs(runs) do
    local at = run.shift + ticks * step
    if desc then
      counts[i] = at >= run.high and 0
                  or redis.call('ZCOUNT', run.key, open_bound(math.max(at, run.low)), run.to)
    else
      counts[i] = at <= run.low and 0
                  or redis.call('ZCOUNT', run.key, run.from, open_bound(math.min(at, run.high)))
    end
    sum = sum + counts[i]
  end
  return counts, sum
end
-- Narrow a bound with at most `target` entries before it (fits) and one with at least as many
-- (beyond) until they meet: each probe where the two sums put `target` (entries are spread
-- about evenly over time), or halfway when the last one did not halve the gap.
local function around(target, fits, beyond)
  local halve = false
  while fits.sum < target and math.abs(beyond.at - fits.at) > 1 do
    local gap = beyond.at - fits.at
    local share = halve and 0.5 or (target - fits.sum) / (beyond.sum - fits.sum)
    local at = math.max(math.min(fits.at, beyond.at) + 1,
                        math.min(math.max(fits.at, beyond.at) - 1,
                                 math.floor(fits.at + gap * share)))
    local counts, sum = before(at)
    local probe = {at = at, counts = counts, sum = sum}
    if sum <= target then fits = probe end
    if sum >= target then beyond = probe end
    halve = math.abs(beyond.at - fits.at) * 2 > math.abs(gap)
  end
  return fits, beyond
end
-- Before the first entry none come, before one past the last all do.
local low, high = math.floor(lowest / step) - 1, math.floor(highest / step) + 1
local head = {at = desc and high or low, counts = zeros, sum = 0}
local tail = {at = desc and low or high, counts = sizes, sum = total}
local fits, beyond = head, tail
if start > 0 then
  fits, beyond = around(start, head, tail)
end
local last = sizes
if stop < total then
  local _, ends = around(stop, fits, beyond.sum >= stop and beyond or tail)
  last = ends.counts
end
local first = fits.counts
local page = {first}
for i, run in ipairs(runs) do
  page[i + 1] = last[i] > first[i]
                and by_rank(run.key, run.rank + first[i], run.rank + last[i] - 1) or {}
end
return page
"""
# Bounds of a merged read are multiples of this: the ulp of a packed score below 2**40 (lead
# score up to 100 times SORT_BAND, plus the time), so bound + shift is exact in every band.
BOUND_STEP = 2.0**-13
# Intersections are rebuilt only when the data version changes; this bounds their memory.
DERIVED_KEY_SECONDS = 30
SCAN_CHUNK = 1000
# A filtered scan that has read this many entries without filling its page (its filter's
# members are rare where the sort starts, say hot contacts among the last stages) gives up:
# the stored intersection is read instead (``ScanTooLong``).
SCAN_BUDGET = 2000


class ScanTooLong(Exception):
    """A filtered scan read SCAN_BUDGET entries without filling its page."""

Entry = tuple[int, float, str]  # (segment number, score, member)


class IndexReader:
    """Round trips over the sorted-set indexes for the sources ``planning`` describes."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._merge = client.register_script(MERGE_SCRIPT)

    # -- intersections -------------------------------------------------------------------
    def materialize(self, derived: list[tuple[Source, list[Range]]], query: ConversationQuery,
                    moment: Moment) -> None:
        """Point each source at the intersection it needs, building it unless it exists."""
        names = self._intersection_names(derived, query, moment)
        with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.exists(name)
            present = pipe.execute()
        for (source, inputs), name, exists in zip(derived, names, present, strict=True):
            if not exists:
                self._intersect(source, inputs, name, query, moment)
            source.key = name

    def _intersection_names(self, derived: list[tuple[Source, list[Range]]],
                            query: ConversationQuery, moment: Moment) -> list[str]:
        """One key name per source: its inputs, the stalled count and the data version."""
        with self.redis.pipeline(transaction=False) as pipe:
            for source, _ in derived:
                keys = LocationKeys(source.location_id)
                pipe.get(keys.version)
                if query.stalled:
                    pipe.zcount(keys.open_inbound, "-inf", repr(moment.stalled))
            answers = iter(pipe.execute())
        names = []
        for source, inputs in derived:
            version = next(answers) or "0"
            # With the data unchanged, the stalled set is the first n of open_inbound: the count
            # names it exactly.
            stalled = next(answers) if query.stalled else "-"
            tag = LocationKeys(source.location_id).tag
            names.append(f"{tag}:tmp:table:{':'.join(_range_name(r) for r in inputs)}"
                         f":stalled={stalled}:v{version}")
        return names

    def _intersect(self, source: Source, inputs: list[Range], name: str,
                   query: ConversationQuery, moment: Moment) -> None:
        inputs = self._without_empty_sets(inputs)
        # One transaction per location (one hash slot), so a concurrent builder of the same
        # key never sees a helper set half made.
        with self.redis.pipeline(transaction=True) as pipe:
            sets, helpers, union = [], [], ()
            for number, (key, segment) in enumerate(inputs):
                if isinstance(key, tuple):  # a union (a segment of several sets): below
                    union = key
                elif segment.whole():
                    sets.append(key)
                else:  # a score band of a packed index
                    helper = f"{name}:in{number}"
                    pipe.zrangestore(helper, key, segment.low.arg(), segment.high.arg(),
                                     byscore=True)
                    helpers.append(helper)
                    sets.append(helper)
            if query.stalled:
                stalled_set = f"{name}:stalled"
                pipe.zrangestore(stalled_set,
                                 LocationKeys(source.location_id).open_inbound,
                                 "-inf", repr(moment.stalled), byscore=True)
                helpers.append(stalled_set)
                sets.append(stalled_set)
            if union:
                # The intersection with each of the union's sets, then their union: each
                # costs what its smallest set holds, never a copy of the whole union.
                parts = [f"{name}:part{number}" for number in range(len(union))]
                for part, key in zip(parts, union, strict=True):
                    pipe.zinterstore(part, _weights([*sets, key]))
                pipe.zunionstore(name, parts, aggregate="MAX")
                helpers += parts
            else:
                pipe.zinterstore(name, _weights(sets))
            pipe.expire(name, DERIVED_KEY_SECONDS)
            if helpers:
                # Freed in the background: a band's copy can hold most of the location.
                pipe.unlink(*helpers)
            pipe.execute()

    def _without_empty_sets(self, inputs: list[Range]) -> list[Range]:
        """The inputs with a union's empty sets left out (the open segment's second set is
        empty when every conversation began with an inbound message): a union of one set is
        intersected as that set, at no cost beyond its intersection."""
        unions = [key for key, _ in inputs if isinstance(key, tuple)]
        if not unions:
            return inputs
        with self.redis.pipeline(transaction=False) as pipe:
            for key in unions[0]:
                pipe.zcard(key)
            filled = tuple(key for key, size in zip(unions[0], pipe.execute(), strict=True)
                           if size)
        # None filled: one of them (empty) keeps the intersection empty.
        kept = filled if len(filled) > 1 else (filled or unions[0])[0]
        return [(kept if isinstance(key, tuple) else key, segment) for key, segment in inputs]

    # -- sizes ---------------------------------------------------------------------------
    def measure(self, sources: list[Source], moment: Moment,
                window: tuple[int, int] | None = None) -> list[str]:
        """Fill each segment's position and size, and the ranks of expired members in it;
        return the current locations."""
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.smembers(LOCATIONS)
            for source in sources:
                self._queue_sizes(pipe, source, moment, window)
            answers = iter(pipe.execute())
        locations = sorted(next(answers))
        for source in sources:
            source.expired = set(next(answers))
            for seg in source.segments:
                seg.before, seg.count = next(answers), next(answers)
            if _guesses(source, window):
                source.guess = (*window, next(answers))
        self._find_holes([s for s in sources if s.expired])
        return locations

    @staticmethod
    def _queue_sizes(pipe: redis.client.Pipeline, source: Source, moment: Moment,
                     window: tuple[int, int] | None) -> None:
        pipe.zrangebyscore(LocationKeys(source.location_id).activity,
                           "-inf", repr(moment.expired))
        for seg in source.segments:
            if source.reverse:
                pipe.zcount(source.key, seg.high.complement(), "+inf")
            else:
                pipe.zcount(source.key, "-inf", seg.low.complement())
            pipe.zcount(source.key, seg.low.arg(), seg.high.arg())
        if _guesses(source, window):
            pipe.zrange(source.key, window[0], window[1] - 1, desc=source.reverse,
                        withscores=True)

    def _find_holes(self, pending: list[Source]) -> None:
        """Rare (the sweep retires contacts before their TTL): find where the expired ones
        sit, so reads by rank skip them."""
        if not pending:
            return
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

    def count_matches(self, sources: list[Source]) -> None:
        """Exact size of scanned sources: their filter's count (``planning.scan_filter``),
        less expired members."""
        with self.redis.pipeline(transaction=False) as pipe:
            for source in sources:
                band = source.filter_band
                pipe.zcount(source.filter_key, band.low.arg(), band.high.arg())
                if source.expired:
                    expired = sorted(source.expired)
                    pipe.zmscore(source.key, expired)
                    pipe.zmscore(source.filter_key, expired)
            answers = iter(pipe.execute())
        for source in sources:
            source.matches = next(answers)
            if source.expired:
                in_both = zip(next(answers), next(answers), strict=True)
                source.matches -= sum(a is not None and b is not None
                                      and source.filter_band.contains(b)
                                      and any(seg.contains(a) for seg in source.segments)
                                      for a, b in in_both)

    # -- reading -------------------------------------------------------------------------
    def read(self, source: Source, start: int, stop: int) -> list[Entry]:
        """Live members at positions [start, stop) of the source: (segment, score, member)."""
        head = source.segments[0]
        if (source.guess and source.guess[:2] == (start, stop) and not head.holes
                and (head.count >= stop or len(source.segments) == 1)):
            within = max(0, min(stop, head.count) - start)
            return [(0, score, member) for member, score in source.guess[2][:within]]
        plan = _rank_ranges(source, start, stop)
        if not plan:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for _, low, high in plan:
                pipe.zrange(source.key, low, high, desc=source.reverse, withscores=True)
            chunks = pipe.execute()
        return [(number, score, member)
                for (number, _, _), chunk in zip(plan, chunks, strict=True)
                for member, score in chunk if member not in source.expired]

    def read_any(self, source: Source, start: int, stop: int) -> list[Entry]:
        if source.merged:
            runs = [(source.key, seg) for seg in source.segments]
            return [(0, score, member)
                    for score, member in self._read_runs(runs, source.reverse, start, stop)]
        return (self._read_filtered(source, start, stop) if source.filter_key
                else self.read(source, start, stop))

    def _read_filtered(self, source: Source, start: int, stop: int) -> list[Entry]:
        """Positions [start, stop) among the members also in ``filter_key`` (within
        ``filter_band``), read in order."""
        matched: list[Entry] = []
        density = source.matches / max(1, source.scanned_total)
        position = 0
        while len(matched) < stop and position < source.scanned_total and density:
            if position >= SCAN_BUDGET:
                raise ScanTooLong(source.key)
            size = min(SCAN_CHUNK, int((stop - len(matched)) / density * 1.2) + 10)
            chunk = self.read(source, position, position + size)
            if chunk:
                present = self.redis.zmscore(source.filter_key, [m for _, _, m in chunk])
                matched += [entry for entry, score in zip(chunk, present, strict=True)
                            if score is not None and source.filter_band.contains(score)]
            position += size
        return matched[start:stop]

    def _read_union(self, sources: list[Source], start: int,
                    stop: int) -> list[tuple[str, str]]:
        """Positions [start, stop) of one location's disjoint sets merged by score."""
        runs = [(source.key, source.segments[0]) for source in sources]
        location = sources[0].location_id
        return [(location, member)
                for _, member in self._read_runs(runs, sources[0].reverse, start, stop)]

    def _read_runs(self, runs: list[tuple[str, Segment]], reverse: bool, start: int,
                   stop: int) -> list[tuple[float, str]]:
        """(score less shift, member) at positions [start, stop) of measured score ranges
        merged by that score (``MERGE_SCRIPT``): each read from where the page starts."""
        runs = [(key, seg) for key, seg in runs if seg.count]  # lead scores nobody has
        if start >= sum(seg.count for _, seg in runs):
            return []
        args: list[float | int] = [start, stop, int(reverse), BOUND_STEP]
        for _, seg in runs:
            args += [seg.low.value, seg.high.value, seg.shift, seg.before, seg.count]
        skipped, *chunks = self._merge(keys=[key for key, _ in runs], args=args)
        entries = sorted(((float(score) - seg.shift, member)
                          for (_, seg), chunk in zip(runs, chunks, strict=True)
                          for member, score in zip(chunk[::2], chunk[1::2], strict=True)),
                         reverse=reverse)
        return entries[start - sum(skipped):stop - sum(skipped)]

    def read_merged(self, sources: list[Source], start: int,
                    stop: int) -> list[tuple[str, str]]:
        """(location, contact) at positions [start, stop) of all locations merged."""
        if len(sources) == 1:
            only = sources[0]
            return [(only.location_id, m) for _, _, m in self.read_any(only, start, stop)]
        if is_union(sources) and start and not any(s.expired for s in sources):
            return self._read_union(sources, start, stop)
        # Each location's first `stop` entries are enough to know the merged first `stop`.
        streams = [[(merge_key(seg, score, member, source), source.location_id, member)
                    for seg, score, member in self.read_any(source, 0, stop)]
                   for source in sources]
        reverse = sources[0].reverse if sources else False
        merged = heapq.merge(*streams, reverse=reverse)
        return [(location, member) for _, location, member in islice(merged, start, stop)]


def _weights(sets: list[str]) -> dict[str, int]:
    """ZINTERSTORE weights: the first set carries the sort score, the others only filter. A set
    named twice (a segment shared with an index: schema.SEGMENT_SHARES) counts once."""
    return {key: (1 if i == 0 else 0) for i, key in enumerate(dict.fromkeys(sets))}


def is_union(sources: list[Source]) -> bool:
    """Whether the sources are one location's sets whose union is a segment (``plans``)."""
    return len(sources) > 1 and len({source.location_id for source in sources}) == 1


def _range_name(index: Range) -> str:
    """An intersection input in the intersection's key name: the index, and its band."""
    key, segment = index
    name = "+".join(k.rsplit(":idx:", 1)[1] for k in ((key,) if isinstance(key, str) else key))
    return name if segment.whole() else f"{name}[{segment.low.arg()},{segment.high.arg()}]"


def _guesses(source: Source, window: tuple[int, int] | None) -> bool:
    """Whether the sizes' round trip also reads the window (see ``Source.guess``)."""
    return bool(window and not source.merged and source.starts_the_set()
                and not source.filter_key)


def _rank_ranges(source: Source, start: int, stop: int) -> list[tuple[int, int, int]]:
    """(segment number, first rank, last rank) covering live positions [start, stop)."""
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
    return plan


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


def merge_key(segment: int, score: float, member: str, source: Source) -> tuple:
    """Sort key of an entry among several locations' entries, in table order."""
    # Descending merges run with reverse=True, so later segments need smaller keys there.
    return (-segment if source.reverse else segment, score, member, source.location_id)
