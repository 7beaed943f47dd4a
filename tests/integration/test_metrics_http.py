"""GET /api/dashboard over real HTTP on a store filled through the webhook."""

from __future__ import annotations

from datetime import datetime

import requests

from tests.helpers import Seller

BOOKED = ["Hi, thinking about selling my house", "needs a new roof", "around 450k",
          "relocating for work, need to move in 30 days", "yes that works",
          "1420 Juniper Ave, Fontana", "the first one"]


def test_metrics401_dashboard_over_http_has_the_spec_fields(live_server):
    maria = Seller(live_server.url, contact="maria")
    for text in BOOKED:
        maria.says(text)
    Seller(live_server.url, contact="tom").says("hello")

    response = requests.get(f"{live_server.url}/api/dashboard", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert datetime.fromisoformat(body["as_of"])
    assert body["stale"] is False and body["stale_since"] is None
    hero = body["hero"]
    assert hero["active_conversations"] == {"value": 1, "delta": 1, "previous": 0, "note": None}
    assert hero["qualification_rate"]["value"] == 0.5
    assert hero["qualification_rate"]["delta"] is None  # nobody existed 24 h ago
    # maria is hot but booked: no hot lead needs action (she did for one message: +1 -1).
    assert hero["hot_leads"]["value"] == 0 and hero["hot_leads"]["delta"] == 0
    rt = hero["response_time_ms"]
    assert rt["samples"] == 8 and 0 < rt["p50"] <= rt["p95"] and rt["delta"] is None
    assert body["by_temperature"] == {"hot": 1, "warm": 0, "cold": 1}
    assert body["by_stage"]["booked"] == 1 and body["by_stage"]["condition"] == 1
    assert sum(body["by_stage"].values()) == body["total_conversations"] == 2
    assert len(body["messages"]["buckets"]) == 24
    assert sum(body["messages"]["series"]["inbound"]) == 8

    week = requests.get(f"{live_server.url}/api/dashboard?range=7d", timeout=10).json()
    assert week["range"] == "7d" and len(week["response_times"]["buckets"]) == 168

    month = requests.get(f"{live_server.url}/api/dashboard?range=30d", timeout=10).json()
    assert len(month["messages"]["buckets"]) == 720
    # Hours older than the kept history are missing (None), not zero.
    assert month["messages"]["series"]["inbound"][0] is None
    assert sum(v or 0 for v in month["messages"]["series"]["inbound"]) == 8
    assert month["window"]["label"] == "last 30 days"

    bad = requests.get(f"{live_server.url}/api/dashboard?range=1y", timeout=10)
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "range"
    bad = requests.get(f"{live_server.url}/api/dashboard?range=custom&start=2026-01-05"
                       "&end=2026-01-01", timeout=10)
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "end"
