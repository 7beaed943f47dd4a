"""Conversation persistence: one JSON document per contact, written atomically with the
indexes and counters it feeds (a compare-and-set Lua script over one location's hash tag)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import redis

from core.keys import LOCATIONS, LocationKeys
from core.redis_client import is_cluster
from core.schema import expired_up_to, expires_at, is_expired
from core.settings import Settings
from seller_bot import document
from seller_bot.aggregates import (
    Contribution,
    changes_past_hours,
    contributions_apart,
    index_keys,
)
from seller_bot.models import Conversation
from seller_bot.outbox import CrmConfig, Requeue, derive_actions

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 200

# KEYS[1] document, KEYS[2] data version, KEYS[3] the contact's suppression record, KEYS[4..]
# the rest.
# ARGV: expected document ('' = absent), new document ('' = delete), document expiry (ms),
# then ops:
#   H key n f1 d1 .. fn dn   (HINCRBY of n fields of one hash, a field removed at 0)
#   Z score member n k1 .. kn  (ZADD of one member with one score to n sorted sets)
#   R member n k1 .. kn        (ZREM of one member from n sorted sets)
#   X key at_ms         (PEXPIREAT) D key        (DEL)
#   C key score capacity member   (claim an appointment slot; C ops come first and are
#                                  checked before anything is written: -2 when ``capacity``
#                                  other members already hold that score)
#   A key n f1 v1 .. fn vn  (XADD key * ...: one outbox action, issue #11)
#   I key               (INCR: the history version, when completed hours change; issue #14)
#   S key value at_ms   (SET, with PXAT unless at_ms is 0)
# Returns the new data version; 0 the document changed meanwhile; -2 slot full (C); -3 the
# contact is suppressed (deleted, or opted out and deleted or expired): it is not created
# again. A message processed already is found in the document read (its seen list,
# ``seller_bot.document``), and the compare-and-set makes that read the truth.
COMMIT_SCRIPT = """
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[1] == '' and ARGV[2] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then return -3 end
local c = 4
while ARGV[c] == 'C' do
  local key, score = KEYS[tonumber(ARGV[c + 1])], ARGV[c + 2]
  local held = redis.call('ZCOUNT', key, score, score)
  local mine = redis.call('ZSCORE', key, ARGV[c + 4])
  if mine and tonumber(mine) == tonumber(score) then held = held - 1 end
  if held >= tonumber(ARGV[c + 3]) then return -2 end
  c = c + 5
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
end
local i = 4
local n = #ARGV
while i <= n do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]  -- Z and R list their keys last
  if op == 'H' then
    local last = i + 1 + 2 * tonumber(ARGV[i + 2])
    for f = i + 3, last, 2 do
      if redis.call('HINCRBY', key, ARGV[f], ARGV[f + 1]) == 0 then
        redis.call('HDEL', key, ARGV[f])
      end
    end
    i = last + 2
  elseif op == 'Z' then
    local last = i + 3 + tonumber(ARGV[i + 3])
    for k = i + 4, last do
      redis.call('ZADD', KEYS[tonumber(ARGV[k])], ARGV[i + 1], ARGV[i + 2])
    end
    i = last + 1
  elseif op == 'R' then
    local last = i + 2 + tonumber(ARGV[i + 2])
    for k = i + 3, last do
      redis.call('ZREM', KEYS[tonumber(ARGV[k])], ARGV[i + 1])
    end
    i = last + 1
  elseif op == 'X' then
    redis.call('PEXPIREAT', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'D' then
    redis.call('DEL', key)
    i = i + 2
  elseif op == 'S' then
    if ARGV[i + 3] == '0' then
      redis.call('SET', key, ARGV[i + 2])
    else
      redis.call('SET', key, ARGV[i + 2], 'PXAT', ARGV[i + 3])
    end
    i = i + 4
  elseif op == 'C' then
    i = i + 5
  elseif op == 'A' then
    local n = tonumber(ARGV[i + 2])
    redis.call('XADD', key, '*', unpack(ARGV, i + 3, i + 2 + 2 * n))
    i = i + 3 + 2 * n
  elseif op == 'I' then
    redis.call('INCR', key)
    i = i + 2
  else
    return redis.error_reply('unknown op ' .. op)
  end
end
return redis.call('INCR', KEYS[2])
"""


class ConflictError(RuntimeError):
    """The same conversation kept changing under us; the caller may retry later."""


class DuplicateMessage(Exception):
    """This messageId was processed already."""


UNREAD = object()  # ``update``'s first_raw when the caller has not read the document


class Suppressed(Exception):
    """The contact was deleted (or opted out and was deleted): it is not created again."""


# The development fallback when neither SUPPRESSION_KEY nor SECRET_KEY is set (production
# requires SECRET_KEY), so suppression records survive a restart of ``python app.py``.
DEVELOPMENT_SUPPRESSION_KEY = "development-only-suppression-key"


class SlotTaken(Exception):
    """The appointment slot this write books is full (another seller claimed it first)."""


class _Ops:
    """Key list and flat argument list for one script call."""

    def __init__(self, fixed_keys: list[str]) -> None:
        self.keys: list[str] = []
        self.args: list[str] = []
        self._positions: dict[str, int] = {}
        for key in fixed_keys:
            self.keys.append(key)
            self._positions.setdefault(key, len(self.keys))

    def key(self, key: str) -> str:
        """The script's 1-based KEYS index of ``key``, added on first use."""
        if key not in self._positions:
            self.keys.append(key)
            self._positions[key] = len(self.keys)
        return str(self._positions[key])

    def add(self, op: str, key: str, *args: str) -> None:
        self.args += [op, self.key(key), *args]

    def add_to_keys(self, op: str, keys: list[str], *args: str) -> None:
        """One op applied to several keys: ``op args.. n k1 .. kn``."""
        self.args += [op, *args, str(len(keys)), *map(self.key, keys)]


def diff_ops(old: Contribution | None, new: Contribution | None, fixed_keys: list[str],
             wall_now: float) -> _Ops:
    """Turn the change between two contributions into script ops: one H per hash, one Z per
    (member, score) and one R per member, whatever the number of keys they touch."""
    ops = _Ops(fixed_keys)
    counters = dict(new.counters) if new else {}
    for item, value in (old.counters.items() if old else ()):
        counters[item] = counters.get(item, 0) - value
    fields: dict[str, list[str]] = {}
    for (key, fld), delta in counters.items():
        if delta:
            fields.setdefault(key, []).extend((fld, str(delta)))
    for key, pairs in fields.items():
        ops.add("H", key, str(len(pairs) // 2), *pairs)
    expiry = {**(old.bucket_expiry if old else {}), **(new.bucket_expiry if new else {})}
    for key in sorted(fields.keys() & expiry.keys()):
        if expiry[key] > wall_now:
            ops.add("X", key, str(int(expiry[key] * 1000)))
    old_entries = old.entries if old else {}
    new_entries = new.entries if new else {}
    removed: dict[str, list[str]] = {}
    for (key, member) in old_entries.keys() - new_entries.keys():
        removed.setdefault(member, []).append(key)
    for member, keys in removed.items():
        ops.add_to_keys("R", keys, member)
    moved: dict[tuple[str, float], list[str]] = {}
    for (key, member), score in new_entries.items():
        if old_entries.get((key, member)) != score:
            moved.setdefault((member, score), []).append(key)
    for (member, score), keys in moved.items():
        ops.add_to_keys("Z", keys, repr(float(score)), member)
    return ops


def _books_a_slot(old: Conversation | None, new: Conversation) -> bool:
    """Whether this change books an appointment time the conversation did not hold."""
    if new.stage != "booked" or new.appointment_at is None:
        return False
    return old is None or old.stage != "booked" or old.appointment_at != new.appointment_at


# The webhook's first read, one round trip: whether the message was processed already (its id
# in the stored document's seen list; in a document stored before issue #15, plain JSON, in its
# transcript), the stored document, and (unless it is a duplicate: a redelivery costs no
# budget) the message counted in the location's fixed-window budget.
# KEYS: document, budget counter. ARGV: message id, budget window (s), '' = count nothing.
# '\30' and '\31' are seller_bot.document's BODY and SEEN_ENTRY.
PEEK_SCRIPT = r"""
local doc = redis.call('GET', KEYS[1])
local seen = 0
if doc then
  local head = string.sub(doc, 1, string.find(doc, '\30', 1, true) or 0)
  if string.find(head, '\31' .. ARGV[1] .. '@', 1, true)
      or (string.sub(doc, 1, 1) == '{'
          and string.find(doc, '"message_id":"' .. ARGV[1] .. '"', 1, true)) then
    seen = 1
  end
end
local used = 0
if seen == 0 and ARGV[2] ~= '' then
  used = redis.call('INCR', KEYS[2])
  if used == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
end
return {seen, used, doc}
"""


@dataclass(frozen=True)
class Peek:
    """What the webhook reads before the bot runs (``ConversationStore.peek``)."""

    seen: bool
    stored: str | None
    budget_used: int  # messages counted in the budget's window, this one included; 0: none


class ConversationStore:
    """Reads and atomically writes conversations of any location."""

    def __init__(self, client: redis.Redis, settings: Settings,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.redis = client
        self.settings = settings
        self.wall_clock = wall_clock
        self._commit = client.register_script(COMMIT_SCRIPT)
        self._peek = client.register_script(PEEK_SCRIPT)
        self.crm = CrmConfig.from_settings(settings)  # None: the outbox is off
        self._suppression_key = (settings.suppression_key or settings.secret_key
                                 or DEVELOPMENT_SUPPRESSION_KEY).encode()

    def suppression_key(self, location_id: str, contact_id: str) -> str:
        """The contact's suppression record: a keyed hash, no personal data in it."""
        digest = hmac.new(self._suppression_key, f"{location_id}\0{contact_id}".encode(),
                          hashlib.sha256).hexdigest()[:40]
        return LocationKeys(location_id).suppressed(digest)

    # -- reads -----------------------------------------------------------------------
    def load(self, location_id: str, contact_id: str) -> Conversation | None:
        raw = self.redis.get(LocationKeys(location_id).conversation(contact_id))
        return Conversation.from_json(raw) if raw else None

    def load_raw(self, location_id: str, contact_id: str) -> str | None:
        return self.redis.get(LocationKeys(location_id).conversation(contact_id))

    def locations(self) -> list[str]:
        return sorted(self.redis.smembers(LOCATIONS))

    def register_location(self, location_id: str) -> None:
        """Add the location to the set every reader walks (idempotent: also done again on a
        duplicate message, in case the first attempt's connection dropped right after the
        commit). Outside the commit script: on Redis Cluster the set lives in another slot."""
        self.redis.sadd(LOCATIONS, location_id)

    def peek(self, location_id: str, contact_id: str, message_id: str,
             budget_seconds: int | None = None) -> Peek:
        """Duplicate check and stored document in one round trip (the write starts from this
        document); with ``budget_seconds``, a new message is also counted in the location's
        budget window of that length."""
        keys = LocationKeys(location_id)
        # Without a budget the script counts nothing; the key only keeps the call in one slot.
        budget = keys.webhook_budget(self.wall_clock(), budget_seconds or 1)
        seen, used, raw = self._peek(keys=[keys.conversation(contact_id), budget],
                                     args=[message_id, budget_seconds or ""])
        return Peek(bool(seen), raw, int(used))

    def find_locations(self, contact_id: str) -> list[str]:
        """Every location holding this contact id (GoHighLevel ids are unique, but one contact
        can be copied into several sub-accounts)."""
        locations = self.locations()
        with self.redis.pipeline(transaction=False) as pipe:
            for location in locations:
                pipe.exists(LocationKeys(location).conversation(contact_id))
            found = pipe.execute()
        return [loc for loc, hit in zip(locations, found, strict=True) if hit]

    def taken_slots(self, location_id: str, after: float,
                    until: float = math.inf) -> list[float]:
        """Start times (epoch seconds) after ``after`` and up to ``until`` booked to capacity
        in this location."""
        key = LocationKeys(location_id).appointments
        booked = Counter(score for _, score in
                         self.redis.zrangebyscore(key, after, until, withscores=True))
        return [score for score, n in booked.items()
                if n >= self.settings.appointment_capacity]

    def passed_appointments(self, location_id: str, before: float) -> list[str]:
        """Contacts whose booked appointment started before ``before`` (epoch seconds)."""
        key = LocationKeys(location_id).appointments
        return self.redis.zrangebyscore(key, "-inf", before)

    # -- writes ----------------------------------------------------------------------
    def expires_at(self, conv: Conversation) -> float:
        return expires_at(conv.last_activity_at, self.settings.conversation_ttl_seconds)

    def commit(self, old_raw: str | bytes | None, old: Conversation | None,
               new: Conversation | None, *, location_id: str, contact_id: str,
               message_id: str | None = None, requeue: tuple[Requeue, ...] = (),
               forget: bool = False) -> int:
        """Write ``new`` if the stored document is still ``old_raw``; return the data version.

        Returns 0 when the document changed meanwhile (the caller re-reads and retries);
        raises DuplicateMessage when ``message_id`` was already processed, Suppressed when
        ``old`` is None and the contact was deleted. ``forget`` (a deletion asked for) leaves
        a suppression record behind.
        """
        keys, args = self.commit_call(old_raw, old, new, location_id=location_id,
                                      contact_id=contact_id, message_id=message_id,
                                      requeue=requeue, forget=forget)
        result = self._commit(keys=keys, args=args)
        if result == -3:
            raise Suppressed(contact_id)
        if result == -2:
            raise SlotTaken(new.appointment_at if new is not None else None)
        if result and old is None and new is not None:
            self.register_location(location_id)
        return int(result)

    def queue_commit(self, pipe: redis.client.Pipeline, new: Conversation) -> None:
        """Queue on ``pipe`` the creation of a conversation not stored yet (bulk seeding).

        The same script and contribution as ``commit``; the pipeline's result for it is the
        data version, or 0 when the contact existed already. The caller adds the location.
        Seeded history is the past: nothing of it goes to the outbox; its messages count as
        processed at their own time (the idempotency marks a message-by-message write leaves).
        """
        processed = {m.message_id: int(m.at.timestamp()) for m in new.transcript
                     if m.direction == "inbound" and m.message_id}  # as each write marks it
        keys, args = self.commit_call(None, None, new, location_id=new.location_id,
                                      contact_id=new.contact_id, outbox=False,
                                      processed=processed)
        if is_cluster(self.redis):
            # A cluster pipeline refuses EVALSHA; EVAL sends the script (the server caches it)
            # and is routed by its keys, all in the location's slot.
            pipe.execute_command("EVAL", COMMIT_SCRIPT, len(keys), *keys, *args)
        else:
            self._commit(keys=keys, args=args, client=pipe)

    def commit_call(self, old_raw: str | bytes | None, old: Conversation | None,
                    new: Conversation | None, *, location_id: str, contact_id: str,
                    message_id: str | None = None, requeue: tuple[Requeue, ...] = (),
                    outbox: bool = True, forget: bool = False,
                    processed: document.Seen | None = None) -> tuple[list[str], list]:
        """The commit script's keys and arguments for the change from ``old`` to ``new``;
        ``processed``: the message ids to store as processed (default: those of ``old_raw``).
        Raises DuplicateMessage when ``message_id`` is one of them."""
        wall_now = self.wall_clock()
        keys = LocationKeys(location_id)
        if new is not None and is_expired(new.last_activity_at,
                                          self.settings.conversation_ttl_seconds, wall_now):
            new = None  # history older than the TTL: nothing of it is kept
        # The suppression record is read on a creation and written on a deletion only; an
        # update names the document again in its place (no keyed hash to compute).
        suppression = (self.suppression_key(location_id, contact_id)
                       if old is None or new is None else keys.conversation(contact_id))
        marks = document.seen(old_raw) if processed is None else processed
        if message_id and message_id in marks:
            raise DuplicateMessage(message_id)
        fixed = [keys.conversation(contact_id), keys.version, suppression]
        old_part, new_part = contributions_apart(old, new, keys, wall_now,
                                                 self.settings.bucket_retention_seconds)
        ops = diff_ops(old_part, new_part, fixed, wall_now)
        if changes_past_hours(old_part, new_part, keys, wall_now):
            ops.add("I", keys.history)
        if new is not None and _books_a_slot(old, new):
            ops.args[:0] = ["C", ops.key(keys.appointments),
                            repr(new.appointment_at.timestamp()),
                            str(self.settings.appointment_capacity), contact_id]
        if self.crm is not None and outbox:
            for action in derive_actions(old, new, self.crm, requeue):
                fields = action.stream_fields()
                ops.add("A", keys.outbox, str(len(fields) // 2), *fields)
        if new is None and old is not None:
            self._add_suppression(ops, old, fixed[2], wall_now, forget=forget)
        new_raw = ""
        if new is not None:
            if message_id:
                # Marked at the conversation's time (the bot's clock, like the document's own
                # expiry): it lasts as long as the document would without another message.
                marks[message_id] = int(new.last_activity_at.timestamp())
            marks = document.still_seen(marks, wall_now, self.settings.conversation_ttl_seconds)
            new_raw = document.pack(new.to_json(), marks)
        expire_ms = int(self.expires_at(new) * 1000) if new is not None else 0
        expected = document.stored_bytes(old_raw) if old_raw else ""
        return ops.keys, [expected, new_raw, expire_ms, *ops.args]

    def _add_suppression(self, ops: _Ops, old: Conversation, key: str, wall_now: float, *,
                         forget: bool) -> None:
        """An opted-out contact stays suppressed for good (deleted or expired: never texted
        again); a deleted one for as long as a replay or redelivery of its messages could
        arrive (the replay window, and the message markers' lifetime)."""
        if old.stage == "opted_out":
            ops.add("S", key, "opted_out", "0")
        elif forget:
            keep = max(self.settings.webhook_max_age_seconds,
                       self.settings.conversation_ttl_seconds)
            ops.add("S", key, "deleted", str(int((wall_now + keep) * 1000)))

    def update(self, location_id: str, contact_id: str,
               change: Callable[[Conversation], Conversation | None],
               *, message_id: str | None = None,
               create: Callable[[], Conversation] | None = None,
               requeue: tuple[Requeue, ...] = (),
               first_raw: str | object | None = UNREAD) -> Conversation | None:
        """Read-modify-write with retries; ``change`` returns the new state (None deletes);
        ``requeue``: outbox actions to queue again with this write; ``first_raw``: the document
        as just read (``peek``), saving the first read."""
        for attempt in range(MAX_CONFLICT_RETRIES):
            raw = (first_raw if attempt == 0 and first_raw is not UNREAD
                   else self.load_raw(location_id, contact_id))
            if raw is None and create is None:
                return None
            text = document.document_json(raw) if raw else None  # decompressed once
            old = Conversation.from_json(text) if text else None
            working = Conversation.from_json(text) if text else create()
            new = change(working)
            if self.commit(raw, old, new, location_id=location_id, contact_id=contact_id,
                           message_id=message_id, requeue=requeue):
                return new
        raise ConflictError(f"conversation {contact_id} kept changing; giving up")

    def delete(self, location_id: str, contact_id: str) -> bool:
        """Forget a contact: document, markers, index entries and its share of every counter."""
        for _ in range(MAX_CONFLICT_RETRIES):
            raw = self.load_raw(location_id, contact_id)
            if raw is None:
                return False
            if self.commit(raw, Conversation.from_json(raw), None,
                           location_id=location_id, contact_id=contact_id, forget=True):
                return True
        raise ConflictError(f"conversation {contact_id} kept changing; giving up")

    def retire_expired(self, location_id: str, limit: int = 200) -> int:
        """Remove conversations about to hit their TTL, subtracting them from the aggregates.

        Runs a margin before the TTL so the document is still there to subtract; an entry whose
        document vanished anyway (process down for longer than the margin) is dropped from the
        indexes it can be found in, and ``flask --app app rebuild`` repairs the counters.
        """
        keys = LocationKeys(location_id)
        cutoff = expired_up_to(self.wall_clock() + self.settings.sweep_margin_seconds,
                               self.settings.conversation_ttl_seconds)
        due = self.redis.zrangebyscore(keys.activity, "-inf", cutoff, start=0, num=limit)
        retired = 0
        for contact_id in due:
            raw = self.load_raw(location_id, contact_id)
            if raw is None:
                self._drop_orphan(keys, contact_id)
                continue
            conv = Conversation.from_json(raw)
            if conv.last_activity_at.timestamp() > cutoff:
                continue
            if self.commit(raw, conv, None, location_id=location_id, contact_id=contact_id):
                retired += 1
        return retired

    def _drop_orphan(self, keys: LocationKeys, contact_id: str) -> None:
        log.warning("conversation expired before it was retired; run flask --app app rebuild",
                    extra={"location_id": keys.location_id, "contact_id": contact_id})
        with self.redis.pipeline(transaction=True) as pipe:
            for key in index_keys(keys):
                pipe.zrem(key, contact_id)
            pipe.execute()
