"""Helpers the benchmark scripts share: the machine record and docs/benchmarks.md sections."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine(redis_binary: str = "redis-server") -> str:
    """Date, cores, CPU model, RAM, Python, Redis (``redis_binary``'s version) and load: what a
    figure needs beside it."""
    cpu, ram = platform.processor() or "unknown CPU", "RAM unknown"
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in
                    Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), cpu)
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    try:
        redis_version = subprocess.run([redis_binary, "--version"], capture_output=True,
                                       text=True, check=False).stdout.split()[2]
        redis_version = "Redis " + redis_version.removeprefix("v=")
    except (OSError, IndexError):
        redis_version = "Redis unknown"
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs ({cpu}), {ram}, "
            f"Python {platform.python_version()}, {redis_version}, "
            f"load average {os.getloadavg()[0]:.1f}")


def write_section(title: str, marker: str, text: str) -> None:
    """Replace the ``marker`` section of docs/benchmarks.md (added under ``title`` if new)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    section = f"{start}\n{text}\n{end}"
    current = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    if start in current:
        head, rest = current.split(start, 1)
        current = head + section + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + f"\n\n## {title}\n\n" + section + "\n"
    DOCS.write_text(current)


def publish(title: str, marker: str, text: str, write: bool) -> None:
    """Print a bench's results; with ``--write`` (``write``), also into its section of
    docs/benchmarks.md."""
    print(text)
    if write:
        write_section(title, marker, text)


def add_redis_url_option(parser: argparse.ArgumentParser) -> None:
    """``--redis-url``: measure on an existing Redis instead of a fresh redis-server."""
    parser.add_argument("--redis-url", help="use this Redis (seeded only if it holds fewer "
                                            "conversations than asked)")


def add_gunicorn_options(parser: argparse.ArgumentParser) -> None:
    """The gunicorn settings a bench serves the app with (``gunicorn_app`` in webhook.py)."""
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gevent")
