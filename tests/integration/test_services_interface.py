"""services.interface.Services, the one way the dashboard and the API read and command, on a
real Redis the bot filled; and the same interface with Redis gone."""

from __future__ import annotations

import csv
import io

import pytest
import redis

from core.redis_client import DECODING
from core.settings import Settings
from seller_bot.bot import SellerBot
from services.dashboard_models import ConversationQuery
from services.interface import DataUnavailable, NoAppointment, Services
from tests.integration.test_metrics_cache import say
from tests.redis_server import free_port


@pytest.fixture
def services(redis_client, settings) -> Services:
    bot = SellerBot(redis_client, settings)
    for text in ("hi, want to sell", "needs a roof", "450k"):
        say(bot, text, "ana")
    say(bot, "hello", "ben", location="loc-2")
    return Services(redis_client, settings, bot)


def test_svc001_queries_read_what_the_bot_wrote(services):
    data = services.dashboard("24h")
    assert data.total_conversations == 2 and data.version == services.version()
    page = services.conversations(ConversationQuery())
    assert page.total == 2 and {r.contact_id for r in page.rows} == {"ana", "ben"}
    assert services.find_locations("ben") == ["loc-2"]
    detail = services.detail("loc-1", "ana")
    assert detail["price_expectation"] == 450_000 and detail["dead_letters"] == []
    assert [m["direction"] for m in detail["transcript"]][:2] == ["inbound", "outbound"]
    assert services.detail("loc-1", "nobody") is None


def test_svc002_the_export_has_full_numbers_and_the_table_order(services):
    rows = list(csv.DictReader(io.StringIO(
        services.export_csv(ConversationQuery(sort="last_activity")).lstrip("\ufeff"))))
    assert [r["contact_id"] for r in rows] == ["ben", "ana"]
    assert {r["phone"] for r in rows} == {"+19095550101"}  # E.164, for the dialer
    assert "".join(services.export_lines(ConversationQuery())) == \
        services.export_csv(ConversationQuery())


def test_svc003_commands_return_the_detail_after_them(services):
    paused = services.set_paused("loc-1", "ana", True)
    assert paused["paused"] is True and services.detail("loc-1", "ana") == paused
    assert services.set_paused("loc-1", "ana", False)["paused"] is False
    assert services.set_paused("loc-1", "nobody", True) is None
    with pytest.raises(NoAppointment):
        services.record_outcome("loc-1", "ana", "held")
    assert services.retry_dead_letter("loc-1", "ana", "1-1") is False
    assert services.retry_dead_letter("loc-1", "ana", "not an id") is False


def test_svc004_delete_forgets_the_seller_and_the_cached_pages(services):
    assert services.conversations(ConversationQuery()).total == 2  # now cached
    assert services.delete("loc-2", "ben") is True
    assert services.delete("loc-2", "ben") is False
    page = services.conversations(ConversationQuery())
    assert [r.contact_id for r in page.rows] == ["ana"]
    assert services.find_locations("ben") == []


def test_svc005_the_ui_and_the_api_read_the_same_cached_page(services, redis_client):
    query = ConversationQuery(page_size=5)
    first = services.conversations(query)
    redis_client.config_resetstat()
    assert services.conversations(query) == first
    # Served from the cache (the version and the page), not from the indexes and documents;
    # the locations' names (HGETALL) are read as the page is served.
    assert set(redis_client.info("commandstats")) <= {"cmdstat_get", "cmdstat_smembers",
                                                      "cmdstat_hgetall", "cmdstat_config"}


@pytest.fixture
def down(settings) -> Services:
    """The interface on a Redis that is not there (a closed port)."""
    gone = Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    client = redis.Redis.from_url(gone.redis_url, **DECODING,
                                  socket_connect_timeout=1)
    yield Services(client, gone, SellerBot(client, gone))
    client.close()


QUERIES = {
    "version": lambda s: s.version(),
    "dashboard": lambda s: s.dashboard("7d"),
    "conversations": lambda s: s.conversations(ConversationQuery()),
    "export_rows": lambda s: list(s.export_rows(ConversationQuery())),
    "export_csv": lambda s: s.export_csv(ConversationQuery()),
    "find_locations": lambda s: s.find_locations("ana"),
    "detail": lambda s: s.detail("loc-1", "ana"),
    "set_paused": lambda s: s.set_paused("loc-1", "ana", True),
    "record_outcome": lambda s: s.record_outcome("loc-1", "ana", "held"),
    "delete": lambda s: s.delete("loc-1", "ana"),
    "retry_dead_letter": lambda s: s.retry_dead_letter("loc-1", "ana", "1-1"),
}


@pytest.mark.parametrize("name", QUERIES)
def test_svc006_redis_down_is_data_unavailable_from_every_method(down, name):
    with pytest.raises(DataUnavailable):
        QUERIES[name](down)
