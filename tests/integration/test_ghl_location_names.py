"""Locations are shown by the name GoHighLevel gives them (the relay looks them up with the
API token), unless LOCATIONS names them; a refused lookup is not repeated for an hour."""

from __future__ import annotations

import requests

from app import create_app
from core.keys import LOCATION_NAMES, LOCATIONS
from ghl.client import GhlClient
from ghl.fake import FakeGhlApi, Fault
from ghl.location_names import PER_CHECK, REFRESH_SECONDS, REFUSED_SECONDS, LocationNames
from ghl.worker import RelayThread
from seller_bot.bot import SellerBot
from tests.helpers import Seller
from tests.waiting import until


def test_names001_the_relay_names_locations_and_every_view_shows_it(
        serve, ghl_settings, ghl_api, redis_client):
    ghl_api.api.locations["north"] = {"name": "North County Homes"}
    settings = ghl_settings.model_copy(update={"locations": "south=South Bay"})
    with serve(create_app(settings, redis_client).server) as server:
        Seller(server.url, contact="ana-1", location="north").says("Hi, selling my house")
        Seller(server.url, contact="bo-2", location="south").says("Hi, selling my house")
        relay = RelayThread(redis_client, settings, SellerBot(redis_client, settings)).start()
        try:
            until(lambda: redis_client.hget(LOCATION_NAMES, "north"), msg="north's name stored")
        finally:
            relay.stop()
        rows = requests.get(f"{server.url}/api/conversations", timeout=10).json()["rows"]
        assert {row["location_id"]: row["location_name"] for row in rows} == {
            "north": "North County Homes", "south": "South Bay"}
        detail = requests.get(f"{server.url}/api/conversations/ana-1", timeout=10).json()
        assert detail["location_name"] == "North County Homes"
    asked = [r.path for r in ghl_api.api.sent("/locations/", "GET", status=None)]
    assert sorted(asked) == ["/locations/north", "/locations/south"]
    assert [r.version for r in ghl_api.api.sent("/locations/", "GET", status=None)] == [
        "2021-07-28"] * 2


def test_names002_refused_lookups_wait_an_hour_and_names_refresh_daily(
        redis_client, ghl_settings):
    fake = FakeGhlApi()
    fake.locations["north"] = {"name": "North"}
    redis_client.sadd(LOCATIONS, "north", "ghost")
    now = [1000.0]
    api = GhlClient(ghl_settings, transport=fake.transport())
    names = LocationNames(redis_client, api, clock=lambda: now[0])

    assert names.refresh() == 1  # ghost: 404
    assert redis_client.hgetall(LOCATION_NAMES) == {"north": "North"}
    fake.locations["north"] = {"name": "North County"}
    fake.locations["ghost"] = {"name": "Found"}
    now[0] += 120
    assert names.refresh() == 0  # nothing due: north is fresh, ghost refused an hour ago
    now[0] += REFUSED_SECONDS
    assert names.refresh() == 1
    assert redis_client.hget(LOCATION_NAMES, "ghost") == "Found"
    assert redis_client.hget(LOCATION_NAMES, "north") == "North"
    now[0] += REFRESH_SECONDS
    fake.fail_next(Fault(status=429, headers={"Retry-After": "30"}))
    assert names.refresh() == 1  # the first call waits 30 s, the other renames
    now[0] += 60  # the next check: ghost's 30 s are over
    assert names.refresh() == 1
    assert redis_client.hgetall(LOCATION_NAMES) == {"north": "North County", "ghost": "Found"}
    api.close()


def test_names004_no_lookup_while_the_budget_has_no_room(redis_client, ghl_settings):
    fake = FakeGhlApi()
    fake.locations["north"] = {"name": "North"}
    redis_client.sadd(LOCATIONS, "north")
    now, room = [0.0], [False]
    api = GhlClient(ghl_settings, transport=fake.transport())
    names = LocationNames(redis_client, api, clock=lambda: now[0], may_call=lambda _: room[0])
    assert names.refresh() == 0 and fake.sent(status=None) == []
    room[0], now[0] = True, 60.0
    assert names.refresh() == 1  # asked at the next check
    api.close()


def test_names003_a_few_lookups_between_two_relay_rounds(redis_client, ghl_settings):
    fake = FakeGhlApi()
    many = [f"loc-{n:02}" for n in range(PER_CHECK + 2)]
    fake.locations.update({loc: {"name": loc.upper()} for loc in many})
    redis_client.sadd(LOCATIONS, *many)
    now = [0.0]
    api = GhlClient(ghl_settings, transport=fake.transport())
    names = LocationNames(redis_client, api, clock=lambda: now[0])
    assert names.refresh() == PER_CHECK
    assert names.refresh() == 0  # checked less than a minute ago
    now[0] += 60
    assert names.refresh() == 2
    assert len(redis_client.hgetall(LOCATION_NAMES)) == len(many)
    api.close()
