"""Slow clients against gunicorn as the Procfile runs it (gunicorn.conf.py), over raw sockets."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.redis_server import free_port
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 32
BODY_READ_TIMEOUT = 4


class Gunicorn:
    """gunicorn with the Procfile's config (one worker: the harshest case) on a free port;
    ``logged`` holds its stdout lines once stopped."""

    def __init__(self, redis_url: str, cwd: Path) -> None:
        self.cwd = cwd  # outside the checkout: no local .env is read
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "REDIS_URL": redis_url, "WEB_CONCURRENCY": "1",
                    "BODY_READ_TIMEOUT_SECONDS": str(BODY_READ_TIMEOUT)}
        self.logged: list[str] = []

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "app:server"],
            cwd=self.cwd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def healthy() -> bool:
            if self.process.poll() is not None:
                pytest.fail(self.process.stderr.read())
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        until(healthy, 60, msg="gunicorn answering /healthz")
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        out, _ = self.process.communicate(timeout=30)
        self.logged = [line for line in out.splitlines() if line.strip()]


def trickler(port: int) -> socket.socket:
    """A client announcing a 60 KB webhook body and sending its first byte only."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"POST /webhooks/ghl/inbound HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{")
    return sock


def test_slow001_healthz_answers_while_32_clients_trickle_bodies(redis_server, redis_client,
                                                                 command_dir):
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines()
               if line.startswith("web:"))
    assert "--config gunicorn.conf.py app:server" in web  # what this test starts
    with Gunicorn(redis_server.url, command_dir) as server:
        slow_clients_are_served_around(server.url, server.port)


def slow_clients_are_served_around(url: str, port: int) -> None:
    slow = [trickler(port) for _ in range(SLOW_CLIENTS)]
    try:
        for sock in slow:  # one more byte each: they are alive, just slow
            sock.sendall(b" ")
        for _ in range(5):
            started = time.monotonic()
            response = requests.get(f"{url}/healthz", timeout=1)
            assert response.status_code == 200
            assert time.monotonic() - started < 1
        # The deadline ends every trickling body: 408 and the connection is closed.
        for sock in slow:
            sock.settimeout(BODY_READ_TIMEOUT + 20)
            answer = sock.recv(4096)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
            assert until(lambda s=sock: s.recv(4096) == b"", 10, msg="the connection closed")
    finally:
        for sock in slow:
            sock.close()
    # Clients trickling their headers are parked the same way, and dropped after keepalive (5 s).
    slow = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(SLOW_CLIENTS)]
    try:
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert requests.get(f"{url}/healthz", timeout=1).status_code == 200
        assert time.monotonic() - started < 1
        for sock in slow:
            assert until(lambda s=sock: s.recv(4096) == b"", 20, msg="the connection closed")
    finally:
        for sock in slow:
            sock.close()
    # A whole body still goes through the wrapper untouched.
    response = requests.post(f"{url}/webhooks/ghl/inbound", timeout=10, json={
        "type": "InboundMessage", "locationId": "loc-1", "contactId": "c-1",
        "conversationId": "conv-1", "messageId": "m-1", "body": "hi", "messageType": "SMS",
        "direction": "inbound"})
    assert response.status_code == 200 and response.json()["status"] == "processed"


def test_slow002_gunicorn_logs_are_json_lines(redis_server, redis_client, command_dir):
    with Gunicorn(redis_server.url, command_dir) as server:
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
        requests.get(f"{server.url}/api/conversations?q=Maria", timeout=5)
    records = [json.loads(line) for line in server.logged]
    assert any(r["name"] == "gunicorn.error" and "Booting worker" in r["message"]
               for r in records)
    access = [r for r in records if r["name"] == "gunicorn.access"]
    assert any('"GET /healthz" 200' in r["message"] for r in access)
    assert not any("Maria" in line for line in server.logged)  # no query strings
