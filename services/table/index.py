"""The conversation table over every location's indexes: pages and CSV rows (how each kind
of query is read: ``services.table.planning``)."""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from math import ceil

import redis

from core.keys import LOCATIONS
from core.schema import expired_up_to
from core.settings import Settings
from services.dashboard_models import ConversationQuery, ConversationRow, ConversationsPage
from services.table import export
from services.table.index_reader import IndexReader, ScanTooLong, is_union
from services.table.planning import (
    Moment,
    Range,
    Source,
    derivation,
    plan,
    plans,
    scan_filter,
)
from services.table.query import has_search, scannable, validate
from services.table.rows import load_rows
from services.table.search import TableSearch

# A filter read from another index (``query.scannable``): a page is found by reading that index
# in order and keeping the filter's members, when that reads at most this many entries; deeper
# pages use the stored intersection.
SCAN_LIMIT = 1000

Derived = list[tuple[Source, list[Range]]]  # sources and the index ranges they intersect


class ConversationIndex:
    """The conversation table (pages, export rows) over every location's indexes."""

    def __init__(self, redis_client: redis.Redis, settings: Settings,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.redis = redis_client
        self.settings = settings
        self.wall_clock = wall_clock
        self.reader = IndexReader(redis_client)
        self.searcher = TableSearch(redis_client)
        self._known_locations: list[str] | None = None

    def __repr__(self) -> str:
        # Stable across instances, so Flask-Caching memoize keys do not depend on id().
        return "ConversationIndex()"

    # -- public --------------------------------------------------------------------------
    def page(self, query: ConversationQuery) -> ConversationsPage:
        """One page of the table (``planning`` says what each kind of query costs)."""
        validate(query)
        moment = self._moment(self.wall_clock())
        start = (query.page - 1) * query.page_size
        stop = start + query.page_size
        if has_search(query):
            total, matches = self.searcher.search(query, self._locations(query), moment, stop)
            picked = matches[start:stop]
        else:
            sources = self._sources(query, moment, window=(start, stop))
            try:
                picked = self.reader.read_merged(sources, start, stop)
            except ScanTooLong:
                sources = self._sources(query, moment, window=(start, stop), scan=False)
                picked = self.reader.read_merged(sources, start, stop)
            total = sum(source.total for source in sources)
        return ConversationsPage(
            rows=self._rows(picked, query, moment), page=query.page,
            page_size=query.page_size, total=total, pages=ceil(total / query.page_size),
            as_of=_at(moment.now).isoformat())

    def iter_rows(self, query: ConversationQuery) -> Iterator[ConversationRow]:
        """Every row matching the filters in table order (paging ignored), read in chunks."""
        validate(query)
        return self._iter_rows(query, self._moment(self.wall_clock()))

    # -- planning ------------------------------------------------------------------------
    def _moment(self, now: float) -> Moment:
        # The stalled bound is the instant is_stalled() compares against, so rows and filter
        # agree.
        stalled = (_at(now) - timedelta(seconds=self.settings.stalled_after_seconds))
        return Moment(now=now,
                      expired=expired_up_to(now, self.settings.conversation_ttl_seconds),
                      stalled=stalled.timestamp())

    def _locations(self, query: ConversationQuery) -> list[str]:
        """The query's locations, or every location (remembered for the next page)."""
        if query.locations:
            return sorted(set(query.locations))
        self._known_locations = sorted(self.redis.smembers(LOCATIONS))
        return self._known_locations

    def _sources(self, query: ConversationQuery, moment: Moment, *, snapshot: bool = False,
                 window: tuple[int, int] | None = None, scan: bool = True) -> list[Source]:
        """Plan, materialize if needed, (snapshot,) and measure one Source per location; a
        ``query.scannable`` one is scanned for a shallow page unless ``scan`` is False."""
        # Pages use the locations seen last time and check them in the measuring round trip.
        chosen = bool(query.locations)
        locations = (self._known_locations if self._known_locations is not None
                     and not snapshot and not chosen else self._locations(query))
        sources = [source for location in locations
                   for source in plans(location, query, moment)]
        scan = scan and window is not None and scannable(query)
        derived = [(s, d) for s in sources if (d := derivation(s.location_id, query))]
        if scan:
            for source, _ in derived:
                source.filter_key, source.filter_band = scan_filter(source.location_id, query)
        elif derived:
            self.reader.materialize(derived, query, moment)
        if snapshot:
            export.snapshot(self.redis, sources)
        if is_union(sources):
            window = None  # read from where the page starts (``IndexReader.read_merged``)
        elif window and len(sources) > 1:
            window = (0, window[1])  # each location's head, for the merge
        current = self.reader.measure(sources, moment, window)
        if current != locations and not chosen:
            self._known_locations = current
            return self._sources(query, moment, snapshot=snapshot, window=window, scan=scan)
        if scan:
            self._intersect_deep_pages(derived, query, moment, window[1])
        return sources

    def _intersect_deep_pages(self, derived: Derived, query: ConversationQuery,
                              moment: Moment, stop: int) -> None:
        """Scanning sources whose page would read more than SCAN_LIMIT entries read the
        stored intersection instead."""
        self.reader.count_matches([source for source, _ in derived])
        deep = [(s, d) for s, d in derived
                if s.matches and stop * s.scanned_total > SCAN_LIMIT * s.matches]
        if deep:
            for source, _ in deep:
                source.filter_key = None
                source.segments = plan(source.location_id, query, moment).segments
            self.reader.materialize(deep, query, moment)
            self.reader.measure([s for s, _ in deep], moment)

    # -- rows ----------------------------------------------------------------------------
    def _rows(self, picked: list[tuple[str, str]], query: ConversationQuery,
              moment: Moment) -> list[ConversationRow]:
        return load_rows(self.redis, picked, _at(moment.now), self.settings,
                         query.reveal_phone)

    def _iter_rows(self, query: ConversationQuery, moment: Moment) -> Iterator[ConversationRow]:
        chunk_size = export.EXPORT_CHUNK
        if has_search(query):
            _, matches = self.searcher.search(query, self._locations(query), moment)
            for first in range(0, len(matches), chunk_size):
                yield from self._rows(matches[first:first + chunk_size], query, moment)
            return
        sources = self._sources(query, moment, snapshot=True)
        try:
            streams = [export.stream(self.reader, source) for source in sources]
            merged = heapq.merge(*streams, reverse=query.order == "desc")
            while chunk := [(loc, member) for _, loc, member in islice(merged, chunk_size)]:
                yield from self._rows(chunk, query, moment)
        finally:
            if sources:
                self.redis.delete(*[source.key for source in sources])


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
