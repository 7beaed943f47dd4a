"""A recording stand-in for the GoHighLevel API: the demo relays to it, tests and benches
serve it over real HTTP and script its faults (429 with rate-limit headers, 500, slow answers,
dropped connections).

It answers the calls ``ghl.client`` makes, shaped as GoHighLevel's public API specs document
them, and keeps every request it received in ``requests`` (method, path, body, time).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fault:
    """One scripted answer: ``status`` with ``headers``, after ``delay`` s; ``drop`` closes
    the connection without answering."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


@dataclass
class Recorded:
    method: str
    path: str
    body: dict
    at: float
    version: str | None
    status: int = 0


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict
    headers: dict[str, str]
    drop: bool = False


def _default_bucket(_path: str, _body: dict) -> str:
    return "all"


class FakeGhlApi:
    """Thread-safe; ``latency`` s per call; ``limit`` calls per ``window`` s per bucket."""

    def __init__(self, *, latency: float = 0.0, limit: int = 100, window: float = 10.0,
                 bucket_of: Callable[[str, dict], str] = _default_bucket,
                 keep: int | None = None) -> None:
        self.latency = latency
        self.limit = limit
        self.window = window
        self.bucket_of = bucket_of
        self.requests: deque[Recorded] = deque(maxlen=keep)
        self.faults: deque[Fault] = deque()
        self.free_slots: list[datetime] = []
        self.contacts: dict[str, dict] = {}
        self.locations: dict[str, dict] = {}  # location id -> its fields (``name``)
        self.appointments: list[dict] = []
        self.rate_limited = 0
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- scripting ---------------------------------------------------------------------
    def fail_next(self, *faults: Fault) -> None:
        """The next calls answer these, in order (then normal answers again)."""
        with self._lock:
            self.faults.extend(faults)

    def sent(self, path_prefix: str = "", method: str | None = None,
             status: int | str | None = "ok") -> list[Recorded]:
        """Requests received, oldest first; ``status``: "ok" (2xx answers), None (all), or
        one status code."""
        with self._lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)
                    and (method is None or r.method == method)
                    and (status is None or r.status == status
                         or (status == "ok" and 200 <= r.status < 300))]

    # -- answering ---------------------------------------------------------------------
    def answer(self, method: str, target: str, version: str | None, raw: bytes) -> Reply:
        parts = urlsplit(target)
        path = parts.path
        try:
            body = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            body = {}
        now = time.time()
        record = Recorded(method, path, body if isinstance(body, dict) else {}, now, version)
        with self._lock:
            fault = self.faults.popleft() if self.faults else None
            self.requests.append(record)
        delay = fault.delay if fault and fault.delay else self.latency
        if delay:
            time.sleep(delay)
        if fault and fault.drop:
            return Reply(0, {}, {}, drop=True)
        bucket = self.bucket_of(path, record.body)
        with self._lock:
            calls = self._calls[bucket]
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            over = len(calls) >= self.limit
            if not over:
                calls.append(now)
            remaining = max(0, self.limit - len(calls))
        headers = {"X-RateLimit-Remaining": str(remaining), "X-RateLimit-Max": str(self.limit),
                   "X-RateLimit-Interval-Milliseconds": str(int(self.window * 1000)),
                   "X-RateLimit-Daily-Remaining": "199000"}
        if over:
            self.rate_limited += 1
            reply = Reply(429, {"message": "Too many requests"},
                          {**headers, "X-RateLimit-Remaining": "0"})
        elif fault and fault.status != 200:
            reply = Reply(fault.status, {"message": f"scripted {fault.status}"},
                          {**headers, **fault.headers})
        else:
            reply = self._route(method, path, parse_qs(parts.query), record.body, headers)
        record.status = reply.status
        return reply

    def _route(self, method: str, path: str, query: dict, body: dict,
               headers: dict[str, str]) -> Reply:
        segments = path.strip("/").split("/")
        if method == "POST" and path == "/conversations/messages":
            if not body.get("contactId") or not body.get("message"):
                return Reply(422, {"message": "contactId and message required"}, headers)
            n = next(self._ids)
            return Reply(200, {"conversationId": f"fake-conv-{body['contactId']}",
                               "messageId": f"fake-msg-{n}", "status": "pending",
                               "msg": "Message queued successfully."}, headers)
        if segments[0] == "contacts" and len(segments) == 3 and segments[2] == "tags":
            return Reply(201 if method == "POST" else 200, {"tags": body.get("tags", [])},
                         headers)
        if segments[0] == "contacts" and len(segments) == 2:
            if method == "PUT":
                return Reply(200, {"succeded": True, "contact": {"id": segments[1]}}, headers)
            if method == "GET":
                contact = self.contacts.get(segments[1])
                if contact is None:
                    return Reply(404, {"message": "Contact not found"}, headers)
                return Reply(200, {"contact": {"id": segments[1], **contact}}, headers)
        if method == "GET" and segments[0] == "locations" and len(segments) == 2:
            location = self.locations.get(segments[1])
            if location is None:
                return Reply(404, {"message": "Location not found"}, headers)
            return Reply(200, {"location": {"id": segments[1], **location}}, headers)
        if method == "GET" and segments[0] == "calendars" and segments[-1] == "free-slots":
            return Reply(200, self._slots_by_day(query), headers)
        if method == "POST" and path == "/calendars/events/appointments":
            return self._book(body, headers)
        return Reply(404, {"message": f"no route {method} {path}"}, headers)

    def _slots_by_day(self, query: dict) -> dict:
        start = int(query.get("startDate", ["0"])[0]) / 1000
        end = int(query.get("endDate", ["0"])[0]) / 1000
        days: dict[str, dict] = {}
        with self._lock:
            free = sorted(self.free_slots)
        for slot in free:
            if start <= slot.timestamp() <= end:
                days.setdefault(slot.date().isoformat(), {"slots": []})["slots"].append(
                    slot.isoformat())
        return days

    def _book(self, body: dict, headers: dict[str, str]) -> Reply:
        try:
            start = datetime.fromisoformat(str(body.get("startTime")).replace("Z", "+00:00"))
        except ValueError:
            return Reply(422, {"message": "startTime invalid"}, headers)
        with self._lock:
            match = next((s for s in self.free_slots if s == start), None)
            if match is None:
                return Reply(400, {"message": "The slot you have selected is no longer "
                                              "available."}, headers)
            self.free_slots.remove(match)
            appointment = {"id": f"fake-appt-{next(self._ids)}", **body}
            self.appointments.append(appointment)
        return Reply(200, appointment, headers)

    # -- transports --------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        """In-process transport for ``httpx`` (the demo: no port, nothing leaves the host)."""

        def handle(request: httpx.Request) -> httpx.Response:
            reply = self.answer(request.method, str(request.url.raw_path, "ascii"),
                                request.headers.get("Version"), request.read())
            if reply.drop:
                raise httpx.RemoteProtocolError("connection dropped", request=request)
            log.info("fake GoHighLevel %s %s -> %s", request.method, request.url.path,
                     reply.status)
            return httpx.Response(reply.status, headers=reply.headers, json=reply.body)

        return httpx.MockTransport(handle)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> FakeServer:
        return FakeServer(self, host, port)


class ServerThread:
    """An HTTP server answering in a background thread while in a ``with`` block (the fake
    here; the tests' live app too)."""

    def __init__(self, httpd: HTTPServer) -> None:
        self.httpd = httpd
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.httpd.server_address[0]}:{self.port}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class FakeServer(ServerThread):
    """The fake on a real port in a background thread (``with`` starts and stops it)."""

    def __init__(self, api: FakeGhlApi, host: str, port: int) -> None:
        fake = api

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                reply = fake.answer(self.command, self.path, self.headers.get("Version"), raw)
                if reply.drop:
                    self.close_connection = True
                    return
                payload = orjson.dumps(reply.body)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the caller went away (killed relay)

            do_GET = do_POST = do_PUT = do_DELETE = _any

            def log_message(self, *args) -> None:
                pass

        self.api = api
        httpd = ThreadingHTTPServer((host, port), Handler)
        httpd.daemon_threads = True
        super().__init__(httpd)
