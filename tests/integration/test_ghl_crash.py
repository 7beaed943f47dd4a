"""A real relay process killed with SIGKILL loses nothing and sends nothing twice; a relay
stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app import create_app
from core.keys import LocationKeys
from ghl.relay import GROUP
from seller_bot.models import Conversation
from tests.helpers import Seller
from tests.waiting import until

SMS = "/conversations/messages"
TEXTS = ["Hi, thinking about selling my house in Fontana",
         "it needs a new roof and the kitchen is dated"]


def start_relay(settings, cwd: Path) -> subprocess.Popen:
    """``flask --app app relay`` run in ``cwd`` (the command_dir fixture: no local .env)."""
    env = {**os.environ, "REDIS_URL": settings.redis_url, "GHL_API_TOKEN": "test-token",
           "GHL_API_BASE": settings.ghl_api_base, "RELAY_POLL_SECONDS": "0.02",
           "RELAY_CLAIM_IDLE_SECONDS": "1", "GHL_TIMEOUT_SECONDS": "2"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "relay"], cwd=cwd,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.wait(timeout=15)


@pytest.fixture
def conversations(serve, ghl_settings, redis_client):
    """Five sellers, two messages each, decided by the app (the outbox holds the replies)."""
    replies: list[tuple[str, str]] = []
    with serve(create_app(ghl_settings, redis_client).server) as live:
        for n in range(5):
            seller = Seller(live.url, contact=f"crash-{n}")
            replies += [(seller.contact, seller.says(text)["reply"]) for text in TEXTS]
    return replies


def sent_replies(ghl_api) -> Counter:
    """(contact, text) of every reply GoHighLevel received, counted."""
    return Counter((r.body["contactId"], r.body["message"]) for r in ghl_api.api.sent(SMS))


def pending(redis_client) -> int:
    try:
        return redis_client.xpending(LocationKeys("loc-1").outbox, GROUP)["pending"]
    except Exception:  # the group does not exist before the relay created it
        return 0


def all_accepted(redis_client) -> bool:
    keys = LocationKeys("loc-1")
    return redis_client.xlen(keys.outbox) == 0 and pending(redis_client) == 0


def test_ghlcrash001_killed_between_reading_and_sending(ghl_settings, redis_client, ghl_api,
                                                        conversations, command_dir):
    keys = LocationKeys("loc-1")
    redis_client.set(keys.ghl_hold, "1", px=60_000)  # the relay reads, then must wait
    first = start_relay(ghl_settings, command_dir)
    try:
        until(lambda: pending(redis_client) >= 10, timeout=20,
                   msg="entries read by the first relay")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert ghl_api.api.sent(status=None) == []  # read, never sent
    redis_client.delete(keys.ghl_hold)
    second = start_relay(ghl_settings, command_dir)
    try:
        until(lambda: all_accepted(redis_client), timeout=30,
                   msg="everything delivered by the second relay")
    finally:
        assert stop(second) == 0  # SIGTERM: a clean exit
    assert sent_replies(ghl_api) == Counter(conversations)  # every reply, exactly once


def test_ghlcrash002_killed_while_sending_loses_nothing(ghl_settings, redis_client, ghl_api,
                                                        conversations, command_dir):
    ghl_api.api.latency = 0.15
    first = start_relay(ghl_settings, command_dir)
    try:
        until(lambda: len(ghl_api.api.sent(SMS)) >= 3, timeout=20,
                   msg="some replies sent")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    keys = LocationKeys("loc-1")
    acknowledged = {key.rsplit(":", 1)[1] for key in redis_client.scan_iter(
        keys.outbox_sent("*"))}
    before = len(ghl_api.api.sent(status=None))
    second = start_relay(ghl_settings, command_dir)
    try:
        until(lambda: all_accepted(redis_client), timeout=30,
                   msg="everything delivered after the crash")
    finally:
        assert stop(second) == 0
    sent = sent_replies(ghl_api)
    assert set(sent) == set(conversations)  # nothing lost
    # Only a call in flight at the kill (sent, answer not yet recorded) may go again:
    # GoHighLevel takes no idempotency key (docs/ghl.md). Nothing acknowledged is resent.
    repeated = [message for message, count in sent.items() if count > 1]
    assert len(repeated) <= before - len(acknowledged)
    for n in range(5):
        conv = Conversation.from_json(redis_client.get(keys.conversation(f"crash-{n}")))
        assert all(m.accepted_at and m.ghl_message_id for m in conv.transcript
                   if m.direction == "outbound")
