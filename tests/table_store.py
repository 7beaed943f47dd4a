"""A store of ~120 conversations written by the real bot, and the table computed by brute force.

The brute force reads every ``{loc:*}:conv:*`` document and filters and sorts in Python, with
its own reading of the rules, so the indexes are checked against the documents themselves.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import redis

from core.keys import LOCATIONS
from core.schema import STATE_CODES, STREET_WORDS
from core.settings import Settings
from seller_bot.aggregates import segments
from seller_bot.bot import SellerBot
from seller_bot.flow import start_conversation
from seller_bot.models import CLOSED_STAGES, STAGES, Conversation
from seller_bot.payload import InboundMessage
from seller_bot.scoring import MAX_LEAD_SCORE, temperature
from seller_bot.store import ConversationStore
from services.dashboard_models import ConversationQuery
from services.table import index as table_index_module
from services.table.index import ConversationIndex

DAY = 86400
NAMES = ["José Núñez", "María López", "Maria Lopez", "Maria Lopez", "MARIA LOPEZ",
         "Zoë O'Brien", "Nguyễn Văn An", "Anne-Marie Dubois", "Bob Smith", "Bob Smith",
         "Chen Wei", "Darnell Jackson", "Priya Patel", "Émile Zola", None,
         '=HYPERLINK("http://evil.example")', "@mention Hacker", "Fatima Al-Sayed"]
PHONE_FORMATS = ["+1909555{n:04d}", "(909) 555-{n:04d}", "909.555.{n:04d}", "909555{n:04d}",
                 "+1 951 555 {n:04d}", "1-626-555-{n:04d}"]
CONDITIONS = ["move in ready", "needs a new roof", "just needs a few small repairs"]
ADDRESSES = ["4521 Maple Ave", "12 Oak Street in Fontana", "88 W Foothill Blvd, Rialto, CA",
             "1234 Elm St", "77 Núñez Ct"]
PRICES = ["450k", "$300,000", "around 500 grand", "1.2M", "350000", "250k", "650k", "450k"]
MOTIVATIONS = ["divorce, need to sell in 30 days",
               "relocating for work, need to close in 30 days",
               "retiring, no rush", "inherited it from my mom, in 2-3 months",
               "downsizing, maybe by summer", "behind on payments, asap"]
# Target stage -> weight; each script drives the real bot to that stage.
TARGETS = {"condition": 10, "price": 10, "price_unknown": 6, "motivation": 10, "offer": 18,
           "qualified": 8, "booked": 8, "declined": 10, "opted_out": 8, "paused": 6,
           "negotiating": 5, "wrong_number": 3, "angry": 3, "held": 2, "no_show": 2,
           "under_contract": 2, "dead": 2}
OUTCOMES = ("held", "no_show", "under_contract", "dead")


class StepClock:
    """The bot's clock: the time of the message being handled."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def script(target: str, rng: random.Random) -> list[str]:
    """The seller's messages that take a conversation to ``target``."""
    condition = rng.choice(CONDITIONS)
    if rng.random() < 0.5:
        condition = f"it's at {rng.choice(ADDRESSES)}, {condition}"
    price, motivation = rng.choice(PRICES), rng.choice(MOTIVATIONS)
    opening = ["Hi, I got your flyer. Thinking about selling my house"]
    if target == "condition":
        return opening
    if target == "opted_out":
        return [*[*opening, condition][:rng.randint(1, 2)], "STOP"]
    if target == "wrong_number":
        return [opening[0], "sorry, wrong number"]
    if target == "angry":
        return [*opening, "this is a scam, quit wasting my time"]
    if target == "price":
        return [*opening, condition]
    if target == "price_unknown":
        return [*opening, condition, "no idea honestly", "whatever you think"]
    if target == "motivation":
        return [*opening, condition, price]
    offer = [*opening, condition, price, motivation]
    if target in ("offer", "paused"):
        return offer
    if target == "declined":
        return [*offer, "no deal, that's way too low"]
    if target == "negotiating":
        return [*offer, "could you do 900k?"]
    if target == "qualified":
        return [*offer, "yes that works"]
    if target in ("booked", *OUTCOMES):
        return [*offer, "yes that works", "8421 Sycamore Ln", "1"]
    raise ValueError(target)


def build_store(client: redis.Redis, settings: Settings, now: datetime, *, count: int = 120,
                location: str = "loc-1", prefix: str = "s", seed: int = 7,
                spread_days: float = 6.4) -> None:
    """Write ``count`` conversations through the real bot, last activity spread over days."""
    rng = random.Random(seed)
    clock = StepClock(now)
    bot = SellerBot(client, settings, clock=clock)
    shared_ends = [now - timedelta(hours=5), now - timedelta(days=2, hours=1)]
    targets = rng.choices(list(TARGETS), weights=list(TARGETS.values()), k=count)
    for number, target in enumerate(targets):
        contact = f"{prefix}{number:03d}"
        texts = script(target, rng)
        # A few conversations end at the very same second: ties must order stably.
        end = (rng.choice(shared_ends) if rng.random() < 0.1
               else now - timedelta(seconds=rng.randint(60, int(spread_days * DAY))))
        gaps = [timedelta(minutes=rng.randint(1, 40)) for _ in texts]
        at = end - sum(gaps[1:], timedelta())
        name = rng.choice(NAMES)
        phone = rng.choice([*PHONE_FORMATS, None]) if rng.random() < 0.95 else None
        extra = {"contactName": name} if name else {}
        if phone:
            extra["phone"] = phone.format(n=rng.randint(0, 9999))
        for step, text in enumerate(texts):
            if step:
                at += gaps[step]
            clock.at = at
            bot.handle_inbound(InboundMessage(
                type="InboundMessage", locationId=location, contactId=contact,
                messageId=f"{contact}-m{step}", body=text, messageType="SMS",
                direction="inbound", conversationId=f"conv-{contact}", **extra))
        if target == "paused":
            bot.set_paused(location, contact, True)
        if target in OUTCOMES:
            bot.record_outcome(location, contact, target)
    # A contact created but not yet answered: the only way a document sits in stage "new".
    clock.at = now - timedelta(days=3)  # old enough to be stalled, were it answered
    bot.store.update(location, f"{prefix}new", lambda conv: conv,
                     create=lambda: start_conversation(f"{prefix}new", location, clock.at,
                                                       name="Nadia New", phone="+19095550000"))


def build_scored_store(client: redis.Redis, settings: Settings, now: datetime, *,
                       location: str = "loc-1", prefix: str = "k", seed: int = 5) -> None:
    """Conversations written as documents (no bot): every lead score from 0 to the maximum a
    few times, stages offer and condition, and last activities often shared by contacts of
    different lead scores (each at a whole second: exact in every band of the score index)."""
    rng = random.Random(seed)
    shared = [now - timedelta(hours=hours) for hours in (1, 30, 100, 160)]
    store = ConversationStore(client, settings)
    with client.pipeline(transaction=False) as pipe:
        for number in range(4 * (MAX_LEAD_SCORE + 1)):
            score = number % (MAX_LEAD_SCORE + 1)
            at = (rng.choice(shared) if rng.random() < 0.3
                  else now - timedelta(seconds=rng.randint(60, int(6.5 * DAY))))
            store.queue_commit(pipe, Conversation(
                contact_id=f"{prefix}{rng.randrange(10**6):06d}-{number}", location_id=location,
                stage=rng.choice(("offer", "condition")), created_at=at - timedelta(hours=1),
                last_activity_at=at, last_inbound_at=at, lead_score=score,
                temperature=temperature(score)))
        pipe.execute()
    client.sadd(LOCATIONS, location)


def all_documents(client: redis.Redis) -> list[Conversation]:
    keys = list(client.scan_iter(match="{loc:*}:conv:*", count=1000))
    return [Conversation.from_json(raw) for raw in client.mget(keys) if raw] if keys else []


# -- the table by brute force -------------------------------------------------------------
def _plain_words(text: str | None) -> list[str]:
    if not text:
        return []
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(ch)).lower()
    return "".join(ch if ch.isalnum() else " " for ch in stripped).split()


def _address_words(address: str | None) -> list[str]:
    """Street types and unit words nowhere, a state code not as the last word nor right
    before a ZIP code ending the address."""
    words = _plain_words(address)
    end = len(words)
    if re.fullmatch(r"\d{5} \d{4}", " ".join(words[-2:])):
        end -= 2
    elif words and re.fullmatch(r"\d{5}", words[-1]):
        end -= 1
    if end and words[end - 1] in STATE_CODES:
        del words[end - 1]
    return [word for word in words if word not in STREET_WORDS]


def _national(phone: str | None) -> str:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


def _query_terms(q: str) -> list[str]:
    """Phone-formatted digit groups join into one term; everything else is words."""
    terms, run = [], ""
    for piece in [*q.split(), ""]:
        if piece.strip("()+-.") and all(ch.isdigit() or ch in "()+-." for ch in piece):
            run += piece
            continue
        digits = "".join(ch for ch in run if ch.isdigit())
        if digits.startswith("1") and (run.startswith("+1") or len(digits) >= 8):
            digits = digits[1:]  # the country code is optional
        terms += [digits] if digits else []
        run = ""
        terms += _plain_words(piece)
    kept = [term for term in terms if term not in STREET_WORDS | STATE_CODES]
    return kept or terms


def matches_search(conv: Conversation, q: str) -> bool:
    """Every term starts a word of name or address, or starts or (digits) ends the phone."""
    words = _plain_words(conv.name) + _address_words(conv.address)
    national = _national(conv.phone)

    def found(term: str) -> bool:
        return (any(word.startswith(term) for word in words)
                or (bool(national) and (national.startswith(term)
                                       or (term.isdigit() and national.endswith(term)))))

    return all(found(term) for term in _query_terms(q))


def is_expired(conv: Conversation, now: float, settings: Settings) -> bool:
    return conv.last_activity_at.timestamp() + settings.conversation_ttl_seconds <= now


def is_stalled_now(conv: Conversation, now: float, settings: Settings) -> bool:
    return (conv.stage not in CLOSED_STAGES and conv.last_inbound_at is not None
            and now - conv.last_inbound_at.timestamp() >= settings.stalled_after_seconds)


def brute_force(docs: list[Conversation], query: ConversationQuery, now: float,
                settings: Settings) -> list[Conversation]:
    """Every matching conversation in table order: sort value, then contact id (location)."""
    picked = [c for c in docs if not is_expired(c, now, settings)
              and (query.temperature is None or c.temperature == query.temperature)
              and (query.stage is None or c.stage == query.stage)
              and (not query.stalled or is_stalled_now(c, now, settings))
              and (not query.needs_human or c.needs_human)
              and (not query.q or matches_search(c, query.q))
              and (query.segment is None or query.segment in segments(c))]
    value: Callable[[Conversation], tuple] = {
        "last_activity": lambda c: (c.last_activity_at.timestamp(),),
        "lead_score": lambda c: (c.lead_score, c.last_activity_at.timestamp()),
        "stage": lambda c: (STAGES.index(c.stage), c.last_activity_at.timestamp()),
        "price_expectation": lambda c: (c.price_expectation or 0,),
    }[query.sort]
    known = [c for c in picked if query.sort != "price_expectation"
             or c.price_expectation is not None]
    unknown = [c for c in picked if c not in known]
    descending = query.order == "desc"
    order = lambda c: (*value(c), c.contact_id, c.location_id)  # noqa: E731
    return (sorted(known, key=order, reverse=descending)
            + sorted(unknown, key=order, reverse=descending))


def epoch(at: datetime) -> float:
    return at.astimezone(UTC).timestamp()


def located_pages(index: ConversationIndex, query: ConversationQuery,
                  count: int) -> list[tuple[str, str]]:
    """(location, contact) of every row of ``query``, page by page, up to one page past the
    ``count`` rows expected."""
    rows = []
    for page in range(1, count // query.page_size + 2):
        rows += [(r.location_id, r.contact_id)
                 for r in index.page(replace(query, page=page)).rows]
    return rows


def assert_pages_like(index: ConversationIndex, expected: dict[ConversationQuery, list],
                      monkeypatch) -> None:
    """Every query pages like its expected rows, read the usual way (a scan where it can), then
    with SCAN_LIMIT 1 (deep pages: the stored intersection)."""
    for deep in (False, True):
        if deep:
            monkeypatch.setattr(table_index_module, "SCAN_LIMIT", 1)
        for query, rows in expected.items():
            assert located_pages(index, query, len(rows)) == rows, (deep, query)
