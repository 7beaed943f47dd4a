"""Many locations on one page (issue #15): two locations' data never mix in the KPIs, the
table's filters, the export or the drill-down; the all-locations figures are the exact merge of
the per-location ones; a user limited to one location cannot read another by URL, API or
callback. Real redis-server, real HTTP."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
import requests

from app import create_app
from core.keys import LocationKeys
from core.schema import RESPONSE_TIME, hour_of
from core.settings import Settings
from services.performance_tracker import ResponseHistogram
from services.users import user_entry
from tests.helpers import UNLIMITED_WEBHOOKS, LiveServer, Seller, inbound
from tests.integration.test_production import (
    PASSWORD,
    SECRET_KEY,
    WEBHOOK_SECRET,
    log_in,
    signed_post,
)

NAMES = "north=North County,south=Inland Empire"
# (location, contact, texts): north has two sellers (one priced), south one who opts out and
# one priced the same as north's, so filters that match both would show a mix.
SELLERS = (
    ("north", "ana", ("hi, want to sell", "needs a roof", "450k")),
    ("north", "ben", ("hello",)),
    ("south", "cleo", ("hi", "STOP")),
    ("south", "dan", ("hi, want to sell", "needs a roof", "450k")),
)


def talk(url: str, post=None) -> None:
    for location, contact, texts in SELLERS:
        seller = Seller(url, contact=contact, location=location)
        for text in texts:
            if post is None:
                seller.says(text)
            else:
                assert post(inbound(text, contact, location)).status_code == 200


@pytest.fixture
def server(redis_server, redis_client):
    settings = Settings(redis_url=redis_server.url, webhook_rate_limit=UNLIMITED_WEBHOOKS,
                        locations=NAMES, cache_kpi_seconds=0, cache_distribution_seconds=0)
    with LiveServer(create_app(settings, redis_client).server) as live:
        talk(live.url)
        yield live


def get(server, path: str, session=requests, **params) -> requests.Response:
    return session.get(f"{server.url}{path}", params=params, timeout=10)


def dashboard(server, **params) -> dict:
    response = get(server, "/api/dashboard", **params)
    assert response.status_code == 200, response.text
    return response.json()


def contacts(server, session=requests, **params) -> list[str]:
    response = get(server, "/api/conversations", session, page_size=100, **params)
    assert response.status_code == 200, response.text
    return sorted(row["contact_id"] for row in response.json()["rows"])


def export(server, session=requests, **params) -> list[dict]:
    response = get(server, "/api/export.csv", session, **params)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_loc001_each_location_counts_only_its_own(server):
    north, south = dashboard(server, location="north"), dashboard(server, location="south")
    assert (north["total_conversations"], south["total_conversations"]) == (2, 2)
    assert north["by_stage"]["opted_out"] == 0 and south["by_stage"]["opted_out"] == 1
    assert north["price_distribution"]["counts"] != [0] * len(
        north["price_distribution"]["counts"])
    assert north["hero"]["opt_out_rate"]["value"] == 0
    assert south["hero"]["opt_out_rate"]["value"] == pytest.approx(1 / 2)


def test_loc002_all_locations_is_the_exact_merge(server, redis_client):
    north, south = dashboard(server, location="north"), dashboard(server, location="south")
    merged = dashboard(server)
    both = dashboard(server, location=["north", "south"])
    for figure in ("total_conversations", "stalled_conversations"):
        assert merged[figure] == north[figure] + south[figure] == both[figure]
    for split in ("by_stage", "by_temperature", "needs_human"):
        assert merged[split] == {name: north[split][name] + south[split][name]
                                 for name in merged[split]} == both[split]
    for dist in ("funnel", "price_distribution", "timeline_distribution",
                 "motivation_distribution"):
        assert merged[dist]["counts"] == [a + b for a, b in zip(
            north[dist]["counts"], south[dist]["counts"], strict=True)]
    for series in ("inbound", "outbound", "new_conversations"):
        assert merged["messages"]["series"][series] == [
            (a or 0) + (b or 0) if a is not None or b is not None else None
            for a, b in zip(north["messages"]["series"][series],
                            south["messages"]["series"][series], strict=True)]
    # Rates from summed numerators and denominators, not an average of the two rates.
    opted = north["by_stage"]["opted_out"] + south["by_stage"]["opted_out"]
    assert merged["hero"]["opt_out_rate"]["value"] == pytest.approx(opted / 4)
    # Percentiles from the merged histogram of the two locations' hour buckets.
    hour = int(hour_of(int(redis_client.time()[0])))
    bins = Counter()
    for location in ("north", "south"):
        for name, count in redis_client.hgetall(LocationKeys(location).hour(hour)).items():
            if name.startswith(f"{RESPONSE_TIME}:"):
                bins[int(name.partition(":")[2])] += int(count)
    expected = ResponseHistogram(dict(bins))
    response = merged["hero"]["response_time_ms"]
    assert response["samples"] == sum(bins.values()) == (
        north["hero"]["response_time_ms"]["samples"]
        + south["hero"]["response_time_ms"]["samples"])
    assert response["p50"] == pytest.approx(expected.percentile(50))
    assert response["p95"] == pytest.approx(expected.percentile(95))


def test_loc003_table_filters_and_export_never_mix(server):
    assert contacts(server) == ["ana", "ben", "cleo", "dan"]
    assert contacts(server, location="north") == ["ana", "ben"]
    assert contacts(server, location="south") == ["cleo", "dan"]
    assert contacts(server, location="north,south") == contacts(server)
    # Filters (a stage, a figure, a search, a sort by price) stay inside the location.
    assert contacts(server, location="north", stage="opted_out") == []
    assert contacts(server, location="south", segment="open") == ["dan"]
    assert contacts(server, location="north", q="Maria") == ["ana", "ben"]
    assert contacts(server, location="south", sort="price_expectation") == ["cleo", "dan"]
    price = contacts(server, location="north", segment="price:400000")
    assert price == ["ana"] and contacts(server, segment="price:400000") == ["ana", "dan"]
    rows = export(server, location="south")
    assert sorted(r["contact_id"] for r in rows) == ["cleo", "dan"]
    assert {r["location_id"] for r in rows} == {"south"}
    assert {r["location_name"] for r in rows} == {"Inland Empire"}
    assert sorted(r["contact_id"] for r in export(server, location="north", q="Maria")) == [
        "ana", "ben"]
    page = get(server, "/api/conversations", location="north").json()
    assert {row["location_name"] for row in page["rows"]} == {"North County"}


def test_loc004_drill_down_stays_in_its_location(server):
    ana = get(server, "/api/conversations/ana", location_id="north")
    assert ana.status_code == 200 and ana.json()["location_name"] == "North County"
    assert get(server, "/api/conversations/ana", location_id="south").status_code == 404
    cleo = get(server, "/api/conversations/cleo").json()
    assert cleo["location_id"] == "south" and cleo["stage"] == "opted_out"


def test_loc005_unknown_locations_are_refused_with_a_clear_message(server):
    for path in ("/api/dashboard", "/api/conversations", "/api/export.csv"):
        for bad in ("west", "north,west", "not an id"):
            response = get(server, path, location=bad)
            assert response.status_code == 422, (path, bad)
            body = response.json()
            assert body["fields"][0]["field"] == "location"
            assert "unknown location" in body["message"]
    # A location LOCATIONS names but that has no data yet is known: empty, not an error.
    settings_only = get(server, "/api/conversations", location="north")
    assert settings_only.status_code == 200


# -- a user limited to some locations --------------------------------------------------------
@pytest.fixture
def limited(redis_server, redis_client):
    """Production mode; jorge may see north only."""
    settings = Settings(app_env="production", redis_url=redis_server.url,
                        secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET,
                        dashboard_users=user_entry("jorge", PASSWORD) + "@north",
                        locations=NAMES, webhook_rate_limit=UNLIMITED_WEBHOOKS,
                        cache_kpi_seconds=0)
    with LiveServer(create_app(settings, redis_client).server) as live:
        talk(live.url, post=lambda payload: signed_post(live, payload))
        session, response = log_in(live)
        assert response.status_code == 302
        yield live, session


def test_loc006_a_limited_user_reads_only_their_locations(limited):
    server, session = limited
    own = get(server, "/api/dashboard", session).json()
    assert own["total_conversations"] == 2 and own["by_stage"]["opted_out"] == 0
    assert contacts(server, session) == ["ana", "ben"]
    assert sorted(r["contact_id"] for r in export(server, session)) == ["ana", "ben"]
    assert contacts(server, session, location="north") == ["ana", "ben"]
    for path in ("/api/dashboard", "/api/conversations", "/api/export.csv"):
        for other in ("south", "north,south", "west"):
            response = get(server, path, session, location=other)
            assert response.status_code == 403, (path, other)
            assert "cleo" not in response.text and "dan" not in response.text


def test_loc007_a_limited_user_cannot_touch_another_location(limited, redis_client):
    server, session = limited
    for params in ({}, {"location_id": "south"}):
        assert get(server, "/api/conversations/cleo", session, **params).status_code == 404
        for command in ("pause", "resume"):
            response = session.post(f"{server.url}/api/conversations/cleo/{command}",
                                    params=params, timeout=10)
            assert response.status_code == 404, response.text
        outcome = session.post(f"{server.url}/api/conversations/dan/outcome", params=params,
                               json={"outcome": "held"}, timeout=10)
        assert outcome.status_code == 404
        deleted = session.delete(f"{server.url}/api/conversations/cleo", params=params,
                                 timeout=10)
        assert deleted.status_code == 404
    assert redis_client.exists(LocationKeys("south").conversation("cleo"))
    assert get(server, "/api/conversations/ana", session).status_code == 200


def callback(session, server, wanted: str, values: dict[str, object]) -> requests.Response:
    """Call the server-side callback whose output names ``wanted``, with ``values`` for its
    inputs and state by id (the rest None), as a crafted request would."""
    callbacks = session.get(f"{server.url}/_dash-dependencies", timeout=10).json()
    found = next(cb for cb in callbacks if wanted in cb["output"])

    def props(items):
        return [{**item, "value": values.get(item["id"])} for item in items]

    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in found["output"].strip(".").split("...")]
    body = {"output": found["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": props(found["inputs"]), "state": props(found["state"]),
            "changedPropIds": [f"{next(iter(values))}.data"]}
    return session.post(f"{server.url}/_dash-update-component", data=json.dumps(body),
                        headers={"Content-Type": "application/json"}, timeout=10)


def test_loc008_callbacks_and_the_page_offer_only_the_users_locations(limited):
    server, session = limited
    layout = session.get(f"{server.url}/_dash-layout", timeout=10).text.replace("\\u002f", "/")
    assert '"North County"' in layout and "Inland Empire" not in layout
    assert "north/ana" in layout and "south/" not in layout
    # The table's callback asked for south: nothing read, nothing sent.
    table = callback(session, server, "conversations-table.data",
                     {"store-locations": ["south"]})
    assert table.status_code == 204 and "cleo" not in table.text
    refresh = callback(session, server, "store-dashboard.data",
                       {"store-locations": ["south"], "store-range": {"range": "24h"}})
    assert refresh.status_code == 204
    own = callback(session, server, "conversations-table.data", {"store-locations": ["north"]})
    rows = own.json()["response"]["conversations-table"]["data"]
    assert own.status_code == 200 and {row["id"] for row in rows} == {"north/ana", "north/ben"}
