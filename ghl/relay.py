"""The outbox relay: delivers each location's outbox stream to GoHighLevel.

At-least-once with an idempotency marker, in order per contact, within the location's budget:

- Entries are read with a consumer group (``XREADGROUP``); entries another relay left pending
  longer than ``RELAY_CLAIM_IDLE_SECONDS`` (it crashed) are taken over with ``XAUTOCLAIM``.
  Several relays may run at once.
- A contact's actions carry a sequence number; an action is sent only once the one before it
  is done (delivered or dead-lettered), and a short per-contact lock keeps two relays from
  working on one contact at the same moment.
- Before a call, the location's sliding-window budget (``GHL_BURST_LIMIT`` calls per
  ``GHL_BURST_WINDOW_SECONDS``, shared by all relays in Redis) must have room, and no hold from
  a 429 may be active. CRM updates leave ``GHL_REPLY_RESERVE`` calls of each window to replies,
  so tags and fields never delay what the seller is waiting for.
- When GoHighLevel accepts an action, a marker with its answer is set (``SET`` with expiry)
  before anything else; a relay that finds the marker never calls again. The remaining window:
  a crash after GoHighLevel accepted but before the marker was written sends that action again
  (GoHighLevel's API takes no idempotency key); see docs/ghl.md.
- 429, 5xx, timeouts and dropped connections are retried with exponential backoff (or as long
  as ``Retry-After`` / ``X-RateLimit-*`` say); after ``GHL_MAX_ATTEMPTS`` the action goes to the
  location's dead-letter stream, from where the drill-down can queue it again.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import orjson
import redis

from core.keys import OUTBOX_GROUP, LocationKeys
from core.settings import Settings
from ghl.client import GhlClient, GhlError
from ghl.location_names import LocationNames
from seller_bot.bot import SellerBot
from seller_bot.outbox import Action, generation

log = logging.getLogger(__name__)

GROUP = OUTBOX_GROUP
DEAD_LETTER_MAX = 10_000

# KEYS[1] budget (sorted set of call times), KEYS[2] hold; ARGV limit, window ms, member.
# Returns 0 when a call may go now (and counts it), else the milliseconds to wait.
BUDGET_SCRIPT = """
local hold = redis.call('PTTL', KEYS[2])
if hold > 0 then return hold end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""
# Release a lock only if it is still ours.
UNLOCK_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{threading.get_ident() % 100_000}"


def backoff_seconds(attempt: int, settings: Settings) -> float:
    """Exponential backoff with full jitter, capped."""
    ceiling = min(settings.ghl_retry_max_seconds,
                  settings.ghl_retry_base_seconds * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


class Relay:
    """One relay process (or thread); ``run(stop)`` until ``stop`` is set."""

    def __init__(self, client: redis.Redis, settings: Settings, bot: SellerBot, api: GhlClient,
                 *, consumer: str | None = None,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.redis = client
        self.settings = settings
        self.bot = bot
        self.api = api
        self.consumer = consumer or consumer_name()
        self.wall_clock = wall_clock
        self._budget = client.register_script(BUDGET_SCRIPT)
        self._unlock = client.register_script(UNLOCK_SCRIPT)
        self.location_names = LocationNames(
            client, api, may_call=lambda loc: self._take_budget(LocationKeys(loc), reply=False))
        self._members = itertools.count()
        self._claimed_at = float("-inf")
        self._groups: set[str] = set()
        self._held: dict[str, float] = {}  # location -> monotonic time its budget frees up
        self._pool = ThreadPoolExecutor(max_workers=settings.relay_concurrency,
                                        thread_name_prefix="relay")
        # Covers one call: the timeout bounds each of connect, send and read. A crashed relay's
        # lock frees by then, about when its entries become claimable anyway.
        self.lock_ms = int((settings.ghl_timeout_seconds * 3 + 2) * 1000)

    # -- loop --------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        log.info("relay %s started", self.consumer)
        while not stop.is_set():
            try:
                self.bot.housekeep_all()
                self.location_names.refresh()
                if self.run_once() == 0:
                    stop.wait(self.settings.relay_poll_seconds)
            except redis.RedisError as exc:
                log.warning("relay: redis unavailable (%s); retrying", type(exc).__name__)
                stop.wait(1.0)
        self._pool.shutdown(wait=True)
        self._leave_groups()
        log.info("relay %s stopped", self.consumer)

    def _leave_groups(self) -> None:
        """A clean stop removes this consumer from each group where it holds nothing (what it
        still holds stays, for another relay to claim)."""
        try:
            for location in self._groups:
                stream = LocationKeys(location).outbox
                if not self.redis.xpending_range(stream, GROUP, "-", "+", 1,
                                                 consumername=self.consumer):
                    self.redis.xgroup_delconsumer(stream, GROUP, self.consumer)
        except redis.RedisError as exc:
            log.warning("relay: could not leave the consumer groups: %s", exc)

    def run_once(self) -> int:
        """Read what is due (own pending, claimed, new) and work it off; return actions done."""
        entries: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        claim = (time.monotonic() - self._claimed_at
                 > self.settings.relay_claim_idle_seconds / 2)
        for location in self.locations():
            entries[location] += self._read(LocationKeys(location), claim)
        if claim:
            self._claimed_at = time.monotonic()
        chains: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
        seen: set[str] = set()
        for location, items in entries.items():
            for entry_id, fields in sorted(items, key=lambda item: stream_order(item[0])):
                if entry_id in seen or not fields:
                    continue
                seen.add(entry_id)
                chains[location, fields.get("contact", "")].append((entry_id, fields))
        futures = [self._pool.submit(self._work_chain, location, chain)
                   for (location, _), chain in chains.items()]
        return sum(future.result() for future in futures)

    def locations(self) -> list[str]:
        """Every location with data (one SMEMBERS a round: a new one is served at once)."""
        locations = self.bot.store.locations()
        for location in locations:
            if location not in self._groups:
                self._ensure_group(LocationKeys(location).outbox)
                self._groups.add(location)
        return locations

    def _ensure_group(self, stream: str) -> None:
        try:
            self.redis.xgroup_create(stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _read(self, keys: LocationKeys, claim: bool) -> list[tuple[str, dict]]:
        """This relay's pending entries, new ones, and (``claim``) those left by dead relays."""
        found: list[tuple[str, dict]] = []
        try:
            if claim:
                _next, claimed, *_ = self.redis.xautoclaim(
                    keys.outbox, GROUP, self.consumer,
                    int(self.settings.relay_claim_idle_seconds * 1000), "0-0",
                    count=self.settings.relay_batch)
                found += claimed
            for start in ("0", ">"):
                answer = self.redis.xreadgroup(GROUP, self.consumer, {keys.outbox: start},
                                               count=self.settings.relay_batch)
                for _stream, items in answer or []:
                    found += items
                if len(found) >= self.settings.relay_batch:
                    break  # enough waiting already: take no new entries this round
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self._ensure_group(keys.outbox)
        return found

    # -- one contact's actions, in order -----------------------------------------------
    def _work_chain(self, location: str, chain: list[tuple[str, dict]]) -> int:
        done = 0
        for entry_id, fields in chain:
            try:
                finished = self._process(location, entry_id, fields)
            except redis.RedisError:
                raise
            except Exception:
                log.exception("relay: action %s failed unexpectedly", fields.get("id"))
                finished = False
            if not finished:
                break  # later actions of this contact wait for this one
            done += 1
        return done

    def _process(self, location: str, entry_id: str, fields: dict) -> bool:
        """Handle one entry; True when it is finished (acknowledged), False to try later."""
        keys = LocationKeys(location)
        action = Action.from_stream(fields)
        now_ms = int(self.wall_clock() * 1000)
        if self._held.get(location, 0) > time.monotonic():
            return False  # the location's budget is used up for now
        attempts, next_ms = self._retry_state(keys, entry_id)
        if next_ms > now_ms:
            return False
        done_gen, done_seq = self._done(keys, action.contact_id)
        if done_gen == action.generation and done_seq >= action.seq:
            self._finish(keys, entry_id, action)
            return True
        if (done_seq if done_gen == action.generation else 0) < action.seq - 1:
            return False  # an earlier action of this contact is not done yet
        lock = keys.outbox_lock(action.contact_id)
        if not self.redis.set(lock, self.consumer, nx=True, px=self.lock_ms):
            return False
        try:
            return self._deliver(keys, entry_id, action, attempts)
        finally:
            self._unlock(keys=[lock], args=[self.consumer])

    def _deliver(self, keys: LocationKeys, entry_id: str, action: Action, attempts: int) -> bool:
        location = keys.location_id
        conv = self.bot.store.load(location, action.contact_id)
        if conv is None or generation(conv) != action.generation:
            log.info("relay: contact %s gone; action %s dropped", action.contact_id,
                     action.action_id)
            self._finish(keys, entry_id, action)
            return True
        marker = self.redis.get(keys.outbox_sent(action.action_id))
        if marker is not None:
            result = orjson.loads(marker)
        else:
            if self._skip(keys, action):
                self._finish(keys, entry_id, action)
                return True
            if not self._take_budget(keys, reply=action.kind == "sms"):
                return False
            try:
                result = self._call(location, action)
            except GhlError as exc:
                return self._failed(keys, entry_id, action, attempts + 1, exc)
            self.redis.set(keys.outbox_sent(action.action_id), orjson.dumps(result),
                           ex=self.settings.relay_sent_marker_seconds)
        self._apply(location, action, result)
        self._finish(keys, entry_id, action)
        return True

    def _skip(self, keys: LocationKeys, action: Action) -> bool:
        """A booking confirmation whose appointment GoHighLevel refused is not sent."""
        requires = action.data.get("requires")
        if not requires:
            return False
        marker = self.redis.get(keys.outbox_sent(requires))
        return marker is not None and bool(orjson.loads(marker).get("refused"))

    def _take_budget(self, keys: LocationKeys, reply: bool) -> bool:
        location = keys.location_id
        if self._held.get(location, 0) > time.monotonic():
            return False
        limit = self.settings.ghl_burst_limit
        if not reply:
            limit = max(1, limit - self.settings.ghl_reply_reserve)
        wait_ms = self._budget(keys=[keys.ghl_budget, keys.ghl_hold],
                               args=[limit,
                                     int(self.settings.ghl_burst_window_seconds * 1000),
                                     f"{self.consumer}:{next(self._members)}"])
        if wait_ms:
            if reply:  # CRM updates waiting on the reserve must not hold replies back
                self._held[location] = time.monotonic() + wait_ms / 1000
            return False
        return True

    def _hold(self, keys: LocationKeys, seconds: float) -> None:
        """GoHighLevel said wait: no relay calls for this location until then."""
        ms = max(1, int(seconds * 1000))
        self.redis.set(keys.ghl_hold, "1", px=ms)
        self._held[keys.location_id] = time.monotonic() + ms / 1000

    # -- GoHighLevel calls -------------------------------------------------------------
    def _call(self, location: str, action: Action) -> dict:
        contact, data = action.contact_id, action.data
        if action.kind == "sms":
            answer = self.api.send_sms(contact, data["message"])
            result = {"messageId": answer.data.get("messageId"),
                      "conversationId": answer.data.get("conversationId"),
                      "accepted_ms": int(self.wall_clock() * 1000)}
        elif action.kind == "tags_add":
            answer = self.api.add_tags(contact, data["tags"])
            result = {}
        elif action.kind == "tags_remove":
            answer = self.api.remove_tags(contact, data["tags"])
            result = {}
        elif action.kind == "fields":
            answer = self.api.update_custom_fields(contact, data["fields"])
            result = {}
        elif action.kind == "appointment":
            try:
                answer = self.api.create_appointment(data["calendarId"], location, contact,
                                                     data["startTime"])
            except GhlError as exc:
                if exc.retryable:
                    raise
                log.warning("relay: GoHighLevel refused the slot %s for %s: %s",
                            data["startTime"], contact, exc)
                return {"refused": True, "error": str(exc)[:200]}
            result = {"id": answer.data.get("id")}
        elif action.kind == "contact":
            found, answer = self.api.get_contact(contact)
            result = {"name": found.name, "phone": found.phone}
        else:
            raise ValueError(f"unknown outbox action {action.kind}")
        held = answer.rate.exhausted_for()
        if held:
            self._hold(LocationKeys(location), held)
        return result

    def _apply(self, location: str, action: Action, result: dict) -> None:
        """Record GoHighLevel's answer on the conversation (through the store)."""
        contact = action.contact_id
        if action.kind == "sms":
            accepted = datetime.fromtimestamp(result["accepted_ms"] / 1000, UTC)
            self.bot.record_delivery(location, contact, action.action_id,
                                     result.get("messageId"), accepted)
        elif action.kind == "appointment":
            if result.get("refused"):
                self.bot.slot_refused(location, contact, action.data["startTime"])
            else:
                self.bot.record_appointment(location, contact, result.get("id"))
        elif action.kind == "contact":
            self.bot.fill_contact(location, contact, result.get("name"), result.get("phone"))

    def _failed(self, keys: LocationKeys, entry_id: str, action: Action, attempts: int,
                exc: GhlError) -> bool:
        if exc.retry_after is not None or exc.status == 429:
            self._hold(keys, exc.retry_after if exc.retry_after is not None
                       else backoff_seconds(attempts, self.settings))
        if not exc.retryable or attempts >= self.settings.ghl_max_attempts:
            log.warning("relay: action %s dead-lettered after %d attempts: %s",
                        action.action_id, attempts, exc)
            self._dead_letter(keys, entry_id, action, attempts, str(exc))
            return True
        delay = exc.retry_after if exc.retry_after is not None else backoff_seconds(
            attempts, self.settings)
        next_ms = int((self.wall_clock() + delay) * 1000)
        self.redis.hset(keys.outbox_retries, entry_id, f"{attempts}:{next_ms}")
        log.info("relay: action %s attempt %d failed (%s); next in %.1f s", action.action_id,
                 attempts, exc, delay)
        return False

    # -- bookkeeping -------------------------------------------------------------------
    def _retry_state(self, keys: LocationKeys, entry_id: str) -> tuple[int, int]:
        raw = self.redis.hget(keys.outbox_retries, entry_id)
        if not raw:
            return 0, 0
        attempts, next_ms = raw.split(":")
        return int(attempts), int(next_ms)

    def _done(self, keys: LocationKeys, contact_id: str) -> tuple[str | None, int]:
        raw = self.redis.get(keys.outbox_done(contact_id))
        if not raw:
            return None, 0
        gen, seq = raw.split(":")
        return gen, int(seq)

    def _finish(self, keys: LocationKeys, entry_id: str, action: Action,
                dead: dict | None = None) -> None:
        """Done: the contact's sequence advances and the entry leaves the stream, in one
        transaction (with its dead letter, if any)."""
        with self.redis.pipeline(transaction=True) as pipe:
            if dead is not None:
                pipe.xadd(keys.dead_letters, dead, maxlen=DEAD_LETTER_MAX, approximate=True)
            pipe.set(keys.outbox_done(action.contact_id), f"{action.generation}:{action.seq}",
                     ex=self.settings.conversation_ttl_seconds)
            pipe.xack(keys.outbox, GROUP, entry_id)
            pipe.xdel(keys.outbox, entry_id)
            pipe.hdel(keys.outbox_retries, entry_id)
            pipe.execute()

    def _dead_letter(self, keys: LocationKeys, entry_id: str, action: Action, attempts: int,
                     error: str) -> None:
        self._finish(keys, entry_id, action, dead={
            "id": action.action_id, "kind": action.kind, "contact": action.contact_id,
            "data": orjson.dumps(action.data), "error": error[:300], "attempts": attempts,
            "failed_ms": int(self.wall_clock() * 1000)})


def stream_order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)
