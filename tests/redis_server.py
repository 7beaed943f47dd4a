"""A real redis-server for tests: own port, no persistence unless asked, stopped afterwards.

The ``redis_server`` fixture (tests/conftest.py) is the usual one; a test or fixture that needs
a server of its own (append-only, ``maxmemory``, TLS, module-scoped, stopped and restarted by
the test) builds one here, as the benches do."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Where a redis-server built with TLS may be when the first on PATH is not (Debian's package is).
TLS_BUILD_CANDIDATES = ("/usr/bin/redis-server", "/usr/local/bin/redis-server")


class TlsUnsupported(RuntimeError):
    """No redis-server here was built with TLS (a test needing one skips)."""


@dataclass(frozen=True)
class ServerTls:
    """A TLS-only server's PEM files: the CA that signed its certificate, the certificate, the
    key. Clients need no certificate of their own."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def listen_args(self, port: int) -> tuple[str, ...]:
        """redis-server arguments: TLS on ``port``, no plain port."""
        return ("--port", "0", "--tls-port", str(port),
                "--tls-cert-file", str(self.cert_file), "--tls-key-file", str(self.key_file),
                "--tls-ca-cert-file", str(self.ca_file), "--tls-auth-clients", "no")

    def client_options(self) -> dict[str, Any]:
        """redis-py keyword arguments of a client trusting this server's CA."""
        return {"ssl": True, "ssl_ca_certs": str(self.ca_file)}


def redis_server_binary(*, tls: bool = False) -> str:
    """The redis-server to run: the first on PATH; with ``tls``, the first (PATH, then the usual
    places) built with TLS, which a build without it refuses as a bad directive."""
    first = shutil.which("redis-server")
    if not tls:
        if not first:
            raise RuntimeError("redis-server not found: apt-get install -y redis-server")
        return first
    for binary in dict.fromkeys(filter(None, (first, *TLS_BUILD_CANDIDATES))):
        if Path(binary).exists() and _built_with_tls(binary):
            return binary
    raise TlsUnsupported("no redis-server built with TLS (Debian's redis-server package is)")


def _built_with_tls(binary: str) -> bool:
    # Told to listen nowhere it exits at once: "not listen anywhere" with TLS, else "Bad directive".
    probe = subprocess.run([binary, "--port", "0", "--tls-port", "0", "--save", ""],
                           capture_output=True, text=True, timeout=10)
    return "Bad directive" not in probe.stdout + probe.stderr


class RedisServer:
    """Start/stop/restart a redis-server process on a free port (with ``tls``: TLS only, no
    plain port)."""

    def __init__(self, *, appendonly: bool = False, port: int | None = None,
                 extra_args: tuple[str, ...] = (), tls: ServerTls | None = None) -> None:
        self.binary = redis_server_binary(tls=tls is not None)
        self.tls = tls
        self.chosen_port = port is None
        self.port = port or free_port()
        self.appendonly = appendonly
        self.extra_args = extra_args  # e.g. ("--maxmemory", "4mb")
        self.dir = Path(tempfile.mkdtemp(prefix="redis-test-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{'rediss' if self.tls else 'redis'}://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start on this server's port; a port some other process took meanwhile (the machine
        is shared) is given up for another free one, unless it was asked for or in use before
        (a restart keeps its port)."""
        for _ in range(3):
            if self._start_once():
                return self
            if not self.chosen_port:
                break
            self.port = free_port()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def _start_once(self) -> bool:
        listen = self.tls.listen_args(self.port) if self.tls else ("--port", str(self.port))
        args = [self.binary, *listen, "--bind", "127.0.0.1",
                "--dir", str(self.dir), "--save", "",
                "--appendonly", "yes" if self.appendonly else "no",
                "--appendfsync", "always", *self.extra_args]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2,
                             **(self.tls.client_options() if self.tls else {}))
        deadline = time.monotonic() + 10
        try:
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    # The server answering must be ours, not another process's on this port.
                    if client.info("server")["process_id"] == self.process.pid:
                        self.chosen_port = False  # a restart comes back on the same port
                        return True
                except redis.ConnectionError:
                    pass
                time.sleep(0.05)  # the polling interval
        finally:
            client.close()
        self.stop(kill=True)
        return False

    def stop(self, *, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
