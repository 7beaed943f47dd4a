"""Mixed load: dashboard users refreshing plus a steady stream of webhook messages.

    python bench/load.py [--duration 120] [--users 50] [--refresh 10] [--rate 200] [--workers 2]

Starts its own redis-server (free port) and gunicorn (`app:server`, production settings with a
real login), signs every webhook like GoHighLevel's relay would, logs each dashboard user in,
and then for --duration seconds: every user refreshes every --refresh seconds (GET /api/dashboard
and a table page, the reads a refresh tick makes), while sender threads post --rate webhook
messages per second (unique messageIds, sellers walking a real conversation). Prints errors and
latency percentiles per kind. Bounded: it stops by itself and only talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.webhook import gunicorn_app  # noqa: E402
from core.signatures import hmac_signature  # noqa: E402
from services.users import user_entry  # noqa: E402

TEXTS = ["Hi, I saw your sign. Thinking about selling my house in Ontario",
         "needs some paint and new carpet", "around 520k",
         "my dad passed and we inherited it, want to close in 60 days", "ok let's do it",
         "the second one", "thanks!"]
SECRET = "load-test-webhook-secret"
PASSWORD = "load test password"


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    def record(self, kind: str, started: float, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1

    def report(self) -> str:
        lines = []
        for kind, values in sorted(self.latencies.items()):
            # quantiles needs two values; one request is its own every percentile.
            q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            lines.append(f"{kind}: {len(values)} requests, {self.errors.get(kind, 0)} errors, "
                         f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms")
        return "\n".join(lines)


def webhook_sender(url: str, rate: float, until: float, offset: int, stride: int,
                   rec: Recorder) -> None:
    http = requests.Session()
    n = offset
    next_at = time.perf_counter()
    while time.perf_counter() < until:
        seller = n % 4000
        body = json.dumps({
            "type": "InboundMessage", "locationId": "load-loc", "contactId": f"s-{seller}",
            "conversationId": f"c-{seller}", "messageId": f"m-{n}",
            "body": TEXTS[(n // 4000) % len(TEXTS)], "messageType": "SMS",
            "direction": "inbound", "contactName": "Load Seller", "phone": "+19095550100",
            # A signed message needs its time within the replay window (production mode).
            "dateAdded": datetime.now(UTC).isoformat(),
        }).encode()
        started = time.perf_counter()
        try:
            response = http.post(f"{url}/webhooks/ghl/inbound", data=body, timeout=10, headers={
                "Content-Type": "application/json",
                "X-Webhook-Signature": hmac_signature(SECRET, body)})
            rec.record("webhook", started, response.status_code == 200)
        except requests.RequestException:
            rec.record("webhook", started, False)
        n += stride
        next_at += 1 / rate
        time.sleep(max(0.0, next_at - time.perf_counter()))


def send_secure_cookies_over_http(http: requests.Session) -> None:
    """Production cookies are Secure; behind no TLS here, keep sending them like a browser
    behind the PaaS's TLS would."""
    for cookie in http.cookies:
        cookie.secure = False


def log_in(url: str) -> dict[str, str]:
    """Session cookies of a signed-in agent (the login form allows 10 tries a minute per
    address, and every simulated user comes from 127.0.0.1, so they share one login)."""
    http = requests.Session()
    page = http.get(f"{url}/login", timeout=10)
    send_secure_cookies_over_http(http)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = http.post(f"{url}/login", timeout=10, allow_redirects=False,
                         data={"username": "agent", "password": PASSWORD, "csrf_token": token,
                               "next": "/"})
    assert response.status_code == 302, f"login failed: {response.status_code}"
    return {cookie.name: cookie.value for cookie in http.cookies}


def dashboard_user(url: str, cookies: dict[str, str], period: float, until: float,
                   delay: float, rec: Recorder) -> None:
    http = requests.Session()
    http.cookies.update(cookies)
    time.sleep(delay)
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            ok = all(http.get(url + path, timeout=10).status_code == 200 for path in
                     ("/api/dashboard", "/api/conversations?page=1&page_size=10"))
            rec.record("refresh", started, ok)
        except requests.RequestException:
            rec.record("refresh", started, False)
        time.sleep(max(0.0, period - (time.perf_counter() - started)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--refresh", type=float, default=10)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = {"APP_ENV": "production", "SECRET_KEY": "x" * 64, "WEBHOOK_SECRET": SECRET,
           "WEBHOOK_RATE_LIMIT": "100000/minute",
           "DASHBOARD_USERS": user_entry("agent", PASSWORD)}
    rec = Recorder()
    with gunicorn_app(env, args.workers, "gthread", 8) as url:
        cookies = log_in(url)
        until = time.perf_counter() + args.duration
        threads = [threading.Thread(target=webhook_sender,
                                    args=(url, args.rate / args.senders, until, i, args.senders,
                                          rec)) for i in range(args.senders)]
        threads += [threading.Thread(target=dashboard_user,
                                     args=(url, cookies, args.refresh, until,
                                           i * args.refresh / args.users, rec))
                    for i in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{args.duration:.0f} s, {args.users} users every {args.refresh:.0f} s, "
              f"{args.rate:.0f} webhook msg/s target, gunicorn {args.workers} workers")
        print(rec.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
