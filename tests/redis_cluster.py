"""A real 3-master Redis Cluster for tests: three redis-server processes on free ports, joined
with ``redis-cli --cluster create``, stopped afterwards; with ``tls``, TLS only (clients and the
cluster bus)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import redis

from core.redis_client import DECODING
from tests.redis_server import ServerTls, free_port, redis_server_binary
from tests.waiting import until

MASTERS = 3
BUS_OFFSET = 10000  # a node's cluster bus listens on its port + 10000


def free_node_port() -> int:
    """A free port whose cluster bus port (+10000) is a valid port and free too."""
    while True:
        port = free_port()
        if port + BUS_OFFSET > 65535:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + BUS_OFFSET))
            except OSError:
                continue
        return port


class RedisClusterServers:
    """Three cluster-enabled redis-servers (no replicas, no persistence) forming one cluster."""

    def __init__(self, *, tls: ServerTls | None = None) -> None:
        self.tls = tls
        self.binary = redis_server_binary(tls=tls is not None)
        # The redis-cli of the same build: a TLS cluster needs one that speaks TLS.
        self.cli = (str(Path(self.binary).with_name("redis-cli")) if tls
                    else shutil.which("redis-cli"))
        if not self.cli or not Path(self.cli).exists():
            raise RuntimeError("redis-cli not found: apt-get install -y redis-server")
        self.dir = Path(tempfile.mkdtemp(prefix="redis-cluster-test-"))
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        """REDIS_URL for the app: one node; the client discovers the others."""
        return f"{'rediss' if self.tls else 'redis'}+cluster://127.0.0.1:{self.ports[0]}"

    def client_options(self) -> dict[str, Any]:
        """redis-py keyword arguments for a client of one node."""
        return self.tls.client_options() if self.tls else {}

    def start(self) -> RedisClusterServers:
        try:
            return self._start()
        except BaseException:
            self.cleanup()
            raise

    def _start(self) -> RedisClusterServers:
        for _ in range(MASTERS):
            self._start_node()
        nodes = [f"127.0.0.1:{port}" for port in self.ports]
        tls = ("--tls", "--cacert", str(self.tls.ca_file)) if self.tls else ()
        subprocess.run([self.cli, *tls, "--cluster", "create", *nodes, "--cluster-replicas", "0",
                        "--cluster-yes"], check=True, capture_output=True, timeout=60)
        for port in self.ports:
            node = redis.Redis(port=port, socket_connect_timeout=0.5, **DECODING,
                               **self.client_options())
            try:
                until(lambda n=node: n.cluster("info")["cluster_state"] == "ok",
                           timeout=30, msg=f"cluster_state:ok on port {port}")
            finally:
                node.close()
        return self

    def _start_node(self) -> None:
        """One node on a free port; a port another process took meanwhile (the machine is
        shared) is given up for another."""
        for _ in range(3):
            port = free_node_port()
            listen = ((*self.tls.listen_args(port), "--tls-cluster", "yes") if self.tls
                      else ("--port", str(port)))
            process = subprocess.Popen(
                [self.binary, *listen, "--bind", "127.0.0.1",
                 "--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{port}.conf",
                 "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._answers(port, process):
                self.ports.append(port)
                self.processes.append(process)
                return
            process.kill()
            process.wait(timeout=10)
        raise RuntimeError("a cluster node did not start")

    def _answers(self, port: int, process: subprocess.Popen) -> bool:
        client = redis.Redis(port=port, socket_connect_timeout=0.2, **self.client_options())

        def ours() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server on port {port} exited")
            try:
                return client.info("server")["process_id"] == process.pid
            except redis.ConnectionError:
                return False

        try:
            return bool(until(ours, timeout=10, msg=f"redis-server on port {port}"))
        except (AssertionError, RuntimeError):
            return False
        finally:
            client.close()

    def cleanup(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)
