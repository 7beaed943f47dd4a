"""Slow request bodies: the whole body is read under one deadline before the app sees it.

Installed by ``gunicorn.conf.py`` on each gevent worker. A gevent worker parks a connection that
trickles its body in a cheap greenlet instead of a thread, so others keep being served; this
wrapper also bounds how long such a connection is held: a body not complete within
``BODY_READ_TIMEOUT_SECONDS`` gets 408 and the connection is closed.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable

import gevent

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
TIMED_OUT = b'{"error": "request_timeout", "message": "request body not received in time"}'


class BodyTimeout(Exception):
    """The client did not send its whole body before the deadline."""


class BodyDeadline:
    """WSGI middleware: buffer the body (at most ``max_bytes``) within ``timeout`` seconds."""

    def __init__(self, app: Callable, timeout: float, max_bytes: int) -> None:
        self.app = app
        self.timeout = timeout
        self.max_bytes = max_bytes

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length > self.max_bytes or (length <= 0 and not chunked):
            return self.app(environ, start_response)  # no body, or one the app refuses unread
        try:
            with gevent.Timeout(self.timeout, BodyTimeout):
                body = self._read(environ["wsgi.input"], length if length > 0 else None)
        except (BodyTimeout, OSError):
            log.warning("request body not received in time; connection closed",
                        extra={"path": environ.get("PATH_INFO")})
            start_response("408 Request Timeout", [
                ("Content-Type", "application/json"), ("Content-Length", str(len(TIMED_OUT))),
                ("Connection", "close")])
            return [TIMED_OUT]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def _read(self, stream, length: int | None) -> bytes:
        parts, total = [], 0
        while length is None or total < length:
            want = CHUNK if length is None else min(CHUNK, length - total)
            part = stream.read(want)
            if not part:
                break
            parts.append(part)
            total += len(part)
            if total > self.max_bytes:
                break  # the app sees more than its limit and refuses it (413)
        return b"".join(parts)
