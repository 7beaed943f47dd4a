"""Lag from a webhook to `/api/dashboard` and to the page (issue 14).

    python bench/lag.py [--conversations 1000] [--samples 20] [--redis-url URL] [--write]

Starts its own redis-server (free port, no persistence), or uses --redis-url, and seeds it with
the simulator's bulk path (as bench/dashboard.py does) unless it holds the conversations
already. Serves the app with gunicorn as the Procfile does (`gunicorn.conf.py`: 2 gevent
workers) with a webhook secret and a 1 s page refresh, then, one sample at a time:
- API: POST a signed InboundMessage from a new seller over real HTTP and poll
  `GET /api/dashboard` every 10 ms until its conversation count includes the seller;
- page: a headless Chromium shows the dashboard (auto-refresh every 1 s); POST a new seller
  the same way and wait, in the page, until the KPI cards' text changes.
Each lag runs from the start of the POST; samples are 1.5 s apart, so each write meets a
dashboard not recomputed in the last second (the recompute throttle, MIN_RECOMPUTE_SECONDS).
``--write`` replaces the "dashboard-lag-14" section of docs/benchmarks.md with the results.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
import redis  # noqa: E402
import requests  # noqa: E402

from bench.common import add_redis_url_option, machine, publish  # noqa: E402
from bench.ui import browser  # noqa: E402
from bench.webhook import wait_healthy  # noqa: E402
from components import ids  # noqa: E402
from core.keys import LocationKeys  # noqa: E402
from core.redis_client import DECODING  # noqa: E402
from core.schema import Stats  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.signatures import HMAC_HEADER, hmac_signature  # noqa: E402
from simulator.delivery import InProcess  # noqa: E402
from simulator.run import Simulator, ghl_time  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

LOCATION = "bench-lag"
SECRET = "bench-lag-webhook-secret"
POLL_SECONDS = 0.01
SPACING_SECONDS = 1.5
TIMEOUT_SECONDS = 15
# Resolves when the KPI cards' text differs from what it was when the script started.
CARDS_CHANGE = f"""
const done = arguments[arguments.length - 1];
const cards = () => document.getElementById('{ids.HERO}').textContent;
const before = arguments[0];
const timer = setInterval(() => {{
  if (cards() !== before) {{ clearInterval(timer); done(true); }}
}}, 10);
"""


def seed(client: redis.Redis, settings: Settings, conversations: int) -> None:
    simulator = Simulator(InProcess(client, settings, buffered=True), seed="bench-lag",
                          location_id=LOCATION, buyer_name=settings.buyer_name,
                          timezone=settings.timezone)
    simulator.backfill(conversations, days=7, ttl_seconds=settings.conversation_ttl_seconds,
                       progress=True, stream="lag")


@contextmanager
def served(redis_url: str) -> Iterator[str]:
    """gunicorn as the Procfile runs it, on a free port; yields its URL."""
    port = free_port()
    env = {**os.environ, "REDIS_URL": redis_url, "WEBHOOK_SECRET": SECRET,
           "REFRESH_INTERVAL_SECONDS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "app:server",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # one JSON log line per request
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def post_new_seller(http: requests.Session, url: str) -> None:
    """A signed InboundMessage from a seller the store has not seen."""
    contact = f"lag-{uuid.uuid4().hex[:12]}"
    body = orjson.dumps({
        "type": "InboundMessage", "locationId": LOCATION, "contactId": contact,
        "conversationId": f"conv-{contact}", "messageId": f"m-{uuid.uuid4().hex}",
        "body": "Hi, I might sell my house on Juniper Ave", "messageType": "SMS",
        "direction": "inbound", "dateAdded": ghl_time(datetime.now(UTC)),
        "contactName": "Lag Seller", "phone": "+19095550100"})
    response = http.post(f"{url}/webhooks/ghl/inbound", data=body, timeout=10, headers={
        "Content-Type": "application/json", HMAC_HEADER: hmac_signature(SECRET, body)})
    response.raise_for_status()


def conversations(http: requests.Session, url: str) -> int:
    response = http.get(f"{url}/api/dashboard", timeout=10)
    response.raise_for_status()
    return response.json()["total_conversations"]


def api_lags(url: str, samples: int) -> list[float]:
    """ms from the start of the POST until `/api/dashboard` counts the new seller."""
    http = requests.Session()
    lags = []
    for _ in range(samples):
        time.sleep(SPACING_SECONDS)
        before = conversations(http, url)
        started = time.perf_counter()
        post_new_seller(http, url)
        while conversations(http, url) <= before:
            if time.perf_counter() - started > TIMEOUT_SECONDS:
                raise SystemExit("/api/dashboard did not show the message")
            time.sleep(POLL_SECONDS)
        lags.append((time.perf_counter() - started) * 1000)
    return lags


def page_lags(url: str, samples: int) -> list[float]:
    """ms from the start of the POST until the page's KPI cards change."""
    http = requests.Session()
    driver = browser()
    driver.set_script_timeout(TIMEOUT_SECONDS)
    try:
        driver.get(url)
        hero = f"return document.getElementById('{ids.HERO}')?.textContent || ''"
        deadline = time.monotonic() + 60
        while not driver.execute_script(hero) and time.monotonic() < deadline:
            time.sleep(0.1)
        lags = []
        for _ in range(samples):
            time.sleep(SPACING_SECONDS)
            before = driver.execute_script(hero)
            started = time.perf_counter()
            post_new_seller(http, url)
            driver.execute_async_script(CARDS_CHANGE, before)
            lags.append((time.perf_counter() - started) * 1000)
        return lags
    finally:
        driver.quit()


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return (f"median {statistics.median(ordered):,.0f} ms, p95 {p95:,.0f} ms "
            f"(min {ordered[0]:,.0f}, max {ordered[-1]:,.0f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=20)
    add_redis_url_option(parser)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    server = None if args.redis_url else RedisServer().start()
    redis_url = args.redis_url or server.url
    client = redis.Redis.from_url(redis_url, **DECODING)
    try:
        held = int(client.hget(LocationKeys(LOCATION).stats, Stats.CONVERSATIONS) or 0)
        if held < args.conversations:
            seed(client, Settings(redis_url=redis_url), args.conversations - held)
        with served(redis_url) as url:
            api = api_lags(url, args.samples)
            page = page_lags(url, args.samples)
        total = int(client.hget(LocationKeys(LOCATION).stats, Stats.CONVERSATIONS) or 0)
    finally:
        client.close()
        if server is not None:
            server.cleanup()
    text = "\n".join([
        f"`python bench/lag.py --conversations {args.conversations} --samples {args.samples}` "
        f"({total:,} conversations at the end; {machine()}).", "",
        "| lag from a signed webhook (real HTTP, gunicorn as in the Procfile) | result |",
        "|---|---|",
        f"| to `/api/dashboard` (polled every 10 ms) | {summary(api)} |",
        f"| to the page's KPI cards (auto-refresh every 1 s, headless Chromium) | "
        f"{summary(page)} |", "",
        "Each lag runs from the start of the POST until the new seller is counted; a sample "
        "waits 1.5 s after the previous one, so the dashboard's recompute throttle (at most "
        "once a second per panel under a stream of writes) does not delay it. The page's lag "
        "is the tick's wait (up to the 1 s interval) plus the version read, the dashboard read "
        "and the cards' render."])
    publish("Dashboard lag, issue 14 (webhook to API and page)", "dashboard-lag-14", text,
            args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
