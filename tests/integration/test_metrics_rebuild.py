"""``flask --app app rebuild`` recomputes exactly what the incremental writes produced.

A seeded random workload of 2,000 messages goes through the real bot on a fake clock spread
over about three days (advancing, re-scoring, declining, opting out, pausing, deleting, and
conversations expiring with a 12 h TTL and being retired). Then every aggregate key is dumped,
damaged on purpose, rebuilt, and dumped again: the dumps must be equal.

The fake clock runs ahead of the real one so that Redis (which expires keys in real time)
never drops a key the fake clock still considers alive; keys whose expiry the fake clock has
passed are left out of the dumps, as Redis would have removed them by then.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from core.keys import LOCATIONS, LocationKeys
from core.settings import Settings
from seller_bot import document
from seller_bot.bot import SellerBot
from seller_bot.models import Conversation
from seller_bot.payload import InboundMessage
from services.rebuild import AggregateRebuilder
from tests.documents import first_compressed_form
from tests.helpers import FakeClock, inbound

MESSAGES = 2000
LOCATION_IDS = ("loc-1", "loc-2")
OPENERS = ["hi", "Hello, I want to sell my house at 12 Oak Street",
           "Thinking about selling, got your flyer"]
ANSWERS = {
    "condition": ["move in ready", "needs a new roof", "just needs a few small repairs",
                  "I wouldn't say it's in bad shape", "eh"],
    "price_expectation": ["450k", "$300,000", "around 500 grand", "1.2M", "between 300 and 400",
                          "not sure", "850k", "90k"],
    "motivation": ["relocating for work, need to close in 30 days", "divorce, no rush",
                   "inherited it, ASAP", "retiring, next month", "just curious"],
    "timeline_days": ["in 2-3 months", "by summer", "no rush", "asap"],
    "offer_response": ["yes that works", "no deal", "maybe", "I want 500k", "ok let's do it"],
    "appointment_at": ["the first one", "2", "neither works", "Tuesday works"],
    "address": ["8421 Sycamore Ln, Fontana", "by the park", "1530 Ironwood Ave"],
}
ANYTHING = [text for texts in ANSWERS.values() for text in texts] + OPENERS + ["???", "call me"]


# A key's expiry as an absolute time in ms (-1: none), from the server's clock and the key's
# TTL read in one step: how long a dump takes on a busy machine cannot shift it.
EXPIRES_AT_MS = """
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then return -1 end
local now = redis.call('TIME')
return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + ttl
"""


def aggregate_dump(client, fake_now: float) -> dict:
    """Every aggregate key with its value and expiry, minus what has expired by ``fake_now``."""
    dump = {}
    expires_at_ms = client.register_script(EXPIRES_AT_MS)
    for key in client.scan_iter(match="{loc:*}*", count=1000):
        if any(part in key for part in (":conv:", ":seen:", ":sup:", ":version", ":history")):
            continue
        at_ms = expires_at_ms(keys=[key])
        expires = round(at_ms / 1000) if at_ms >= 0 else None
        if expires is not None and expires <= fake_now:
            continue
        kind = client.type(key)
        if kind == "hash":
            value = client.hgetall(key)
        elif kind == "zset":
            value = client.zrange(key, 0, -1, withscores=True)
        else:
            raise AssertionError(f"unexpected aggregate key {key} of type {kind}")
        dump[key] = (kind, value, expires)
    return dump


class Workload:
    """A seeded random mix of messages and dashboard actions through the real bot."""

    def __init__(self, client, settings: Settings, seed: int) -> None:
        self.rng = random.Random(seed)
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        self.clock = FakeClock(start)
        self.wall = lambda: self.clock().timestamp()
        self.bot = SellerBot(client, settings, clock=self.clock, wall_clock=self.wall)
        self.store = self.bot.store
        self.contacts = [(self.rng.choice(LOCATION_IDS), f"seller-{n}") for n in range(150)]
        self.sent: list[dict] = []
        self.actions: dict[str, int] = dict.fromkeys(
            ("message", "duplicate", "delete", "pause", "retired"), 0)

    def text_for(self, location: str, contact: str) -> str:
        conv = self.store.load(location, contact)
        if self.rng.random() < 0.02:
            return "STOP"
        if conv is None:
            return self.rng.choice(OPENERS)
        if conv.asking in ANSWERS and self.rng.random() < 0.8:
            return self.rng.choice(ANSWERS[conv.asking])
        return self.rng.choice(ANYTHING)

    def step(self) -> None:
        rng = self.rng
        self.clock.advance(seconds=rng.randint(1, 250))
        location, contact = rng.choice(self.contacts)
        roll = rng.random()
        if roll < 0.02 and self.sent:
            payload = rng.choice(self.sent)  # GoHighLevel retrying a webhook
            result = self.bot.handle_inbound(InboundMessage.model_validate(payload))
            self.actions["duplicate"] += result.status == "duplicate"
        elif roll < 0.05:
            self.actions["delete"] += self.store.delete(location, contact)
        elif roll < 0.08:
            conv = self.store.load(location, contact)
            if conv is not None:
                self.bot.set_paused(location, contact, not conv.paused)
                self.actions["pause"] += 1
        else:
            payload = inbound(self.text_for(location, contact), contact=contact,
                              location=location)
            self.bot.handle_inbound(InboundMessage.model_validate(payload))
            self.sent.append(payload)
            self.actions["message"] += 1
        if rng.random() < 0.02:
            self.retire_all()

    def retire_all(self) -> None:
        for location in LOCATION_IDS:
            while retired := self.store.retire_expired(location):
                self.actions["retired"] += retired

    def run(self, messages: int) -> None:
        while self.actions["message"] < messages:
            self.step()
        self.retire_all()


@pytest.fixture
def workload(redis_client, redis_server) -> Workload:
    settings = Settings(redis_url=redis_server.url, conversation_ttl_seconds=12 * 3600,
                        bucket_retention_seconds=36 * 3600)
    work = Workload(redis_client, settings, seed=20260311)
    work.run(MESSAGES)
    return work


def test_metrics201_rebuild_equals_incremental_after_random_workload(workload, redis_client):
    settings = workload.store.settings
    fake_now = workload.wall()
    incremental = aggregate_dump(redis_client, fake_now)
    # The workload did what it claims, and the dump holds every kind of aggregate.
    assert workload.actions["message"] == MESSAGES
    assert min(workload.actions.values()) > 0, workload.actions
    stages = {field for (_, value, _) in (incremental[LocationKeys(loc).stats]
                                          for loc in LOCATION_IDS) for field in value}
    assert {"stage:booked", "stage:declined", "stage:opted_out", "temp:hot",
            "paused"} <= stages
    for marker in (":stats", ":h:", ":m:", ":idx:activity", ":idx:search", ":idx:open_inbound",
                   ":idx:appointments"):
        assert any(marker in key for key in incremental), marker
    # Damage: a drifted counter, a stray index entry, a bucket that should not exist.
    keys = LocationKeys("loc-1")
    redis_client.hincrby(keys.stats, "conversations", 7)
    redis_client.zadd(keys.index("score"), {"ghost": 1})
    redis_client.hset(keys.hour(0), "in", 3)

    results = AggregateRebuilder(redis_client, settings, wall_clock=workload.wall).rebuild_all()

    assert sorted(r.location_id for r in results) == list(LOCATION_IDS)
    rebuilt = aggregate_dump(redis_client, fake_now)
    assert rebuilt.keys() == incremental.keys()
    for key, (kind, value, expires) in incremental.items():
        assert rebuilt[key][:2] == (kind, value), key
        # Expiries to the second, read at two moments: equal within the rounding.
        assert (rebuilt[key][2] is None) == (expires is None), key
        assert expires is None or abs(rebuilt[key][2] - expires) <= 1, key
    stored = sum(1 for _ in redis_client.scan_iter(match="{loc:*}:conv:*"))
    assert sum(r.conversations for r in results) == stored > 0


def test_metrics202_rebuild_command_line(redis_client, app):
    """``flask --app app rebuild`` repairs a drifted counter."""
    keys = LocationKeys("loc-9")
    redis_client.sadd(LOCATIONS, "loc-9")
    redis_client.hset(keys.stats, mapping={"conversations": 5, "open": 2})
    result = app.server.test_cli_runner().invoke(args=["rebuild"])
    assert result.exit_code == 0, result.output
    assert "loc-9: 0 conversations" in result.output
    assert redis_client.exists(keys.stats) == 0
    assert redis_client.get(keys.version) == "1"


def test_metrics203_rebuild_moves_a_store_from_before_issue_15_to_the_current_layout(
        redis_client, settings):
    """Plain-JSON documents are rewritten in the stored form (marks and expiry kept) and the
    indexes of the old layout (per-stage activity, funnel stages reached) are dropped."""
    bot = SellerBot(redis_client, settings)
    first = inbound("hi, selling 12 Oak Street", contact="old-1")
    bot.handle_inbound(InboundMessage.model_validate(first))
    keys = LocationKeys("loc-1")
    name = keys.conversation("old-1")
    conv = Conversation.from_json(redis_client.get(name))
    redis_client.set(name, conv.to_json(), keepttl=True)  # how it was stored before
    old_layout = [keys.index("stage:condition:activity"), keys.index("seg:funnel:new"),
                  # and of the second step: per-filter price and stage sorts, needs a person
                  # by other sorts, price bars, the open set
                  keys.index("temp:cold:price"), keys.index("temp:cold:stage"),
                  keys.index("stage:condition:price"), keys.index("needs_human:score"),
                  keys.index("seg:price:unknown"), keys.index("seg:open"),
                  # and of the third: a temperature by activity (its band of idx:score now)
                  keys.index("temp:cold:activity")]
    for key in old_layout:
        redis_client.zadd(key, {"old-1": 1})
    # Search tokens of before: the phone's last 7 and 4 digits, street types.
    stale = ["street\x1fold-1", "0123\x1fold-1"]
    redis_client.zadd(keys.search, dict.fromkeys(stale, 0))
    ttl = redis_client.pttl(name)

    AggregateRebuilder(redis_client, settings).rebuild_all()

    raw = redis_client.get(name)
    assert raw.startswith(document.FORMAT)
    assert Conversation.from_json(raw) == conv
    assert set(document.seen(raw)) == {first["messageId"]}
    assert 0 < redis_client.pttl(name) <= ttl
    assert not any(redis_client.exists(key) for key in old_layout)
    assert redis_client.zmscore(keys.search, stale) == [None, None]
    assert redis_client.zscore(keys.search, "oak\x1fold-1") == 0
    assert redis_client.zscore(keys.funnel_index("condition"), "old-1") is not None


def test_metrics204_rebuild_rewrites_documents_of_the_first_compressed_form(
        redis_client, settings):
    """``z1`` documents (base64 body) are rewritten in the current form, marks and expiry
    kept; a document already current is left as it is."""
    bot = SellerBot(redis_client, settings)
    for contact in ("z1-old", "current"):
        bot.handle_inbound(InboundMessage.model_validate(inbound("hi", contact=contact)))
    keys = LocationKeys("loc-1")
    name, kept = keys.conversation("z1-old"), keys.conversation("current")
    raw = redis_client.get(name)
    conv, marks = Conversation.from_json(raw), document.seen(raw)
    redis_client.set(name, first_compressed_form(conv, marks), keepttl=True)
    ttl, current = redis_client.pttl(name), redis_client.get(kept)

    AggregateRebuilder(redis_client, settings).rebuild_all()

    raw = redis_client.get(name)
    assert document.is_current(raw)
    assert Conversation.from_json(raw) == conv
    assert document.seen(raw) == marks
    assert 0 < redis_client.pttl(name) <= ttl
    assert redis_client.get(kept) == current
