"""GHL_CALENDAR_ID: the offered slots are the calendar's free slots, the pick books the
appointment in GoHighLevel through the outbox, and a slot taken meanwhile is offered again."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import create_app
from tests.helpers import Seller
from tests.waiting import until

TZ = ZoneInfo("America/Los_Angeles")
FLOW = ["Hi, thinking about selling my house at 1234 W Elm St, Fontana CA 92335",
        "it needs a new roof and the kitchen is dated", "around 450k",
        "relocating to Texas for work, need to close in 30 days"]
SMS = "/conversations/messages"
APPOINTMENTS = "/calendars/events/appointments"


@pytest.fixture
def ghl_settings(ghl_settings):
    return ghl_settings.model_copy(update={"ghl_calendar_id": "cal-123"})


@pytest.fixture
def free_slots(ghl_api) -> list[datetime]:
    """Three free slots in the calendar: two days from now at 10:30 and 15:00, and the day
    after at 11:00 (Los Angeles)."""
    day = datetime.now(TZ).date() + timedelta(days=2)
    slots = [datetime.combine(day, time(10, 30), tzinfo=TZ),
             datetime.combine(day, time(15, 0), tzinfo=TZ),
             datetime.combine(day + timedelta(days=1), time(11, 0), tzinfo=TZ)]
    ghl_api.api.free_slots = list(slots)
    return slots


@pytest.fixture
def seller(serve, ghl_settings, redis_client):
    with serve(create_app(ghl_settings, redis_client).server) as live:
        seller = Seller(live.url, contact="cal-seller")
        for text in FLOW:
            seller.says(text)
        yield seller


def offered(seller: Seller) -> list[datetime]:
    return [datetime.fromisoformat(s) for s in seller.state()["slots_offered"]]


def test_ghlcal001_offers_the_calendars_slots_and_books_the_pick(seller, ghl_api, free_slots,
                                                                 relay_thread):
    seller.says("yes that works")
    assert offered(seller) == [free_slots[0], free_slots[2]]  # soonest, on different days
    queries = ghl_api.api.sent("/calendars/cal-123/free-slots", "GET")
    assert queries and {q.version for q in queries} == {"2021-04-15"}
    answer = seller.says("the first one")
    assert answer["stage"] == "booked"
    appointment = until(lambda: ghl_api.api.sent(APPOINTMENTS), msg="appointment")[0]
    assert appointment.body == {"calendarId": "cal-123", "locationId": "loc-1",
                                "contactId": "cal-seller",
                                "startTime": free_slots[0].isoformat()}
    state = until(lambda: (s := seller.state())["ghl_appointment_id"] and s,
                       msg="appointment id recorded")
    assert state["ghl_appointment_id"] == ghl_api.api.appointments[0]["id"]
    until(lambda: ghl_api.api.sent(SMS)[-1].body["message"] == answer["reply"],
               msg="the confirmation, after the appointment")
    assert ghl_api.api.sent(SMS)[-1].at >= appointment.at


def test_ghlcal002_a_slot_taken_before_the_pick_is_offered_again(seller, ghl_api, free_slots):
    seller.says("yes that works")
    ghl_api.api.free_slots.remove(free_slots[0])  # someone else booked it meanwhile
    answer = seller.says("the first one")
    assert answer["stage"] == "qualified"
    assert answer["reply"].startswith("Sorry, that time was just taken.")
    assert offered(seller) == [free_slots[1], free_slots[2]]
    assert seller.says("2")["stage"] == "booked"
    assert seller.state()["appointment_at"] == free_slots[2].isoformat()


def test_ghlcal003_a_slot_gone_when_booking_in_ghl_is_offered_again(seller, ghl_api, free_slots,
                                                                    ghl_settings, redis_client):
    from ghl.worker import RelayThread
    from seller_bot.bot import SellerBot

    seller.says("yes that works")
    booked = seller.says("the first one")
    assert booked["stage"] == "booked"
    ghl_api.api.free_slots.remove(free_slots[0])  # taken between the pick and the booking
    relay = RelayThread(redis_client, ghl_settings, SellerBot(
        redis_client, ghl_settings, calendar=lambda _loc, _now: list(ghl_api.api.free_slots)))
    relay.start()
    try:
        state = until(lambda: (s := seller.state())["stage"] == "qualified" and s,
                           msg="back to choosing a slot")
        until(lambda: ghl_api.api.sent(SMS)[-1].body["message"].startswith("Sorry"),
                   msg="the new offer sent")
    finally:
        relay.stop()
    assert [datetime.fromisoformat(s) for s in state["slots_offered"]] == [free_slots[1],
                                                                           free_slots[2]]
    messages = [r.body["message"] for r in ghl_api.api.sent(SMS)]
    assert booked["reply"] not in messages  # the confirmation of the refused slot is not sent
    assert ghl_api.api.sent(APPOINTMENTS, status=400)
