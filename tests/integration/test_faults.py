"""Redis faults: the webhook refuses with 429 (GoHighLevel redelivers) while Redis is down,
loses no acknowledged message, recovers by itself."""

from __future__ import annotations

import threading
import time

import pytest
import redis
import requests

from app import create_app
from core.keys import LocationKeys
from core.settings import Settings
from seller_bot.models import Conversation
from tests.conftest import LiveServer, inbound
from tests.redis_server import RedisServer


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


def test_fault001_redis_killed_and_restarted_loses_no_acknowledged_message(durable_redis):
    client = redis.Redis.from_url(durable_redis.url, decode_responses=True,
                                  socket_timeout=1, socket_connect_timeout=1)
    app = create_app(Settings(redis_url=durable_redis.url), client)
    acknowledged: list[str] = []
    refused: list[int] = []
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
            if response.status_code == 200 and response.json()["status"] == "processed":
                acknowledged.append(payload["messageId"])
            else:
                assert response.status_code == 429, response.text
                assert response.headers["Retry-After"]
                refused.append(response.status_code)

    with LiveServer(app.server) as server:
        threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        durable_redis.stop(kill=True)  # SIGKILL: no chance to save anything more
        time.sleep(1.0)
        health = requests.get(f"{server.url}/healthz", timeout=5)
        assert health.status_code == 503
        durable_redis.start()
        time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
        after = requests.post(f"{server.url}/webhooks/ghl/inbound",
                              json=inbound("back again", contact="late"), timeout=5)
        assert after.json()["status"] == "processed"

    assert refused, "the outage was not noticed"
    assert len(acknowledged) > 20
    stored = stored_inbound(client, "loc-1")
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged messages lost"
