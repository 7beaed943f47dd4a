"""Lighthouse 12 on the demo dashboard, desktop and mobile presets, first and repeat visit.

    npm install --prefix bench/.lighthouse lighthouse@12.8.2      # once
    git worktree add /tmp/main-checkout main                      # or: git archive main | tar -x
    python bench/lighthouse.py [--runs 3] [--app before=/tmp/main-checkout] [--app after=.]
                               [--preset mobile] [--write]

Starts ``python app.py --demo`` from each ``--app`` directory (default: this checkout, labelled
"after") on a free port, each with its demo store in a temporary ``DATA_DIR`` (so it never
touches ``./data``), waits for ``/healthz``, then runs Lighthouse ``--runs`` times per preset
and app against headless Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``), taking turns
between the apps so that a busy machine weighs on both alike (``--preset``: one preset only).
Each run uses a fresh Chromium profile: a first visit (Lighthouse clears the cache) and, in the
same browser, a repeat visit (``--disable-storage-reset``: the browser cache of the first visit
is kept). Reports the median
of the runs for every figure, and Lighthouse's own CPU benchmark index (about 1,000 or more on
an idle desktop; lower means a busier or slower machine, and worse scores). ``--write`` puts
one table per app into docs/benchmarks.md. Lighthouse's mobile preset simulates a mid-range
phone (4x CPU slowdown, slow 4G); desktop has no throttling beyond a fast connection.
Every report is kept in bench/results/lighthouse/ (``<app>-<preset>-<run>-first.json``): its
``long-tasks``, ``bootup-time`` and ``largest-contentful-paint-element`` audits say what blocked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import DOCS, machine, write_section  # noqa: E402
from tests.redis_server import free_port  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PRESETS = ("desktop", "mobile")
CATEGORIES = ("performance", "accessibility", "best-practices")
# (report key, column header, how to show the median)
METRICS = (
    ("performance", "performance", lambda v: f"{v * 100:.0f}"),
    ("accessibility", "accessibility", lambda v: f"{v * 100:.0f}"),
    ("best-practices", "best practices", lambda v: f"{v * 100:.0f}"),
    ("first-contentful-paint", "FCP", lambda v: f"{v / 1000:.1f} s"),
    ("largest-contentful-paint", "LCP", lambda v: f"{v / 1000:.1f} s"),
    ("total-blocking-time", "TBT", lambda v: f"{v:,.0f} ms"),
    ("interactive", "TTI", lambda v: f"{v / 1000:.1f} s"),
    ("cumulative-layout-shift", "CLS", lambda v: f"{v:.3f}"),
    ("bytes-first", "bytes, first visit", lambda v: f"{v / 1e6:.2f} MB"),
    ("bytes-repeat", "bytes, repeat visit", lambda v: f"{v / 1e3:,.0f} kB"),
    ("benchmark-index", "CPU benchmark index", lambda v: f"{v:,.0f}"),
)


def start_app(app_dir: Path, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "PYTHONDONTWRITEBYTECODE": "1",
           "APP_ENV": "development"}
    for name in ("REDIS_URL", "DASHBOARD_USERS"):
        env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "app.py", "--demo", "--port", str(port)],
                            cwd=app_dir, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300  # the first start seeds 300 sellers
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited with {proc.returncode}")
        try:
            if requests.get(url + "healthz", timeout=2).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("app.py did not answer /healthz within 300 s")


def start_chromium(profile: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(
        [CHROME, "--headless=new", "--no-sandbox", f"--remote-debugging-port={port}",
         f"--user-data-dir={profile}", "--no-first-run", "--disable-extensions",
         "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/json/version", timeout=1)
            return proc, port
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("chromium did not open its debugging port")


def lighthouse(url: str, preset: str, port: int, out: Path, *, repeat: bool) -> dict:
    args = [str(LIGHTHOUSE), url, f"--port={port}", "--output=json", f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}", "--quiet"]
    if preset == "desktop":
        args.append("--preset=desktop")
    if repeat:
        args.append("--disable-storage-reset")
    subprocess.run(args, check=True, timeout=600)
    return json.loads(out.read_text())


def figures(first: dict, repeat: dict) -> dict[str, float]:
    audits = first["audits"]
    row = {c: first["categories"][c]["score"] for c in CATEGORIES}
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                  "interactive", "cumulative-layout-shift"):
        row[audit] = audits[audit]["numericValue"]
    row["bytes-first"] = audits["total-byte-weight"]["numericValue"]
    row["bytes-repeat"] = repeat["audits"]["total-byte-weight"]["numericValue"]
    row["benchmark-index"] = first["environment"]["benchmarkIndex"]
    return row


def failing(report: dict) -> list[str]:
    """Audit ids of the accessibility and best-practices categories that did not pass."""
    out = []
    for category in ("accessibility", "best-practices"):
        for ref in report["categories"][category]["auditRefs"]:
            score = report["audits"][ref["id"]]["score"]
            if ref["weight"] and score is not None and score < 1:
                out.append(ref["id"])
    return out


def measure(urls: dict[str, str], runs: int, keep: Path,
            presets: tuple[str, ...] = PRESETS) -> tuple[dict, dict]:
    """Medians per app and preset, and the audits that failed in any run."""
    rows = {(label, preset): [] for label in urls for preset in presets}
    failed = {key: set() for key in rows}
    for run in range(runs):
        for preset in presets:
            for label, url in urls.items():
                with tempfile.TemporaryDirectory(prefix="lh-profile-") as profile:
                    chrome, port = start_chromium(Path(profile))
                    try:
                        name = f"{label}-{preset}-{run}"
                        first = lighthouse(url, preset, port, keep / f"{name}-first.json",
                                           repeat=False)
                        repeat = lighthouse(url, preset, port, keep / f"{name}-repeat.json",
                                            repeat=True)
                    finally:
                        chrome.terminate()
                        chrome.wait(timeout=30)
                rows[label, preset].append(figures(first, repeat))
                failed[label, preset].update(failing(first))
                print(label, preset, run + 1,
                      {k: round(v, 3) for k, v in rows[label, preset][-1].items()}, flush=True)
    medians = {key: {m: statistics.median(r[m] for r in values) for m, *_ in METRICS}
               for key, values in rows.items()}
    return medians, {key: sorted(value) for key, value in failed.items()}


def table(medians: dict, label: str, presets: tuple[str, ...] = PRESETS) -> str:
    lines = ["| preset | " + " | ".join(h for _, h, _ in METRICS) + " |",
             "|---" * (len(METRICS) + 1) + "|"]
    for preset in presets:
        row = medians[label, preset]
        lines.append(f"| {preset} | " + " | ".join(show(row[k]) for k, _, show in METRICS)
                     + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--app", action="append", metavar="LABEL=DIR",
                        help="an app to measure (repeatable); default after=.")
    parser.add_argument("--preset", choices=PRESETS, help="one preset only (default: both)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        parser.error("npm install --prefix bench/.lighthouse lighthouse@12.8.2 first")
    apps = dict(item.split("=", 1) for item in args.app or ["after=."])
    presets = (args.preset,) if args.preset else PRESETS
    keep = ROOT / "bench" / "results" / "lighthouse"
    keep.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    started, urls, data_dirs = [], {}, []
    try:
        for label, directory in apps.items():
            data_dirs.append(Path(tempfile.mkdtemp(prefix=f"lh-demo-{label}-")))
            proc, urls[label] = start_app(Path(directory).resolve(), data_dirs[-1])
            started.append(proc)
        medians, failures = measure(urls, args.runs, keep, presets)
    finally:
        for proc in started:
            proc.terminate()
            proc.wait(timeout=30)
        for data_dir in data_dirs:
            shutil.rmtree(data_dir, ignore_errors=True)
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    chrome = subprocess.run([CHROME, "--version"], capture_output=True, text=True,
                            check=False).stdout.strip()
    command = "python bench/lighthouse.py --runs {} {}{}".format(
        args.runs, " ".join(f"--app {label}={d}" for label, d in apps.items()),
        f" --preset {args.preset}" if args.preset else "")
    for label in apps:
        text = "\n".join([
            f"{machine()} (load average {load_before:.1f} at the start); Lighthouse {version}, "
            f"{chrome} headless; median of {args.runs} runs per preset, the apps taking turns: "
            f"`{command}`.",
            "",
            table(medians, label, presets),
            "",
            *(f"Audits failed in at least one {preset} run: "
              f"{', '.join(failures[label, preset]) or 'none'}." for preset in presets),
        ])
        print(f"## {label}\n{text}\n")
        if args.write:
            write_section(f"Lighthouse: {label}", f"lighthouse-{label}", text)
    if args.write:
        print(f"written to {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
