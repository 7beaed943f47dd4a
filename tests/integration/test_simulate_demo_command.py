"""The README's first command: ``python app.py --demo`` opens on a living, seeded dashboard."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.redis_server import free_port
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]


class DemoApp:
    """``python app.py --demo`` in a subprocess with its own DATA_DIR."""

    def __init__(self, data_dir: Path, *extra: str) -> None:
        self.port = free_port()
        env = {key: value for key, value in os.environ.items()
               if key not in ("REDIS_URL", "WEBHOOK_SECRET", "APP_ENV", "DASHBOARD_USERS")}
        # No KPI cache, so two reads a few seconds apart show what changed in between.
        env.update(DATA_DIR=str(data_dir), CACHE_KPI_SECONDS="0", PYTHONUNBUFFERED="1")
        # Run in the data folder: no local .env of the checkout is read.
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--demo", "--port", str(self.port), *extra],
            cwd=data_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stdout.read()
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or too busy to answer
                pass
            time.sleep(0.3)  # the polling interval
        raise AssertionError("the demo app did not start")

    def dashboard(self) -> dict:
        response = requests.get(f"{self.url}/api/dashboard", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def stop(self) -> str:
        """SIGTERM, as a supervisor stops it; returns everything it printed."""
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, output
        return output


def test_sim007_app_demo_seeds_once_and_keeps_moving(tmp_path):
    demo = DemoApp(tmp_path)
    try:
        demo.wait_until_up()
        first = demo.dashboard()
        assert first["total_conversations"] >= 300
        assert set(first["by_stage"]) >= {"condition", "price", "motivation", "offer",
                                          "qualified", "booked", "declined", "opted_out"}
        # A live message every 2-5 s.
        until(lambda: demo.dashboard()["version"] != first["version"], 30,
              msg="the demo did not move")
    finally:
        output = demo.stop()
    assert "seeding" in output
    assert (tmp_path / "demo" / "sellerbot.rdb").exists()

    again = DemoApp(tmp_path)
    try:
        again.wait_until_up()
        assert 300 <= again.dashboard()["total_conversations"] < 400  # not seeded twice
    finally:
        output = again.stop()
    assert "demo data already there" in output
