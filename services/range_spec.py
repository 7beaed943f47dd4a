"""The dashboard's range: a preset (24 h, 7 days, 30 days) or custom local dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.schema import HOUR, hour_of
from services.table.query import InvalidQuery

RANGE_HOURS = {"24h": 24, "7d": 7 * 24, "30d": 30 * 24}
RANGES = (*RANGE_HOURS, "custom")
RANGE_LABELS = {"24h": "last 24 h", "7d": "last 7 days", "30d": "last 30 days"}
MAX_CUSTOM_DAYS = 31


class InvalidRange(InvalidQuery):
    """A bad range parameter; ``parameter`` names it (the API answers 422)."""


@dataclass(frozen=True)
class RangeSpec:
    """The page's range: a preset (24h, 7d, 30d) or custom local dates, both inclusive."""

    name: str = "24h"
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, name: str | None, start: str | None = None,
              end: str | None = None) -> RangeSpec:
        """From the URL's ``range``, ``start`` and ``end`` (YYYY-MM-DD); raises InvalidRange."""
        name = name or "24h"
        if name not in RANGES:
            raise InvalidRange("range", f"expected one of {', '.join(RANGES)}")
        if name != "custom":
            return cls(name)
        days = {}
        for parameter, value in (("start", start), ("end", end)):
            try:
                days[parameter] = date.fromisoformat(value or "")
            except ValueError:
                raise InvalidRange(parameter, "expected a date YYYY-MM-DD") from None
        if days["end"] < days["start"]:
            raise InvalidRange("end", "must not be before start")
        if (days["end"] - days["start"]).days >= MAX_CUSTOM_DAYS:
            raise InvalidRange("end", f"a custom range spans at most {MAX_CUSTOM_DAYS} days")
        return cls(name, days["start"], days["end"])

    @property
    def key(self) -> str:
        return self.name if self.name != "custom" else f"custom:{self.start}:{self.end}"

    def hours(self, now: float, timezone: str) -> tuple[int, int]:
        """(first, last) hour starts covered, the last one not after the current hour."""
        current = hour_of(now)
        if self.name != "custom":
            return current - (RANGE_HOURS[self.name] - 1) * HOUR, current
        zone = ZoneInfo(timezone)
        first = datetime.combine(self.start, time(), zone).timestamp()
        after = datetime.combine(self.end + timedelta(days=1), time(), zone).timestamp()
        return hour_of(first), min(current, hour_of(after - 1))

    def label(self) -> str:
        if self.name != "custom":
            return RANGE_LABELS[self.name]
        if self.start == self.end:
            return f"{self.start:%b} {self.start.day}"
        return f"{self.start:%b} {self.start.day} – {self.end:%b} {self.end.day}"
