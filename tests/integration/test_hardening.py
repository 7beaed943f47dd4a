"""Hardening (issue #13): each test replays an attack or fault over real HTTP against a real
redis-server and checks the app holds."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import redis
import requests

from app import create_app
from components import ids
from core.keys import LOCATIONS
from core.redis_client import DECODING
from core.settings import Settings
from core.signatures import hmac_signature
from tests.helpers import LiveServer, inbound
from tests.redis_server import RedisServer

SECRET = "webhook-secret-for-tests"


def post(server, payload: dict, secret: str | None = SECRET) -> requests.Response:
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Webhook-Signature"] = hmac_signature(secret, body)
    return requests.post(f"{server.url}/webhooks/ghl/inbound", data=body, headers=headers,
                         timeout=10)


@pytest.fixture
def signed(serve, redis_server, redis_client) -> Iterator[LiveServer]:
    settings = Settings(redis_url=redis_server.url, webhook_secret=SECRET,
                        webhook_rate_limit="3/minute")
    with serve(create_app(settings, redis_client).server) as server:
        yield server


def suppression_records(client: redis.Redis) -> dict[str, tuple[str, int]]:
    return {key: (client.get(key), client.ttl(key)) for key in client.scan_iter("*:sup:*")}


# -- deleted and opted-out contacts stay silent ---------------------------------------------
def test_hard001_replay_after_delete_does_not_recreate_the_contact(signed, redis_client):
    first = inbound("Hi, thinking about selling my house", contact="maria", location="loc-a")
    assert post(signed, first).json()["status"] == "processed"
    deleted = requests.delete(f"{signed.url}/api/conversations/maria", timeout=10)
    assert deleted.json()["status"] == "deleted"
    for _ in range(2):  # a GoHighLevel redelivery, then an attacker's replay
        again = post(signed, first)
        assert again.status_code == 200
        assert again.json() == {"status": "ignored", "reason": "deleted"}
    assert requests.get(f"{signed.url}/api/conversations/maria", timeout=10).status_code == 404
    records = suppression_records(redis_client)
    assert len(records) == 1
    (key, (value, ttl)), = records.items()
    assert "maria" not in key and value == "deleted"
    assert 0 < ttl <= Settings().conversation_ttl_seconds
    assert not list(redis_client.scan_iter("*:conv:*"))


def test_hard002_opted_out_then_deleted_is_never_texted_again(signed, redis_client):
    seller = dict(contact="olga", location="loc-a")
    assert post(signed, inbound("Hello, I want to sell", **seller)).json()["status"] == \
        "processed"
    assert post(signed, inbound("STOP", **seller)).json()["stage"] == "opted_out"
    assert requests.delete(f"{signed.url}/api/conversations/olga", timeout=10).ok
    later = post(signed, inbound("hi again, are you still buying?", **seller))
    assert later.json() == {"status": "ignored", "reason": "deleted"}
    (value, ttl), = suppression_records(redis_client).values()
    assert (value, ttl) == ("opted_out", -1)  # no expiry: never texted again


# -- duplicates do not spend the rate limit ------------------------------------------------------
def test_hard003_replays_do_not_spend_the_location_budget(signed):
    captured = inbound("Hi there", contact="c1", location="loc-b")
    assert post(signed, captured).json()["status"] == "processed"
    for _ in range(50):
        replay = post(signed, captured)
        assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    fresh = [post(signed, inbound(f"hello {i}", contact=f"c{i}", location="loc-b"))
             for i in range(2, 5)]
    assert [r.status_code for r in fresh] == [200, 200, 429]  # budget 3/minute: 1 + 2 left


# -- a connection lost right after the commit ----------------------------------------------------
class DropAfterScript:
    """Loopback TCP proxy in front of Redis. Armed, it forwards the next script call, lets Redis
    run it, and closes the client's connection instead of passing the script's reply on."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.armed = threading.Event()
        self.dropped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            pending = threading.Event()  # a script call went up; its reply is to be dropped
            threading.Thread(target=self._up, args=(client, upstream, pending),
                             daemon=True).start()
            threading.Thread(target=self._down, args=(upstream, client, pending),
                             daemon=True).start()

    def _up(self, client: socket.socket, upstream: socket.socket,
            pending: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                if self.armed.is_set() and b"EVALSHA" in data.upper():
                    pending.set()
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()

    def _down(self, upstream: socket.socket, client: socket.socket,
              pending: threading.Event) -> None:
        try:
            while data := upstream.recv(65536):
                if pending.is_set() and not data.startswith(b"-NOSCRIPT"):
                    self.armed.clear()
                    self.dropped.set()
                    client.shutdown(socket.SHUT_RDWR)
                    client.close()
                    return
                client.sendall(data)
        except OSError:
            pass
        finally:
            client.close()

    def close(self) -> None:
        self.listener.close()


def test_hard004_connection_lost_after_commit_keeps_reply_and_location(serve, redis_server,
                                                                      redis_client):
    proxy = DropAfterScript(redis_server.port)
    through_proxy = redis.Redis(port=proxy.port, **DECODING, socket_timeout=5)
    settings = Settings(redis_url=redis_server.url, webhook_secret=SECRET)
    message = inbound("Hi, I want to sell my house in Fontana", contact="new-seller",
                      location="brand-new-loc")
    try:
        with serve(create_app(settings, through_proxy).server) as server:
            proxy.armed.set()
            first = post(server, message)
            assert proxy.dropped.is_set()
            assert first.status_code in (200, 503), first.text
            redelivered = post(server, message)
            assert redelivered.status_code == 200
            answer = redelivered.json()
            stored = requests.get(f"{server.url}/api/conversations/new-seller",
                                  timeout=10).json()
            bot_said = [m["body"] for m in stored["transcript"] if m["direction"] == "outbound"]
            assert answer["status"] == "duplicate"
            assert answer["reply"] == bot_said[0] and answer["stage"] == stored["stage"]
            assert redis_client.sismember(LOCATIONS, "brand-new-loc")
            table = requests.get(f"{server.url}/api/conversations", timeout=10).json()
            assert [row["contact_id"] for row in table["rows"]] == ["new-seller"]
    finally:
        through_proxy.close()
        proxy.close()


def test_hard005_rebuild_finds_a_location_that_was_never_registered(signed, redis_client):
    from services.rebuild import AggregateRebuilder

    assert post(signed, inbound("hello", contact="c1", location="lost-loc")).ok
    redis_client.srem(LOCATIONS, "lost-loc")
    results = AggregateRebuilder(redis_client, Settings()).rebuild_all()
    assert [(r.location_id, r.conversations) for r in results] == [("lost-loc", 1)]
    assert redis_client.sismember(LOCATIONS, "lost-loc")


# -- out of memory ----------------------------------------------------------------------------
@pytest.fixture
def small_redis() -> Iterator[RedisServer]:
    server = RedisServer(extra_args=("--maxmemory", "4mb", "--maxmemory-policy",
                                     "noeviction")).start()
    yield server
    server.cleanup()


def test_hard006_full_redis_keeps_the_dashboard_and_health_says_so(serve, small_redis):
    client = redis.Redis.from_url(small_redis.url, **DECODING)
    with serve(create_app(Settings(redis_url=small_redis.url), client).server) as server:
        for n in range(3):
            assert post(server, inbound("hello", contact=f"c{n}"), secret=None).ok
        fillers = 0
        for size in (20_000, 1_000, 1):  # big, then small: until not even a byte fits
            with pytest.raises(redis.exceptions.OutOfMemoryError):
                while True:
                    client.set(f"filler:{fillers}", "x" * size)
                    fillers += 1
        health = requests.get(f"{server.url}/healthz", timeout=10)
        assert health.status_code == 503
        assert health.json() == {"status": "degraded", "redis": "ok", "writable": False}
        dashboard = requests.get(f"{server.url}/api/dashboard", timeout=10)
        assert dashboard.status_code == 200 and dashboard.json()["stale"] is False
        assert dashboard.json()["hero"]["active_conversations"]["value"] == 3
        table = requests.get(f"{server.url}/api/conversations", timeout=10)
        assert table.status_code == 200 and table.json()["total"] == 3
        assert not list(client.scan_iter("sellerbot:cache:*"))  # every cache write refused
        refused = post(server, inbound("one more", contact="c9"), secret=None)
        assert refused.status_code in (429, 503)  # GoHighLevel retries; nothing written
        client.delete(*[f"filler:{n}" for n in range(fillers)])
        assert requests.get(f"{server.url}/healthz", timeout=10).json()["writable"] is True
    client.close()


# -- ambiguous contact ids, personal data in the cache ------------------------------------------
def test_hard007_delete_of_a_contact_in_two_locations_is_409(signed, redis_client):
    for location in ("loc-east", "loc-west"):
        assert post(signed, inbound("hi", contact="twin", location=location)).ok
    answer = requests.delete(f"{signed.url}/api/conversations/twin", timeout=10)
    assert answer.status_code == 409
    assert answer.json()["locations"] == ["loc-east", "loc-west"]
    assert len(list(redis_client.scan_iter("*:conv:twin"))) == 2
    one = requests.delete(f"{signed.url}/api/conversations/twin?location_id=loc-west",
                          timeout=10)
    assert one.json()["status"] == "deleted"
    assert requests.get(f"{signed.url}/api/conversations/twin", timeout=10).json()[
        "location_id"] == "loc-east"


def table_callback(server, search: str) -> requests.Response:
    """The conversation table's Dash callback over HTTP, as the browser sends it (its inputs
    read from /_dash-dependencies; the filters other than the search at their defaults)."""
    callbacks = requests.get(f"{server.url}/_dash-dependencies", timeout=10).json()
    callback = next(cb for cb in callbacks if f"..{ids.TABLE}.data..." in cb["output"])
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in callback["output"].strip(".").split("...")]
    values = {(ids.TABLE, "page_current"): 0, (ids.TABLE, "sort_by"): [],
              (ids.FILTER_TEMPERATURE, "value"): "all", (ids.FILTER_STAGE, "value"): "all",
              (ids.FILTER_STALLED, "value"): False, (ids.FILTER_SEARCH, "value"): search}

    def props(kind: str) -> list[dict]:
        return [{**item, "value": values.get((item["id"], item["property"]))}
                for item in callback[kind]]

    body = {"output": callback["output"], "outputs": outputs, "inputs": props("inputs"),
            "state": props("state"), "changedPropIds": [f"{ids.FILTER_SEARCH}.value"]}
    return requests.post(f"{server.url}/_dash-update-component", json=body, timeout=10)


def test_hard008_no_personal_data_in_the_cache_after_delete(signed, redis_client):
    assert post(signed, inbound("hi, 8421 Haven Ave", contact="zed", contactName="Zelda Quux",
                                phone="+19095550177")).ok
    for search in ("", "Zelda", "0177"):  # the dashboard's table, as the browser asks for it
        assert table_callback(signed, search).status_code == 200
    cached = list(redis_client.scan_iter("sellerbot:cache:*"))
    assert cached and not any("Zelda" in key or "0177" in key for key in cached)
    assert requests.delete(f"{signed.url}/api/conversations/zed", timeout=10).ok
    for key in redis_client.scan_iter("sellerbot:cache:*"):
        value = redis_client.get(key)
        assert "Zelda" not in value and "zed" not in value and "0177" not in value


# -- small ones ---------------------------------------------------------------------------------
def test_hard009_webhook_get_and_cache_headers(signed):
    get = requests.get(f"{signed.url}/webhooks/ghl/inbound", timeout=10)
    assert get.status_code == 405 and get.json()["error"] == "method_not_allowed"
    assert post(signed, inbound("hi", contact="c1")).ok
    for path in ("/api/conversations", "/api/conversations/c1"):
        assert requests.get(signed.url + path, timeout=10).headers["Cache-Control"] == \
            "no-store"


def test_hard010_non_ascii_signature_is_401(signed, redis_client):
    body = json.dumps(inbound("hi")).encode()
    for signature in ("sha256=ü" + "0" * 63, "ßßß", "sha256=\u00ff"):
        response = requests.post(f"{signed.url}/webhooks/ghl/inbound", data=body, timeout=10,
                                 headers={"Content-Type": "application/json",
                                          "X-Webhook-Signature": signature.encode("latin-1")})
        assert response.status_code == 401
    assert redis_client.dbsize() == 0


def test_hard011_transcript_cap_summarises_older_messages(serve, redis_server, redis_client):
    settings = Settings(redis_url=redis_server.url, transcript_max_messages=10,
                        transcript_max_bytes=4096)
    with serve(create_app(settings, redis_client).server) as server:
        for n in range(12):
            assert post(server, inbound(f"message number {n} " + "x" * 150, contact="chatty"),
                        secret=None).ok
        stored = requests.get(f"{server.url}/api/conversations/chatty", timeout=10).json()
    transcript = stored["transcript"]
    assert len(transcript) <= 10
    assert len(json.dumps(transcript)) < 4096 + 10 * 100
    # 12 inbound + up to 12 replies: everything not kept is counted.
    kept_inbound = sum(m["direction"] == "inbound" for m in transcript)
    assert stored["transcript_trimmed"] + len(transcript) >= 12 + kept_inbound
    assert transcript[-2]["body"].startswith("message number 11")


def test_hard012_session_absolute_lifetime(redis_client):
    from api.sessions import SessionRegistry

    now = [time.time()]  # fake, but near real time: Redis expires keys by its own clock
    registry = SessionRegistry(redis_client, idle_seconds=600, absolute_seconds=3600,
                               clock=lambda: now[0])
    sid, started = registry.start("jorge")
    for _ in range(7):  # active all along: the idle deadline keeps moving
        now[0] += 500
        assert registry.touch(sid, "jorge", started)
    now[0] = started + 3600  # but never past the absolute lifetime
    assert not registry.touch(sid, "jorge", started)
    assert not registry.touch(sid, "mallory", started - 10)
