"""Bad input gets a clear JSON error and changes nothing (README, "Webhook contract")."""

from __future__ import annotations

import json

import pytest
import requests

from app import create_app
from core.settings import Settings
from core.signatures import hmac_signature
from tests.helpers import inbound, stored_data

URL = "/webhooks/ghl/inbound"


@pytest.fixture
def seeded(live_server, redis_client):
    """A store with one conversation in it, and its full dump."""
    response = requests.post(live_server.url + URL, json=inbound("hi"), timeout=5)
    assert response.status_code == 200
    return stored_data(redis_client)


def post_raw(server, body: bytes, headers: dict | None = None) -> requests.Response:
    return requests.post(server.url + URL, data=body, timeout=5,
                         headers={"Content-Type": "application/json", **(headers or {})})


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b'{"a": 1'])
def test_bad001_invalid_json_is_400(live_server, redis_client, seeded, body):
    response = post_raw(live_server, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"
    assert stored_data(redis_client) == seeded


def test_bad002_body_over_64kb_is_413(live_server, redis_client, seeded):
    payload = inbound("x" * 70_000)
    response = post_raw(live_server, json.dumps(payload).encode())
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert stored_data(redis_client) == seeded


# messageId and body may be absent, as GoHighLevel documents (test_ghl_payloads.py).
@pytest.mark.parametrize("field", ["type", "locationId", "contactId", "messageType",
                                   "direction"])
def test_bad003_missing_field_is_422_naming_it(live_server, redis_client, seeded, field):
    payload = inbound("hello")
    del payload[field]
    response = post_raw(live_server, json.dumps(payload).encode())
    assert response.status_code == 422
    assert field in [f["field"] for f in response.json()["fields"]]
    assert field in response.json()["message"]
    assert stored_data(redis_client) == seeded


@pytest.mark.parametrize(("field", "value"), [
    ("contactId", 12345), ("body", ["hi"]), ("locationId", "{loc:evil}"),
    ("messageId", ""), ("direction", None), ("contactId", "a" * 200), ("phone", 9095550101),
])
def test_bad004_mistyped_field_is_422_naming_it(live_server, redis_client, seeded, field, value):
    payload = inbound("hello", **{field: value})
    response = post_raw(live_server, json.dumps(payload).encode())
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == field
    assert stored_data(redis_client) == seeded


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null"])
def test_bad005_json_that_is_not_an_object_is_422(live_server, redis_client, seeded, body):
    response = post_raw(live_server, body)
    assert response.status_code == 422
    assert stored_data(redis_client) == seeded


def test_bad006_signature_required_when_secret_set(serve, redis_server, redis_client):
    settings = Settings(redis_url=redis_server.url, webhook_secret="s3cret")
    app = create_app(settings, redis_client)
    with serve(app.server) as server:
        body = json.dumps(inbound("hi")).encode()
        before = stored_data(redis_client)
        missing = post_raw(server, body)
        forged = post_raw(server, body, {"X-Webhook-Signature": hmac_signature("wrong", body)})
        tampered = post_raw(server, body.replace(b"hi", b"yo"),
                            {"X-Webhook-Signature": hmac_signature("s3cret", body)})
        for response in (missing, forged, tampered):
            assert response.status_code == 401
            assert response.json()["error"] == "bad_signature"
        assert stored_data(redis_client) == before
        good = post_raw(server, body, {"X-Webhook-Signature": hmac_signature("s3cret", body)})
        assert good.status_code == 200 and good.json()["status"] == "processed"


@pytest.mark.parametrize("changes", [
    {"direction": "outbound"}, {"messageType": "Email"}, {"messageType": "Call"},
    {"type": "OutboundMessage"}, {"body": "   "},
])
def test_bad007_outbound_and_non_text_are_ignored(live_server, redis_client, seeded, changes):
    response = requests.post(live_server.url + URL, json=inbound("hi", contact="other", **changes),
                             timeout=5)
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert stored_data(redis_client) == seeded


def test_bad008_api_ids_are_validated(live_server, redis_client, seeded):
    response = requests.get(f"{live_server.url}/api/conversations/bad%7Bid%7D", timeout=5)
    assert response.status_code == 422
    response = requests.post(f"{live_server.url}/api/conversations/nobody/pause", timeout=5)
    assert response.status_code == 404
    assert stored_data(redis_client) == seeded
