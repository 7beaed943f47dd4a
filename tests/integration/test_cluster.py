"""The app on a real 3-master Redis Cluster (``REDIS_URL=redis+cluster://...``): two locations
whose hash tags live on different masters, over real HTTP (docs/scaling.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import product

import pytest
import requests
from redis.cluster import RedisCluster

from app import create_app
from core.keys import CACHE_PREFIX, LOCATION_NAMES, LOCATIONS, RATE_LIMIT_PREFIX, LocationKeys
from core.redis_client import connect
from core.settings import Settings
from ghl.fake import Fault
from ghl.worker import RelayThread
from seller_bot.bot import SellerBot
from seller_bot.models import TEMPERATURES, Conversation
from services.cache import TIER_KPIS, TieredCache
from services.dashboard_models import ConversationQuery
from services.rebuild import AggregateRebuilder
from services.table.index import ConversationIndex
from services.users import user_entry
from tests.helpers import (
    PASSWORD,
    SECRET_KEY,
    UNLIMITED_WEBHOOKS,
    WEBHOOK_SECRET,
    LiveServer,
    Seller,
    inbound,
    log_in,
)
from tests.redis_cluster import RedisClusterServers
from tests.table_store import (
    assert_pages_like,
    brute_force,
    build_scored_store,
    build_store,
    located_pages,
)
from tests.waiting import until

# Their tags hash to slots 8010 and 16378: the second and the third master of three.
NORTH, SOUTH = "north", "south"


@pytest.fixture(scope="module")
def cluster() -> Iterator[RedisClusterServers]:
    servers = RedisClusterServers().start()
    yield servers
    servers.cleanup()


def cluster_settings(cluster: RedisClusterServers, **overrides) -> Settings:
    return Settings(redis_url=cluster.url, webhook_rate_limit=UNLIMITED_WEBHOOKS, **overrides)


@pytest.fixture
def cluster_client(cluster: RedisClusterServers) -> Iterator[RedisCluster]:
    client = connect(cluster_settings(cluster))
    client.flushall()  # on every primary
    yield client
    client.close()


@pytest.fixture
def cluster_server(serve, cluster, cluster_client) -> Iterator[LiveServer]:
    app = create_app(cluster_settings(cluster), cluster_client)
    with serve(app.server) as server:
        yield server


def two_locations(base_url: str) -> tuple[Seller, Seller]:
    north = Seller(base_url, contact="c-north", location=NORTH)
    south = Seller(base_url, contact="c-south", location=SOUTH)
    for seller in (north, south):
        assert seller.says("Hi, thinking about selling my house")["stage"] == "condition"
        assert seller.says("it needs a new roof")["stage"] == "price"
        assert seller.says("around 450k")["stage"] == "motivation"
    return north, south


def test_cluster001_locations_on_different_masters(cluster_client):
    assert isinstance(cluster_client, RedisCluster)
    assert len(cluster_client.get_primaries()) == 3
    north = cluster_client.get_node_from_key(LocationKeys(NORTH).stats)
    south = cluster_client.get_node_from_key(LocationKeys(SOUTH).stats)
    assert north.name != south.name


def test_cluster002_conversations_over_http(cluster_server, cluster_client):
    north, south = two_locations(cluster_server.url)
    for seller in (north, south):
        state = seller.state()
        assert state["location_id"] == seller.location
        assert state["price_expectation"] == 450_000
        assert [m["direction"] for m in state["transcript"]] == ["inbound", "outbound"] * 3
        # Everything the location wrote is on the master owning its tag.
        keys = LocationKeys(seller.location)
        node = cluster_client.get_node_from_key(keys.conversation(seller.contact))
        assert cluster_client.exists(keys.conversation(seller.contact), keys.stats) == 2
        assert cluster_client.get_node_from_key(keys.stats).name == node.name
    health = requests.get(f"{cluster_server.url}/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["redis"] == "ok"


def test_cluster003_duplicate_message_is_stored_once(cluster_server):
    body = inbound("Hi, thinking about selling my house", "c-dup", SOUTH)
    url = f"{cluster_server.url}/webhooks/ghl/inbound"
    assert requests.post(url, json=body, timeout=10).json()["status"] == "processed"
    assert requests.post(url, json=body, timeout=10).json()["status"] == "duplicate"


def test_cluster004_delete(cluster_server, cluster_client):
    north, south = two_locations(cluster_server.url)
    response = requests.delete(f"{cluster_server.url}/api/conversations/{north.contact}",
                               timeout=10)
    assert response.status_code in (200, 204), response.text
    missing = requests.get(f"{cluster_server.url}/api/conversations/{north.contact}", timeout=10)
    assert missing.status_code == 404
    assert not cluster_client.exists(LocationKeys(NORTH).conversation(north.contact))
    assert south.state()["location_id"] == SOUTH


def test_cluster005_webhook_rate_limit(serve, cluster, cluster_client):
    app = create_app(Settings(redis_url=cluster.url, webhook_rate_limit="2/minute"),
                     cluster_client)
    with serve(app.server) as server:
        url = f"{server.url}/webhooks/ghl/inbound"
        codes = [requests.post(url, json=inbound("hi, selling my house", f"c-{n}", NORTH),
                               timeout=10).status_code for n in range(3)]
        other = requests.post(url, json=inbound("hi, selling my house", "c-s", SOUTH),
                              timeout=10).status_code
    assert codes == [200, 200, 429]
    assert other == 200  # each location has its own budget


def test_cluster006_table_and_export(cluster_server):
    two_locations(cluster_server.url)
    page = requests.get(f"{cluster_server.url}/api/conversations", timeout=10)
    assert page.status_code == 200, page.text
    rows = page.json()["rows"]
    assert {(r["location_id"], r["contact_id"]) for r in rows} == {
        (NORTH, "c-north"), (SOUTH, "c-south")}
    export = requests.get(f"{cluster_server.url}/api/export.csv", timeout=10)
    assert export.status_code == 200
    lines = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sorted(line["contact_id"] for line in lines) == ["c-north", "c-south"]


def test_cluster007_dashboard(cluster_server):
    two_locations(cluster_server.url)
    response = requests.get(f"{cluster_server.url}/api/dashboard", timeout=10)
    assert response.status_code == 200, response.text


def test_cluster008_rebuild(cluster, cluster_server, cluster_client):
    two_locations(cluster_server.url)
    stats = {loc: cluster_client.hgetall(LocationKeys(loc).stats) for loc in (NORTH, SOUTH)}
    results = AggregateRebuilder(cluster_client, cluster_settings(cluster)).rebuild_all()
    assert len(results) == 2
    assert {loc: cluster_client.hgetall(LocationKeys(loc).stats)
            for loc in (NORTH, SOUTH)} == stats
    assert not list(cluster_client.scan_iter(match="*:rebuild:*"))
    # The indexes were swapped in (RENAME inside the location's slot): the table reads them.
    rows = requests.get(f"{cluster_server.url}/api/conversations", timeout=10).json()["rows"]
    assert sorted(r["contact_id"] for r in rows) == ["c-north", "c-south"]


def test_cluster009_cache_clear_reaches_every_master(cluster, cluster_client):
    cache = TieredCache(cluster_client, cluster_settings(cluster))
    for n in range(30):
        cache.put(TIER_KPIS, f"k{n}", {"n": n})
    cache.clear()
    left = [key for node in cluster_client.get_primaries()
            for key in cluster_client.get_redis_connection(node).keys(f"{CACHE_PREFIX}*")]
    assert left == []


def test_cluster010_bulk_seeding(cluster, cluster_client):
    """``simulate --bulk`` pipelines the commit script (EVAL on a cluster, EVALSHA elsewhere)."""
    app = create_app(cluster_settings(cluster), cluster_client)
    result = app.server.test_cli_runner().invoke(
        args=["simulate", "--sellers", "6", "--days", "1", "--seed", "15", "--bulk"])
    assert result.exception is None, result.output
    locations = cluster_client.smembers(LOCATIONS)
    assert locations
    stored = sum(len(list(cluster_client.scan_iter(match=LocationKeys(loc).conversation("*"))))
                 for loc in locations)
    assert stored == 6


def test_cluster011_replies_relayed_to_ghl(serve, cluster, cluster_client, ghl_api):
    """The outbox streams, the relay's consumer group and scripts, one location per master."""
    settings = cluster_settings(
        cluster, ghl_api_token="test-token", ghl_api_base=ghl_api.url, relay_poll_seconds=0.02,
        relay_claim_idle_seconds=1.0, ghl_retry_base_seconds=0.05, ghl_retry_max_seconds=0.5,
        ghl_max_attempts=3, ghl_timeout_seconds=2.0)
    app = create_app(settings, cluster_client)
    relay = RelayThread(cluster_client, settings, SellerBot(cluster_client, settings)).start()
    try:
        with serve(app.server) as server:
            sellers = [Seller(server.url, contact=f"c-{loc}", location=loc)
                       for loc in (NORTH, SOUTH)]
            replies = {s.contact: s.says("Hi, thinking about selling my house")["reply"]
                       for s in sellers}
            for seller in sellers:
                until(lambda s=seller: all(
                    m.get("accepted_at") for m in s.state()["transcript"]
                    if m["direction"] == "outbound"), msg=f"{seller.contact} delivered")
    finally:
        relay.stop()
    sent = {r.body["contactId"]: r.body["message"]
            for r in ghl_api.api.sent("/conversations/messages")}
    assert sent == replies


def test_cluster013_dead_letter_retried_and_location_named(serve, cluster, cluster_client,
                                                          ghl_api):
    """A reply GoHighLevel never accepted is dead-lettered in its location's slot and retried
    from the drill-down's route (a MULTI on that location's keys); the relay stores the
    location's GoHighLevel name in the cluster."""
    settings = cluster_settings(
        cluster, ghl_api_token="test-token", ghl_api_base=ghl_api.url, relay_poll_seconds=0.02,
        relay_claim_idle_seconds=1.0, ghl_retry_base_seconds=0.05, ghl_retry_max_seconds=0.5,
        ghl_max_attempts=2, ghl_timeout_seconds=2.0)
    ghl_api.api.locations[SOUTH] = {"name": "South Bay Homes"}
    app = create_app(settings, cluster_client)
    with serve(app.server) as server:
        seller = Seller(server.url, contact="c-south", location=SOUTH)
        first = seller.says("Hi, thinking about selling my house")["reply"]
        relay = RelayThread(cluster_client, settings, SellerBot(cluster_client, settings)).start()
        try:
            until(lambda: cluster_client.hget(LOCATION_NAMES, SOUTH), msg="south's name")
            until(lambda: requests.get(f"{server.url}/api/dashboard", timeout=10).json()
                  ["outbox"]["pending"] == 0, msg="the first message's actions all sent")
            ghl_api.api.fail_next(Fault(500), Fault(500))
            second = seller.says("it needs a new roof")["reply"]
            dead = until(lambda: seller.state()["dead_letters"], msg="a dead letter")
            answer = requests.post(f"{server.url}/api/conversations/c-south/dead-letters/"
                                   f"{dead[0]['entry_id']}/retry", timeout=10)
            assert answer.status_code == 200, answer.text
            state = until(lambda: (s := seller.state())["transcript"][-1].get("accepted_at")
                          and s, msg="delivered after the retry")
        finally:
            relay.stop()
        rows = requests.get(f"{server.url}/api/conversations", timeout=10).json()["rows"]
    assert dead[0]["data"]["message"] == second and state["dead_letters"] == []
    assert [r.body["message"] for r in ghl_api.api.sent("/conversations/messages")] == [
        first, second]
    assert [row["location_name"] for row in rows] == ["South Bay Homes"]


def test_cluster012_production_login(serve, cluster, cluster_client):
    """Production mode on the cluster: login works, and the login form's limiter (Flask-Limiter
    on ``redis+cluster://``) counts in the cluster."""
    settings = cluster_settings(cluster, app_env="production", secret_key=SECRET_KEY,
                                webhook_secret=WEBHOOK_SECRET,
                                dashboard_users=user_entry("jorge", PASSWORD))
    app = create_app(settings, cluster_client)
    with serve(app.server) as server:
        _, wrong = log_in(server, password="wrong")
        session, response = log_in(server)
        assert wrong.status_code != 302
        assert response.status_code == 302, response.text
        conversation = session.get(f"{server.url}/api/conversations/nobody", timeout=10)
        assert conversation.status_code == 404  # signed in: past the login, no such contact
    assert list(cluster_client.scan_iter(match=f"{RATE_LIMIT_PREFIX}*"))


def test_cluster014_a_temperature_by_activity_on_two_masters(cluster, cluster_client,
                                                             monkeypatch):
    """A temperature is its lead-score band of idx:score (issue #15): alone or with a stage,
    its lead scores' bands merged by activity (a script on the location's slot); with another
    filter each location's sort index is scanned keeping the band's members, or intersected
    with a helper copy of the band in the location's slot (deep pages); the two masters' rows
    merged, like brute force."""
    settings = cluster_settings(cluster)
    now = datetime.now(UTC).replace(microsecond=0)
    for location, seed in ((NORTH, 3), (SOUTH, 4)):
        build_store(cluster_client, settings, now, count=30, location=location,
                    prefix=f"{location}-", seed=seed)
    names = list(cluster_client.scan_iter(match="{loc:*}:conv:*"))
    docs = [Conversation.from_json(cluster_client.get(name)) for name in names]
    assert {doc.location_id for doc in docs} == {NORTH, SOUTH}
    assert not list(cluster_client.scan_iter(match="*:idx:temp:*"))
    index = ConversationIndex(cluster_client, settings, wall_clock=now.timestamp)
    queries = [ConversationQuery(page_size=4, temperature=t, sort=sort, order=order, **extra)
               for t, sort, order, extra in product(
                   TEMPERATURES, ("last_activity", "price_expectation"), ("asc", "desc"),
                   ({}, {"stage": "offer"}, {"needs_human": True}, {"stalled": True},
                    {"segment": "open"}, {"q": "maria"}))]
    expected = {q: [(c.location_id, c.contact_id)
                    for c in brute_force(docs, q, now.timestamp(), settings)]
                for q in queries}
    assert_pages_like(index, expected, monkeypatch)
    for query in queries:
        assert [(r.location_id, r.contact_id)
                for r in index.iter_rows(query)] == expected[query], query
    assert any({loc for loc, _ in rows} == {NORTH, SOUTH} for rows in expected.values())
    assert sum(map(bool, expected.values())) >= 20


def test_cluster015_a_temperature_by_activity_at_any_depth_on_two_masters(cluster,
                                                                          cluster_client):
    """Every lead score occurring, on two masters: a temperature's bands merged by activity,
    each location alone (pages start deep in its bands) and both merged."""
    settings = cluster_settings(cluster)
    now = datetime.now(UTC).replace(microsecond=0)
    for location, seed in ((NORTH, 3), (SOUTH, 4)):
        build_scored_store(cluster_client, settings, now, location=location,
                           prefix=f"{location}-", seed=seed)
    docs = [Conversation.from_json(cluster_client.get(name))
            for name in cluster_client.scan_iter(match="{loc:*}:conv:*")]
    index = ConversationIndex(cluster_client, settings, wall_clock=now.timestamp)
    for temperature, stage, order, locations in product(
            TEMPERATURES, (None, "offer"), ("asc", "desc"), ((NORTH,), (SOUTH,), ())):
        query = ConversationQuery(page_size=9, temperature=temperature, stage=stage,
                                  order=order, locations=locations)
        expected = [(c.location_id, c.contact_id)
                    for c in brute_force(docs, query, now.timestamp(), settings)
                    if not locations or c.location_id in locations]
        paged = located_pages(index, query, len(expected))
        assert paged == expected and len(expected) > 20, query
    assert not list(cluster_client.scan_iter(match="*:tmp:table:*"))
