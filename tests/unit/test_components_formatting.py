"""Numbers, times and labels as the dashboard prints them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from components import formatting as fmt

NOW = datetime(2026, 3, 2, 18, 42, tzinfo=UTC)


@pytest.mark.parametrize(("value", "text"), [
    (412_000, "$412,000"), (0, "$0"), (1_250_000.4, "$1,250,000"), (-5000, "-$5,000"),
    (None, "unknown"),
])
def test_fmt001_money(value, text):
    assert fmt.money(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (950, "950"), (1000, "1k"), (1234, "1.2k"), (12_345, "12k"), (999_999, "1000k"),
    (1_200_000, "1.2M"), (3_000_000_000, "3B"), (-1500, "-1.5k"), (2.5, "2.5"), (None, "unknown"),
])
def test_fmt002_compact(value, text):
    assert fmt.compact(value) == text


def test_fmt003_money_compact_and_percent_and_ms():
    assert fmt.money_compact(9_760_000) == "$9.8M"
    assert fmt.money_compact(585_600) == "$586k"
    assert fmt.money_compact(4_500) == "$4,500"
    assert fmt.percent(0.3556) == "35.6%"
    assert fmt.percent(None, fmt.NO_DATA) == "no data yet"
    assert fmt.milliseconds(0.776) == "0.8 ms"
    assert fmt.milliseconds(840.2) == "840 ms"
    assert fmt.milliseconds(1534) == "1.5 s"


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "just now"), (4, "just now"), (45, "45 s ago"), (12 * 60 + 5, "12 min ago"),
    (3 * 3600, "3 h ago"), (2 * 86400 + 5, "2 d ago"), (-30, "just now"),
])
def test_fmt004_ago(seconds, text):
    assert fmt.ago((NOW - timedelta(seconds=seconds)).isoformat(), NOW) == text


def test_fmt005_ago_and_times_of_missing_or_naive_values():
    assert fmt.ago(None, NOW) == "unknown"
    assert fmt.ago("2026-03-02T18:30:00", NOW) == "12 min ago"  # naive means UTC
    assert fmt.clock_time("2026-03-02T18:42:00+00:00", "America/Los_Angeles") == "10:42"
    assert fmt.date_time("2026-03-03T17:30:00+00:00", "America/Los_Angeles") == \
        "Tue Mar 3, 9:30 AM"


@pytest.mark.parametrize(("days", "text"), [
    (None, "unknown"), (0, "ASAP"), (1, "1 day"), (30, "30 days"), (60, "60 days"),
    (90, "~3 months"), (365, "~1 year"), (540, "~1.5 years"), (730, "~2 years"),
])
def test_fmt007_timeline(days, text):
    assert fmt.timeline(days) == text


def test_fmt008_labels_and_signs():
    assert fmt.label("opted_out") == "opted out"
    assert fmt.label(None) == "unknown"
    assert fmt.signed(3, "3") == "+3"
    assert fmt.signed(-3, "3") == "−3"
    assert fmt.signed(0, "0") == "0"
