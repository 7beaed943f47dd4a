"""Appointment slots from the GoHighLevel calendar (GHL_CALENDAR_ID), issue #11.

Without a calendar the built-in slots (``seller_bot/slots.py``) are offered. With one, the bot
offers the calendar's own free slots, checks the seller's pick is still free before booking, and
the relay creates the appointment through the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from seller_bot.slots import MIN_NOTICE, SLOTS_OFFERED


def calendar_slots(free: Iterable[datetime], now: datetime,
                   exclude: Iterable[datetime] = ()) -> list[datetime]:
    """Two of the calendar's free slots, soonest first, on different days when possible."""
    excluded = {slot.timestamp() for slot in exclude}
    candidates = sorted(s for s in free
                        if s >= now + MIN_NOTICE and s.timestamp() not in excluded)
    chosen: list[datetime] = []
    for slot in candidates:
        if all(slot.date() != c.date() for c in chosen):
            chosen.append(slot)
        if len(chosen) == SLOTS_OFFERED:
            return chosen
    for slot in candidates:
        if slot not in chosen and len(chosen) < SLOTS_OFFERED:
            chosen.append(slot)
    return sorted(chosen)


def still_free(slot: datetime, free: Iterable[datetime]) -> bool:
    return any(s.timestamp() == slot.timestamp() for s in free)
