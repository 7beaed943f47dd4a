"""A small typed client for the GoHighLevel API calls the bot makes (httpx: timeouts, pooling).

Not the official ``gohighlevel-api-client`` package: see docs/ghl.md. Every call answers a
typed result or raises ``GhlError`` saying whether (and when) a retry makes sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from core.settings import Settings


@dataclass(frozen=True)
class RateInfo:
    """GoHighLevel's X-RateLimit-* headers of one answer (None: header absent)."""

    remaining: int | None = None
    limit: int | None = None
    interval_ms: int | None = None
    daily_remaining: int | None = None

    @classmethod
    def from_headers(cls, headers: httpx.Headers) -> RateInfo:
        def number(name: str) -> int | None:
            try:
                return int(float(headers[name]))
            except (KeyError, ValueError):
                return None

        return cls(remaining=number("X-RateLimit-Remaining"), limit=number("X-RateLimit-Max"),
                   interval_ms=number("X-RateLimit-Interval-Milliseconds"),
                   daily_remaining=number("X-RateLimit-Daily-Remaining"))

    def exhausted_for(self) -> float | None:
        """Seconds to hold this location's calls when the burst or day budget is used up."""
        if self.daily_remaining is not None and self.daily_remaining <= 0:
            return 60.0
        if self.remaining is not None and self.remaining <= 0:
            return (self.interval_ms or 10_000) / 1000
        return None


class GhlError(Exception):
    """A call that failed; ``retryable`` with ``retry_after`` seconds (None: use backoff)."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool,
                 retry_after: float | None = None, rate: RateInfo | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        self.rate = rate or RateInfo()


@dataclass(frozen=True)
class Answer:
    status: int
    data: dict
    rate: RateInfo


@dataclass(frozen=True)
class Contact:
    name: str | None
    phone: str | None


def retry_after_seconds(response: httpx.Response, rate: RateInfo) -> float | None:
    """Retry-After (seconds or HTTP date), else the rate-limit interval when none remain."""
    value = response.headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC))
                           .total_seconds())
            except (TypeError, ValueError):
                pass
    return rate.exhausted_for()


class GhlClient:
    """One pooled HTTP client per process; thread-safe (httpx.Client is)."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.http = httpx.Client(
            base_url=settings.ghl_api_base,
            headers={"Authorization": f"Bearer {settings.ghl_api_token or ''}",
                     "Accept": "application/json"},
            timeout=httpx.Timeout(settings.ghl_timeout_seconds,
                                  connect=min(5.0, settings.ghl_timeout_seconds)),
            limits=httpx.Limits(max_connections=settings.ghl_max_connections,
                                max_keepalive_connections=settings.ghl_max_connections),
            transport=transport)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, version: str, **kwargs) -> Answer:
        try:
            response = self.http.request(method, path, headers={"Version": version}, **kwargs)
        except httpx.TimeoutException as exc:
            raise GhlError(f"{method} {path}: timeout", retryable=True) from exc
        except httpx.TransportError as exc:
            raise GhlError(f"{method} {path}: {type(exc).__name__}", retryable=True) from exc
        rate = RateInfo.from_headers(response.headers)
        if response.status_code == 429 or response.status_code >= 500:
            raise GhlError(f"{method} {path}: HTTP {response.status_code}",
                           status=response.status_code, retryable=True, rate=rate,
                           retry_after=retry_after_seconds(response, rate))
        if response.status_code >= 400:
            raise GhlError(f"{method} {path}: HTTP {response.status_code} {response.text[:200]}",
                           status=response.status_code, retryable=False, rate=rate)
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        return Answer(response.status_code, data if isinstance(data, dict) else {}, rate)

    # -- the calls ---------------------------------------------------------------------
    def send_sms(self, contact_id: str, message: str) -> Answer:
        return self.request("POST", "/conversations/messages",
                            self.settings.ghl_version_conversations,
                            json={"type": "SMS", "contactId": contact_id, "message": message})

    def add_tags(self, contact_id: str, tags: list[str]) -> Answer:
        return self.request("POST", f"/contacts/{contact_id}/tags",
                            self.settings.ghl_version_contacts, json={"tags": tags})

    def remove_tags(self, contact_id: str, tags: list[str]) -> Answer:
        return self.request("DELETE", f"/contacts/{contact_id}/tags",
                            self.settings.ghl_version_contacts, json={"tags": tags})

    def update_custom_fields(self, contact_id: str, fields: dict[str, str]) -> Answer:
        """Only ``customFields``: sending ``tags`` here would overwrite all of them."""
        body = {"customFields": [{"key": key, "field_value": value}
                                 for key, value in fields.items()]}
        return self.request("PUT", f"/contacts/{contact_id}",
                            self.settings.ghl_version_contacts, json=body)

    def get_contact(self, contact_id: str) -> tuple[Contact, Answer]:
        answer = self.request("GET", f"/contacts/{contact_id}",
                              self.settings.ghl_version_contacts)
        data = answer.data.get("contact") or {}
        name = data.get("name") or " ".join(
            part for part in (data.get("firstName"), data.get("lastName")) if part)
        return Contact(name=name or None, phone=data.get("phone") or None), answer

    def location_name(self, location_id: str) -> str | None:
        """The sub-account's name in GoHighLevel (scope ``locations.readonly``)."""
        answer = self.request("GET", f"/locations/{location_id}",
                              self.settings.ghl_version_locations)
        name = (answer.data.get("location") or {}).get("name")
        return (name.strip() or None) if isinstance(name, str) else None

    def free_slots(self, calendar_id: str, start: datetime, end: datetime,
                   timezone: str) -> list[datetime]:
        """Free start times between ``start`` and ``end``, earliest first."""
        answer = self.request(
            "GET", f"/calendars/{calendar_id}/free-slots", self.settings.ghl_version_calendars,
            params={"startDate": int(start.timestamp() * 1000),
                    "endDate": int(end.timestamp() * 1000), "timezone": timezone})
        slots = []
        for day in answer.data.values():
            for value in (day.get("slots") or []) if isinstance(day, dict) else []:
                try:
                    slots.append(datetime.fromisoformat(value.replace("Z", "+00:00")))
                except (AttributeError, ValueError):
                    continue
        return sorted(slot for slot in slots if slot.tzinfo is not None)

    def create_appointment(self, calendar_id: str, location_id: str, contact_id: str,
                           start_time: str) -> Answer:
        return self.request("POST", "/calendars/events/appointments",
                            self.settings.ghl_version_calendars,
                            json={"calendarId": calendar_id, "locationId": location_id,
                                  "contactId": contact_id, "startTime": start_time})
