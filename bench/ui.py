"""The dashboard page in a real browser, over 100,000 conversations.

    python bench/ui.py [--conversations 100000] [--runs 20] [--redis-url URL] [--write]

Starts its own redis-server (free port, no persistence), or uses --redis-url, and seeds it with
the simulator's bulk path (realistic sellers through the real bot, as bench/dashboard.py does)
unless it holds the asked number of conversations already (so a second run can reuse a store).
Serves the app on a free port and measures:
- navigation -> rendered in headless Chromium: from navigation start until the KPI cards, the
  table's first page and all seven graphs are drawn (first visit with an empty browser cache,
  then repeat visits);
- one auto-refresh tick, replayed exactly as the browser sent it: server time (in-process,
  Flask test client) and bytes on the wire (real HTTP), when the data version did not change
  and when it did (dashboard cache warm and cold);
- a table page change in the browser: click "next page" until the new rows are on screen.
``--write`` replaces the "UI" section of docs/benchmarks.md with the results.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
import requests  # noqa: E402
from selenium import webdriver  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from bench.common import add_redis_url_option, machine, publish  # noqa: E402
from components import ids  # noqa: E402
from components.hero_metrics import PRIMARY, SECONDARY, TERTIARY  # noqa: E402
from core.redis_client import DECODING  # noqa: E402
from core.settings import Settings  # noqa: E402
from simulator.delivery import InProcess  # noqa: E402
from simulator.run import Simulator  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

LOCATION = "bench-ui"
UPDATE = "/_dash-update-component"
RENDERED = f"""
const done = arguments[arguments.length - 1];
function ready() {{
  const graphs = document.querySelectorAll('.js-plotly-plot .main-svg').length;
  const cards = document.querySelectorAll('#{ids.HERO} .kpi-value').length;
  const rows = document.querySelectorAll('#{ids.TABLE} td[data-dash-column="name"]').length;
  return graphs >= {len(ids.GRAPHS)} && cards === {len(PRIMARY + SECONDARY + TERTIARY)} && rows > 0;
}}
(function poll() {{
  // Charts are drawn when they come into view (assets/dashboard.js): go there, as a user does.
  const charts = document.querySelector('.chart-card');
  if (charts) {{ charts.scrollIntoView(); }}
  if (ready()) {{ done(performance.now()); }} else {{ requestAnimationFrame(poll); }}
}})();
"""
PAGE_CHANGE = f"""
const done = arguments[arguments.length - 1];
const first = () => document.querySelector('#{ids.TABLE} td[data-dash-column="name"]');
const page = () => document.querySelector('.current-page-shadow').textContent;
const before = page();
const started = performance.now();
document.querySelector('#{ids.TABLE} .next-page').click();
(function poll() {{
  if (page() !== before && first()) {{ done(performance.now() - started); }}
  else {{ requestAnimationFrame(poll); }}
}})();
"""


EXPLANATION = """\
What the rows are. *Navigation → rendered* runs from the browser's navigation start until the
KPI cards, the first table page and all seven graphs are drawn; the page arrives filled
with current data (the layout function reads it), so no callback round trip is needed first.
The first visit also downloads and compiles about 6 MB of uncompressed JavaScript (plotly.js
alone is 4.6 MB); repeat visits have it cached and are mostly Plotly drawing seven graphs. A
*no change* tick is one data-version read (SMEMBERS + MGET) and `no_update` for the refresh
callback's 4 outputs: dash answers HTTP 200 with a 28-byte body, and the rest of the bytes are
response headers (mostly the Content-Security-Policy). A *data changed* tick reads the dashboard
(cache warm: one GET per panel; cold: recomputed from the aggregates) and answers with a small
render order in a `dcc.Store`; each panel's own callback then reads its part of the (now cached)
dashboard and sends it, the graphs as `Patch`es (new traces and layout, never the axis ranges, so
a user's zoom survives). The *table page
change* is measured in the page itself, from the click on "next page" until the new first row
is drawn. On a shared machine (see the load average) the browser figures are noisy."""


# -- setup -----------------------------------------------------------------------------------
def seed(client: redis.Redis, settings: Settings, conversations: int) -> float:
    started = time.perf_counter()
    simulator = Simulator(InProcess(client, settings, buffered=True), seed="bench-ui",
                          location_id=LOCATION, buyer_name=settings.buyer_name,
                          timezone=settings.timezone)
    simulator.backfill(conversations, days=7, ttl_seconds=settings.conversation_ttl_seconds,
                       progress=True, stream="ui")
    return time.perf_counter() - started


def browser(performance_log: bool = False) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-sync", "--window-size=1440,1000"):
        options.add_argument(argument)
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options)
    driver.set_script_timeout(60)
    return driver


class Served:
    """The app on a real port in a background thread."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server("127.0.0.1", self.port, app.server, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()


# -- measurements ----------------------------------------------------------------------------
def stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.1f}, p95 {p95:.1f}, max {ordered[-1]:.1f}"


def time_navigation(url: str, runs: int) -> tuple[float, list[float]]:
    """(first visit ms, repeat visits ms): navigation start until everything is drawn."""
    driver = browser()
    try:
        visits = []
        for _ in range(runs + 1):
            driver.get(url)
            visits.append(driver.execute_async_script(RENDERED))
        return visits[0], visits[1:]
    finally:
        driver.quit()


def capture_tick(url: str) -> dict:
    """The body of one auto-refresh tick as the browser sent it (refresh set to 1 s)."""
    driver = browser(performance_log=True)
    try:
        driver.get(url)
        driver.execute_async_script(RENDERED)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message["method"] != "Network.requestWillBeSent":
                    continue
                request = message["params"]["request"]
                body = request.get("postData") or ""
                if UPDATE in request["url"] and f"{ids.REFRESH_INTERVAL}.n_intervals" in body:
                    return json.loads(body)
            time.sleep(0.2)
        raise SystemExit("no refresh tick seen in 20 s")
    finally:
        driver.quit()


def with_shown_version(body: dict, version: str) -> dict:
    """The tick as sent by a page that shows ``version`` (table, cards and graphs)."""
    changed = copy.deepcopy(body)
    for item in changed["state"]:
        if item["id"] == ids.STORE_VERSION:
            item["value"] = version
        elif item["id"] == ids.STORE_RENDERED:  # "<version>@<range and locations>"
            _, at, view = str(item["value"]).partition("@")
            item["value"] = f"{version}{at}{view}"
    return changed


def time_tick(app, body: dict, runs: int, before: Callable[[], None] = lambda: None
              ) -> tuple[list[float], int]:
    """Server time (ms) of the tick in-process, and its status."""
    client = app.server.test_client()
    times, status = [], 0
    for _ in range(runs):
        before()
        started = time.perf_counter()
        response = client.post(UPDATE, json=body)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return times, status


def wire_bytes(url: str, body: dict) -> tuple[int, int, int, int]:
    """(status, response bytes incl. status line and headers, of which body, request body
    bytes) over HTTP."""
    payload = json.dumps(body).encode()
    response = requests.post(url + UPDATE, data=payload,
                             headers={"Content-Type": "application/json"}, timeout=30)
    head = len(f"HTTP/1.1 {response.status_code} {response.reason}\r\n") + sum(
        len(k) + len(v) + 4 for k, v in response.headers.items()) + 2
    return (response.status_code, head + len(response.content), len(response.content),
            len(payload))


def time_page_changes(url: str, changes: int) -> list[float]:
    driver = browser()
    try:
        driver.get(url)
        driver.execute_async_script(RENDERED)
        return [driver.execute_async_script(PAGE_CHANGE) for _ in range(changes)]
    finally:
        driver.quit()


# -- report ----------------------------------------------------------------------------------




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    add_redis_url_option(parser)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    print(machine())
    server = None if args.redis_url else RedisServer().start()
    url = args.redis_url or server.url
    client = redis.Redis.from_url(url, **DECODING)
    # A 1 s refresh so a tick can be captured quickly; the caches keep their real tiers.
    settings = Settings(redis_url=url, refresh_interval_seconds=1)
    served = None
    try:
        seeded = None
        app = create_app(settings, client)
        data = app.server.extensions["sellerbot"]["data"]
        if data.dashboard("24h").total_conversations < 0.9 * args.conversations:
            seeded = seed(client, settings, args.conversations)
            print(f"seeded {args.conversations:,} conversations in {seeded:.0f} s")
            data.cache.clear()
        total = data.dashboard("24h").total_conversations
        served = Served(app)

        first, repeat = time_navigation(served.url, min(args.runs, 10))
        body = capture_tick(served.url)
        current = data.version()
        same = with_shown_version(body, current)
        changed = with_shown_version(body, "bench-older-version")
        same_ms, same_status = time_tick(app, same, args.runs)
        changed_warm_ms, changed_status = time_tick(app, changed, args.runs)
        changed_cold_ms, _ = time_tick(app, changed, max(5, args.runs // 4),
                                       before=data.cache.clear)
        same_wire = wire_bytes(served.url, same)
        changed_wire = wire_bytes(served.url, changed)
        pages = time_page_changes(served.url, args.runs)
        version_ms = []
        for _ in range(args.runs):
            started = time.perf_counter()
            data.version()
            version_ms.append((time.perf_counter() - started) * 1000)
    finally:
        if served is not None:
            served.close()
        client.close()
        if server is not None:
            server.cleanup()

    lines = [
        f"`python bench/ui.py --conversations {args.conversations} --runs {args.runs}` "
        f"({total:,} live conversations in the store; {machine()}).",
        "",
        "| what | result | target |",
        "|---|---|---|",
        f"| navigation → rendered (cards, table page, 7 graphs), first visit | "
        f"{first:.0f} ms | |",
        f"| navigation → rendered, repeat visits (ms) | {stats(repeat)} | |",
        f"| refresh tick, no change: server time in-process (ms) | {stats(same_ms)} "
        f"(HTTP {same_status}) | < 5 ms |",
        f"| refresh tick, no change: response on the wire | {same_wire[1]} B "
        f"(HTTP {same_wire[0]}, body {same_wire[2]} B, the rest headers; "
        f"request {same_wire[3]} B) | < 1 KB |",
        f"| refresh tick, data changed, dashboard cache warm (ms) | {stats(changed_warm_ms)} "
        f"(HTTP {changed_status}) | |",
        f"| refresh tick, data changed, dashboard cache cold (ms) | {stats(changed_cold_ms)} "
        f"| |",
        f"| refresh tick, data changed: response on the wire | {changed_wire[1]:,} B "
        f"(request {changed_wire[3]} B) | |",
        f"| data-version read alone (ms) | {stats(version_ms)} | |",
        f"| table page change in the browser, click → new rows drawn (ms) | {stats(pages)} "
        f"| < 150 ms |",
    ]
    if seeded is not None:
        lines.append(f"| (seeding {args.conversations:,} conversations) | {seeded:.0f} s | |")
    lines += ["", EXPLANATION]
    publish("UI", "ui", "\n".join(lines), args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
