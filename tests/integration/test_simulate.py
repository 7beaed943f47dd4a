"""The traffic simulator and demo mode against a real Redis (area code ``sim``).

Seeded history goes through the real bot with an injected clock; these tests check that it
walks the whole flow, that the aggregates it leaves are the ones ``flask --app app rebuild`` derives
from the documents, that a seed replays byte for byte, that the demo's live trickle writes, and
that the HTTP mode signs requests the app accepts.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis

from app import create_app
from core.keys import LocationKeys
from core.redis_client import DECODING
from core.settings import Settings
from seller_bot import replies
from seller_bot.models import APPOINTMENT_OUTCOMES, STAGES, TEMPERATURES, Conversation
from simulator.delivery import DeliveryError, InProcess, Webhook
from simulator.demo import DemoTraffic
from simulator.run import DEFAULT_LOCATION, Simulator
from tests.waiting import holds, until

KEYS = LocationKeys(DEFAULT_LOCATION)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def documents(client: redis.Redis) -> dict[str, str]:
    """Every conversation document, raw JSON by key."""
    names = sorted(client.scan_iter(match=KEYS.conversation("*"), count=1000))
    return dict(zip(names, client.mget(names), strict=True)) if names else {}


def aggregate_dump(client: redis.Redis) -> dict:
    """Every counter, bucket and index key: type, value, and expiry to the second."""
    dump = {}
    for pattern in (KEYS.stats, f"{KEYS.tag}:h:*", f"{KEYS.tag}:m:*", f"{KEYS.tag}:idx:*"):
        for key in client.scan_iter(match=pattern, count=1000):
            kind = client.type(key)
            value = (client.hgetall(key) if kind == "hash"
                     else client.zrange(key, 0, -1, withscores=True))
            ttl_ms = client.pttl(key)
            expires = round(time.time() + ttl_ms / 1000) if ttl_ms >= 0 else None
            dump[key] = (kind, value, expires)
    return dump


def assert_same_aggregates(actual: dict, expected: dict) -> None:
    """Equal keys, types and values; expiries equal within the dump's rounding."""
    assert actual.keys() == expected.keys()
    for key, (kind, value, expires) in expected.items():
        assert actual[key][:2] == (kind, value), key
        assert (actual[key][2] is None) == (expires is None), key
        assert expires is None or abs(actual[key][2] - expires) <= 2, key


def deterministic_timer():
    """A stand-in for perf_counter that advances 0.7 ms per call: replayable response times."""
    ticks = itertools.count()
    return lambda: next(ticks) * 0.0007


def seed(client: redis.Redis, settings: Settings, sellers: int, *, now: datetime | None = None,
         seed_value: int = 11, buffered: bool = False, fixed_wall: bool = False):
    wall = (lambda: now.timestamp()) if fixed_wall and now else time.time
    transport = InProcess(client, settings, wall_clock=wall,
                          timer=deterministic_timer() if fixed_wall else time.perf_counter,
                          buffered=buffered)
    simulator = Simulator(transport, seed=seed_value)
    report = simulator.backfill(sellers, now=now, days=7,
                                ttl_seconds=settings.conversation_ttl_seconds)
    return simulator, report


def test_sim001_300_sellers_walk_the_whole_flow_and_rebuild_agrees(redis_client, settings,
                                                                    app):
    now = datetime.now(UTC)
    _, report = seed(redis_client, settings, 300, now=now)
    assert report.statuses["processed"] == report.messages > 300 * 3

    convs = [Conversation.from_json(raw) for raw in documents(redis_client).values()]
    assert len(convs) == 300
    # "new" is left out: the bot moves every conversation out of it on its first message.
    # Outcomes come from the simulated agent, for most appointments already over.
    assert {c.stage for c in convs} == set(STAGES) - {"new"}
    assert report.outcomes == sum(c.stage in APPOINTMENT_OUTCOMES for c in convs)
    assert any(c.needs_human_reason == "appointment_passed" for c in convs)
    assert {c.language for c in convs} == {"en", "es"}
    assert {c.needs_human_reason for c in convs} >= {None, "counter_offer"}
    assert sum(c.counter_amount is not None for c in convs) >= 5
    assert {c.temperature for c in convs} == set(TEMPERATURES)
    assert Counter(c.stage for c in convs)["booked"] >= 30
    assert sum(bool(c.unknown_fields) for c in convs) >= 5  # some answers were not understood

    # History: the past week, in time order, with the shape of a real day.
    inbound = [m for c in convs for m in c.transcript if m.direction == "inbound"]
    assert all(now - timedelta(days=7) <= m.at <= now for m in inbound)
    for conv in convs:
        times = [m.at for m in conv.transcript]
        assert times == sorted(times)
    by_hour = Counter(m.at.astimezone(LOS_ANGELES).hour for m in inbound)
    night = sum(by_hour[h] for h in range(0, 6))
    evening = sum(by_hour[h] for h in range(18, 22))
    assert night < 0.04 * len(inbound) < 0.2 * len(inbound) < evening
    # Response times are what the bot measured.
    measured = [m.response_ms for c in convs for m in c.transcript if m.direction == "outbound"]
    assert measured and all(ms is not None and ms > 0 for ms in measured)

    before = aggregate_dump(redis_client)
    assert before[KEYS.stats][1]["conversations"] == "300"
    rebuild = app.server.test_cli_runner().invoke(args=["rebuild"])
    assert rebuild.exit_code == 0, rebuild.output
    assert "300 conversations" in rebuild.output
    assert_same_aggregates(aggregate_dump(redis_client), before)


def test_sim002_same_seed_same_store_byte_for_byte(redis_client, redis_server, settings):
    other = redis.Redis.from_url(redis_server.url.rsplit("/", 1)[0] + "/1",
                                 **DECODING)
    other.flushdb()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    seed(redis_client, settings, 60, now=now, fixed_wall=True)
    seed(other, settings, 60, now=now, fixed_wall=True)
    first, second = documents(redis_client), documents(other)
    assert len(first) == 60
    assert first == second

    other.flushdb()
    seed(other, settings, 60, now=now, seed_value=12, fixed_wall=True)
    assert set(documents(other).values()).isdisjoint(first.values())
    other.flushdb()
    other.close()


def test_sim003_bulk_seeding_writes_what_message_by_message_writes(redis_client, redis_server,
                                                                   settings):
    other = redis.Redis.from_url(redis_server.url.rsplit("/", 1)[0] + "/1",
                                 **DECODING)
    other.flushdb()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    seed(redis_client, settings, 80, now=now, fixed_wall=True)
    seed(other, settings, 80, now=now, fixed_wall=True, buffered=True)
    assert documents(other) == documents(redis_client)
    assert_same_aggregates(aggregate_dump(other), aggregate_dump(redis_client))
    assert other.sismember("sellerbot:locations", DEFAULT_LOCATION)
    other.flushdb()
    other.close()


def inbound_total(client: redis.Redis) -> int:
    """Inbound messages counted in the hourly buckets."""
    keys = list(client.scan_iter(match=f"{KEYS.tag}:h:*", count=1000))
    return sum(int(client.hget(key, "in") or 0) for key in keys)


def test_sim004_demo_trickle_keeps_writing_until_stopped(redis_client, redis_server):
    settings = Settings(redis_url=redis_server.url, cache_kpi_seconds=0,
                        cache_distribution_seconds=0, cache_trend_seconds=0)
    demo = DemoTraffic(redis_client, settings, sellers=20, interval=(0.05, 0.15))
    assert demo.seed(progress=False) is not None
    assert demo.seed(progress=False) is None  # seeded already: skipped
    application = create_app(settings, redis_client, demo=True)
    assert application.server.extensions["sellerbot"]["demo"] is True
    http = application.server.test_client()

    first = http.get("/api/dashboard").get_json()
    version, messages = redis_client.get(KEYS.version), inbound_total(redis_client)
    demo.start(application.server)
    try:
        until(lambda: demo.sent >= 5 and inbound_total(redis_client) > messages, 15,
              msg="the demo trickle did not write")
        second = http.get("/api/dashboard").get_json()
        assert int(redis_client.get(KEYS.version)) > int(version)
        assert inbound_total(redis_client) > messages
        assert second["version"] != first["version"]
        assert second["total_conversations"] >= first["total_conversations"]
        assert demo.sent >= 5
    finally:
        demo.stop()
    assert demo._thread is None
    stopped_at = redis_client.get(KEYS.version)
    holds(lambda: redis_client.get(KEYS.version) == stopped_at, 0.5,
          msg="the demo kept writing after stop()")


def test_sim005_demo_restart_continues_open_conversations_then_reset(redis_client, settings):
    DemoTraffic(redis_client, settings, sellers=40).seed(progress=False)
    restarted = DemoTraffic(redis_client, settings, sellers=40, interval=(0.01, 0.02))
    assert restarted.seed(progress=False) is None
    restart_at = datetime.now(UTC)
    restarted.start()  # in-process bot, no app
    try:
        until(lambda: restarted.sent >= 30, 15, msg="the restarted demo did not send")
    finally:
        restarted.stop()
    assert restarted.results["duplicate"] == 0
    convs = [Conversation.from_json(raw) for raw in documents(redis_client).values()]
    continued = [c for c in convs if c.created_at < restart_at and any(
        m.direction == "inbound" and m.at >= restart_at for m in c.transcript)]
    started = [c for c in convs if c.created_at >= restart_at]
    assert continued, "no seeded conversation was continued after the restart"
    assert started, "no new seller wrote after the restart"

    # --demo --reset: the live sellers are gone, the same 40 are seeded again.
    assert DemoTraffic(redis_client, settings, sellers=40).seed(reset=True, progress=False)
    assert len(documents(redis_client)) == 40
    assert redis_client.hget(KEYS.stats, "conversations") == "40"


def test_sim006_http_target_sends_signed_requests_the_app_accepts(serve, redis_client,
                                                                 redis_server):
    settings = Settings(redis_url=redis_server.url, webhook_secret="sim-secret-0123456789")
    application = create_app(settings, redis_client)
    with serve(application.server) as server:
        transport = Webhook(server.url, secret="sim-secret-0123456789")
        # A week of history; sent now, as the app refuses signed messages older than a day.
        report = Simulator(transport, seed=5).backfill(6, days=7)
        assert report.messages >= 12
        assert transport.statuses == {200: report.messages}
        assert report.statuses == {"processed": report.messages}
        assert redis_client.hget(KEYS.stats, "conversations") == "6"

        version = redis_client.get(KEYS.version)
        wrong = Webhook(server.url, secret="not-the-secret-0123456")
        with pytest.raises(DeliveryError) as refused:
            Simulator(wrong, seed=6).backfill(1, days=1)
        assert refused.value.status == 401
        unsigned = Webhook(server.url, secret=None)
        with pytest.raises(DeliveryError) as missing:
            Simulator(unsigned, seed=6).backfill(1, days=1)
        assert missing.value.status == 401
        assert redis_client.get(KEYS.version) == version


def without_reply_wording(raw: str) -> dict:
    """A stored conversation with the bot's reply texts blanked (everything else kept)."""
    conv = Conversation.from_json(raw)
    for message in conv.transcript:
        if message.direction == "outbound":
            message.body = ""
    return conv.model_dump()


def test_sim008_rewording_the_bots_replies_changes_nothing_the_sellers_do(
        redis_client, redis_server, settings, monkeypatch):
    """Sellers answer the bot's structured result, not its words: with every reply template
    reworded (here: its words in reverse order, so no phrase, slot list or question mark is
    where it was), the same sellers write the same texts and reach the same outcomes."""
    other = redis.Redis.from_url(redis_server.url.rsplit("/", 1)[0] + "/1",
                                 **DECODING)
    other.flushdb()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    seed(redis_client, settings, 80, now=now, fixed_wall=True)
    worded = replies.text

    def reworded(lang: str, key: str, turn: int = 0, **values: object) -> str:
        return " ".join(reversed(worded(lang, key, turn, **values).split(" ")))

    monkeypatch.setattr(replies, "text", reworded)
    _, report = seed(other, settings, 80, now=now, fixed_wall=True)
    first, second = documents(redis_client), documents(other)
    assert first.keys() == second.keys() and len(first) == 80
    assert set(first.values()).isdisjoint(second.values())  # the replies did change
    assert {key: without_reply_wording(raw) for key, raw in second.items()} == {
        key: without_reply_wording(raw) for key, raw in first.items()}
    stages = {Conversation.from_json(raw).stage for raw in second.values()}
    assert len(stages) >= 6 and report.messages > 80 * 3  # the whole flow, not one dead end
    other.flushdb()
    other.close()
