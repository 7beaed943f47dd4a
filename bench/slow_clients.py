"""/healthz latency while slow clients trickle request bodies, under gunicorn.

    python bench/slow_clients.py [--clients 64] [--duration 20] [--worker-class gevent]

Starts its own redis-server and gunicorn (``app:server`` with gunicorn.conf.py, so the body
deadline and logging are the production ones; ``--worker-class gthread`` is the old Procfile's
model: 2 workers x 4 threads). ``--clients`` raw sockets each announce a 60 KB webhook body and
send one byte a second; a socket the server closes is replaced at once, so that many are
trickling all the time. Meanwhile ``/healthz`` is asked once every 100 ms (timeout 5 s): prints
answered / timed out and latency percentiles.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import add_gunicorn_options, machine  # noqa: E402
from bench.webhook import gunicorn_app  # noqa: E402

HEADERS = (b"POST /webhooks/ghl/inbound HTTP/1.1\r\nHost: bench\r\n"
           b"Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n")


def trickle(port: int, clients: int, stop: threading.Event) -> None:
    """Keep ``clients`` sockets trickling a body, one byte per socket per second."""
    sockets: list[socket.socket | None] = [None] * clients
    while not stop.is_set():
        for n, sock in enumerate(sockets):
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=2)
                    sock.sendall(HEADERS)
                    sockets[n] = sock
                sock.sendall(b" ")
            except OSError:
                if sock is not None:
                    sock.close()
                sockets[n] = None
        stop.wait(1.0)
    for sock in sockets:
        if sock is not None:
            sock.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=20)
    add_gunicorn_options(parser)
    args = parser.parse_args()
    with gunicorn_app({}, args.workers, args.worker_class, args.threads) as url:
        port = int(url.rsplit(":", 1)[1])
        stop = threading.Event()
        attacker = threading.Thread(target=trickle, args=(port, args.clients, stop))
        attacker.start()
        time.sleep(2)  # let every slow client connect
        latencies, failures = [], 0
        deadline = time.monotonic() + args.duration
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                ok = requests.get(f"{url}/healthz", timeout=5).status_code == 200
            except requests.RequestException:
                ok = False
            if ok:
                latencies.append((time.monotonic() - started) * 1000)
            else:
                failures += 1
            time.sleep(0.1)
        stop.set()
        attacker.join()
    print(machine())
    total = len(latencies) + failures
    if latencies:
        cuts = (statistics.quantiles(latencies, n=100, method="inclusive")
                if len(latencies) > 1 else latencies * 99)
        print(f"{args.worker_class} workers={args.workers} threads={args.threads} "
              f"slow clients={args.clients}: {len(latencies)}/{total} /healthz answered, "
              f"p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms, max {max(latencies):.1f} ms, "
              f"{failures} timed out (5 s)")
    else:
        print(f"{args.worker_class}: 0/{total} /healthz answered within 5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
