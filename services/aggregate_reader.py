"""Pipelined reads of the write-time aggregate hashes, summed over every location.

Every read has a bounded size, whatever the number of conversations: each location's ``stats``
hash, a fixed number of hour buckets (each at most ten event counters and a few hundred
response-time bins), the minute counts of two hours, and the version keys, all in one pipelined
round trip. A read sums over every location in ``sellerbot:locations``, or over the chosen
subset (``only``): counters add up, histograms merge bin by bin, so rates and percentiles
computed from the sums are exact for any set of locations.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import redis

from core.keys import LOCATIONS, LocationKeys
from core.schema import DELIVERED, HISTOGRAMS, RESPONSE_TIME, SPEED_TO_LEAD, histogram_field

# Locations re-read this many times at most when the set changes during a read.
LOCATION_RETRIES = 3
# "rt:<bin>" -> (kind, bin) for every bin up to hours of response time: parsed once, not per
# read.
HISTOGRAM_FIELD_BINS = {histogram_field(kind, rt_bin): (kind, rt_bin)
                        for rt_bin in range(400) for kind in HISTOGRAMS}
HISTOGRAM_PREFIXES = tuple(f"{kind}:" for kind in HISTOGRAMS)


@dataclass
class HourBucket:
    """One hour's event counts and histograms (bin -> replies): bot response time (``rt``),
    delivered response time (``dt``) and speed to lead (``stl``)."""

    events: Counter = field(default_factory=Counter)
    rt: dict[int, int] = field(default_factory=dict)
    dt: dict[int, int] = field(default_factory=dict)
    stl: dict[int, int] = field(default_factory=dict)

    def add(self, raw: dict[str, str]) -> None:
        """Add one location's hour hash, in a single pass over its fields."""
        events, bin_of = self.events, HISTOGRAM_FIELD_BINS.get
        histograms = {RESPONSE_TIME: self.rt, DELIVERED: self.dt, SPEED_TO_LEAD: self.stl}
        for name, value in raw.items():
            found = bin_of(name)
            if found is None and name.startswith(HISTOGRAM_PREFIXES):
                kind, _, number = name.partition(":")
                found = (kind, int(number))
            if found is None:
                events[name] += int(value)
            else:
                histogram = histograms[found[0]]
                histogram[found[1]] = histogram.get(found[1], 0) + int(value)


@dataclass
class AggregateSnapshot:
    """Aggregate hashes summed over all locations, as read in one round trip.

    ``minutes[hour][event]`` holds that event's count for each of the hour's 60 minutes.
    """

    locations: list[str]
    version: str
    stats: Counter
    hours: dict[int, HourBucket]
    minutes: dict[int, dict[str, list[int]]]
    stalled: int = 0
    history: str = ""  # fingerprint of the locations' history versions (completed hours)


def data_version(locations: list[str], versions: Iterable[str | None]) -> str:
    """A short fingerprint of every location's write counter; equal means nothing changed."""
    pairs = ";".join(f"{loc}={ver or 0}" for loc, ver in zip(locations, versions, strict=True))
    return hashlib.sha1(pairs.encode()).hexdigest()[:16]


class AggregateReader:
    """Pipelined reads of aggregate hashes across locations (one round trip per read)."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._locations: list[str] = []

    def _pipelined(self, queue: Callable[[redis.client.Pipeline, list[str]], None],
                   only: Sequence[str] | None = None) -> tuple[list[str], list]:
        """Run ``queue``'s commands for the locations known so far, with SMEMBERS in front;
        when the location set changed meanwhile, run again for the new set. With ``only``,
        for exactly those locations (a location without data reads as empty)."""
        if only is not None:
            chosen = sorted(set(only))
            with self.redis.pipeline(transaction=False) as pipe:
                queue(pipe, chosen)
                return chosen, pipe.execute()
        for _ in range(LOCATION_RETRIES):
            known = self._locations
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.smembers(LOCATIONS)
                queue(pipe, known)
                replies = pipe.execute()
            current = sorted(replies[0])
            if current == known:
                break
            self._locations = current
        return known, replies[1:]

    def version(self, only: Sequence[str] | None = None) -> str:
        """The data version of all locations, or of ``only`` (SMEMBERS + one GET each, one
        round trip).

        One GET per location, not MGET: the keys live in different Redis Cluster slots."""
        def queue(pipe: redis.client.Pipeline, locations: list[str]) -> None:
            for loc in locations:
                pipe.get(LocationKeys(loc).version)

        locations, replies = self._pipelined(queue, only)
        return data_version(locations, replies[:len(locations)])

    def read(self, *, stats: bool = False, hours: Iterable[int] = (),
             minutes: Mapping[int, Sequence[str]] | None = None,
             stalled_before: float | None = None,
             only: Sequence[str] | None = None) -> AggregateSnapshot:
        """Sum the requested hashes over all locations, or over ``only``; missing hashes read
        as empty.

        ``minutes`` maps an hour to the events whose per-minute counts are wanted. The whole
        minute hash is read: up to 600 fields, kept as one compact list by Redis, where an
        HMGET of a few hundred fields would cost a scan each.
        """
        hours, minutes = list(hours), dict(minutes or {})

        def queue(pipe: redis.client.Pipeline, locations: list[str]) -> None:
            if not locations:
                return
            # One GET per key, not MGET: the locations live in different Redis Cluster slots.
            for loc in locations:
                pipe.get(LocationKeys(loc).version)
            for loc in locations:
                pipe.get(LocationKeys(loc).history)
            for loc in locations:
                keys = LocationKeys(loc)
                if stats:
                    pipe.hgetall(keys.stats)
                for hour in hours:
                    pipe.hgetall(keys.hour(hour))
                for hour in minutes:
                    pipe.hgetall(keys.minutes(hour))
                if stalled_before is not None:
                    pipe.zcount(keys.open_inbound, "-inf", stalled_before)

        locations, replies = self._pipelined(queue, only)
        snapshot = AggregateSnapshot(
            locations=locations,
            version=data_version(locations, replies[:len(locations)]),
            history=data_version(locations, replies[len(locations):2 * len(locations)]),
            stats=Counter(), hours={hour: HourBucket() for hour in hours},
            minutes={hour: {event: [0] * 60 for event in events}
                     for hour, events in minutes.items()})
        it = iter(replies[2 * len(locations):])
        for _ in locations:
            if stats:
                snapshot.stats.update({name: int(value) for name, value in next(it).items()})
            for hour in hours:
                snapshot.hours[hour].add(next(it))
            for hour in minutes:
                wanted = snapshot.minutes[hour]
                for name, value in next(it).items():
                    event, _, minute = name.rpartition(":")
                    if event in wanted:
                        wanted[event][int(minute)] += int(value)
            if stalled_before is not None:
                snapshot.stalled += next(it)
        return snapshot
