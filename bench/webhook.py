"""Webhook throughput and latency through the real HTTP route under gunicorn.

    python bench/webhook.py [--duration 30] [--connections 8] [--workers 2] [--threads 4]
                            [--rounds 3] [--code CHECKOUT] [--floor]

Starts its own redis-server (free port, no persistence) and gunicorn (`app:server`), then drives
`POST /webhooks/ghl/inbound` with wrk (Debian package `wrk`) from the same machine. Every request
is a distinct message (unique messageId) from one of 5,000 sellers walking through a realistic
conversation, so the bot does its full work: read, rules, score, atomic Lua write.
In the same run, alternating with the app, it drives the minimal endpoint
(`bench/minimal_endpoint.py`: parse the JSON, one SET) under the same gunicorn settings, and
prints both, their ratio (median of the rounds), latency percentiles, and the CPU per message of
the gunicorn workers and the redis-server (steadier than messages/s on a loaded machine);
``--code`` serves the app of another checkout (before/after). ``--floor`` adds a third target
taking turns with them, the floor endpoint (`bench/floor_endpoint.py`: the two Redis round trips
of a real message, peek and commit script, and no bot work), and its ratio floor/minimal: what
the app could reach if the bot's Python cost nothing. Paste the result into docs/benchmarks.md.
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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import add_gunicorn_options  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

WRK_THREADS = 2

# A seller's texts, in order (bench/floor_endpoint.py's template conversation is made of them).
TEXTS = (
    "Hi, I saw your sign. Thinking about selling my house in Fontana",
    "it needs a new roof and the kitchen is old",
    "around 450k",
    "relocating for work, want to close in 30 days",
    "yes that works",
    "1420 Juniper Ave",
    "the first one",
    "thanks!",
)
# wrk's Lua: a fresh messageId per request; 5,000 sellers at a time, each walking through the
# conversation one text per 5,000 requests, then replaced by a new seller (transcripts stay
# the length of one conversation, whatever the run's length). The script's arguments: wrk's
# thread count (the threads' request numbers interleave without gaps) and the number of
# requests sent to this target before (a run goes on where the last one stopped: no
# messageId is sent twice, no seller starts over).
WRK_SCRIPT = "\nlocal texts = {\n" + "".join(f'  "{text}",\n' for text in TEXTS) + r"""}
local sellers = 5000
local counter = 0
local thread_id = 0
setup = function(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
init = function(args)
  tid = tonumber(wrk.thread:get("tid"))
  threads = tonumber(args[1])
  start = tonumber(args[2])
end
request = function()
  local n = start + counter * threads + tid
  counter = counter + 1
  local seller = n % sellers
  local visit = math.floor(n / sellers)
  local step = (visit % #texts) + 1
  local contact = string.format("seller-%d-%d", math.floor(visit / #texts), seller)
  local body = string.format(
    '{"type":"InboundMessage","locationId":"bench-loc","contactId":"%s",' ..
    '"conversationId":"conv-%s","messageId":"m-%d","body":"%s","messageType":"SMS",' ..
    '"direction":"inbound","contactName":"Bench Seller","phone":"+19095550100"}',
    contact, contact, n, texts[step])
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
            "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time process ``pid`` has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Served:
    """A gunicorn app being benchmarked: its URL, and the processes that serve it."""

    url: str
    workers: list[int]  # gunicorn's worker processes
    redis: int | None  # the app's own redis-server (None: an outside Redis, not counted)
    sent: int = 0  # requests sent so far (the wrk script goes on from there)

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU seconds used so far by the workers, and by the app's own redis-server."""
        return (sum(cpu_seconds(pid) for pid in self.workers),
                cpu_seconds(self.redis) if self.redis else 0.0)


@contextmanager
def serving(env: dict[str, str], workers: int, worker_class: str, threads: int,
            target: str = "app:server", code: Path = ROOT) -> Iterator[Served]:
    """gunicorn serving ``target`` of the checkout ``code`` on a free port. Its Redis is
    ``env``'s ``REDIS_URL``, or else a redis-server of its own."""
    redis_server = None if "REDIS_URL" in env else RedisServer().start()
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", target, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
         "--log-level", "warning"],
        cwd=code, env={**os.environ, **env,
                       **({"REDIS_URL": redis_server.url} if redis_server else {})},
        stdout=subprocess.DEVNULL)  # gunicorn.conf.py logs every request (JSON) to stdout
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        workers = Path(f"/proc/{gunicorn.pid}/task/{gunicorn.pid}/children").read_text()
        yield Served(url, [int(pid) for pid in workers.split()],
                     redis_server.process.pid if redis_server else None)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        if redis_server:
            redis_server.cleanup()


@contextmanager
def gunicorn_app(env: dict[str, str], workers: int, worker_class: str,
                 threads: int, target: str = "app:server") -> Iterator[str]:
    """gunicorn serving ``target`` on a free port (``serving``); yields the URL."""
    with serving(env, workers, worker_class, threads, target) as served:
        yield served.url


def drive(served: Served, script: str, connections: int, duration: int) -> dict:
    """One wrk run against ``served``: its figures, the CPU per message its processes used
    (ms) and wrk's printed output."""
    before = served.cpu_seconds()
    result = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "--latency",
         "-s", script, served.url, "--", str(WRK_THREADS), str(served.sent)],
        capture_output=True, text=True, check=True)
    figures = parse_wrk(result.stdout)
    served.sent += figures["requests"]
    workers, redis_cpu = (
        (after - start) * 1000 / max(figures["requests"], 1)
        for after, start in zip(served.cpu_seconds(), before, strict=True))
    return {**figures, "cpu_ms": workers + redis_cpu, "redis_cpu_ms": redis_cpu,
            "output": result.stdout}


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per round and target")
    parser.add_argument("--connections", type=int, default=8)
    add_gunicorn_options(parser)
    parser.add_argument("--rounds", type=int, default=3,
                        help="app and minimal endpoint (and floor) alternate this many times")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="serve the app of this checkout (e.g. /work/main: before a change)")
    parser.add_argument("--floor", action="store_true",
                        help="also the floor endpoint (bench/floor_endpoint.py), in turn")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    # One location sends everything here: lift the per-location limit out of the way.
    env = {"WEBHOOK_RATE_LIMIT": "1000000/minute"}
    options = (args.workers, args.worker_class, args.threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script, \
            ExitStack() as stack:
        targets = {"app": stack.enter_context(serving(env, *options, code=args.code.resolve())),
                   "minimal": stack.enter_context(
                       serving(env, *options, target="bench.minimal_endpoint:app"))}
        if args.floor:
            targets["floor"] = stack.enter_context(
                serving(env, *options, target="bench.floor_endpoint:app"))
        script.write(WRK_SCRIPT)
        script.flush()
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for served in targets.values():  # warm up: imports, Lua script load, first sellers
            drive(served, script.name, 8, 3)
        for _ in range(args.rounds):
            for name, served in targets.items():
                runs[name].append(drive(served, script.name, args.connections, args.duration))
    os.unlink(script.name)
    print(runs["app"][-1]["output"])
    print(f"app: {args.code.resolve()}; load average at the end {os.getloadavg()[0]:.1f}")
    for name, figures in runs.items():
        rates = sorted(run["rate"] for run in figures)
        print(f"{name:8} workers={args.workers} class={args.worker_class} "
              f"threads={args.threads} connections={args.connections}: median "
              f"{median(rates):.0f} msg/s (rounds {', '.join(f'{r:.0f}' for r in rates)}), "
              f"p99 median {median([run['p99_ms'] for run in figures]):.1f} ms, "
              f"CPU {median([run['cpu_ms'] for run in figures]):.2f} ms/message "
              f"(of which redis {median([run['redis_cpu_ms'] for run in figures]):.2f}), "
              f"non-2xx {sum(run['non_2xx'] for run in figures)}")
    for name in [name for name in runs if name != "minimal"]:
        pairs = list(zip(runs[name], runs["minimal"], strict=True))
        ratios = sorted(served["rate"] / minimal["rate"] for served, minimal in pairs)
        cpu_ratios = sorted(minimal["cpu_ms"] / served["cpu_ms"] for served, minimal in pairs)
        print(f"ratio {name}/minimal: median {median(ratios):.2f} "
              f"(rounds {', '.join(f'{r:.2f}' for r in ratios)}); "
              f"CPU per message minimal/{name}: median {median(cpu_ratios):.2f} "
              f"(rounds {', '.join(f'{r:.2f}' for r in cpu_ratios)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
