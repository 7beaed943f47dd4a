"""Appointment slots: business hours in Los Angeles, next 7 days, DST-correct."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from seller_bot.slots import describe, pick_slots

LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize("now", [
    datetime(2026, 11, 25, 20, 0, tzinfo=UTC),   # Wednesday noon in LA
    datetime(2026, 11, 28, 3, 0, tzinfo=UTC),    # Friday evening in LA
    datetime(2026, 3, 6, 23, 0, tzinfo=UTC),     # the Friday before spring-forward
    datetime(2026, 10, 30, 23, 0, tzinfo=UTC),   # the Friday before fall-back
    datetime(2026, 12, 31, 16, 30, tzinfo=UTC),  # New Year's Eve morning
])
def test_slot001_two_future_business_hour_slots(now):
    slots = pick_slots(now, "America/Los_Angeles", 9, 17)
    assert len(slots) == 2
    for slot in slots:
        local = slot.astimezone(LA)
        assert local.hour >= 9 and local.hour + 1 <= 17
        assert local.minute == 0
        assert local.weekday() < 5
        assert now + timedelta(hours=2) <= slot <= now + timedelta(days=7)
        # DST-correct: the UTC offset is the one Los Angeles has on that day
        assert local.utcoffset() == datetime(local.year, local.month, local.day, 12,
                                             tzinfo=LA).utcoffset()
    assert slots[0] < slots[1]


def test_slot002_spring_forward_uses_pdt():
    now = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    slots = pick_slots(now, "America/Los_Angeles", 9, 17)
    monday = [s for s in slots if s.astimezone(LA).date().isoformat() == "2026-03-09"]
    assert monday and monday[0].utcoffset() == timedelta(hours=-7)


def test_slot003_taken_slots_are_not_offered_again():
    now = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    first = pick_slots(now, "America/Los_Angeles", 9, 17)
    second = pick_slots(now, "America/Los_Angeles", 9, 17, taken=[first[0]])
    assert first[0] not in second


def test_slot004_describe_reads_like_a_person():
    slot = datetime(2026, 12, 1, 10, 0, tzinfo=LA)
    assert describe(slot) == "Tue Dec 1 at 10:00 AM"
