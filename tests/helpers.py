"""What tests build with arguments of their own, so plain names to import rather than fixtures
(the fixtures, in the conftest.py files, use them too): webhook bodies (``inbound``), a seller
texting over HTTP (``Seller``), a snapshot of the stored data (``stored_data``), production
mode's signed webhooks and sign-in (``signed_post``, ``log_in``), and component-tree readers.
``FakeClock`` and ``LiveServer`` are the classes behind the ``clock`` and ``live_server``
fixtures, for tests that need one with a start time or an app of their own."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import requests
from werkzeug.serving import make_server

from core.keys import HEALTH_PROBE
from core.signatures import hmac_signature
from ghl.fake import ServerThread

NOT_DATA = ("sellerbot:ratelimit:", "sellerbot:cache:", HEALTH_PROBE)
# Far above what any test sends: only the tests of the rate limit set a real one.
UNLIMITED_WEBHOOKS = "1000000/minute"


class FakeClock:
    """A clock tests move by hand; starts at the real current time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class LiveServer(ServerThread):
    """The app's Flask server on a real port in a background thread."""

    def __init__(self, flask_app) -> None:
        # Port 0: the system picks a free port as it binds, so no other process can take it.
        super().__init__(make_server("127.0.0.1", 0, flask_app, threaded=True))


def inbound(text: str, contact: str = "contact-1", location: str = "loc-1", **extra) -> dict:
    """A GoHighLevel InboundMessage webhook body with a message id of its own (unique across
    tests, runs and processes, so no store ever takes it for a duplicate)."""
    payload = {
        "type": "InboundMessage", "locationId": location, "contactId": contact,
        "conversationId": f"conv-{contact}", "messageId": f"msg-{uuid.uuid4().hex}", "body": text,
        "messageType": "SMS", "direction": "inbound",
        "dateAdded": datetime.now(UTC).isoformat(), "contactName": "Maria Lopez",
        "phone": "+19095550101",
    }
    payload.update(extra)
    return payload


class Seller:
    """Texts the bot through the real HTTP route, like GoHighLevel would."""

    def __init__(self, base_url: str, contact: str = "contact-1", location: str = "loc-1",
                 session: requests.Session | None = None, **fields) -> None:
        self.base_url = base_url
        self.contact = contact
        self.location = location
        self.fields = fields
        self.http = session or requests.Session()

    def says(self, text: str) -> dict:
        response = self.http.post(
            f"{self.base_url}/webhooks/ghl/inbound",
            json=inbound(text, self.contact, self.location, **self.fields), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def state(self) -> dict:
        response = self.http.get(f"{self.base_url}/api/conversations/{self.contact}", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()


def stored_data(client) -> dict:
    """A full dump of the stored data (not rate-limit counters or cache), to compare."""
    dump = {}
    for key in client.scan_iter("*"):
        if key.startswith(NOT_DATA) or ":budget:" in key:  # webhook budget windows
            continue
        kind = client.type(key)
        if kind == "string":
            dump[key] = client.get(key)
        elif kind == "hash":
            dump[key] = client.hgetall(key)
        elif kind == "zset":
            dump[key] = client.zrange(key, 0, -1, withscores=True)
        elif kind == "set":
            dump[key] = sorted(client.smembers(key))
    return dump


# -- Production mode: signed webhooks and a signed-in user ----------------------------------
SECRET_KEY = "k" * 40
WEBHOOK_SECRET = "webhook-secret-for-tests"
PASSWORD = "correct horse battery"


def signed_post(server, payload: dict, secret: str = WEBHOOK_SECRET) -> requests.Response:
    body = json.dumps(payload).encode()
    return requests.post(f"{server.url}/webhooks/ghl/inbound", data=body, timeout=10,
                         headers={"Content-Type": "application/json",
                                  "X-Webhook-Signature": hmac_signature(secret, body)})


class BrowserSession(requests.Session):
    """Keeps the Secure cookies a browser behind the PaaS's TLS would send back.

    The test server speaks plain HTTP, so the jar is told to return them anyway; what the
    server asked for is kept in ``secure_cookies``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secure_cookies: set[str] = set()

    def request(self, *args, **kwargs) -> requests.Response:
        for cookie in self.cookies:
            if cookie.secure:
                self.secure_cookies.add(cookie.name)
                cookie.secure = False
        return super().request(*args, **kwargs)


def log_in(server, password: str = PASSWORD) -> tuple[BrowserSession, requests.Response]:
    session = BrowserSession()
    page = session.get(f"{server.url}/login", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{server.url}/login", timeout=10, allow_redirects=False,
                            data={"username": "jorge", "password": password,
                                  "csrf_token": token, "next": "/"})
    return session, response


# -- Dash component trees (pure builders' output) ---------------------------------------
def texts(component) -> list[str]:
    """Every string inside a component tree, in order."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "children"):
            walk(node.children)

    walk(component)
    return found


def by_id(component, wanted):
    """The first component in the tree whose id is ``wanted`` (a string or a pattern dict)."""
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            hit = by_id(child, wanted)
            if hit is not None:
                return hit
    return None


def yes_and_no(yes: list[str], no: list[str]) -> list[tuple[str, bool]]:
    """A predicate's cases to parametrize over (message, expected): True for each of ``yes``,
    False for each of ``no``."""
    return [(message, True) for message in yes] + [(message, False) for message in no]
