"""Appointment slots: two concrete times in business hours over the next days (DST-correct)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLOTS_OFFERED = 2
DAYS_AHEAD = 7  # APPOINTMENT_DAYS_AHEAD
MIN_NOTICE = timedelta(hours=2)
SLOT_LENGTH = timedelta(hours=1)
PREFERRED_HOURS = (10, 14, 11, 15, 9, 13, 16, 12)


def candidate_slots(
    now: datetime, tz_name: str, start_hour: int, end_hour: int, days_ahead: int = DAYS_AHEAD
) -> Iterable[datetime]:
    """Weekday starts inside business hours over ``days_ahead`` days, soonest first, local."""
    tz = ZoneInfo(tz_name)
    local_now = now.astimezone(tz)
    hours = [h for h in PREFERRED_HOURS if start_hour <= h and h + 1 <= end_hour]
    lookahead = timedelta(days=days_ahead)
    for offset in range(days_ahead + 1):
        day: date = local_now.date() + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in sorted(hours):
            slot = datetime.combine(day, time(hour), tzinfo=tz)
            if now + MIN_NOTICE <= slot <= now + lookahead:
                yield slot


def pick_slots(
    now: datetime,
    tz_name: str,
    start_hour: int,
    end_hour: int,
    taken: Iterable[datetime] = (),
    days_ahead: int = DAYS_AHEAD,
) -> list[datetime]:
    """Two free slots on different days when possible, at the team's preferred hours."""
    taken_set = {slot.timestamp() for slot in taken}
    tz = ZoneInfo(tz_name)
    today = now.astimezone(tz).date()
    latest = now + timedelta(days=days_ahead)
    hours = [h for h in PREFERRED_HOURS if start_hour <= h and h + 1 <= end_hour]
    chosen: list[datetime] = []
    # Each day's best free hour, days in order: usually two days and a few datetimes.
    for offset in range(days_ahead + 1):
        day: date = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in hours:
            slot = datetime.combine(day, time(hour), tzinfo=tz)
            if now + MIN_NOTICE <= slot <= latest and slot.timestamp() not in taken_set:
                chosen.append(slot)
                break
        if len(chosen) == SLOTS_OFFERED:
            return chosen
    free = [s for s in candidate_slots(now, tz_name, start_hour, end_hour, days_ahead)
            if s.timestamp() not in taken_set and s not in chosen]
    return sorted(chosen + free[: SLOTS_OFFERED - len(chosen)])


def describe(slot: datetime) -> str:
    """'Tue Dec 1 at 10:00 AM' in the slot's own time zone."""
    return slot.strftime("%a %b %-d at %-I:%M %p")
