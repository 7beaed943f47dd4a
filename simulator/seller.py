"""How a simulated seller texts: answers what the bot just asked, in the persona's style and
language.

The seller reads the bot's structured answer (``InboundResult.to_dict``: the question it waits
on, the fields still missing, the offer and the slots it offers, the stage), never the reply's
wording, so the bot's replies can be reworded freely. Some sellers ask the bot a question,
correct an answer they gave, counter the offer, or have the wrong number.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from simulator.personas import Persona, make_persona
from simulator.texts import (
    CHATTY_CLOSERS,
    CHATTY_OPENERS,
    EMOJI,
    SLOT_WORDS_ES,
    TEXTS,
    TIMELINES,
    add_typos,
    price_text,
)

DEFAULT_TIMEZONE = "America/Los_Angeles"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The bot's pending question (``asking`` in its answer) -> what the seller answers.
TOPIC_OF_ASKING = {"condition": "condition", "price_expectation": "price",
                   "motivation": "motivation_timeline", "timeline_days": "timeline",
                   "offer_response": "offer", "appointment_at": "slots", "address": "address"}


def question_topic(answer: Mapping) -> str:
    """What the bot's answer asks the seller, read from its state: "none" (no reply),
    "closed" (nothing asked), or the pending question, with "offer_waiting" when the offer
    stands while the seller thinks and "motivation_timeline" while the timeline is missing
    too."""
    if not answer.get("reply"):
        return "none"
    topic = TOPIC_OF_ASKING.get(answer.get("asking") or "", "closed")
    if topic == "offer" and answer.get("offer_response") == "undecided":
        return "offer_waiting"
    if topic == "motivation_timeline" and "timeline_days" not in answer.get("missing", ()):
        return "motivation"
    return topic


def offered_slots(answer: Mapping, timezone: ZoneInfo) -> list[datetime]:
    """The appointment times the bot offers, in the seller's time zone."""
    return [datetime.fromisoformat(slot).astimezone(timezone)
            for slot in answer.get("slots_offered", ())]


class SimulatedSeller:
    """Texts the bot as one persona: answers what it was just asked, in the persona's style."""

    def __init__(self, persona: Persona, rng: random.Random, buyer_name: str = "Jorge",
                 timezone: str = DEFAULT_TIMEZONE) -> None:
        self.persona = persona
        self.rng = rng
        self.buyer_name = buyer_name
        self.timezone = ZoneInfo(timezone)
        self.last_topic: str | None = None
        self.ending = persona.ending
        self.texts = TEXTS[persona.language]
        self.asked = not persona.asks  # whether its one question was asked already
        self.corrected = not persona.corrects
        self.price_given = False

    # -- the conversation --------------------------------------------------------------
    def opening(self) -> str:
        """The first text: a hello, sometimes with several facts at once."""
        p, rng = self.persona, self.rng
        if p.volunteers and p.language == "en":
            facts = rng.sample([self.condition_text(), self.price_statement(),
                                self.motivation_text()], k=rng.choice((2, 2, 3)))
            if rng.random() < 0.35:
                facts.append(TIMELINES[p.timeline][1])
            facts = [fact if fact.startswith(("I ", "I'")) else fact[0].lower() + fact[1:]
                     for fact in facts]
            text = "Hi, want to sell my house at " + ", ".join([self.address(True), *facts])
            return self.styled(text, opener=False)
        template = rng.choice(self.texts["openings"])
        return self.styled(template.format(
            city=p.home.city.name, arterial=rng.choice(p.home.city.arterials),
            buyer=self.buyer_name, street=p.home.street_address, address=self.address(True)),
            opener=False)

    def respond(self, answer: Mapping) -> str | None:
        """The next text after the bot's ``answer`` (the webhook's JSON, or
        ``InboundResult.to_dict``); None when the seller writes no more."""
        topic = question_topic(answer)
        repeated = topic == self.last_topic
        self.last_topic = topic
        text = self._answer(topic, answer, repeated)
        if text is None or text in self.texts["stop"]:
            return text  # an opt-out is sent as typed, so it stays a carrier keyword
        return self.styled(text)

    def _answer(self, topic: str, answer: Mapping, repeated: bool) -> str | None:
        p, rng = self.persona, self.rng
        quits_here = p.quits_at is not None and topic.startswith(p.quits_at)
        if quits_here and self.ending == "stop":
            return rng.choice(self.texts["stop"])
        if quits_here and self.ending == "ghost":
            return None
        if quits_here and self.ending == "wrong":
            return rng.choice(self.texts["wrong"])
        if topic in ("none", "closed"):
            return None if topic == "none" or repeated else self.after_the_end(answer)
        if not self.asked and topic not in ("offer_waiting", "slots"):
            self.asked = True
            return rng.choice(self.texts["questions"])  # the bot answers, then asks again
        if topic in ("offer", "offer_waiting"):
            return self.about_offer(topic, repeated)
        if topic == "slots":
            return self.pick_slot(answer, repeated)
        if not self.understandable(repeated):
            return rng.choice(self.texts["unclear"][topic.split("_")[0]])
        if self.price_given and not self.corrected:
            self.corrected = True
            return f"{self.correction()}. {self._clear_answer(topic)}"
        return self._clear_answer(topic)

    def _clear_answer(self, topic: str) -> str:
        p, rng = self.persona, self.rng
        if topic == "condition":
            return self.condition_text() + self.volunteered("price")
        if topic == "price":
            self.price_given = True
            return self.price_phrase(asked=True) + self.volunteered("motivation")
        if topic == "motivation":
            return self.motivation_text()
        if topic == "timeline":
            return self.timeline_text()
        if topic == "address":
            return self.address(True)
        if rng.random() < 0.25:
            return self.motivation_text()  # answers half the question; the bot asks again
        return f"{self.motivation_text()}, {self.texts['timelines'][p.timeline][1]}"

    def correction(self) -> str:
        """'sorry, I meant 470k not 440k': the real price after a slip."""
        price = self.persona.home.price
        return self.texts["correction"].format(k=price // 1000, w=self.slip(price) // 1000)

    def slip(self, price: int) -> int:
        """The wrong price a correcting seller types first."""
        return price - 30_000 if price > 100_000 else price + 30_000

    def about_offer(self, topic: str, repeated: bool) -> str | None:
        rng, ending, texts = self.rng, self.ending, self.texts
        if repeated and topic == "offer_waiting":
            return None  # said "let me think" twice already: gone quiet
        if topic == "offer" and not repeated and not self.understandable(False):
            return rng.choice(texts["unclear"]["offer"])
        if ending == "haggle":
            self.ending = rng.choices(("book", "decline", "think"), weights=(45, 35, 20))[0]
            counter = self.persona.home.price * rng.uniform(0.8, 1.0)
            return rng.choice(texts["counter"]).format(k=round(counter / 5000) * 5)
        if ending == "think":
            self.ending = rng.choices(("book", "decline", "ghost_now"), weights=(40, 25, 35))[0]
            return rng.choice(texts["think"])
        if ending == "ghost_now":
            return None
        if ending == "decline":
            return rng.choice(texts["decline"])
        return rng.choice(texts["accept"])

    def pick_slot(self, answer: Mapping, repeated: bool) -> str:
        rng = self.rng
        if not repeated and rng.random() > self.persona.clarity + 0.1:
            return rng.choice(self.texts["unclear"]["slots"])
        slots = offered_slots(answer, self.timezone)
        index = min(self.persona.slot_pick, max(0, len(slots) - 1))
        if self.persona.language == "es" or not slots:
            return rng.choice(SLOT_WORDS_ES[index] if self.persona.language == "es"
                              else (("1",), ("2",))[index])
        weekday, slot = WEEKDAYS[slots[index].weekday()], slots[index]
        hour, ampm = slot.hour % 12 or 12, "am" if slot.hour < 12 else "pm"
        ways = [("the first one", "1", "first one works", "option 1")[rng.randrange(4)]
                if index == 0 else
                ("the 2nd one", "2", "second one", "the second works better")[rng.randrange(4)],
                f"{weekday} works",
                f"{weekday[:3].lower()} is better for me",
                f"the {hour}{ampm} one"]
        return rng.choice(ways)

    def after_the_end(self, answer: Mapping) -> str | None:
        """Just booked or declined: now and then one more text."""
        rng, stage = self.rng, answer.get("stage")
        if stage == "booked" and rng.random() < 0.25:
            return rng.choice(self.texts["thanks"])
        if stage == "declined" and rng.random() < 0.1:
            self.ending = "book"
            return rng.choice(self.texts["change_of_heart"])
        return None

    # -- phrasing ----------------------------------------------------------------------
    def understandable(self, repeated: bool) -> bool:
        """Whether this answer is phrased clearly; a re-asked seller tries harder."""
        clarity = self.persona.clarity
        return self.rng.random() < (clarity + (1 - clarity) / 2 if repeated else clarity)

    def terse(self) -> bool:
        return self.persona.style in ("terse", "typos")

    def address(self, full: bool) -> str:
        home, rng = self.persona.home, self.rng
        if not full or rng.random() < 0.3:
            return home.street_address
        if rng.random() < 0.5:
            return f"{home.street_address}, {home.city.name} CA {home.zip_code}"
        return f"{home.street_address} in {home.city.name}"

    def condition_text(self) -> str:
        terse, full = self.rng.choice(self.texts["condition"][self.persona.home.condition])
        return terse if self.terse() else full

    def price_phrase(self, asked: bool) -> str:
        p = self.persona
        price = p.home.price if self.corrected else self.slip(p.home.price)
        if p.language == "es":
            return self.rng.choice(("{k} mil", "unos {k} mil", "${p:,}", "como {k} mil")).format(
                k=price // 1000, p=price)
        return price_text(self.rng, price, p.numbers_in_words, asked)

    def price_statement(self) -> str:
        """The price said in passing, with a money marker the bot can read unasked."""
        price = self.persona.home.price
        self.corrected = True  # volunteered early: nothing to correct later
        return self.rng.choice(("we'd want around {k}k", "looking for {k}k",
                                "hoping to get ${p:,}", "asking {k}k")).format(
            k=price // 1000, p=price)

    def motivation_text(self) -> str:
        terse, full = self.rng.choice(self.texts["motivation"][self.persona.motivation])
        return terse if self.terse() else full

    def timeline_text(self) -> str:
        terse, full = self.texts["timelines"][self.persona.timeline]
        return terse if self.terse() else full

    def volunteered(self, field: str) -> str:
        """Chatty sellers and volunteers sometimes answer the next question too."""
        p = self.persona
        if (p.language != "en" or not (p.volunteers or p.style == "chatty")
                or self.rng.random() > 0.35):
            return ""
        if field == "price":
            return ". " + self.price_statement()
        return ". " + self.motivation_text()

    def styled(self, text: str, *, opener: bool = True) -> str:
        """The persona's habits applied: short and lowercase, chatty, emoji, typos."""
        rng, style = self.rng, self.persona.style
        if style == "chatty" and rng.random() < 0.6 and self.persona.language == "en":
            if opener:
                text = rng.choice(CHATTY_OPENERS) + text[0].lower() + text[1:]
            text += rng.choice(CHATTY_CLOSERS)
        elif style in ("terse", "typos"):
            text = text.lower().rstrip(".!")
        if style == "typos":
            text = add_typos(rng, text, rate=0.12)
        if style == "emoji" and rng.random() < 0.7:
            text = f"{text} {rng.choice(EMOJI)}"
        return text


def new_seller(seed: int | str, stream: str, index: int, buyer_name: str,
               timezone: str = DEFAULT_TIMEZONE) -> SimulatedSeller:
    """Seller ``index`` of a stream; its own generator makes it independent of the others."""
    rng = random.Random(f"{seed}:{stream}:{index}")
    return SimulatedSeller(make_persona(rng, index), rng, buyer_name, timezone)
