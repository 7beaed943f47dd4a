"""With REDIS_URL unset the app uses an embedded Redis whose data survives a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.helpers import inbound
from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def start_app(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DATA_DIR"] = str(data_dir)
    # Run in the data folder: no local .env of the checkout is read.
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)],
                               cwd=data_dir, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return process
        except requests.RequestException:  # not listening yet, or too busy to answer
            pass
        time.sleep(0.2)  # the polling interval
    process.kill()
    raise RuntimeError("app did not start")


def stop_app(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_restart001_conversations_survive_restart(tmp_path):
    port = free_port()
    first = start_app(tmp_path, port)
    try:
        response = requests.post(f"http://127.0.0.1:{port}/webhooks/ghl/inbound",
                                 json=inbound("selling my house, needs a roof", contact="r1"),
                                 timeout=10)
        assert response.json()["status"] == "processed"
    finally:
        stop_app(first)
    assert list(tmp_path.glob("*.rdb")) or list(tmp_path.glob("*.aof"))
    second = start_app(tmp_path, port)
    try:
        state = requests.get(f"http://127.0.0.1:{port}/api/conversations/r1", timeout=10).json()
        assert state["condition"] == "major_repairs"
        assert state["transcript"][0]["body"] == "selling my house, needs a roof"
    finally:
        stop_app(second)
