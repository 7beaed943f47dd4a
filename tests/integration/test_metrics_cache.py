"""The dashboard cache (shared, tiered, counted in Redis commands) and honest failure."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import redis

from app import create_app
from core.keys import CACHE_PREFIX
from core.redis_client import DECODING, connect
from core.settings import Settings
from seller_bot.bot import SellerBot
from seller_bot.payload import InboundMessage
from seller_bot.store import ConversationStore
from services.dashboard_data_service import DashboardDataService, DataUnavailable
from tests.helpers import inbound
from tests.redis_server import RedisServer
from tests.waiting import until

# Bookkeeping commands of the client library or of this test, not reads of the dashboard.
NOT_DATA = ("info", "config", "client", "hello", "ping", "select")


def data_commands(client: redis.Redis) -> Counter:
    """Calls per command since the last CONFIG RESETSTAT, bookkeeping left out."""
    stats = client.info("commandstats")
    calls = Counter()
    for name, value in stats.items():
        command = name.removeprefix("cmdstat_").split("|")[0]
        if command not in NOT_DATA:
            calls[command] += value["calls"]
    return calls


def say(bot: SellerBot, text: str, contact: str, location: str = "loc-1") -> None:
    payload = inbound(text, contact=contact, location=location)
    assert bot.handle_inbound(InboundMessage.model_validate(payload)).status == "processed"


@pytest.fixture
def bot(redis_client, settings) -> SellerBot:
    bot = SellerBot(redis_client, settings)
    for contact, texts in {"ana": ["hi", "move in ready", "450k"], "ben": ["hello"]}.items():
        for text in texts:
            say(bot, text, contact)
    say(bot, "hi", "cleo", location="loc-2")
    return bot


def test_metrics301_second_call_within_ttl_is_served_from_cache(bot, redis_client, settings):
    service = DashboardDataService(redis_client, settings, store=bot.store)
    first = service.dashboard("7d")
    assert first.total_conversations == 3
    redis_client.config_resetstat()
    second = service.dashboard("7d")
    # The data version (SMEMBERS + one GET per location: two), then one MGET of the three
    # panels (KPIs for the range, distributions, appointments), no aggregate read at all.
    assert data_commands(redis_client) == {"smembers": 1, "get": 2, "mget": 1}
    assert second == first
    entries = sorted(redis_client.scan_iter(match=f"{CACHE_PREFIX}*"))
    panels = [f"{CACHE_PREFIX}distributions:dashboard", f"{CACHE_PREFIX}kpis:appointments",
              f"{CACHE_PREFIX}kpis:dashboard:7d"]
    assert [e for e in entries if not e.startswith(f"{CACHE_PREFIX}hours:")] == panels
    ttls = {key.split(":", 2)[2]: redis_client.ttl(key) for key in panels}
    assert 0 < ttls["kpis:dashboard:7d"] <= 30 and 30 < ttls["distributions:dashboard"] <= 300
    entry = json.loads(redis_client.get(f"{CACHE_PREFIX}kpis:dashboard:7d"))
    assert entry["version"] == first.version and entry["value"]["total_conversations"] == 3


def test_metrics302_after_the_ttl_it_recomputes(clock, bot, redis_client, redis_server):
    settings = Settings(redis_url=redis_server.url, cache_kpi_seconds=60,
                        cache_distribution_seconds=60, cache_trend_seconds=60)
    service = DashboardDataService(redis_client, settings, store=bot.store, clock=clock)
    first = service.dashboard()
    say(bot, "hi", "dora")
    cached = service.dashboard()
    assert (cached.total_conversations, cached.as_of) == (3, first.as_of)
    # A minute later Redis has expired the entries: shortened here instead of waited for.
    clock.advance(seconds=61)
    entries = list(redis_client.scan_iter(match=f"{CACHE_PREFIX}*"))
    panels = [key for key in entries if not key.startswith(f"{CACHE_PREFIX}hours:")]
    assert panels and all(0 < redis_client.ttl(key) <= 60 for key in panels)
    # The completed hours' sums live for the hour they describe (and a margin), whatever the
    # tiers say.
    assert all(0 < redis_client.ttl(key) <= 7200 for key in set(entries) - set(panels))
    for key in entries:
        redis_client.pexpire(key, 1)
    until(lambda: not any(redis_client.scan_iter(match=f"{CACHE_PREFIX}*")), 15,
          msg="cache entries did not expire")
    redis_client.config_resetstat()
    fresh = service.dashboard()
    assert fresh.total_conversations == 4
    assert fresh.as_of > first.as_of
    assert data_commands(redis_client)["hgetall"] > 0


def test_metrics303_two_app_instances_share_the_cache(bot, redis_client, redis_server,
                                                      settings):
    worker_1 = create_app(settings, redis_client)
    other_client = redis.Redis.from_url(redis_server.url, **DECODING)
    worker_2 = create_app(settings, other_client)
    one = worker_1.server.test_client().get("/api/dashboard").get_json()
    redis_client.config_resetstat()
    two = worker_2.server.test_client().get("/api/dashboard").get_json()
    assert two == one
    calls = data_commands(redis_client)
    # The locations' versions, then the panels; no aggregate read.
    assert calls["get"] >= 2 and calls["mget"] >= 1 and calls["hgetall"] == 0
    other_client.close()


def test_metrics304_redis_down_gives_stale_data_then_recovers():
    server = RedisServer(appendonly=True).start()
    try:
        settings = Settings(redis_url=server.url)
        client = connect(settings)
        bot = SellerBot(client, settings)
        say(bot, "hi", "ana")
        say(bot, "move in ready", "ana")
        app = create_app(settings, client)
        service = app.server.extensions["sellerbot"]["data"]
        http = app.server.test_client()
        fresh = service.dashboard()
        assert (fresh.stale, fresh.stale_since, fresh.total_conversations) == (False, None, 1)

        server.stop()
        stale = service.dashboard()
        assert stale.stale is True and stale.stale_since is not None
        assert (stale.hero, stale.by_stage, stale.as_of) == (fresh.hero, fresh.by_stage,
                                                             fresh.as_of)
        later = http.get("/api/dashboard").get_json()
        assert later["stale"] is True and later["stale_since"] == stale.stale_since
        # Nothing earlier to show for 7 days: a clear error, over HTTP a 503.
        with pytest.raises(DataUnavailable):
            service.dashboard("7d")
        response = http.get("/api/dashboard?range=7d")
        assert response.status_code == 503
        assert response.get_json()["error"] == "unavailable"
        with pytest.raises(DataUnavailable):
            app.server.extensions["sellerbot"]["services"].version()

        server.start()
        back = service.dashboard()
        assert (back.stale, back.stale_since, back.total_conversations) == (False, None, 1)
        assert service.dashboard("7d").stale is False
        client.close()
    finally:
        server.cleanup()


def test_metrics305_version_changes_only_with_data(bot, redis_client, settings):
    service = DashboardDataService(redis_client, settings, store=bot.store)
    before = service.version()
    assert service.version() == before
    redis_client.config_resetstat()
    service.version()
    # SMEMBERS + one GET per location (two), one round trip.
    assert data_commands(redis_client) == {"smembers": 1, "get": 2}
    say(bot, "hi", "eve", location="loc-2")
    assert service.version() != before
    assert service.dashboard().version == service.version()


def test_metrics306_entry_of_another_release_is_recomputed(bot, redis_client, settings):
    """A rolling deploy: the shared cache holds a panel in a shape this release cannot read."""
    redis_client.set(f"{CACHE_PREFIX}kpis:dashboard:24h", json.dumps({"as_of": "x", "old": 1}))
    data = DashboardDataService(redis_client, settings, store=bot.store).dashboard()
    assert data.total_conversations == 3
    entry = json.loads(redis_client.get(f"{CACHE_PREFIX}kpis:dashboard:24h"))
    assert entry["value"]["total_conversations"] == 3 and "old" not in entry


def test_metrics307_uncached_read_costs_the_same_whatever_the_store_size(redis_client,
                                                                         redis_server):
    """Constant cost: the same Redis commands, as many of each, for 2 or 60 conversations."""
    settings = Settings(redis_url=redis_server.url, cache_kpi_seconds=0,
                        cache_distribution_seconds=0, cache_trend_seconds=0)
    bot = SellerBot(redis_client, settings)
    costs = []
    for size in (2, 60):
        redis_client.flushall()
        for n in range(size):
            for text in ("hi", "needs paint", "450k"):
                say(bot, text, f"seller-{n}")
        service = DashboardDataService(redis_client, settings, store=bot.store)
        service.dashboard("24h")  # the first read fills the cache
        redis_client.config_resetstat()
        data = service.dashboard("24h")
        assert data.total_conversations == size
        costs.append(data_commands(redis_client))
    assert costs[0] == costs[1]
    assert sum(costs[0].values()) > 0


def test_metrics308_a_write_shows_on_the_next_read_at_most_once_a_second(clock, bot,
                                                                         redis_client, settings):
    """Entries are keyed by the data version: with the 30 s tier a new message shows on the
    next read, but a stream of writes recomputes a panel at most once per second."""
    service = DashboardDataService(redis_client, settings, store=bot.store, clock=clock)
    first = service.dashboard()
    assert first.total_conversations == 3
    clock.advance(seconds=2)
    say(bot, "hi", "dora")
    fresh = service.dashboard()
    assert fresh.total_conversations == 4 and fresh.version == service.version()
    assert fresh.as_of == clock().isoformat()
    clock.advance(seconds=0.5)
    say(bot, "hi", "emma")
    throttled = service.dashboard()  # recomputed half a second ago: served as it is
    assert throttled.total_conversations == 4 and throttled.as_of == fresh.as_of
    clock.advance(seconds=0.6)
    caught_up = service.dashboard()
    assert caught_up.total_conversations == 5
    redis_client.config_resetstat()
    clock.advance(seconds=5)
    assert service.dashboard() == caught_up  # nothing written: the cached panels
    assert data_commands(redis_client)["hgetall"] == 0


def test_metrics309_completed_hours_are_kept_until_a_deletion(clock, bot, redis_client, settings):
    """The completed hours' sums are read once per hour; a DELETE bumps the history version,
    so they are recomputed and the deleted contact's past messages leave the series."""
    quiet = settings.model_copy(update={"cache_kpi_seconds": 0,
                                        "cache_distribution_seconds": 0})
    service = DashboardDataService(redis_client, quiet, store=bot.store, clock=clock)
    first = service.dashboard("7d")
    clock.advance(hours=1)  # the messages' hour is complete now
    later = service.dashboard("7d")
    redis_client.config_resetstat()
    assert service.dashboard("7d") == later
    # Per location: stats (for the KPIs and distributions alike) and the current hour; no
    # completed hour is read again, nor the minutes of the windows' edge hours (kept too).
    assert data_commands(redis_client)["hgetall"] == 2 * 2
    assert sum(v or 0 for v in later.messages.series["inbound"]) == sum(
        v or 0 for v in first.messages.series["inbound"]) == 5
    # The deletion happens an hour later too (the store on the same clock).
    store = ConversationStore(redis_client, quiet, wall_clock=lambda: clock().timestamp())
    store.delete("loc-1", "ben")
    after = service.dashboard("7d")
    assert sum(v or 0 for v in after.messages.series["inbound"]) == 4
