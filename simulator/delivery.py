"""How simulated messages reach the bot: in-process (optionally buffered for bulk seeding) or
through the webhook route (a running app over HTTP, or a Flask app's test client).

Every transport has ``send(payload, at)`` returning the webhook's JSON answer, ``finish`` (a
conversation's history is complete), ``end_backfill``, and ``time_travels``: whether the bot
takes the message's time from the simulator (in-process) or from its own clock (the app).
"""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime

import orjson
import redis

from core.clock import utc_now
from core.keys import LOCATIONS
from core.settings import Settings
from core.signatures import HMAC_HEADER, hmac_signature
from seller_bot.bot import SellerBot
from seller_bot.models import Conversation
from seller_bot.payload import InboundMessage
from seller_bot.store import ConversationStore


class DeliveryError(RuntimeError):
    """The app refused a simulated message (bad signature, validation, unavailable)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"webhook answered {status}: {body[:200]}")
        self.status = status


class BufferedStore:
    """Holds conversations in memory while their history is simulated, then writes each one
    with the store's own commit script (its whole contribution at once), pipelined.

    A conversation's contribution is a pure function of its final document, so one write of
    the final document leaves the same aggregates as one write per message would.
    """

    def __init__(self, store: ConversationStore, batch: int = 500) -> None:
        self.store = store
        self.batch = batch
        self.docs: dict[tuple[str, str], Conversation] = {}
        self.appointments: dict[str, list[float]] = {}  # per location: heap of booked slots
        self.latest = 0.0
        self.pipe = store.redis.pipeline(transaction=False)
        self.queued = 0
        self.locations: set[str] = set()

    def booked(self, location_id: str) -> list[float]:
        """This location's booked slot times (a heap, one entry per booking), starting from
        the full slots stored (each counted at capacity)."""
        if location_id not in self.appointments:
            full = self.store.taken_slots(location_id, self.latest)
            self.appointments[location_id] = sorted(
                full * self.store.settings.appointment_capacity)
        return self.appointments[location_id]

    def taken_slots(self, location_id: str, after: float,
                    until: float = math.inf) -> list[float]:
        booked = self.booked(location_id)
        while booked and booked[0] < self.latest:
            heapq.heappop(booked)  # past appointments never collide with new slots
        capacity = self.store.settings.appointment_capacity
        return [at for at, n in Counter(booked).items()
                if n >= capacity and after < at <= until]

    def passed_appointments(self, location_id: str, before: float) -> list[str]:
        return []  # nothing is stored before it is flushed

    def retire_expired(self, location_id: str, limit: int = 200) -> int:
        return 0  # nothing is stored before it is flushed

    def update(self, location_id: str, contact_id: str,
               change: Callable[[Conversation], Conversation | None], *,
               message_id: str | None = None,
               create: Callable[[], Conversation] | None = None) -> Conversation | None:
        key = (location_id, contact_id)
        conv = self.docs.get(key) or (create() if create else None)
        if conv is None:
            return None
        was_booked = conv.stage == "booked"
        conv = change(conv)
        self.docs[key] = conv
        self.latest = max(self.latest, conv.last_activity_at.timestamp())
        if conv.stage == "booked" and not was_booked and conv.appointment_at:
            heapq.heappush(self.booked(location_id), conv.appointment_at.timestamp())
        return conv

    def finish(self, location_id: str, contact_id: str) -> None:
        """Queue the conversation's final document; its history is complete."""
        conv = self.docs.pop((location_id, contact_id), None)
        if conv is not None:
            self.write(conv)

    def write(self, conv: Conversation) -> None:
        """Queue one final document, pipelined (``flush`` sends the rest)."""
        self.store.queue_commit(self.pipe, conv)
        self.locations.add(conv.location_id)
        self.queued += 1
        if self.queued >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Send what is queued; refuse to have silently skipped an existing contact."""
        results = self.pipe.execute()
        clashes = sum(1 for result in results if result in (0, -3))  # -3: deleted, suppressed
        if clashes:
            raise RuntimeError(f"{clashes} simulated contacts existed already or were deleted; "
                               "use another seed")
        if any(result == -2 for result in results):
            raise RuntimeError("simulated bookings exceeded a slot's capacity")
        if self.locations:
            self.store.redis.sadd(LOCATIONS, *sorted(self.locations))
        self.queued = 0


class InProcess:
    """The real SellerBot on a Redis client, its clock set to each message's time.

    ``buffered``: the backfill runs on a bot of its own whose store is a ``BufferedStore``;
    once it ends, messages go to a bot on the real store.
    """

    time_travels = True

    def __init__(self, client: redis.Redis, settings: Settings, *,
                 wall_clock: Callable[[], float] = time.time,
                 timer: Callable[[], float] = time.perf_counter,
                 buffered: bool = False) -> None:
        self.at: datetime | None = None
        self.client, self.settings, self.timer = client, settings, timer
        self.store = ConversationStore(client, settings, wall_clock=wall_clock)
        self.buffer = BufferedStore(self.store) if buffered else None
        self.bot = self._bot_on(self.buffer or self.store)

    def _bot_on(self, store: ConversationStore | BufferedStore) -> SellerBot:
        """A bot keeping its conversations in ``store``, on this transport's clock."""
        return SellerBot(self.client, self.settings, clock=self.now, timer=self.timer,
                         store=store)

    def now(self) -> datetime:
        return self.at or utc_now()

    def send(self, payload: dict, at: datetime | None) -> dict:
        """Hand one webhook body to the bot, as the webhook route does, at time ``at``."""
        received = self.timer()
        message = InboundMessage.model_validate(payload)
        self.at = at
        try:
            return self.bot.handle_inbound(message, received=received).to_dict()
        finally:
            self.at = None

    def passed_appointments(self, location_id: str, before: datetime) -> list[str]:
        """Contacts whose booked appointment started before ``before``."""
        return self.store.passed_appointments(location_id, before.timestamp())

    def flag_passed_appointments(self, location_id: str, at: datetime) -> int:
        """The bot's housekeeping at time ``at``: appointments over without outcome flagged."""
        self.at = at
        try:
            return self.bot.flag_passed_appointments(location_id)
        finally:
            self.at = None

    def record_outcome(self, location_id: str, contact_id: str, outcome: str,
                       at: datetime) -> None:
        """An agent records how an appointment went, at time ``at``."""
        self.at = at
        try:
            self.bot.record_outcome(location_id, contact_id, outcome)
        finally:
            self.at = None

    def finish(self, location_id: str, contact_id: str) -> None:
        if self.buffer:
            self.buffer.finish(location_id, contact_id)

    def end_backfill(self) -> None:
        """Write every buffered conversation; from now on each message is written at once."""
        if self.buffer:
            for location_id, contact_id in list(self.buffer.docs):
                self.buffer.finish(location_id, contact_id)
            self.buffer.flush()
            self.bot = self._bot_on(self.store)
            self.buffer = None


class Webhook:
    """POSTs each message to the app's webhook route, signed as a real sender signs it.

    ``target`` is a base URL (a running app) or a Flask app (its test client: the same route,
    no network). The app stamps each message with its own clock.
    """

    PATH = "/webhooks/ghl/inbound"
    time_travels = False  # the app uses its own clock

    def __init__(self, target, secret: str | None = None, timeout: float = 10.0) -> None:
        self.secret = secret
        self.timeout = timeout
        if isinstance(target, str):
            import requests  # only the HTTP mode needs it

            self.url = target.rstrip("/") + self.PATH
            self.http = requests.Session()
            self.client = None
        else:
            self.client = target.test_client()
        self.statuses: Counter = Counter()

    def send(self, payload: dict, at: datetime | None) -> dict:
        body = orjson.dumps(payload)
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers[HMAC_HEADER] = hmac_signature(self.secret, body)
        while True:
            status, text = self._post(body, headers)
            self.statuses[status] += 1
            if status != 429:
                break
            time.sleep(1.0)  # the app's rate limit: wait like GoHighLevel's retry would
        if status != 200:
            raise DeliveryError(status, text)
        return orjson.loads(text)

    def _post(self, body: bytes, headers: dict) -> tuple[int, str]:
        if self.client is not None:
            response = self.client.post(self.PATH, data=body, headers=headers)
            return response.status_code, response.get_data(as_text=True)
        response = self.http.post(self.url, data=body, headers=headers, timeout=self.timeout)
        return response.status_code, response.text

    def finish(self, location_id: str, contact_id: str) -> None:
        pass

    def end_backfill(self) -> None:
        pass
