"""Webhook throughput and latency through the real HTTP route under gunicorn.

    python bench/webhook.py [--duration 30] [--connections 16] [--workers 2] [--threads 4]

Starts its own redis-server (free port, no persistence) and gunicorn (`app:server`), then drives
`POST /webhooks/ghl/inbound` with wrk (Debian package `wrk`) from the same machine. Every request
is a distinct message (unique messageId) from one of 5,000 sellers walking through a realistic
conversation, so the bot does its full work: read, rules, score, atomic Lua write.
Prints messages/s and latency percentiles; paste the result into docs/benchmarks.md.
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
                 threads: int) -> Iterator[str]:
    """gunicorn serving app:server on a free port with its own redis-server; yields the URL."""
    redis_server = RedisServer().start()
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app:server", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env, "REDIS_URL": redis_server.url},
        stdout=subprocess.DEVNULL)  # gunicorn.conf.py logs every request (JSON) to stdout
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        yield url
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        redis_server.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    add_gunicorn_options(parser)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    # One location sends everything here: lift the per-location limit out of the way.
    env = {"WEBHOOK_RATE_LIMIT": "1000000/minute"}
    with gunicorn_app(env, args.workers, args.worker_class, args.threads) as url:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        # Warm up (imports, Lua script load, first conversations), then measure.
        subprocess.run(["wrk", "-t2", "-c8", "-d3s", "-s", script.name, url],
                       capture_output=True, check=True)
        result = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
             "-s", script.name, url], capture_output=True, text=True, check=True)
        os.unlink(script.name)
        figures = parse_wrk(result.stdout)
        print(result.stdout)
        print(f"workers={args.workers} class={args.worker_class} threads={args.threads} "
              f"connections={args.connections}: {figures['rate']:.0f} msg/s, "
              f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
              f"non-2xx {figures['non_2xx']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
