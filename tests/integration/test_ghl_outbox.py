"""Replies reach the seller through the outbox and the relay (GoHighLevel played by a local
HTTP server): in order per contact, within the rate budget, retried as the headers say,
dead-lettered and retried from the drill-down; without a token nothing is queued."""

from __future__ import annotations

import threading

import pytest
import requests

from app import create_app
from core.keys import LocationKeys
from ghl.fake import Fault
from ghl.worker import RelayThread
from seller_bot.bot import SellerBot
from services.rebuild import AggregateRebuilder
from tests.helpers import Seller
from tests.waiting import until

FLOW = ["Hi, thinking about selling my house in Fontana",
        "it needs a new roof and the kitchen is dated", "around 450k",
        "relocating to Texas for work, need to close in 30 days"]
SMS = "/conversations/messages"


@pytest.fixture
def ghl_live(serve, ghl_settings, redis_client):
    with serve(create_app(ghl_settings, redis_client).server) as server:
        yield server


def delivered(seller: Seller) -> dict | None:
    """The conversation once every reply in it was accepted by GoHighLevel."""
    state = seller.state()
    replies = [m for m in state["transcript"] if m["direction"] == "outbound"]
    return state if all(m.get("accepted_at") for m in replies) else None


def turns(requests_: list, contact: str) -> list[list[tuple[str, str]]]:
    """One contact's requests, grouped by reply: [(method, path), ...] per turn."""
    groups: list[list[tuple[str, str]]] = []
    for r in requests_:
        if r.body.get("contactId") != contact and f"/contacts/{contact}" not in r.path:
            continue
        if r.path == SMS:
            groups.append([])
        groups[-1].append((r.method, r.path))
    return groups


def test_ghl001_replies_and_crm_updates_arrive_in_conversation_order(
        ghl_live, ghl_api, relay_thread, redis_client, ghl_settings):
    seller = Seller(ghl_live.url, contact="maria-1")
    replies = [seller.says(text)["reply"] for text in FLOW]
    state = until(lambda: delivered(seller), msg="every reply accepted")
    sent = ghl_api.api.sent(SMS)
    assert [r.body for r in sent] == [{"type": "SMS", "contactId": "maria-1", "message": text}
                                      for text in replies]
    assert {r.version for r in sent} == {"2021-04-15"}
    # Each reply first, then the CRM updates of the same message, never before the reply.
    groups = turns(ghl_api.api.sent(), "maria-1")
    assert len(groups) == 4
    assert groups[0] == [("POST", SMS), ("POST", "/contacts/maria-1/tags"),
                         ("DELETE", "/contacts/maria-1/tags"), ("PUT", "/contacts/maria-1")]
    tags = [(r.method, r.body["tags"]) for r in ghl_api.api.sent("/contacts/maria-1/tags")]
    assert tags[:2] == [("POST", ["seller_cold"]), ("DELETE", ["seller_hot", "seller_warm"])]
    fields = [r.body["customFields"] for r in ghl_api.api.sent("/contacts/maria-1", "PUT")]
    assert fields[0] == [{"key": "seller_lead_score", "field_value": "0"}]
    assert {"key": "seller_condition", "field_value": "major_repairs"} in fields[1]
    assert all(r.version == "2021-07-28" for r in ghl_api.api.sent("/contacts/"))
    assert "tags" not in str([r.body for r in ghl_api.api.sent("/contacts/maria-1", "PUT")])
    # GoHighLevel's message ids and acceptance times are kept on the conversation.
    outbound = [m for m in state["transcript"] if m["direction"] == "outbound"]
    assert [m["ghl_message_id"] for m in outbound] == [f"fake-msg-{n}" for n in range(1, 5)]
    assert all(m["delivered_ms"] > 0 for m in outbound)
    dashboard = until(lambda: (d := requests.get(f"{ghl_live.url}/api/dashboard",
                                                      timeout=10).json())["outbox"]["pending"]
                           == 0 and d, msg="outbox drained")
    assert dashboard["outbox"] == {"enabled": True, "dead_letters": 0, "pending": 0}
    assert dashboard["hero"]["response_time_ms"]["basis"] == "delivered"
    assert dashboard["hero"]["response_time_ms"]["samples"] == 4
    assert dashboard["hero"]["speed_to_lead_ms"]["p50"] > 0
    # The delivered-time and speed-to-lead counters are a pure function of the documents.
    hours = {key: redis_client.hgetall(key)
             for key in redis_client.scan_iter(match="{loc:loc-1}:h:*")}
    assert any(name.startswith(("dt:", "stl:")) for h in hours.values() for name in h)
    AggregateRebuilder(redis_client, ghl_settings).rebuild_all()
    assert {key: redis_client.hgetall(key) for key in hours} == hours


def test_ghl002_several_relays_keep_each_contacts_order(ghl_settings, ghl_live, ghl_api,
                                                       redis_client):
    relays = [RelayThread(redis_client, ghl_settings, SellerBot(redis_client, ghl_settings))
              .start() for _ in range(3)]
    try:
        sellers = [Seller(ghl_live.url, contact=f"seller-{n}") for n in range(4)]
        expected: dict[str, list[str]] = {s.contact: [] for s in sellers}

        def talk(seller: Seller) -> None:
            for text in FLOW:
                expected[seller.contact].append(seller.says(text)["reply"])

        threads = [threading.Thread(target=talk, args=(s,)) for s in sellers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for seller in sellers:
            until(lambda s=seller: delivered(s), msg=f"{seller.contact} delivered")
    finally:
        for relay in relays:
            relay.stop()
    # Stopped cleanly, holding nothing: they left the consumer group.
    assert redis_client.xinfo_consumers(LocationKeys("loc-1").outbox, "relay") == []
    for contact, replies in expected.items():
        got = [r.body["message"] for r in ghl_api.api.sent(SMS)
               if r.body["contactId"] == contact]
        assert got == replies  # each exactly once, in the order the bot decided them
        assert turns(ghl_api.api.sent(), contact)[0][0] == ("POST", SMS)


def test_ghl003_429_waits_as_retry_after_says(ghl_live, ghl_api, relay_thread):
    ghl_api.api.fail_next(Fault(429, headers={"Retry-After": "1",
                                              "X-RateLimit-Remaining": "0"}))
    seller = Seller(ghl_live.url, contact="waiting-1")
    seller.says(FLOW[0])
    until(lambda: delivered(seller), msg="delivered after the 429")
    first, second = ghl_api.api.sent(SMS, status=None)[:2]
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0


def test_ghl004_rate_limit_headers_without_retry_after_hold_the_location(ghl_live, ghl_api,
                                                                         relay_thread):
    ghl_api.api.fail_next(Fault(429, headers={"X-RateLimit-Remaining": "0",
                                              "X-RateLimit-Interval-Milliseconds": "1500"}))
    seller = Seller(ghl_live.url, contact="waiting-2")
    seller.says(FLOW[0])
    until(lambda: delivered(seller), msg="delivered after the 429")
    calls = ghl_api.api.sent(status=None)
    assert calls[0].status == 429
    assert calls[1].at - calls[0].at >= 1.5


def test_ghl005_burst_budget_is_never_exceeded(serve, ghl_settings, redis_client, ghl_api):
    settings = ghl_settings.model_copy(update={"ghl_burst_limit": 5,
                                               "ghl_burst_window_seconds": 1.0})
    # The fake counts at its own receipt, a few ms after the relay took its budget: one call of
    # slack so that scheduling jitter on a busy machine is not taken for a burst.
    ghl_api.api.limit, ghl_api.api.window = 6, 1.0
    with serve(create_app(settings, redis_client).server) as live:
        relay = RelayThread(redis_client, settings, SellerBot(redis_client, settings)).start()
        try:
            sellers = [Seller(live.url, contact=f"burst-{n}") for n in range(6)]
            for seller in sellers:
                seller.says(FLOW[0])
            # Each first message: a reply, two tag calls and the lead score field.
            until(lambda: len(ghl_api.api.sent()) == 24, timeout=30,
                       msg="24 calls accepted")
        finally:
            relay.stop()
    times = sorted(r.at for r in ghl_api.api.sent(status=None))
    assert len(times) == 24
    assert ghl_api.api.rate_limited == 0
    # 24 calls at 5 per second: at least four seconds from the first to the last.
    assert times[-1] - times[0] >= 3.9
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[6:], strict=False))


def test_ghl006_errors_retried_then_dead_lettered_and_retried_from_the_drill_down(
        ghl_live, ghl_api, relay_thread):
    ghl_api.api.fail_next(Fault(500), Fault(drop=True), Fault(delay=2.5))  # 2.5 s > timeout
    seller = Seller(ghl_live.url, contact="flaky-1")
    reply = seller.says(FLOW[0])["reply"]
    state = until(lambda: seller.state()["dead_letters"] and seller.state(),
                       msg="a dead letter")
    (dead,) = state["dead_letters"]
    assert dead["kind"] == "sms" and dead["attempts"] == 3
    assert dead["data"]["message"] == reply
    dashboard = requests.get(f"{ghl_live.url}/api/dashboard", timeout=10).json()
    assert dashboard["outbox"]["dead_letters"] == 1
    # Later actions of the contact were not blocked by the dead letter.
    until(lambda: ghl_api.api.sent("/contacts/flaky-1/tags", "DELETE"),
               msg="tag updates after the dead letter")
    assert not ghl_api.api.sent(SMS)

    answer = requests.post(f"{ghl_live.url}/api/conversations/flaky-1/dead-letters/"
                           f"{dead['entry_id']}/retry", timeout=10)
    assert answer.status_code == 200, answer.text
    state = until(lambda: delivered(seller), msg="delivered after the retry")
    assert [r.body["message"] for r in ghl_api.api.sent(SMS)] == [reply]
    assert state["dead_letters"] == []
    again = requests.post(f"{ghl_live.url}/api/conversations/flaky-1/dead-letters/"
                          f"{dead['entry_id']}/retry", timeout=10)
    assert again.status_code == 404


def test_ghl007_without_a_token_nothing_is_queued(settings, redis_client, live_server):
    assert not settings.outbox_enabled
    Seller(live_server.url).says(FLOW[0])
    assert not redis_client.exists(LocationKeys("loc-1").outbox)
    dashboard = requests.get(f"{live_server.url}/api/dashboard", timeout=10).json()
    assert dashboard["outbox"] == {"enabled": False, "dead_letters": None, "pending": None}
    assert dashboard["hero"]["response_time_ms"]["basis"] == "processing"


def test_ghl008_missing_name_and_phone_fetched_once_from_contacts(ghl_live, ghl_api,
                                                                  relay_thread):
    ghl_api.api.contacts["cI08i1Bls3iTB9bKgFJh"] = {"firstName": "Rosa", "lastName": "Diaz",
                                                    "name": "Rosa Diaz", "phone": "+19095550142"}
    seller = Seller(ghl_live.url, contact="cI08i1Bls3iTB9bKgFJh", location="l1C08ntBrFjLS0elLIYU",
                    contactName=None, phone=None)
    seller.says("Hi, thinking about selling")
    state = until(lambda: (s := seller.state())["name"] and s, msg="name fetched")
    assert (state["name"], state["phone"]) == ("Rosa Diaz", "+19095550142")
    seller.says("it needs a new roof")
    until(lambda: len(ghl_api.api.sent(SMS)) == 2, msg="second reply")
    assert len(ghl_api.api.sent("/contacts/cI08i1Bls3iTB9bKgFJh", "GET")) == 1


def test_ghl009_forgetting_a_seller_drops_their_queued_actions_and_dead_letters(
        ghl_live, redis_client):
    keys = LocationKeys("loc-1")
    Seller(ghl_live.url, contact="forget-me").says(FLOW[0])
    Seller(ghl_live.url, contact="keep-me").says(FLOW[0])
    redis_client.xadd(keys.dead_letters, {"id": "forget-me.1.9", "kind": "sms",
                                          "contact": "forget-me", "data": '{"message": "x"}',
                                          "error": "HTTP 500", "attempts": 6, "failed_ms": 0})
    assert requests.delete(f"{ghl_live.url}/api/conversations/forget-me",
                           timeout=10).status_code == 200
    left = [fields["contact"] for _, fields in redis_client.xrange(keys.outbox)]
    assert left and set(left) == {"keep-me"}
    assert redis_client.xlen(keys.dead_letters) == 0
