"""Appointment slots: two concrete times in business hours over the next 7 days (DST-correct)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLOTS_OFFERED = 2
LOOKAHEAD = timedelta(days=7)
MIN_NOTICE = timedelta(hours=2)
PREFERRED_HOURS = (10, 14, 11, 15, 9, 13, 16, 12)


def candidate_slots(
    now: datetime, tz_name: str, start_hour: int, end_hour: int
) -> Iterable[datetime]:
    """Weekday starts inside business hours, soonest first, in local time."""
    tz = ZoneInfo(tz_name)
    local_now = now.astimezone(tz)
    hours = [h for h in PREFERRED_HOURS if start_hour <= h and h + 1 <= end_hour]
    for offset in range(LOOKAHEAD.days + 1):
        day: date = local_now.date() + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in sorted(hours):
            slot = datetime.combine(day, time(hour), tzinfo=tz)
            if now + MIN_NOTICE <= slot <= now + LOOKAHEAD:
                yield slot


def pick_slots(
    now: datetime,
    tz_name: str,
    start_hour: int,
    end_hour: int,
    taken: Iterable[datetime] = (),
) -> list[datetime]:
    """Two free slots on different days when possible, at the team's preferred hours."""
    taken_set = {slot.timestamp() for slot in taken}
    free = [s for s in candidate_slots(now, tz_name, start_hour, end_hour)
            if s.timestamp() not in taken_set]
    rank = {hour: i for i, hour in enumerate(PREFERRED_HOURS)}
    chosen: list[datetime] = []
    for day in sorted({s.date() for s in free}):
        best = min((s for s in free if s.date() == day), key=lambda s: rank[s.hour])
        chosen.append(best)
        if len(chosen) == SLOTS_OFFERED:
            return chosen
    leftovers = [s for s in free if s not in chosen]
    return sorted(chosen + leftovers[: SLOTS_OFFERED - len(chosen)])


def describe(slot: datetime) -> str:
    """'Tue Dec 1 at 10:00 AM' in the slot's own time zone."""
    return slot.strftime("%a %b %-d at %-I:%M %p")
