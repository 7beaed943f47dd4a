"""Simulated sellers texting the bot: a backfilled week of history, then live traffic.

    flask --app app simulate [--sellers 300] [--days 7] [--seed 7] [--rate 0]
                             [--target http://host:port] [--bulk]

Every message goes through the real bot: in-process through ``SellerBot`` (the webhook's own
entry point) with its clock set to the message's historical time, or over HTTP to a running
app (``--target``, signed with WEBHOOK_SECRET when set; the app stamps messages with its own
clock, so the history is sent in its order but dated now). Nothing writes aggregates
directly: they are the store's own per-message contributions. Messages are processed in time
order across all sellers, and each seller answers the bot's last answer (its state: what it
asks, offers; never its wording).
"""

from __future__ import annotations

import contextlib
import dataclasses
import heapq
import itertools
import logging
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import redis
from tqdm import tqdm

from core.keys import LocationKeys
from core.settings import Settings
from seller_bot.bot import InboundResult, utc_now
from seller_bot.models import Conversation
from simulator.delivery import InProcess, Webhook
from simulator.personas import make_persona
from simulator.seller import SimulatedSeller, new_seller

log = logging.getLogger(__name__)

DEFAULT_LOCATION = "demo-location"
DEFAULT_SEED = 7
# Relative traffic by local hour: quiet nights, a lunch bump, a busy evening.
HOURLY_WEIGHTS = (0.15, 0.08, 0.05, 0.04, 0.05, 0.12, 0.3, 0.55, 0.75, 0.85, 0.9, 1.0,
                  1.25, 1.15, 0.85, 0.8, 0.85, 1.0, 1.3, 1.45, 1.4, 1.1, 0.7, 0.35)
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.8)  # Monday first
# How long a seller takes to answer: (share, shortest, longest) in minutes.
REPLY_DELAYS = ((0.45, 1, 12), (0.3, 12, 90), (0.18, 90, 480), (0.07, 600, 1800))
REPLY_DELAY_CUMULATIVE = list(itertools.accumulate(share for share, _, _ in REPLY_DELAYS))
# After "let me think about it" the answer comes hours later.
THINKING_DELAY_MINUTES = (180, 1800)
MAX_DELAY_DRAWS = 20
NEW_SELLER_SHARE = 0.25  # live mode: how often a new seller writes instead of a waiting one
# Appointments over for this long get an outcome from the (simulated) agent, most of them.
OUTCOME_AFTER = timedelta(hours=2)
OUTCOME_SHARE = 0.7
OUTCOMES = {"held": 0.45, "no_show": 0.2, "under_contract": 0.25, "dead": 0.1}
# History starts this long inside the TTL, so nothing seeded expires while it is written.
TTL_SAFETY = timedelta(hours=1)


# -- time ------------------------------------------------------------------------------


def first_contact_time(rng: random.Random, start: datetime, end: datetime,
                       tz: ZoneInfo) -> datetime:
    """A moment in [start, end) with the shape of real traffic (rejection sampling)."""
    span = int((end - start).total_seconds())
    top = max(HOURLY_WEIGHTS) * max(WEEKDAY_WEIGHTS)
    while True:
        at = start + timedelta(seconds=rng.randrange(span))
        local = at.astimezone(tz)
        if rng.random() * top < HOURLY_WEIGHTS[local.hour] * WEEKDAY_WEIGHTS[local.weekday()]:
            return at


def reply_time(rng: random.Random, after: datetime, topic: str | None,
               tz: ZoneInfo) -> datetime:
    """When the seller answers a bot message sent at ``after``: minutes to hours later, and
    mostly not at night (a delay landing in a quiet hour is usually drawn again)."""
    top = max(HOURLY_WEIGHTS)
    for _ in range(MAX_DELAY_DRAWS):
        if topic == "offer_waiting":
            minutes = rng.uniform(*THINKING_DELAY_MINUTES)
        else:
            _, shortest, longest = rng.choices(REPLY_DELAYS, cum_weights=REPLY_DELAY_CUMULATIVE)[0]
            minutes = rng.uniform(shortest, longest)
        at = after + timedelta(seconds=int(minutes * 60))
        if rng.random() * top < HOURLY_WEIGHTS[at.astimezone(tz).hour]:
            break
    return at


def ghl_time(at: datetime) -> str:
    """GoHighLevel's dateAdded format: ISO UTC with milliseconds and a Z."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- the simulation --------------------------------------------------------------------


@dataclass
class Report:
    """What a backfill did."""

    sellers: int = 0
    messages: int = 0
    waiting: int = 0  # sellers whose next text is due after "now" (live mode sends it)
    outcomes: int = 0  # appointments over whose outcome the agent recorded
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def __str__(self) -> str:
        rate = self.messages / self.seconds if self.seconds else 0
        return (f"{self.sellers} sellers, {self.messages} messages in {self.seconds:.1f} s "
                f"({rate:.0f} msg/s); {self.waiting} conversations waiting for the seller; "
                f"{self.outcomes} appointment outcomes recorded; "
                f"results {dict(self.statuses)}")


class Due(NamedTuple):
    """A seller's next text and when they send it; a tuple, so heaps order it by time fast
    (``order`` is unique, so the seller is never compared)."""

    at: datetime
    order: int
    seller: SimulatedSeller
    text: str


class Simulator:
    """Drives simulated sellers through a transport, in time order."""

    def __init__(self, transport, *, seed: int | str = DEFAULT_SEED,
                 location_id: str = DEFAULT_LOCATION, buyer_name: str = "Jorge",
                 timezone: str = "America/Los_Angeles",
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.transport = transport
        self.seed = seed
        self.location_id = location_id
        self.buyer_name = buyer_name
        self.timezone = timezone
        self.tz = ZoneInfo(timezone)
        self.clock = clock
        self.waiting: list[Due] = []  # heap: sellers who will answer later
        self.sent_by: Counter = Counter()  # messages sent per contact, for message ids
        self._order = itertools.count()
        self._live_index = itertools.count()
        self.live_stream = "live"
        self.live_rng = random.Random(f"{seed}:live")
        self.live_statuses: Counter = Counter()  # live messages by webhook status

    def payload(self, seller: SimulatedSeller, text: str, at: datetime) -> dict:
        """The GoHighLevel InboundMessage webhook body for one text."""
        p = seller.persona
        number = self.sent_by[p.contact_id]
        self.sent_by[p.contact_id] += 1
        body = {
            "type": "InboundMessage", "locationId": self.location_id,
            "contactId": p.contact_id, "conversationId": p.conversation_id,
            "messageId": f"{p.contact_id}-{number}", "body": text, "messageType": "SMS",
            "direction": "inbound", "dateAdded": ghl_time(at), "phone": p.phone,
        }
        if p.name:
            body["contactName"] = p.name
        return body

    def new_seller(self, stream: str, index: int) -> SimulatedSeller:
        return new_seller(self.seed, stream, index, self.buyer_name, self.timezone)

    def exchange(self, seller: SimulatedSeller, text: str,
                 at: datetime | None) -> tuple[dict, Due | None]:
        """Send one text at ``at`` (None: now); the seller reads the answer and decides what
        to say next, and when. Returns the bot's result and that next text, if any."""
        simulated = at or self.clock()
        # Over HTTP the app stamps messages with its own clock, and refuses signed ones whose
        # dateAdded is older than its replay window: history is sent as arriving now.
        stamp = simulated if self.transport.time_travels else self.clock()
        result = self.transport.send(self.payload(seller, text, stamp), at)
        return result, self.follow_up(seller, seller.respond(result), simulated)

    def follow_up(self, seller: SimulatedSeller, text: str | None, after: datetime) -> Due | None:
        """The seller's next text, due a realistic while after ``after``; None: no more."""
        if text is None:
            return None
        at = reply_time(seller.rng, after, seller.last_topic, self.tz)
        return Due(at, next(self._order), seller, text)

    # -- history ---------------------------------------------------------------------
    def backfill(self, sellers: int, *, now: datetime | None = None, days: float = 7,
                 ttl_seconds: int | None = None, progress: bool = False,
                 stream: str = "seed") -> Report:
        """Simulate ``sellers`` conversations over the ``days`` before ``now``, in time order."""
        started = time.perf_counter()
        now = (now or self.clock()).astimezone(UTC)
        start = now - timedelta(days=days)
        if ttl_seconds:
            start = max(start, now - timedelta(seconds=ttl_seconds) + TTL_SAFETY)
        heap: list[Due] = []
        for index in range(sellers):
            seller = self.new_seller(stream, index)
            at = first_contact_time(seller.rng, start, now, self.tz)
            heap.append(Due(at, next(self._order), seller, seller.opening()))
        heapq.heapify(heap)
        report = Report(sellers=sellers)
        bar = tqdm(total=sellers, unit="seller", desc="seeding", disable=not progress)
        with bar:
            while heap:
                due = heapq.heappop(heap)
                result, follow_up = self.exchange(due.seller, due.text, due.at)
                report.messages += 1
                report.statuses[result["status"]] += 1
                if follow_up is not None and follow_up.at <= now:
                    heapq.heappush(heap, follow_up)
                    continue
                if follow_up is not None:
                    heapq.heappush(self.waiting, follow_up)  # live mode sends it
                    report.waiting += 1
                self.transport.finish(self.location_id, due.seller.persona.contact_id)
                bar.update(1)
        self.transport.end_backfill()
        report.outcomes = self.record_outcomes(now)
        report.seconds = time.perf_counter() - started
        return report

    def record_outcomes(self, now: datetime) -> int:
        """The agent's part of the history: how most appointments already over went; the rest
        are flagged for someone to "Record the outcome". In-process only: over HTTP the outcome
        API is a signed-in user's."""
        transport = self.transport
        if not hasattr(transport, "record_outcome"):
            return 0
        rng = random.Random(f"{self.seed}:outcomes")
        recorded = 0
        for contact_id in transport.passed_appointments(self.location_id, now - OUTCOME_AFTER):
            if rng.random() < OUTCOME_SHARE:
                outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
                transport.record_outcome(self.location_id, contact_id, outcome, now)
                recorded += 1
        transport.flag_passed_appointments(self.location_id, now)  # the rest: for a person
        return recorded

    # -- live ------------------------------------------------------------------------
    def live_step(self) -> dict:
        """Send one message now: a waiting seller's answer, or a new seller's first text."""
        now = self.clock()
        due_now = bool(self.waiting) and self.waiting[0].at <= now
        if due_now or (self.waiting and self.live_rng.random() > NEW_SELLER_SHARE):
            due = heapq.heappop(self.waiting)
            seller, text = due.seller, due.text
        else:
            seller = self.new_seller(self.live_stream, next(self._live_index))
            text = seller.opening()
        result, follow_up = self.exchange(seller, text, None)
        if follow_up is not None:
            heapq.heappush(self.waiting, follow_up)
        return result

    def run_live(self, pause: tuple[float, float], stop: threading.Event | None = None) -> None:
        """Send a message, wait ``pause`` (shortest, longest seconds), again, until ``stop``."""
        stop = stop or threading.Event()
        while not stop.wait(self.live_rng.uniform(*pause)):
            try:
                self.live_statuses[self.live_step()["status"]] += 1
            except Exception:  # one failed message (Redis restarting, a bug) stops nothing
                log.warning("live message failed; continuing", exc_info=True)

    def use_fresh_live_stream(self, client: redis.Redis | None) -> None:
        """Give this run's new live sellers ids no earlier run used: the location's data
        version changes with every write (without the store at hand, a random nonce)."""
        if client is not None:
            version = client.get(LocationKeys(self.location_id).version) or 0
            self.live_stream = f"live{version}"
        else:
            self.live_stream = f"live-{secrets.token_hex(4)}"

    def adopt_open_conversations(self, client: redis.Redis, limit: int = 200) -> int:
        """Let sellers of open conversations already stored answer again (after a restart)."""
        keys = LocationKeys(self.location_id)
        contact_ids = client.zrevrange(keys.index("open_inbound"), 0, limit - 1)
        raws = client.mget([keys.conversation(cid) for cid in contact_ids]) if contact_ids else []
        adopted = 0
        for raw in raws:
            if not raw:
                continue
            conv = Conversation.from_json(raw)
            replies = [m for m in conv.transcript if m.direction == "outbound"]
            if not replies or conv.paused:
                continue
            rng = random.Random(f"{self.seed}:adopted:{conv.contact_id}")
            persona = dataclasses.replace(
                make_persona(rng, 0), contact_id=conv.contact_id,
                conversation_id=conv.conversation_id or conv.contact_id,
                name=conv.name, phone=conv.phone or "")
            seller = SimulatedSeller(persona, rng, self.buyer_name, self.timezone)
            self.sent_by[conv.contact_id] = len(conv.transcript)  # fresh message ids
            last = InboundResult.answer("processed", conv, replies[-1].body).to_dict()
            follow_up = self.follow_up(seller, seller.respond(last), conv.last_activity_at)
            if follow_up is not None:
                heapq.heappush(self.waiting, follow_up)
                adopted += 1
        return adopted


# -- the command (``flask --app app simulate``, see cli.py) ---------------------------------


def run(client: redis.Redis | None, settings: Settings, *, sellers: int = 300, days: float = 7,
        seed: int | str = DEFAULT_SEED, rate: float = 0, target: str | None = None,
        location: str = DEFAULT_LOCATION, bulk: bool = False,
        echo: Callable[[str], object] = print) -> None:
    """Backfill ``sellers`` conversations into ``client`` (or over HTTP to ``target``, then
    ``client`` is not used), then send about ``rate`` messages/s until Ctrl-C."""
    if target:
        transport, client = Webhook(target, settings.webhook_secret), None
    else:
        transport = InProcess(client, settings, buffered=bulk)
    simulator = Simulator(transport, seed=seed, location_id=location,
                          buyer_name=settings.buyer_name, timezone=settings.timezone)
    if sellers:
        ttl = None if target else settings.conversation_ttl_seconds
        report = simulator.backfill(sellers, days=days, ttl_seconds=ttl, progress=True)
        echo(str(report))
        if report.statuses["duplicate"]:
            echo("some messages were duplicates: this seed was simulated into this store "
                 "before; pass another --seed")
    if rate > 0:
        echo(f"live: about {rate:g} messages/s, Ctrl-C to stop")
        simulator.use_fresh_live_stream(client)
        with contextlib.suppress(KeyboardInterrupt):
            simulator.run_live((0.5 / rate, 1.5 / rate))
        echo(f"live messages: {dict(simulator.live_statuses)}")
