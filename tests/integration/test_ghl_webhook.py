"""The webhook as GoHighLevel delivers today: its documented example payloads (verbatim apart
from fresh dates), X-GHL-Signature (Ed25519), the replay window, ContactTagUpdate for human
takeover, and 429 (never 5xx) when a message cannot be stored."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
import redis
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app import create_app
from core.keys import LocationKeys
from core.redis_client import DECODING
from core.settings import Settings
from seller_bot.models import Conversation
from seller_bot.store import ConflictError, SlotTaken
from tests.helpers import inbound
from tests.redis_server import RedisServer

URL = "/webhooks/ghl/inbound"

# docs/webhook events/InboundMessage.md and ContactTagUpdate.md (GoHighLevel/highlevel-api-docs)
SMS_EXAMPLE = {
    "type": "InboundMessage", "locationId": "l1C08ntBrFjLS0elLIYU", "attachments": [],
    "body": "This is a test message", "contactId": "cI08i1Bls3iTB9bKgFJh",
    "contentType": "text/plain", "conversationId": "fcanlLgpbQgQhderivVs",
    "dateAdded": "2021-04-21T11:31:45.750Z", "direction": "inbound", "messageType": "SMS",
    "status": "delivered", "conversationProviderId": "cI08i1Bls3iTB9bKgF01",
}
CALL_EXAMPLE = {
    "type": "OutboundMessage", "locationId": "0d48aEf7q67DAu134bpy",
    "attachments": ["call recording url"], "contactId": "gblakL5aYQC4glDtP1r2t3",
    "conversationId": "SGDqZrzmwTr19d10aHkt9F", "dateAdded": "2024-05-08T11:57:42.250Z",
    "direction": "inbound", "messageType": "CALL", "userId": "xsmF1xxhmC92ZpL1lj7aLa",
    "messageId": "tyW42xCD0HQpb3hhfLcx", "status": "completed", "callDuration": 120,
    "callStatus": "completed",
}
VOICEMAIL_EXAMPLE = {
    "type": "InboundMessage", "locationId": "0dalah57827q67DAuXUxbpy",
    "attachments": ["voicemail url"], "contactId": "gb7laj5aYQC4glDtP1r5",
    "conversationId": "SGDqZrzmwTA5P7LHkt9F", "dateAdded": "2024-05-08T12:00:56.193Z",
    "direction": "inbound", "messageType": "CALL", "messageId": "QkNS0DNje0FjoLQdD5O3",
    "status": "voicemail",
}
EMAIL_EXAMPLE = {
    "type": "InboundMessage", "locationId": "kF4NJ5gzRyQF2gKFD34G",
    "body": "<div style=\"font-family: verdana, geneva; font-size: 11pt;\">Testing Email "
            "Notification</div>",
    "contactId": "3bN9f8LYJFG8F232XMUbfq", "conversationId": "yCdNo6pwyTLYKgg6V2gj",
    "dateAdded": "2024-01-12T12:59:04.045Z", "direction": "inbound", "messageType": "Email",
    "emailMessageId": "sddfDSF3G56GHG", "from": "Internal Notify <sample@email.service>",
    "threadId": "sddfDSF3G56GHG", "subject": "Order Confirmed",
    "to": ["testprasath95@gmail.com"], "conversationProviderId": "cI08i1Bls3iTB9bKgF01",
}
TAG_EXAMPLE = {
    "type": "ContactTagUpdate", "locationId": "ve9EPM428h8vShlRW1KT",
    "id": "nmFmQEsNgz6AVpgLVUJ0", "address1": "3535 1st St N", "city": "ruDolomitebika",
    "state": "AL", "companyName": "Loram ipsum", "country": "DE", "source": "xyz form",
    "dateAdded": "2021-11-26T12:41:02.193Z", "dateOfBirth": "2000-01-05T00:00:00.000Z",
    "dnd": True, "email": "JohnDeo@gmail.comm", "name": "John Deo", "firstName": "John",
    "lastName": "Deo", "phone": "+919509597501", "postalCode": "452001",
    "tags": ["id magna sed Lorem", "Duis dolor commodo aliqua"],
    "website": "https://www.google.com/", "attachments": [], "assignedTo": "nmFmQEsNgz6AVpgLVUJ0",
    "customFields": [{"id": "BcdmQEsNgz6AVpgLVUJ0", "value": "XYZ Corp"}],
}


def fresh(example: dict, **changes) -> dict:
    """The example with its date set to now (and ``changes``)."""
    payload = copy.deepcopy(example)
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    if payload["type"] != "ContactTagUpdate":
        payload["dateAdded"] = now
    payload.update(changes)
    return payload


def now_iso(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def post(server, payload: dict | bytes, headers: dict | None = None) -> requests.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return requests.post(server.url + URL, data=body, timeout=10,
                         headers={"Content-Type": "application/json", **(headers or {})})


def stored(client: redis.Redis, location: str, contact: str) -> Conversation | None:
    raw = client.get(LocationKeys(location).conversation(contact))
    return Conversation.from_json(raw) if raw else None


# -- documented payloads -----------------------------------------------------------------
def test_ghlwh001_documented_sms_example_is_processed_once(live_server, redis_client):
    payload = fresh(SMS_EXAMPLE)
    first = post(live_server, payload)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "processed" and first.json()["reply"]
    again = post(live_server, payload)  # no messageId: the digest makes the redelivery a duplicate
    assert again.json() == {**first.json(), "status": "duplicate"}  # the same reply again (#13)
    conv = stored(redis_client, "l1C08ntBrFjLS0elLIYU", "cI08i1Bls3iTB9bKgFJh")
    assert [m.body for m in conv.transcript if m.direction == "inbound"] == [
        "This is a test message"]
    assert conv.name is None and conv.phone is None  # not in the payload; no token to fetch


@pytest.mark.parametrize(("example", "reason"), [
    (CALL_EXAMPLE, "event type OutboundMessage"),
    (VOICEMAIL_EXAMPLE, "CALL is not a text message"),
    (EMAIL_EXAMPLE, "Email is not a text message"),
])
def test_ghlwh002_documented_call_voicemail_email_are_ignored(live_server, redis_client,
                                                              example, reason):
    response = post(live_server, fresh(example))
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ignored", "reason": reason}
    assert stored(redis_client, example["locationId"], example["contactId"]) is None


def test_ghlwh003_a_known_sellers_voicemail_is_recorded_not_answered(live_server, redis_client):
    location, contact = VOICEMAIL_EXAMPLE["locationId"], VOICEMAIL_EXAMPLE["contactId"]
    assert post(live_server, inbound("hi, want to sell", contact=contact,
                                     location=location)).json()["status"] == "processed"
    response = post(live_server, fresh(VOICEMAIL_EXAMPLE))
    assert response.json() == {"status": "ignored",
                               "reason": "CALL is not a text message; recorded"}
    conv = stored(redis_client, location, contact)
    last = conv.transcript[-1]
    assert (last.direction, last.channel, last.body) == ("inbound", "CALL", "call (voicemail)")
    assert post(live_server, fresh(VOICEMAIL_EXAMPLE)).json() == {"status": "duplicate"}


def test_ghlwh004_repeated_webhook_id_is_a_duplicate(live_server, redis_client):
    payload = fresh(SMS_EXAMPLE, webhookId="abc123xyz", timestamp=now_iso())
    assert post(live_server, payload).json()["status"] == "processed"
    assert post(live_server, payload).json()["status"] == "duplicate"


# -- signatures and the replay window -----------------------------------------------------
@pytest.fixture
def ed25519_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def signed_server(serve, redis_server, redis_client, ed25519_key):
    pem = ed25519_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings = Settings(redis_url=redis_server.url, ghl_webhook_ed25519_public_key=pem,
                        webhook_secret="our-hmac-secret-16")
    assert settings.webhook_max_age_seconds == 300
    with serve(create_app(settings, redis_client).server) as server:
        yield server


def ghl_signed(key: Ed25519PrivateKey, payload: dict) -> tuple[bytes, dict]:
    body = json.dumps(payload).encode()
    return body, {"X-GHL-Signature": base64.b64encode(key.sign(body)).decode()}


def test_ghlwh005_ed25519_signed_webhook_accepted_tampered_refused(signed_server, redis_client,
                                                                   ed25519_key):
    body, headers = ghl_signed(ed25519_key, fresh(SMS_EXAMPLE))
    tampered = body.replace(b"This is a test message", b"This is a forged message")
    refused = post(signed_server, tampered, headers)
    assert refused.status_code == 401 and refused.json()["error"] == "bad_signature"
    assert "X-GHL-Signature" in refused.json()["message"]
    assert stored(redis_client, "l1C08ntBrFjLS0elLIYU", "cI08i1Bls3iTB9bKgFJh") is None
    accepted = post(signed_server, body, headers)
    assert accepted.status_code == 200 and accepted.json()["status"] == "processed"
    other_key = Ed25519PrivateKey.generate()
    _, wrong = ghl_signed(other_key, fresh(SMS_EXAMPLE))
    assert post(signed_server, body, wrong).status_code == 401


@pytest.mark.parametrize("header", [
    {"X-GHL-Signature": "not base64 at all!"}, {"X-GHL-Signature": "é✓".encode().decode("latin-1")},
    {"X-GHL-Signature": "AAAA"}, {"x-wh-signature": "ü"}, {"X-Webhook-Signature": "sha256=ü"},
    {"X-Webhook-Signature": "é".encode().decode("latin-1")},
])
def test_ghlwh006_malformed_or_non_ascii_signatures_are_401(signed_server, header):
    response = post(signed_server, fresh(SMS_EXAMPLE), header)
    assert response.status_code == 401
    assert response.json()["error"] == "bad_signature"


@pytest.mark.parametrize(("field", "value"), [
    ("timestamp", -6), ("timestamp", 10), ("timestamp", "yesterday"), ("dateAdded", -6),
    ("dateAdded", None),
])
def test_ghlwh007_signed_events_outside_the_replay_window_are_refused(signed_server,
                                                                      ed25519_key, field,
                                                                      value):
    """``value``: minutes from now (dated when the test runs), or the field's raw value."""
    when = now_iso(minutes=value) if isinstance(value, int) else value
    payload = fresh(SMS_EXAMPLE, **{field: when})
    if payload["dateAdded"] is None:
        del payload["dateAdded"]
    body, headers = ghl_signed(ed25519_key, payload)
    response = post(signed_server, body, headers)
    assert response.status_code == 401
    assert response.json()["error"] == "stale_signature"
    assert field in response.json()["message"]


def test_ghlwh008_timestamp_wins_over_an_old_date_added(signed_server, ed25519_key):
    payload = {**SMS_EXAMPLE, "timestamp": now_iso(), "webhookId": "wh-fresh-1"}
    body, headers = ghl_signed(ed25519_key, payload)  # dateAdded is the 2021 one
    assert post(signed_server, body, headers).json()["status"] == "processed"


# -- human takeover through ContactTagUpdate ---------------------------------------------
def test_ghlwh009_takeover_tag_pauses_and_its_removal_resumes(live_server, redis_client):
    location, contact = TAG_EXAMPLE["locationId"], TAG_EXAMPLE["id"]

    def says(text: str) -> dict:
        return post(live_server, inbound(text, contact=contact, location=location)).json()

    assert says("Hi, thinking about selling my house")["status"] == "processed"
    unrelated = post(live_server, fresh(TAG_EXAMPLE))  # the documented example, no takeover tag
    assert unrelated.json() == {"status": "processed", "paused": False}

    tagged = fresh(TAG_EXAMPLE, tags=[*TAG_EXAMPLE["tags"], "Jorge-Active"])
    assert post(live_server, tagged).json() == {"status": "processed", "paused": True}
    assert says("it needs a new roof") == {"status": "ignored", "reason": "paused"}
    assert stored(redis_client, location, contact).paused

    assert post(live_server, fresh(TAG_EXAMPLE)).json() == {"status": "processed",
                                                            "paused": False}
    assert says("around 450k")["status"] == "processed"


def test_ghlwh010_tag_updates_leave_a_dashboard_pause_alone(live_server, redis_client):
    location, contact = TAG_EXAMPLE["locationId"], TAG_EXAMPLE["id"]
    post(live_server, inbound("Hi there", contact=contact, location=location))
    assert requests.post(f"{live_server.url}/api/conversations/{contact}/pause",
                         timeout=10).status_code == 200
    assert post(live_server, fresh(TAG_EXAMPLE)).json()["paused"] is True
    unknown = fresh(TAG_EXAMPLE, id="someoneElse1")
    assert post(live_server, unknown).json() == {
        "status": "ignored", "reason": "no conversation for this contact"}


# -- no message lost in an outage ----------------------------------------------------------
def test_ghlwh011_redis_outage_answers_429_and_the_redelivery_is_stored_once(serve):
    server = RedisServer().start()
    try:
        client = redis.Redis.from_url(server.url, **DECODING, socket_timeout=1,
                                      socket_connect_timeout=1)
        app = create_app(Settings(redis_url=server.url), client)
        payload = fresh(SMS_EXAMPLE)
        with serve(app.server) as live:
            server.stop()
            refused = post(live, payload)
            assert refused.status_code == 429, refused.text
            assert int(refused.headers["Retry-After"]) > 0
            server.start()
            redelivered = post(live, payload)  # GoHighLevel's retry: the same body
            assert redelivered.status_code == 200, redelivered.text
            assert redelivered.json()["status"] == "processed"
            assert post(live, payload).json() == {**redelivered.json(), "status": "duplicate"}
        conv = stored(client, "l1C08ntBrFjLS0elLIYU", "cI08i1Bls3iTB9bKgFJh")
        assert [m.direction for m in conv.transcript] == ["inbound", "outbound"]
        client.close()
    finally:
        server.cleanup()


@pytest.mark.parametrize("busy", [ConflictError("kept changing"), SlotTaken("kept filling up")])
def test_ghlwh012_a_busy_conversation_is_a_429_not_a_500(app, monkeypatch, busy):
    """Injected: a conversation that keeps changing, or slots that keep filling up, needs a
    storm of concurrent writes a test cannot time."""

    def always_busy(*_args, **_kwargs):
        raise busy

    monkeypatch.setattr(app.server.extensions["sellerbot"]["bot"], "handle_inbound",
                        always_busy)
    response = app.server.test_client().post(URL, json=fresh(SMS_EXAMPLE))
    assert response.status_code == 429
    assert response.json["error"] == "busy" and int(response.headers["Retry-After"]) > 0
