"""Housekeeping without messages: the relay worker keeps an idle location's counters true."""

from __future__ import annotations

import threading

from core.keys import LocationKeys
from core.settings import Settings
from ghl.worker import housekeep
from seller_bot.bot import SellerBot
from seller_bot.payload import InboundMessage
from seller_bot.store import ConflictError
from tests.helpers import inbound
from tests.waiting import until


def test_house001_an_idle_locations_expired_conversation_is_retired_by_the_worker(
        clock, redis_server, redis_client):
    settings = Settings(redis_url=redis_server.url, conversation_ttl_seconds=3600)
    bot = SellerBot(redis_client, settings, clock=clock, wall_clock=lambda: clock().timestamp())
    bot.handle_inbound(InboundMessage.model_validate(inbound("hi", location="loc-idle")))
    stats = LocationKeys("loc-idle").stats
    assert redis_client.hget(stats, "conversations") == "1"
    # No message arrives again in this location; its conversation reaches its TTL.
    clock.advance(seconds=settings.conversation_ttl_seconds - settings.sweep_margin_seconds)
    # The worker is a process of its own, with its own bot (on the test's clock).
    worker_bot = SellerBot(redis_client, settings, clock=clock,
                           wall_clock=lambda: clock().timestamp())
    stop = threading.Event()
    worker = threading.Thread(target=housekeep, args=(worker_bot, stop), daemon=True)
    worker.start()
    try:
        until(lambda: redis_client.hget(stats, "conversations") is None, 15,
              msg="the worker did not retire the expired conversation")
        assert redis_client.exists(LocationKeys("loc-idle").conversation("contact-1")) == 0
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()


def test_house002_a_busy_location_does_not_stop_the_others(redis_server, redis_client, clock,
                                                           monkeypatch):
    settings = Settings(redis_url=redis_server.url)
    bot = SellerBot(redis_client, settings, clock=clock)
    for location in ("loc-busy", "loc-calm"):
        bot.handle_inbound(InboundMessage.model_validate(inbound("hi", location=location)))
    worker_bot = SellerBot(redis_client, settings, clock=clock)
    retired = []

    def retire(location_id: str) -> int:
        if location_id == "loc-busy":
            raise ConflictError("conversation kept changing")
        retired.append(location_id)
        return 0

    monkeypatch.setattr(worker_bot.store, "retire_expired", retire)
    worker_bot.housekeep_all()
    assert retired == ["loc-calm"]
