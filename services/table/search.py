"""Search: the words of ``q`` through the lex index ``idx:search``, filtered in Redis."""

from __future__ import annotations

import heapq

import redis

from core.keys import LocationKeys
from core.schema import SEARCH_SEPARATOR, UNKNOWN_PRICE
from services.dashboard_models import ConversationQuery
from services.table.planning import (
    Moment,
    Range,
    Segment,
    filter_members,
    segment_range,
    segment_sets,
)
from services.table.query import banded_segment, search_terms, sort_index, term_prefixes

# Search one location in Redis, so candidate lists never travel to Python and back.
# KEYS: search (lex), activity, sort-score index, open_inbound, then the filters a member must
# be in (temperature and stage: one set's band, needs a person, a price bar: each with a score
# range), then a segment's sets (a member of any one passes; several: a union).
# ARGV: expired cutoff, stalled cutoff ('' = no stalled filter), how many filters, entry cap,
# one score range (min, max) per filter, then per term:
# how many lex ranges, and each (min, max) (a term matches an entry in any of its ranges:
# ``query.term_prefixes``).
# Reply: {contact, score, ...}, or {TOO_MANY} when the terms match more index entries than the
# cap (the caller then searches in steps). '\31' in the script is SEARCH_SEPARATOR.
TOO_MANY = "TOO_MANY"
SEARCH_ENTRY_CAP = 20_000
SEARCH_SCRIPT = r"""
local function bound(text)
  if text == '-inf' then return -math.huge, false end
  if text == '+inf' then return math.huge, false end
  if string.sub(text, 1, 1) == '(' then return tonumber(string.sub(text, 2)), true end
  return tonumber(text), false
end
local filters = tonumber(ARGV[3])
-- Each filter's score range, parsed once: {low, low excluded, high, high excluded}.
local bands = {}
for k = 1, filters do
  local low, low_open = bound(ARGV[3 + 2 * k])
  local high, high_open = bound(ARGV[4 + 2 * k])
  bands[k] = {low, low_open, high, high_open}
end
local function within(score, band)
  if not score then return false end
  score = tonumber(score)
  return (score > band[1] or (score == band[1] and not band[2]))
    and (score < band[3] or (score == band[3] and not band[4]))
end
local terms = {}
local entries = 0
local i = 5 + 2 * filters
while i <= #ARGV do
  local ranges, count = {}, 0
  for k = 1, tonumber(ARGV[i]) do
    local low, high = ARGV[i + 2 * k - 1], ARGV[i + 2 * k]
    count = count + redis.call('ZLEXCOUNT', KEYS[1], low, high)
    ranges[k] = {low, high}
  end
  if count == 0 then return {} end
  entries = entries + count
  terms[#terms + 1] = {ranges, count}
  i = i + 1 + 2 * #ranges
end
if entries > tonumber(ARGV[4]) then return {'TOO_MANY'} end
table.sort(terms, function(a, b) return a[2] < b[2] end)
local owners = nil
for _, term in ipairs(terms) do
  local found = {}
  for _, range in ipairs(term[1]) do
    for _, entry in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], range[1], range[2])) do
      local id = string.match(entry, '\31(.*)$')
      if owners == nil or owners[id] then found[id] = true end
    end
  end
  owners = found
  if next(owners) == nil then return {} end
end
local expired, stalled = tonumber(ARGV[1]), tonumber(ARGV[2])
-- Usually nothing is past its TTL: then one lookup per candidate is enough.
local check_expiry = redis.call('ZCOUNT', KEYS[2], '-inf', ARGV[1]) > 0
local out = {}
for id in pairs(owners or {}) do
  -- The filters first: the sort index holds every live contact, a filter leaves many out.
  local passes = true
  for k = 1, filters do
    passes = passes and within(redis.call('ZSCORE', KEYS[4 + k], id), bands[k])
  end
  local score = passes and redis.call('ZSCORE', KEYS[3], id)
  if score and check_expiry then
    score = tonumber(redis.call('ZSCORE', KEYS[2], id) or 0) > expired and score
  end
  passes = score
  if passes and #KEYS > 4 + filters then
    local any = false
    for k = 5 + filters, #KEYS do
      any = any or redis.call('ZSCORE', KEYS[k], id)
    end
    passes = any
  end
  if passes then
    local inbound = stalled and redis.call('ZSCORE', KEYS[4], id)
    if not stalled or (inbound and tonumber(inbound) <= stalled) then
      out[#out + 1] = id
      out[#out + 1] = score
    end
  end
end
return out
"""

Hit = tuple[str, float]  # (contact, sort score)
LexRange = tuple[bytes, bytes]  # (min, max) of ZRANGEBYLEX


def lex_range(prefix: str) -> LexRange:
    """The lex range of the index entries starting with ``prefix``."""
    # 0xFF never occurs in UTF-8, so it sorts after every token with this prefix.
    return b"[" + prefix.encode(), b"[" + prefix.encode() + b"\xff"


class TableSearch:
    """Contacts matching a query's ``q`` and filters, in table order."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._script = client.register_script(SEARCH_SCRIPT)

    def search(self, query: ConversationQuery, locations: list[str], moment: Moment,
               stop: int | None = None) -> tuple[int, list[tuple[str, str]]]:
        """How many contacts match q and the filters, and the first ``stop`` of them (all
        when None) in table order, as (location, contact)."""
        terms = search_terms(query.q or "")
        reverse = query.order == "desc"
        price = sort_index(query) == "price"
        found = []
        for location in locations:
            for member, score in self._search_location(LocationKeys(location), terms, query,
                                                       moment):
                unknown = 1 if price and score == UNKNOWN_PRICE else 0
                found.append(((-unknown if reverse else unknown, score, member, location),
                              location, member))
        if stop is None:
            ordered = sorted(found, reverse=reverse)
        else:
            ordered = (heapq.nlargest if reverse else heapq.nsmallest)(stop, found)
        return len(found), [(location, member) for _, location, member in ordered]

    def _search_location(self, keys: LocationKeys, terms: list[str], query: ConversationQuery,
                         moment: Moment) -> list[Hit]:
        """(contact, sort score) of one location's matches, found and filtered in Redis."""
        score_key = keys.index(sort_index(query))
        filters: list[Range] = []
        if query.temperature or query.stage:
            filters.append(filter_members(keys, query.temperature, query.stage))
        if query.needs_human:
            filters.append((keys.needs_human, Segment()))
        segment = []
        if banded_segment(query.segment):
            filters.append(segment_range(keys, query.segment))
        elif query.segment:
            segment = segment_sets(keys, query.segment)
        args: list[object] = [repr(moment.expired),
                              repr(moment.stalled) if query.stalled else "",
                              len(filters), SEARCH_ENTRY_CAP]
        for _, band in filters:
            args += [band.low.arg(), band.high.arg()]
        ranges = [[lex_range(prefix) for prefix in term_prefixes(term)] for term in terms]
        for term_ranges in ranges:
            args.append(len(term_ranges))
            args += [bound for low_high in term_ranges for bound in low_high]
        reply = self._script(
            keys=[keys.search, keys.activity, score_key, keys.open_inbound,
                  *(key for key, _ in filters), *segment],
            args=args)
        if reply == [TOO_MANY]:
            return self._search_in_steps(keys, ranges, score_key, filters, segment, query,
                                         moment)
        return [(reply[i], float(reply[i + 1])) for i in range(0, len(reply), 2)]

    def _candidates(self, keys: LocationKeys, ranges: list[list[LexRange]]) -> list[str]:
        """Contacts holding, for every term, a token in one of its lex ranges, sorted."""
        with self.redis.pipeline(transaction=False) as pipe:
            for low, high in (low_high for term in ranges for low_high in term):
                pipe.zrangebylex(keys.search, low, high)
            matches = iter(pipe.execute())
        contacts: set[str] | None = None
        for term in ranges:
            owners = {entry.rsplit(SEARCH_SEPARATOR, 1)[1]
                      for _ in term for entry in next(matches)}
            contacts = owners if contacts is None else contacts & owners
        return sorted(contacts or ())

    def _search_in_steps(self, keys: LocationKeys, ranges: list[list[LexRange]],
                         score_key: str, filters: list[Range], segment: list[str],
                         query: ConversationQuery, moment: Moment) -> list[Hit]:
        """The same as the search script, in round trips that never block Redis for long
        (for terms so short they match a large part of the index)."""
        candidates = self._candidates(keys, ranges)
        if not candidates:
            return []
        with self.redis.pipeline(transaction=False) as pipe:
            for key in (keys.activity, score_key, keys.open_inbound,
                        *(key for key, _ in filters), *segment):
                pipe.zmscore(key, candidates)
            activity, scores, inbound, *rest = pipe.execute()
        in_filters, in_segment = rest[:len(filters)], rest[len(filters):]
        return [(member, scores[i]) for i, member in enumerate(candidates)
                if activity[i] is not None and activity[i] > moment.expired
                and scores[i] is not None
                and all(hits[i] is not None and band.contains(hits[i])
                        for hits, (_, band) in zip(in_filters, filters, strict=True))
                and (not segment or any(hits[i] is not None for hits in in_segment))
                and (not query.stalled
                     or (inbound[i] is not None and inbound[i] <= moment.stalled))]
