"""What the bot says: short, friendly, no links, several wordings per step.

The wording is chosen from the conversation's own state (not at random), so a replayed
conversation gets the same replies and a re-asked question is phrased differently.
"""

from __future__ import annotations

from datetime import datetime

from seller_bot.slots import describe

MAX_REPLY_CHARS = 320

ASK = {
    "condition": (
        "How would you describe the home's condition: move-in ready, needs a few small "
        "repairs, or needs major work?",
        "What shape is the house in? Move-in ready, some light fixes (paint, carpet), or "
        "bigger work like a roof or foundation?",
        "Quick one about the property: is it ready to move in, or does it need some work?",
    ),
    "price_expectation": (
        "Got it. What price would you want to get for the house?",
        "Thanks! What number would you need to walk away happy?",
        "Makes sense. Roughly what price do you have in mind for it?",
    ),
    "motivation": (
        "Thanks! What has you thinking about selling, and how soon would you like to close?",
        "Appreciate it. What's the main reason for selling, and what timeline works for you?",
        "Good to know. Why are you looking to sell, and how quickly do you want to move?",
    ),
    "timeline_days": (
        "How soon would you ideally like to close? 30 days, a couple of months?",
        "And what's your timeline? Would closing within the next month or two work?",
        "When would you like to be done with the sale?",
    ),
}
REASK = {
    "condition": (
        "No problem! Roughly: move-in ready, small fixes like paint or carpet, or bigger "
        "things like a roof or foundation?",
        "Sorry, I didn't quite catch that. Does the house need any work, or is it ready "
        "to move in?",
    ),
    "price_expectation": (
        "A ballpark is totally fine, like 450k. What price would you want?",
        "Sorry, I missed the number. What would you like to get for the house, roughly?",
    ),
    "motivation": (
        "Just so I understand your situation: what's the main reason you're selling?",
        "What's prompting the sale? Relocating, downsizing, an inherited house, anything "
        "else?",
    ),
    "timeline_days": (
        "Roughly how soon do you want to sell? ASAP, 30 days, a few months?",
        "Sorry, what timeline do you have in mind for closing?",
    ),
}
PRICE_AGAIN = (
    "To put a cash offer together I need a ballpark price. What would you want for it?",
    "Before I can make an offer, what price are you hoping to get? A rough number works.",
)
ASK_MOTIVATION_ONLY = (
    "And what's the main reason you're selling?",
    "Got it. What's prompting the sale?",
)


def pick(options: tuple[str, ...], turn: int) -> str:
    return options[turn % len(options)]


def first_name(name: str | None) -> str:
    return name.split()[0] if name and name.split() else "there"


def greeting(name: str | None, buyer: str, question: str, with_thanks: bool = True) -> str:
    thanks = "Thanks for reaching out about your home! " if with_thanks else ""
    return f"Hi {first_name(name)}, this is {buyer}. {thanks}{question}"


def money(amount: int) -> str:
    return f"${amount:,}"


def offer(amount: int, buyer: str, turn: int) -> str:
    return pick((
        f"Thanks for the details! Based on what you shared, {buyer} can offer {money(amount)} "
        "cash, as-is: no repairs, no fees, you pick the closing date. Does that work for you?",
        f"Here's where we land: a {money(amount)} cash offer, as-is, no commissions or "
        "repairs. Would that work for you?",
    ), turn)


def offer_reask(amount: int, turn: int) -> str:
    return pick((
        f"Just to check: would a {money(amount)} cash offer work for you? A yes or no is fine.",
        f"Sorry, I didn't catch that. Are you open to the {money(amount)} cash offer?",
    ), turn)


def offer_undecided(amount: int, buyer: str, turn: int) -> str:
    return pick((
        f"Totally fair, take your time. The {money(amount)} cash offer stands; just reply "
        "yes whenever you're ready.",
        f"No pressure at all. {buyer} can hold the {money(amount)} offer for you. Reply yes "
        "when you'd like to move forward.",
    ), turn)


def counter_offer(amount: int, buyer: str) -> str:
    return (f"I hear you. {buyer}'s best cash number is {money(amount)}, as-is with no fees. "
            "Would that work for you?")


def declined(buyer: str) -> str:
    return (f"Understood, thanks for considering it. If anything changes, just text back and "
            f"{buyer} will take another look.")


def slots_offer(slots: list[datetime], buyer: str, turn: int) -> str:
    listed = " or ".join(f"{i}) {describe(slot)}" for i, slot in enumerate(slots, 1))
    return pick((
        f"Great! Let's set a time for {buyer} to see the place: {listed}. Which works better?",
        f"Awesome. {buyer} can come by {listed}. Which one suits you?",
    ), turn)


def slots_reask(slots: list[datetime]) -> str:
    listed = " or ".join(f"{i}) {describe(slot)}" for i, slot in enumerate(slots, 1))
    return f"Which time works for you: {listed}? Just reply 1 or 2."


def slot_taken(slots: list[datetime], buyer: str) -> str:
    listed = " or ".join(f"{i}) {describe(slot)}" for i, slot in enumerate(slots, 1))
    return f"Sorry, that time was just taken. {buyer} can come by {listed}. Which works?"


def no_slots(buyer: str) -> str:
    return f"Great! {buyer} will call you to find a time to see the place that works for you."


def booked(slot: datetime, buyer: str) -> str:
    return (f"You're booked for {describe(slot)}. {buyer} will see you then. Reply here if "
            "anything changes.")


def after_booking(slot: datetime | None, buyer: str) -> str:
    when = f" for {describe(slot)}" if slot else ""
    return f"Thanks! You're all set{when}. {buyer} will reach out if anything changes."


def holding(buyer: str) -> str:
    return f"Thanks for the message! {buyer} will follow up with you personally."


def opted_out() -> str:
    return "You're unsubscribed and won't get any more texts from us. Take care!"
