"""The offer, the address and the appointment: what the turn does once the qualifying fields
are known (docs/seller-flow.md, steps 3 to 5). Slots come from the built-in hours
(``seller_bot/slots.py``) or the GoHighLevel calendar (``seller_bot/calendar.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from seller_bot import replies
from seller_bot.calendar import calendar_slots
from seller_bot.reading import ReadingTurn, flag_for_human, has_street
from seller_bot.slots import pick_slots


def city_of(address: str) -> str:
    """'Fontana' of 'Fontana, CA' (a city-only address)."""
    return address.split(",")[0]


class BookingTurn(ReadingTurn):
    """The turn's offer and booking steps."""

    def make_offer(self) -> str:
        conv = self.conv
        conv.offer_amount = self.rules.offer_for(conv.price_expectation)
        conv.offer_response = None
        conv.asking = "offer_response"
        conv.failed_attempts = 0
        self.set_stage("offer")
        return self.say("offer", amount=replies.money(conv.offer_amount))

    def negotiate(self, amount: int) -> str:
        """A counter-offer: kept, and a person calls to negotiate."""
        conv = self.conv
        conv.counter_amount = amount
        conv.offer_response = "undecided"
        conv.asking = None
        conv.failed_attempts = 0
        self.set_stage("negotiating")
        flag_for_human(conv, "counter_offer")
        return self.say("counter", amount=replies.money(amount))

    def accept(self) -> str:
        conv = self.conv
        conv.offer_response = "accepted"
        self.set_stage("qualified")
        if not has_street(conv.address) and "address" not in conv.unknown_fields:
            conv.asking = "address"
            conv.failed_attempts = 0
            return replies.join(self.say("ack_accepted"), self.ask_address())
        return replies.join(self.say("ack_accepted"), self.offer_slots(first_time=True))

    def ask_address(self) -> str:
        address = self.conv.address
        if address and not has_street(address):
            return self.say("ask:address_in", city=city_of(address))
        return self.say("ask:address")

    def full_slots(self) -> list[datetime]:
        return list(self.taken_slots())

    def offer_slots(self, first_time: bool, also_taken: Iterable[datetime] = (),
                    key: str = "slots") -> str:
        conv = self.conv
        start, end = self.rules.business_hours
        taken = [*self.full_slots(), *also_taken, *([] if first_time else conv.slots_offered)]
        if self.free_slots is not None:
            conv.slots_offered = calendar_slots(self.free_slots(), self.now, taken)
        else:
            conv.slots_offered = pick_slots(self.now, self.rules.timezone, start, end, taken,
                                            self.rules.days_ahead)
        conv.failed_attempts = 0
        if not conv.slots_offered:
            conv.asking = None
            flag_for_human(conv, "no_slot_free")
            return self.say("no_slots")
        conv.asking = "appointment_at"
        return self.say(key, listed=self.listed(conv.slots_offered))

    def listed(self, slots: list[datetime]) -> str:
        tz = ZoneInfo(self.rules.timezone)
        return replies.listed([slot.astimezone(tz) for slot in slots], self.lang)

    def slot_gone(self, slot: datetime) -> str:
        """The seller's pick was taken meanwhile: two slots still free (or a call back)."""
        return self.offer_slots(first_time=True, also_taken=[slot], key="slot_taken")

    def book(self, slot: datetime) -> str:
        conv = self.conv
        conv.appointment_at = slot
        conv.asking = None
        conv.failed_attempts = 0
        self.set_stage("booked")
        if not conv.address:
            return self.say("booked_no_address", when=self.local_when(slot))
        return self.say("booked", when=self.local_when(slot),
                        where=(" at " if self.lang == "en" else " en ") + conv.address)
