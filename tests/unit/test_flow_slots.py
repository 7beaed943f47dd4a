"""Booking against slots others fill: the pure part of issue 12, item 1 (the race itself is
tests/integration/test_slot_race.py)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.unit.chat import TO_OFFER, Chat

ACCEPTED = (*TO_OFFER, "deal", "7701 Mesa Verde Dr, Corona CA 92880")


def test_flow_slot001_a_full_slot_is_not_offered():
    free = Chat()
    free.script(ACCEPTED)
    first, second = free.conv.slots_offered
    crowded = Chat(full_slots=[first])
    crowded.script(ACCEPTED)
    assert first not in crowded.conv.slots_offered
    assert second in crowded.conv.slots_offered


def test_flow_slot002_a_slot_taken_meanwhile_gets_two_new_ones():
    chat = Chat()
    chat.script(ACCEPTED)
    first, _ = chat.conv.slots_offered
    chat.full_slots.append(first)  # another seller booked it while this one was deciding
    reply = chat.says("first one")
    assert reply.startswith("Sorry, that time was just taken. How about 1) ")
    assert chat.conv.stage == "qualified" and chat.conv.asking == "appointment_at"
    assert first not in chat.conv.slots_offered and len(chat.conv.slots_offered) == 2
    chat.says("1")
    assert chat.conv.stage == "booked"
    assert chat.conv.appointment_at == chat.conv.slots_offered[0]


def test_flow_slot003_the_window_is_a_setting():
    chat = Chat(appointment_days_ahead=2)
    chat.script(ACCEPTED)
    assert all((slot - chat.now).days < 2 for slot in chat.conv.slots_offered)


def test_flow_slot004_the_confirmation_names_the_address():
    chat = Chat()
    chat.script([*ACCEPTED, "2"])
    assert "at 7701 Mesa Verde Dr, Corona, CA 92880" in chat.replies[-1]


def test_flow_slot005_tomorrow_picks_the_slot_on_the_next_day():
    chat = Chat()
    chat.script(ACCEPTED)
    tz = ZoneInfo("America/Los_Angeles")
    tomorrow = chat.now.astimezone(tz).date() + timedelta(days=1)
    on_tomorrow = [s for s in chat.conv.slots_offered if s.astimezone(tz).date() == tomorrow]
    assert len(on_tomorrow) == 1, chat.conv.slots_offered  # Monday morning: today and Tuesday
    chat.says("tomorrow works")
    assert chat.conv.stage == "booked"
    assert chat.conv.appointment_at == on_tomorrow[0]
