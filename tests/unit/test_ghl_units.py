"""GoHighLevel two-way, the pure parts: outbox actions, payload idempotency keys, signature
checks, rate-limit headers, calendar slots, the replies-off banner and dead letters on screen."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from components import conversation_detail, header
from core.settings import Settings
from core.signatures import Ed25519Verifier, hmac_valid
from ghl.client import RateInfo, retry_after_seconds
from seller_bot.calendar import calendar_slots
from seller_bot.flow import record_reply, start_conversation
from seller_bot.outbox import CrmConfig, Requeue, derive_actions
from seller_bot.payload import InboundMessage

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
CRM = CrmConfig(custom_fields={"condition": "seller_condition", "lead_score": "score"})


def conversation():
    conv = start_conversation("c1", "loc-1", NOW, name="Ana", phone="+19095550100")
    record_reply(conv, "Hi Ana!", NOW, 2.0)
    return conv


def kinds(actions) -> list[tuple[str, dict]]:
    return [(a.kind, a.data) for a in actions]


def test_ghlunit001_new_conversation_sends_reply_then_crm_updates():
    conv = conversation()
    actions = derive_actions(None, conv, CRM)
    assert [a.kind for a in actions] == ["sms", "tags_add", "tags_remove", "fields"]
    assert [a.seq for a in actions] == [1, 2, 3, 4] and conv.outbox_seq == 4
    assert actions[0].data == {"message": "Hi Ana!", "arrived_ms": int(NOW.timestamp() * 1000)}
    assert conv.transcript[-1].outbox_id == actions[0].action_id
    assert actions[1].data == {"tags": ["seller_cold"]}
    assert actions[3].data == {"fields": {"score": "0"}}


def test_ghlunit002_changes_only_send_what_changed():
    old = conversation()
    derive_actions(None, old, CRM)
    new = old.model_copy(deep=True)
    assert derive_actions(old, new, CRM) == []
    new.temperature, new.stage, new.condition = "hot", "booked", "major_repairs"
    actions = derive_actions(old, new, CRM)
    assert kinds(actions) == [("tags_add", {"tags": ["seller_hot"]}),
                              ("tags_remove", {"tags": ["seller_warm", "seller_cold"]}),
                              ("tags_add", {"tags": ["seller_booked"]}),
                              ("fields", {"fields": {"seller_condition": "major_repairs"}})]
    assert actions[0].seq == 5


def test_ghlunit003_calendar_booking_goes_before_its_confirmation():
    old = conversation()
    new = old.model_copy(deep=True)
    new.stage, new.appointment_at = "booked", NOW + timedelta(days=1)
    record_reply(new, "You're booked", NOW, 1.0)
    actions = derive_actions(old, new, CrmConfig(calendar_id="cal-1"))
    assert [a.kind for a in actions][:2] == ["appointment", "sms"]
    assert actions[1].data["requires"] == actions[0].action_id


def test_ghlunit004_requeue_keeps_the_id_and_takes_the_next_seq():
    conv = conversation()
    conv.outbox_seq = 7
    (action,) = derive_actions(conv, conv.model_copy(deep=True), CRM,
                               (Requeue("sms", "c1.1.3", {"message": "hi"}),))
    assert (action.action_id, action.seq) == ("c1.1.3", 8)


def test_ghlunit005_outbox_is_off_without_a_token():
    assert CrmConfig.from_settings(Settings(ghl_api_token=None)) is None
    assert not Settings(ghl_api_token="  ").outbox_enabled
    crm = CrmConfig.from_settings(Settings(ghl_api_token="t", ghl_custom_fields="condition=c,x=y"))
    assert crm.custom_fields == {"condition": "c"}


def payload(**changes) -> InboundMessage:
    data = {"type": "InboundMessage", "locationId": "l1", "contactId": "c1", "body": "hi",
            "messageType": "SMS", "direction": "inbound", "dateAdded": "2026-11-30T18:00:00Z"}
    return InboundMessage.model_validate({**data, **changes})


def test_ghlunit006_idempotency_key_message_id_then_webhook_id_then_digest():
    assert payload(messageId="m1", webhookId="w1").idempotency_key == "m1"
    assert payload(webhookId="w1").idempotency_key == "wh-w1"
    digest = payload().idempotency_key
    assert digest.startswith("d-") and digest == payload().idempotency_key
    assert payload(body="other").idempotency_key != digest


def test_ghlunit007_ed25519_keys_as_pem_or_raw_base64():
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM,
                              serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    raw = base64.b64encode(public.public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)).decode()
    signature = base64.b64encode(key.sign(b"body")).decode()
    for text in (pem, pem.replace("\n", "\\n"), raw):
        verifier = Ed25519Verifier(text)
        assert verifier.valid(b"body", signature)
        assert not verifier.valid(b"body!", signature)
        assert not verifier.valid(b"body", "ü" + signature)
        assert not verifier.valid(b"body", None)
    with pytest.raises(ValueError):
        Ed25519Verifier("not a key")
    assert not hmac_valid("secret", b"body", "sha256=é")


def test_ghlunit008_rate_limit_headers_and_retry_after():
    request = httpx.Request("POST", "http://x/")
    exhausted = httpx.Response(429, request=request, headers={
        "X-RateLimit-Remaining": "0", "X-RateLimit-Interval-Milliseconds": "2500"})
    rate = RateInfo.from_headers(exhausted.headers)
    assert rate.exhausted_for() == 2.5
    assert retry_after_seconds(exhausted, rate) == 2.5
    told = httpx.Response(429, request=request, headers={"Retry-After": "7"})
    assert retry_after_seconds(told, RateInfo.from_headers(told.headers)) == 7.0
    fine = RateInfo.from_headers(httpx.Headers({"X-RateLimit-Remaining": "99"}))
    assert fine.exhausted_for() is None
    assert RateInfo(daily_remaining=0).exhausted_for() == 60.0


def test_ghlunit009_calendar_slots_soonest_on_different_days():
    day = NOW + timedelta(days=1)
    free = [day.replace(hour=17), day.replace(hour=20), day.replace(hour=22) + timedelta(days=1),
            NOW + timedelta(minutes=30)]  # the last is too soon
    assert calendar_slots(free, NOW) == [free[0], free[2]]
    assert calendar_slots(free, NOW, exclude=[free[0]]) == [free[1], free[2]]
    assert calendar_slots(free[:2], NOW) == free[:2]


def test_ghlunit010_replies_off_banner_and_dead_letters_on_screen():
    on = header.build_banners(None, "UTC", replies_sent=True)
    off = header.build_banners(None, "UTC", replies_sent=False)
    assert not on.children[0].is_open and off.children[0].is_open
    assert "GHL_API_TOKEN unset" in off.children[0].children
    assert header.dead_letters_text(None) is None
    detail = {"transcript": [], "dead_letters": [{
        "entry_id": "1-0", "kind": "sms", "error": "HTTP 500", "attempts": 6,
        "failed_at": NOW.isoformat(), "data": {"message": "Hi Ana!"}}]}
    text = str(conversation_detail.build_detail(detail, "UTC"))
    assert "Not delivered to GoHighLevel" in text and "Hi Ana!" in text and "'1-0'" in text
