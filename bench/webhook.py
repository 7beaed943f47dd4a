"""Webhook throughput and latency through the real HTTP route under gunicorn.

    python bench/webhook.py [--duration 30] [--connections 8] [--workers 2] [--threads 4]
                            [--rounds 3]

Starts its own redis-server (free port, no persistence) and gunicorn (`app:server`), then drives
`POST /webhooks/ghl/inbound` with wrk (Debian package `wrk`) from the same machine. Every request
is a distinct message (unique messageId) from one of 5,000 sellers walking through a realistic
conversation, so the bot does its full work: read, rules, score, atomic Lua write.
In the same run, alternating with the app, it drives the minimal endpoint
(`bench/minimal_endpoint.py`: parse the JSON, one SET) under the same gunicorn settings, and
prints both, their ratio (median of the rounds) and latency percentiles; paste the result into
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import add_gunicorn_options  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

# wrk's Lua: a fresh messageId per request, sellers cycling through a conversation.
WRK_SCRIPT = r"""
local texts = {
  "Hi, I saw your sign. Thinking about selling my house in Fontana",
  "it needs a new roof and the kitchen is old",
  "around 450k",
  "relocating for work, want to close in 30 days",
  "yes that works",
  "1420 Juniper Ave",
  "the first one",
  "thanks!",
}
local counter = 0
local thread_id = 0
setup = function(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
init = function(args)
  tid = tonumber(wrk.thread:get("tid"))
end
request = function()
  counter = counter + 1
  local n = counter * 64 + tid
  local seller = n % 5000
  local step = (math.floor(n / 5000) % #texts) + 1
  local body = string.format(
    '{"type":"InboundMessage","locationId":"bench-loc","contactId":"seller-%d",' ..
    '"conversationId":"conv-%d","messageId":"m-%d","body":"%s","messageType":"SMS",' ..
    '"direction":"inbound","contactName":"Bench Seller","phone":"+19095550100"}',
    seller, seller, n, texts[step])
  return wrk.format("POST", "/webhooks/ghl/inbound",
                    {["Content-Type"] = "application/json"}, body)
end
"""


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def parse_wrk(output: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rate": rate, **{f"p{k}_ms": ms(v) for k, v in percentiles.items()},
            "non_2xx": int(errors.group(1)) if errors else 0}


@contextmanager
def gunicorn_app(env: dict[str, str], workers: int, worker_class: str,
                 threads: int, target: str = "app:server") -> Iterator[str]:
    """gunicorn serving ``target`` on a free port; yields the URL. Its Redis is ``env``'s
    ``REDIS_URL``, or else a redis-server of its own."""
    redis_server = None if "REDIS_URL" in env else RedisServer().start()
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", target, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env,
                       **({"REDIS_URL": redis_server.url} if redis_server else {})},
        stdout=subprocess.DEVNULL)  # gunicorn.conf.py logs every request (JSON) to stdout
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        yield url
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        if redis_server:
            redis_server.cleanup()


def drive(url: str, script: str, connections: int, duration: int) -> dict:
    """One wrk run against ``url``: its figures and its printed output."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url],
        capture_output=True, text=True, check=True)
    return {**parse_wrk(result.stdout), "output": result.stdout}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per round and target")
    parser.add_argument("--connections", type=int, default=8)
    add_gunicorn_options(parser)
    parser.add_argument("--rounds", type=int, default=3,
                        help="app and minimal endpoint alternate this many times")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    # One location sends everything here: lift the per-location limit out of the way.
    env = {"WEBHOOK_RATE_LIMIT": "1000000/minute"}
    serving = (args.workers, args.worker_class, args.threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script, \
            gunicorn_app(env, *serving) as app_url, \
            gunicorn_app(env, *serving, target="bench.minimal_endpoint:app") as minimal_url:
        script.write(WRK_SCRIPT)
        script.flush()
        runs: dict[str, list[dict]] = {"app": [], "minimal": []}
        for url in (app_url, minimal_url):  # warm up: imports, Lua script load, first sellers
            drive(url, script.name, 8, 3)
        for _ in range(args.rounds):
            for name, url in (("app", app_url), ("minimal", minimal_url)):
                runs[name].append(drive(url, script.name, args.connections, args.duration))
    os.unlink(script.name)
    print(runs["app"][-1]["output"])
    ratios = sorted(app["rate"] / minimal["rate"]
                    for app, minimal in zip(runs["app"], runs["minimal"], strict=True))
    for name, figures in runs.items():
        rates = sorted(run["rate"] for run in figures)
        p99 = sorted(run["p99_ms"] for run in figures)
        print(f"{name:8} workers={args.workers} class={args.worker_class} "
              f"threads={args.threads} connections={args.connections}: median "
              f"{rates[len(rates) // 2]:.0f} msg/s (rounds {', '.join(f'{r:.0f}' for r in rates)}),"
              f" p99 median {p99[len(p99) // 2]:.1f} ms, "
              f"non-2xx {sum(run['non_2xx'] for run in figures)}")
    print(f"ratio app/minimal: median {ratios[len(ratios) // 2]:.2f} "
          f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
