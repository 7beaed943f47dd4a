"""The one interface the dashboard's callbacks and the JSON API read and command through.

Queries: the dashboard for a range and its data version, a table page (cached), the export's
rows and CSV, one conversation's detail (with its dead letters), the clock. Commands: pause /
resume, record an appointment outcome, delete, retry a dead letter. Conversations change only
through the bot (``SellerBot``); the commands hand back the detail the conversation has after
them, built the same way as the query's.

Redis errors are turned into one exception here, and only here: a store that cannot be read
(``core.redis_client.CANNOT_READ``) raises ``DataUnavailable`` from every method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

import redis

from core.clock import utc_now
from core.redis_client import CANNOT_READ
from core.settings import Settings
from seller_bot.bot import NoAppointment, SellerBot
from seller_bot.models import APPOINTMENT_OUTCOMES, STAGES, TEMPERATURES
from services.conversation_view import conversation_detail
from services.csv_export import csv_lines
from services.dashboard_data_service import DashboardDataService, DataUnavailable
from services.dashboard_models import (
    ConversationQuery,
    ConversationRow,
    ConversationsPage,
    DashboardData,
)
from services.outbox_service import OutboxService
from services.range_spec import RangeSpec

# What the dashboard and the API use: the interface, its two exceptions (DataUnavailable from
# every method, NoAppointment from ``record_outcome``) and the choices the dashboard offers
# (table filters, appointment outcomes), named once by the bot.
__all__ = ["APPOINTMENT_OUTCOMES", "STAGES", "TEMPERATURES", "DataUnavailable", "NoAppointment",
           "Services", "readable"]


@contextmanager
def readable() -> Iterator[None]:
    """Turn "the store cannot be read right now" into DataUnavailable."""
    try:
        yield
    except CANNOT_READ as exc:
        raise DataUnavailable(f"Redis is unreachable: {type(exc).__name__}") from exc


class Services:
    """Queries and commands of the dashboard and the API; ``settings`` are theirs to read."""

    def __init__(self, client: redis.Redis, settings: Settings, bot: SellerBot, *,
                 clock: Callable[[], datetime] = utc_now,
                 data: DashboardDataService | None = None,
                 outbox: OutboxService | None = None) -> None:
        self.settings = settings
        self._clock = clock
        self._bot = bot
        self._outbox = outbox or OutboxService(client, settings, bot)
        self._data = data or DashboardDataService(client, settings, store=bot.store,
                                                  clock=clock, outbox=self._outbox)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"  # stable across instances and workers

    # -- queries -------------------------------------------------------------------------
    def clock(self) -> datetime:
        return self._clock()

    def version(self) -> str:
        """The data version of all locations; unchanged means no conversation changed."""
        with readable():
            return self._data.version()

    def dashboard(self, range_: str | RangeSpec = "24h") -> DashboardData:
        """Every figure of the page for the range; the last good data marked stale while Redis
        is down (DataUnavailable when this process has none)."""
        with readable():
            return self._data.dashboard(range_)

    def conversations(self, query: ConversationQuery) -> ConversationsPage:
        """One table page, cached under the data version (``InvalidQuery`` for a bad query)."""
        with readable():
            return self._data.conversations(query)

    def export_rows(self, query: ConversationQuery) -> Iterator[ConversationRow]:
        """Every row matching the table's filters and sort, with full phone numbers (the
        export is for dialing); the query is checked now, the rows are read as they go."""
        with readable():
            rows = self._data.export_rows(replace(query, reveal_phone=True))

        def streamed() -> Iterator[ConversationRow]:
            with readable():
                yield from rows

        return streamed()

    def export_lines(self, query: ConversationQuery) -> Iterator[str]:
        """The export as CSV text in chunks (GET /api/export.csv streams them)."""
        return csv_lines(self.export_rows(query))

    def export_csv(self, query: ConversationQuery) -> str:
        """The whole export as one CSV text (the dashboard's download)."""
        return "".join(self.export_lines(query))

    def find_locations(self, contact_id: str) -> list[str]:
        """The locations that hold a conversation with this contact."""
        with readable():
            return self._bot.store.find_locations(contact_id)

    def detail(self, location_id: str, contact_id: str) -> dict | None:
        """One conversation as GET /api/conversations/<id> and the drill-down show it (its
        dead letters included), or None when there is no such conversation."""
        with readable():
            conv = self._bot.store.load(location_id, contact_id)
            if conv is None:
                return None
            data = conversation_detail(
                conv, self.clock(), stalled_after_seconds=self.settings.stalled_after_seconds,
                commission_rate=self.settings.commission_rate)
            data["dead_letters"] = self._outbox.dead_letters(location_id, contact_id)
        return data

    # -- commands ------------------------------------------------------------------------
    def set_paused(self, location_id: str, contact_id: str, paused: bool) -> dict | None:
        """Human takeover (pause) or hand back to the bot (resume); the detail after it."""
        with readable():
            changed = self._bot.set_paused(location_id, contact_id, paused)
        return None if changed is None else self.detail(location_id, contact_id)

    def record_outcome(self, location_id: str, contact_id: str, outcome: str) -> dict | None:
        """How the appointment went (one of APPOINTMENT_OUTCOMES); NoAppointment when none
        was booked."""
        with readable():
            changed = self._bot.record_outcome(location_id, contact_id, outcome)
        return None if changed is None else self.detail(location_id, contact_id)

    def delete(self, location_id: str, contact_id: str) -> bool:
        """Forget a seller: the conversation, their queued and dead-lettered actions, and the
        cached table pages that may list them. False when there was no conversation."""
        with readable():
            if not self._bot.store.delete(location_id, contact_id):
                return False
            self._outbox.forget(location_id, contact_id)
            self._data.forget_pages(location_id)
        return True

    def retry_dead_letter(self, location_id: str, contact_id: str, entry_id: str) -> bool:
        """Queue a reply or CRM update that failed for good again; False when there is no
        such dead letter."""
        with readable():
            return self._outbox.retry(location_id, contact_id, entry_id)
