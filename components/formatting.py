"""Numbers, times and labels as people read them; pure functions, no Dash.

Every formatter takes ``None`` for "not known" and then returns the ``missing`` text instead of
inventing a zero.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NO_DATA = "no data yet"
UNKNOWN = "unknown"
EMPTY_STORE = ("No conversations yet: point your GoHighLevel webhook at "
               "/webhooks/ghl/inbound or run with --demo.")


def money(value: float | int | None, missing: str = UNKNOWN) -> str:
    """$412,000 (whole dollars)."""
    if value is None:
        return missing
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(round(value)):,}"


def compact(value: float | int | None, missing: str = UNKNOWN) -> str:
    """950, 1.2k, 12k, 1.2M: short counts for cards and axes."""
    if value is None:
        return missing
    sign = "-" if value < 0 else ""
    n = abs(value)
    for limit, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if n >= limit:
            scaled = n / limit
            text = f"{scaled:.1f}" if scaled < 10 else f"{scaled:.0f}"
            return f"{sign}{text.removesuffix('.0')}{suffix}"
    return f"{sign}{n:,.0f}" if float(n).is_integer() else f"{sign}{n:,.1f}"


def money_compact(value: float | int | None, missing: str = UNKNOWN) -> str:
    """$1.2M, $450k: money where space is short (cards)."""
    if value is None:
        return missing
    if abs(value) < 10_000:
        return money(value)
    text = compact(abs(value))
    return f"{'-' if value < 0 else ''}${text}"


def percent(ratio: float | None, missing: str = UNKNOWN, digits: int = 1) -> str:
    """0.234 -> 23.4%."""
    if ratio is None:
        return missing
    return f"{ratio * 100:.{digits}f}%"


def milliseconds(ms: float | None, missing: str = UNKNOWN) -> str:
    """840 ms, 1.5 s."""
    if ms is None:
        return missing
    if ms >= 1000:
        return f"{ms / 1000:.1f} s"
    if ms >= 10:
        return f"{ms:.0f} ms"
    return f"{ms:.1f} ms"


def parse_time(value: str | datetime | None) -> datetime | None:
    """An aware datetime from an ISO string (naive input is taken as UTC)."""
    if isinstance(value, datetime):
        at = value
    else:
        try:
            at = datetime.fromisoformat(value)
        except (TypeError, ValueError):  # None, "", or anything a browser store sent back
            return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def ago(at: str | datetime | None, now: datetime, missing: str = UNKNOWN) -> str:
    """just now, 45 s ago, 12 min ago, 3 h ago, 2 d ago."""
    moment = parse_time(at)
    if moment is None:
        return missing
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 5:
        return "just now"
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def clock_time(at: str | datetime | None, timezone: str, missing: str = UNKNOWN) -> str:
    """10:42 in the team's time zone."""
    moment = parse_time(at)
    if moment is None:
        return missing
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


def date_time(at: str | datetime | None, timezone: str, missing: str = UNKNOWN) -> str:
    """Tue Mar 4, 10:30 AM in the team's time zone (appointments, transcript)."""
    moment = parse_time(at)
    if moment is None:
        return missing
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%a %b} {local.day}, {local:%I:%M %p}".replace(" 0", " ")


def timeline(days: int | None, missing: str = UNKNOWN) -> str:
    """How soon the seller wants to sell: ASAP, 30 days, ~3 months, ~1.5 years."""
    if days is None:
        return missing
    if days <= 0:
        return "ASAP"
    if days == 1:
        return "1 day"
    if days <= 60:
        return f"{days} days"
    if days < 365:
        return f"~{round(days / 30)} months"
    years = days / 365
    return "~1 year" if round(years, 1) == 1 else f"~{years:.1f} years".replace(".0 ", " ")


def label(value: str | None, missing: str = UNKNOWN) -> str:
    """A stored code as words: opted_out -> opted out, job_relocation -> job relocation."""
    if value is None or value == "":
        return missing
    return value.replace("_", " ")


def text(value: str | None, missing: str = UNKNOWN) -> str:
    """Text as it was written (an address)."""
    return value or missing


# An extracted field's value by its kind (services.dashboard_models.FieldView).
BY_KIND = {"money": money, "days": timeline, "code": label, "text": text}


def signed(value: float | int, text: str) -> str:
    """Prefix a formatted magnitude with + or − (a true minus sign reads better)."""
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text
