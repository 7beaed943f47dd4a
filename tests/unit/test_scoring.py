"""Lead score parts and temperature thresholds (seller_bot/scoring.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from seller_bot.models import Conversation
from seller_bot.scoring import BuyBox, lead_score, score_parts, temperature

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
BOX = BuyBox(200_000, 800_000)


def conv(**fields) -> Conversation:
    return Conversation(contact_id="c", location_id="l", created_at=NOW, last_activity_at=NOW,
                        **fields)


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, 0),
    ({"condition": "minor_repairs"}, 10),
    ({"price_expectation": 450_000}, 20),
    ({"price_expectation": 900_000}, 10),
    ({"price_expectation": 200_000}, 20),
    ({"price_expectation": 800_000}, 20),
    ({"timeline_days": 30}, 30),
    ({"timeline_days": 31}, 20),
    ({"timeline_days": 90}, 20),
    ({"timeline_days": 91}, 10),
    ({"motivation": "divorce"}, 20),
    ({"motivation": "downsizing"}, 10),
    ({"motivation": "other"}, 10),
    ({"offer_response": "declined"}, 0),
    ({"price_expectation": 300_000, "offer_response": "declined"}, 10),
    ({"condition": "major_repairs", "price_expectation": 450_000, "motivation": "foreclosure",
      "timeline_days": 14, "offer_response": "accepted"}, 100),
    ({"condition": "major_repairs", "price_expectation": 450_000, "motivation": "upsizing",
      "timeline_days": 120}, 50),
])
def test_score001_parts_add_up(fields, expected):
    parts = score_parts(conv(**fields), BOX)
    assert lead_score(parts) == expected
    assert all(part.points != 0 for part in parts)


@pytest.mark.parametrize(("score", "temp"), [(100, "hot"), (75, "hot"), (74, "warm"),
                                             (45, "warm"), (44, "cold"), (0, "cold")])
def test_score002_temperature_thresholds(score, temp):
    assert temperature(score) == temp
