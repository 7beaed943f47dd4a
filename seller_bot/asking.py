"""The qualifying questions: which one comes next (the order of ``seller_bot/fields.py``),
the one pending asked again, and what a try that was not understood does.
"""

from __future__ import annotations

from collections.abc import Callable

from seller_bot import replies
from seller_bot.booking import BookingTurn
from seller_bot.fields import FIELD, QUALIFYING
from seller_bot.reading import flag_for_human

MAX_FAILED_TRIES = 2


class AskingTurn(BookingTurn):
    """The turn's questions to the seller."""

    def first_reply(self) -> str:
        """Introduce the assistant, answer a question, then ask what is missing (or make the
        offer right away)."""
        answer = None if self.question == "who_is_this" else self.answer_to(self.question)
        rest = self.next_question()
        with_thanks = self.conv.stage != "offer" and answer is None
        return replies.greeting(self.conv.name, self.rules.buyer_name,
                                replies.join(answer, rest), self.lang, with_thanks)

    def next_question(self) -> str:
        conv = self.conv
        if conv.failed_attempts:
            conv.failed_attempts = 0
        missing = [f for f in QUALIFYING
                   if getattr(conv, f.name) is None and f.name not in conv.unknown_fields]
        if missing:
            field = missing[0]
            conv.asking = field.name
            self.set_stage(field.stage)
            return self.say(field.question_key(conv))
        if conv.price_expectation is None:
            conv.asking = "price_expectation"
            self.set_stage(FIELD["price_expectation"].stage)
            return self.say("price_again")
        return self.make_offer()

    def pending_question(self) -> str:
        """The question the bot is waiting on, asked again (no try counted)."""
        conv = self.conv
        asking = conv.asking
        if asking == "offer_response":
            return self.say("offer_pending", amount=replies.money(conv.offer_amount))
        if asking == "appointment_at":
            return self.say("slots_reask", listed=self.listed(conv.slots_offered))
        if asking == "address":
            return self.ask_address()
        field = FIELD.get(asking)
        if field is not None and field.qualifying:
            return self.say(field.question_key(conv))
        return ""

    def failed(self, name: str, reask: Callable[[], str]) -> str:
        """Count a try that was not understood; after the last one the field stays unknown."""
        conv = self.conv
        conv.failed_attempts += 1
        if conv.failed_attempts < MAX_FAILED_TRIES:
            return reask()
        if name not in conv.unknown_fields:
            conv.unknown_fields.append(name)
        field = FIELD.get(name)
        if field is not None and field.qualifying:
            setattr(conv, name, None)
            return self.next_question()
        conv.failed_attempts = 0
        if name == "address":
            return replies.join(self.say("address_skipped"), self.offer_slots(first_time=True))
        conv.asking = None
        if name == "appointment_at":
            flag_for_human(conv, "no_slot_free")
            return self.say("no_slots")
        return self.say("holding")
