"""GET /api/conversations and GET /api/export.csv over real HTTP, on a store the bot filled."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis
import requests

from app import create_app
from core.redis_client import DECODING
from core.settings import Settings
from seller_bot.models import Conversation
from services.dashboard_models import ConversationQuery
from tests.redis_server import RedisServer, free_port
from tests.table_store import all_documents, brute_force, build_store

NOW = datetime.now(UTC).replace(microsecond=0)
FILTERS = [{}, {"temperature": "hot"}, {"stage": "offer", "sort": "price_expectation"},
           {"temperature": "cold", "stage": "price", "order": "asc"},
           {"stalled": "1", "sort": "lead_score"}, {"q": "maria", "sort": "stage"},
           {"q": "(909) 555", "temperature": "warm"},
           {"sort": "price_expectation", "order": "asc"},
           {"segment": "hot_action"}, {"segment": "funnel:offer", "sort": "lead_score"}]


@pytest.fixture(scope="module")
def filled(serve) -> Iterator[tuple[str, redis.Redis, Settings, list[Conversation]]]:
    """A live app on its own Redis, filled by the real bot, its clock fixed at NOW."""
    server = RedisServer().start()
    client = redis.Redis.from_url(server.url, **DECODING)
    settings = Settings(redis_url=server.url)
    build_store(client, settings, NOW, count=100, seed=3)
    app = create_app(settings, client, clock=lambda: NOW)
    with serve(app.server) as live:
        yield live.url, client, settings, all_documents(client)
    client.close()
    server.cleanup()


def table_pages(base: str, params: dict) -> list[dict]:
    rows, page = [], 1
    while True:
        response = requests.get(f"{base}/api/conversations",
                                params={**params, "page": page, "page_size": 25}, timeout=10)
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["rows"]
        if page >= body["pages"]:
            assert body["total"] == len(rows)
            return rows
        page += 1


def export(base: str, params: dict) -> tuple[requests.Response, list[dict]]:
    response = requests.get(f"{base}/api/export.csv", params=params, timeout=30, stream=True)
    text = response.content.decode("utf-8-sig")
    return response, list(csv.DictReader(io.StringIO(text)))


def test_table101_api_page_is_the_brute_force_page(filled):
    base, _, settings, docs = filled
    for params in FILTERS:
        query_params = {"sort": "last_activity", "order": "desc", **params}
        query = ConversationQuery(
            temperature=params.get("temperature"), stage=params.get("stage"),
            stalled=params.get("stalled") == "1", q=params.get("q"),
            sort=query_params["sort"], order=query_params["order"],
            segment=params.get("segment"))
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(), settings)]
        assert [row["contact_id"] for row in table_pages(base, params)] == expected, params
    body = requests.get(f"{base}/api/conversations", params={"page_size": 3}, timeout=10).json()
    assert set(body) >= {"rows", "page", "page_size", "total", "pages", "as_of", "stale"}
    assert body["page"] == 1 and body["page_size"] == 3 and len(body["rows"]) == 3
    assert body["total"] == len(docs) and body["pages"] == -(-len(docs) // 3)
    assert datetime.fromisoformat(body["as_of"]) == NOW


def test_table102_export_csv_equals_the_filtered_table(filled):
    base, *_ = filled
    for params in FILTERS:
        response, exported = export(base, params)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in response.headers["Content-Disposition"]
        table = table_pages(base, params)
        assert [r["contact_id"] for r in exported] == [r["contact_id"] for r in table], params
        for csv_row, json_row in zip(exported, table, strict=True):
            for column in ("name", "stage", "temperature", "next_action",
                           "last_activity_at", "address"):
                value = json_row[column] or ""
                assert csv_row[column] in (value, "'" + value), column
            assert int(csv_row["lead_score"]) == json_row["lead_score"]
            assert csv_row["price_expectation"] == str(json_row["price_expectation"] or "")
            assert csv_row["stalled"] == str(json_row["stalled"])
    assert sum(len(export(base, params)[1]) for params in FILTERS) > 100


def test_table103_export_header_masking_and_formula_safety(filled):
    base, _, _, docs = filled
    response, rows = export(base, {})
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:4] == ["contact_id", "location_id", "name", "phone"]
    assert len(rows) == len(docs)
    # Full numbers in E.164 for a dialer (the route is behind the login in production), as
    # "+" and digits: not a formula, so not prefixed.
    phones = {d.contact_id: d.phone for d in docs}
    dialable = [r for r in rows if phones[r["contact_id"]]]
    assert dialable
    for row in dialable:
        digits = "".join(ch for ch in phones[row["contact_id"]] if ch.isdigit())
        assert row["phone"] == "+1" + digits[-10:], (row["phone"], phones[row["contact_id"]])
    # On screen (the table API) they stay masked.
    page = requests.get(f"{base}/api/conversations", params={"page_size": 100}, timeout=10)
    assert all(r["phone"] is None or "•" in r["phone"] for r in page.json()["rows"])
    formulas = [r["name"] for r in rows if r["name"].startswith(("=", "+", "-", "@"))]
    assert not formulas
    dangerous = [r["name"] for r in rows if r["name"].startswith(("'=", "'@"))]
    assert dangerous  # the store has "=HYPERLINK(...)" and "@mention" sellers, defused
    assert any("José" in r["name"] for r in rows)  # accents survive (UTF-8 with BOM)


@pytest.mark.parametrize(("parameter", "value"), [
    ("page", "abc"), ("page", "0"), ("page_size", "0"), ("page_size", "101"), ("sort", "name"),
    ("order", "sideways"), ("temperature", "tepid"), ("stage", "closed"), ("stalled", "maybe"),
    ("reveal_phone", "2"), ("q", "x" * 201), ("segment", "everything")])
def test_table104_bad_parameters_are_422_naming_them_and_write_nothing(filled, parameter,
                                                                        value):
    base, client, *_ = filled
    dirty = client.info("persistence")["rdb_changes_since_last_save"]
    keys = client.dbsize()
    valid = {"temperature": "hot", "stage": "offer", "stalled": "1"}
    for route in ("/api/conversations", "/api/export.csv"):
        response = requests.get(f"{base}{route}", params={**valid, parameter: value},
                                timeout=10)
        assert response.status_code == 422, (route, response.text)
        body = response.json()
        assert body["error"] == "invalid_field"
        assert body["fields"][0]["field"] == parameter
        assert parameter in body["message"]
    assert client.info("persistence")["rdb_changes_since_last_save"] == dirty
    assert client.dbsize() == keys


def test_table105_unreachable_redis_is_a_503(settings):
    dead = redis.Redis(port=free_port(), socket_connect_timeout=0.2, **DECODING)
    app = create_app(settings, dead)
    response = app.server.test_client().get("/api/conversations")
    assert response.status_code == 503
    assert response.get_json()["error"] == "unavailable"


def test_table106_one_conversation_route_still_answers(filled):
    base, _, _, docs = filled
    conv = docs[0]
    response = requests.get(f"{base}/api/conversations/{conv.contact_id}", timeout=10)
    assert response.status_code == 200
    assert response.json()["contact_id"] == conv.contact_id
