"""Redis faults: the webhook refuses with 429 (GoHighLevel redelivers) while Redis is down,
loses no acknowledged message, recovers by itself."""

from __future__ import annotations

import threading

import pytest
import redis
import requests

from app import create_app
from core.keys import LocationKeys
from core.redis_client import DECODING
from core.settings import Settings
from seller_bot.models import Conversation
from tests.helpers import UNLIMITED_WEBHOOKS, LiveServer, inbound
from tests.redis_server import RedisServer
from tests.waiting import WAIT_SECONDS, until


@pytest.fixture
def durable_redis():
    server = RedisServer(appendonly=True).start()
    yield server
    server.cleanup()


def stored_inbound(client: redis.Redis, location: str) -> set[str]:
    """Message ids of every inbound message stored for a location."""
    keys = LocationKeys(location)
    ids = set()
    for key in client.scan_iter(keys.conversation("*")):
        conv = Conversation.from_json(client.get(key))
        ids.update(m.message_id for m in conv.transcript if m.direction == "inbound")
    return ids


def health(server: LiveServer) -> int:
    return requests.get(f"{server.url}/healthz", timeout=5).status_code


def test_fault001_redis_killed_and_restarted_loses_no_acknowledged_message(serve, durable_redis):
    client = redis.Redis.from_url(durable_redis.url, **DECODING,
                                  socket_timeout=1, socket_connect_timeout=1)
    # Four senders as fast as the machine allows: a fast one exceeds the default per-location
    # budget (600/minute). This test is about Redis faults, so the budget is out of its way.
    settings = Settings(redis_url=durable_redis.url, webhook_rate_limit=UNLIMITED_WEBHOOKS)
    app = create_app(settings, client)
    acknowledged: list[str] = []
    refused: list[int] = []
    unexpected: list[tuple[int, str]] = []
    stop = threading.Event()

    def sender(worker: int) -> None:
        http = requests.Session()
        n = 0
        while not stop.is_set():
            payload = inbound(f"message {n}", contact=f"seller-{worker}-{n % 5}")
            n += 1
            try:
                response = http.post(f"{server.url}/webhooks/ghl/inbound", json=payload,
                                     timeout=5)
            except requests.RequestException:
                continue
            if response.status_code == 200 and response.json().get("status") == "processed":
                acknowledged.append(payload["messageId"])
            elif response.status_code == 429 and response.headers.get("Retry-After"):
                refused.append(response.status_code)
            else:  # reported by the test itself: an assert in a thread would go unseen
                unexpected.append((response.status_code, response.text))

    with serve(app.server) as server:
        threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        try:
            until(lambda: len(acknowledged) > 20, WAIT_SECONDS, msg="no traffic before the fault")
            durable_redis.stop(kill=True)  # SIGKILL: no chance to save anything more
            until(lambda: health(server) == 503, WAIT_SECONDS, msg="health did not turn 503")
            until(lambda: refused, WAIT_SECONDS, msg="the outage was not noticed")
            durable_redis.start()
            until(lambda: health(server) == 200, WAIT_SECONDS, msg="health did not recover")
            recovered = len(acknowledged)
            until(lambda: len(acknowledged) > recovered + 20, WAIT_SECONDS,
                  msg="no message acknowledged after the restart")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
        after = requests.post(f"{server.url}/webhooks/ghl/inbound",
                              json=inbound("back again", contact="late"), timeout=5)
        assert after.status_code == 200, after.text
        assert after.json()["status"] == "processed"

    assert not unexpected, unexpected[:3]
    stored = stored_inbound(client, "loc-1")
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged messages lost"
