"""A real redis-server for tests: own port, no persistence unless asked, stopped afterwards.

The ``redis_server`` fixture (tests/conftest.py) is the usual one; a test or fixture that needs
a server of its own (append-only, ``maxmemory``, module-scoped, stopped and restarted by the
test) builds one here, as the benches do."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """Start/stop/restart a redis-server process on a free port."""

    def __init__(self, *, appendonly: bool = False, port: int | None = None,
                 extra_args: tuple[str, ...] = (), binary: str = "redis-server") -> None:
        self.binary = shutil.which(binary)
        if not self.binary:
            raise RuntimeError(f"{binary} not found: apt-get install -y redis-server")
        self.chosen_port = port is None
        self.port = port or free_port()
        self.appendonly = appendonly
        self.extra_args = extra_args  # e.g. ("--maxmemory", "4mb")
        self.dir = Path(tempfile.mkdtemp(prefix="redis-test-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

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
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.dir), "--save", "",
                "--appendonly", "yes" if self.appendonly else "no",
                "--appendfsync", "always", *self.extra_args]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
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
