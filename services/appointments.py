"""The appointments panel: today's and upcoming appointments, past ones waiting for their
outcome, and bookings per day for the coming week (issue #14).

Read from the write-time index ``idx:appointments`` (booked contacts by appointment time): the
lists are capped ranges of it, the totals and per-day counts are ZCOUNTs, and only the listed
documents are loaded, so the cost does not grow with the number of conversations. A booked
conversation whose time has passed is still ``booked`` until someone records the outcome (the
conversation-engine issue moves it to held, no-show, under contract or dead), so "past and still
in the index" is exactly "waiting for its outcome".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import orjson
import redis

from core.keys import LOCATIONS, LocationKeys
from core.privacy import mask_phone
from seller_bot.document import document_json
from services.dashboard_models import Appointment, Appointments, Distribution

LIST_LIMIT = 8
WEEK_DAYS = 7


class AppointmentsReader:
    """Appointments of every location, two round trips (index ranges, then documents)."""

    def __init__(self, client: redis.Redis, timezone: str,
                 clock: Callable[[], datetime]) -> None:
        self.redis = client
        self.timezone = timezone
        self.clock = clock

    def read(self, only: Sequence[str] | None = None) -> Appointments:
        """The panel over every location, or over ``only``."""
        now = self.clock()
        t = now.timestamp()
        zone = ZoneInfo(self.timezone)
        today = now.astimezone(zone).date()
        midnights = [datetime.combine(today + timedelta(days=k), time(), zone).timestamp()
                     for k in range(WEEK_DAYS + 1)]
        locations = sorted(set(only) if only is not None else self.redis.smembers(LOCATIONS))
        with self.redis.pipeline(transaction=False) as pipe:
            for location in locations:
                key = LocationKeys(location).appointments
                pipe.zrangebyscore(key, midnights[0], f"({midnights[1]}", withscores=True,
                                   start=0, num=2 * LIST_LIMIT)
                pipe.zrangebyscore(key, midnights[1], "+inf", withscores=True, start=0,
                                   num=LIST_LIMIT)
                pipe.zcount(key, midnights[1], "+inf")
                pipe.zrevrangebyscore(key, f"({t}", "-inf", withscores=True, start=0,
                                      num=LIST_LIMIT)
                pipe.zcount(key, "-inf", f"({t}")
                for start, end in pairwise(midnights):
                    pipe.zcount(key, start, f"({end}")
            answers = iter(pipe.execute())
        found: dict[str, list[tuple[str, str, float]]] = {
            "today": [], "upcoming": [], "needs_outcome": []}
        upcoming_total = needs_outcome_total = 0
        per_day = [0] * WEEK_DAYS
        for location in locations:
            found["today"] += [(location, c, s) for c, s in next(answers)]
            found["upcoming"] += [(location, c, s) for c, s in next(answers)]
            upcoming_total += next(answers)
            found["needs_outcome"] += [(location, c, s) for c, s in next(answers)]
            needs_outcome_total += next(answers)
            for day in range(WEEK_DAYS):
                per_day[day] += next(answers)
        found["today"] = sorted(found["today"], key=lambda x: x[2])[:2 * LIST_LIMIT]
        found["upcoming"] = sorted(found["upcoming"], key=lambda x: x[2])[:LIST_LIMIT]
        found["needs_outcome"] = sorted(found["needs_outcome"], key=lambda x: -x[2])[:LIST_LIMIT]
        docs = self._documents({(loc, cid) for items in found.values() for loc, cid, _ in items})

        def listed(items: list[tuple[str, str, float]]) -> list[Appointment]:
            out = []
            for location, contact, at in items:
                doc = docs.get((location, contact))
                if doc is None:  # expired between the index read and now
                    continue
                out.append(Appointment(
                    contact_id=contact, location_id=location, name=doc.get("name"),
                    phone=mask_phone(doc.get("phone")), address=doc.get("address"),
                    at=datetime.fromtimestamp(at, UTC).isoformat(), past=at < t))
            return out

        labels = [f"{today + timedelta(days=k):%a %b} {(today + timedelta(days=k)).day}"
                  for k in range(WEEK_DAYS)]
        return Appointments(
            today=listed(found["today"]), upcoming=listed(found["upcoming"]),
            upcoming_total=upcoming_total, needs_outcome=listed(found["needs_outcome"]),
            needs_outcome_total=needs_outcome_total,
            per_day=Distribution(labels=labels, counts=per_day))

    def _documents(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        pairs = sorted(wanted)
        if not pairs:
            return {}
        # One GET per document, pipelined, not MGET: on a Redis Cluster the locations' keys
        # live in different slots.
        with self.redis.pipeline(transaction=False) as pipe:
            for loc, cid in pairs:
                pipe.get(LocationKeys(loc).conversation(cid))
            raw = pipe.execute()
        return {pair: orjson.loads(document_json(doc))
                for pair, doc in zip(pairs, raw, strict=True) if doc}
