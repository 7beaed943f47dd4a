"""The one interface the dashboard's callbacks and the JSON API read and command through.

Queries: the dashboard for a range and its data version, a table page (cached), the export's
rows and CSV, one conversation's detail (with its dead letters), the clock. Commands: pause /
resume, record an appointment outcome, delete, retry a dead letter. Conversations change only
through the bot (``SellerBot``); the commands hand back the detail the conversation has after
them, built the same way as the query's.

Redis errors are turned into one exception here, and only here: a store that cannot be read
(``core.redis_client.CANNOT_READ``) raises ``DataUnavailable`` from every method.

Locations are checked here, and only here. ``scope`` says which locations the caller (the
signed-in user of the request) may see, None for all. A read names the locations it wants (none:
every location the caller may see): one outside the scope raises ``LocationForbidden``, one the
store and ``LOCATIONS`` do not know raises ``UnknownLocation``. A command or a detail of a
conversation outside the scope finds nothing, exactly as for a conversation that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

import redis

from core.clock import utc_now
from core.keys import ID_PATTERN, LOCATION_NAMES
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
__all__ = ["APPOINTMENT_OUTCOMES", "STAGES", "TEMPERATURES", "DataUnavailable",
           "LocationForbidden", "LocationRefused", "NoAppointment", "Services",
           "UnknownLocation", "readable"]

Scope = Callable[[], frozenset[str] | None]


class LocationRefused(ValueError):
    """A read named locations it cannot have; ``location_ids`` are those."""

    def __init__(self, location_ids: Iterable[str], message: str) -> None:
        self.location_ids = sorted(location_ids)
        super().__init__(f"{message}: {', '.join(self.location_ids)}")


class UnknownLocation(LocationRefused):
    """No such location: not in the store, not in LOCATIONS (the API answers 422)."""

    def __init__(self, location_ids: Iterable[str]) -> None:
        super().__init__(location_ids, "unknown location")


class LocationForbidden(LocationRefused):
    """The caller may not see these locations (the API answers 403)."""

    def __init__(self, location_ids: Iterable[str]) -> None:
        super().__init__(location_ids, "not one of your locations")


def all_locations() -> None:
    """The default scope: every location (no user limit)."""


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
                 outbox: OutboxService | None = None,
                 scope: Scope = all_locations) -> None:
        self.settings = settings
        self._redis = client
        self._scope = scope
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

    # -- locations -----------------------------------------------------------------------
    def locations(self) -> dict[str, str]:
        """Location id -> name of every location the caller may choose, ordered by name: the
        ones with data and the ones LOCATIONS names (a limited user: theirs)."""
        names = self.location_names()
        return dict(sorted(((loc, names.get(loc, loc)) for loc in self._choosable()),
                           key=lambda pair: (pair[1].casefold(), pair[0])))

    def _choosable(self) -> set[str] | frozenset[str]:
        """The ids of the locations the caller may choose (no names: a check needs none)."""
        allowed = self._scope()
        if allowed is not None:
            return allowed
        with readable():
            return {*self._bot.store.locations(), *self.settings.location_names}

    def location_names(self) -> dict[str, str]:
        """Location id -> display name: LOCATIONS first, else the name GoHighLevel gave the
        relay (ghl/location_names.py); a location with neither is shown by its id."""
        with readable():
            names = self._redis.hgetall(LOCATION_NAMES)
        names.update((loc, name) for loc, name in self.settings.location_names.items()
                     if name != loc or loc not in names)
        return names

    def in_view(self, requested: Iterable[str] = ()) -> tuple[str, ...]:
        """The locations a read covers: the ``requested`` ones once checked, else every one
        the caller may see (``()``: all, no limit). Raises LocationForbidden or
        UnknownLocation."""
        wanted = sorted(set(requested))
        allowed = self._scope()
        if allowed is not None:
            outside = [loc for loc in wanted if loc not in allowed]
            if outside or not allowed:
                raise LocationForbidden(outside)
            return tuple(wanted or sorted(allowed))
        unknown = [loc for loc in wanted if not ID_PATTERN.match(loc)]
        if wanted and not unknown:
            known = self._choosable()
            unknown = [loc for loc in wanted if loc not in known]
        if unknown:
            raise UnknownLocation(unknown)
        return tuple(wanted)

    def _may_see(self, location_id: str) -> bool:
        allowed = self._scope()
        return allowed is None or location_id in allowed

    @staticmethod
    def _named(row: ConversationRow, names: dict[str, str]) -> ConversationRow:
        return replace(row, location_name=names.get(row.location_id, row.location_id))

    # -- queries -------------------------------------------------------------------------
    def version(self, locations: Iterable[str] = ()) -> str:
        """The data version of the locations (none named: all the caller may see); unchanged
        means no conversation of theirs changed."""
        with readable():
            return self._data.version(self.in_view(locations))

    def dashboard(self, range_: str | RangeSpec = "24h",
                  locations: Iterable[str] = ()) -> DashboardData:
        """Every figure of the page for the range over the locations (none named: all the
        caller may see), merged exactly; the last good data marked stale while Redis is down
        (DataUnavailable when this process has none)."""
        with readable():
            return self._data.dashboard(range_, self.in_view(locations))

    def conversations(self, query: ConversationQuery) -> ConversationsPage:
        """One table page of the query's locations, each row with its location's name, cached
        under the data version (``InvalidQuery`` for a bad query)."""
        with readable():
            page = self._data.conversations(
                replace(query, locations=self.in_view(query.locations)))
        names = self.location_names()
        return replace(page, rows=[self._named(row, names) for row in page.rows])

    def export_rows(self, query: ConversationQuery) -> Iterator[ConversationRow]:
        """Every row matching the table's filters, sort and locations, with full phone numbers
        (the export is for dialing); the query is checked now, the rows are read as they go."""
        with readable():
            rows = self._data.export_rows(replace(
                query, reveal_phone=True, locations=self.in_view(query.locations)))

        def streamed() -> Iterator[ConversationRow]:
            names = self.location_names()
            with readable():
                for row in rows:
                    yield self._named(row, names)

        return streamed()

    def export_lines(self, query: ConversationQuery) -> Iterator[str]:
        """The export as CSV text in chunks (GET /api/export.csv streams them)."""
        return csv_lines(self.export_rows(query))

    def export_csv(self, query: ConversationQuery) -> str:
        """The whole export as one CSV text (the dashboard's download)."""
        return "".join(self.export_lines(query))

    def find_locations(self, contact_id: str) -> list[str]:
        """The locations the caller may see that hold a conversation with this contact."""
        with readable():
            return [loc for loc in self._bot.store.find_locations(contact_id)
                    if self._may_see(loc)]

    def detail(self, location_id: str, contact_id: str) -> dict | None:
        """One conversation as GET /api/conversations/<id> and the drill-down show it (its
        dead letters included), or None when there is no such conversation (or it is in a
        location the caller may not see)."""
        if not self._may_see(location_id):
            return None
        with readable():
            conv = self._bot.store.load(location_id, contact_id)
            if conv is None:
                return None
            data = conversation_detail(
                conv, self.clock(), stalled_after_seconds=self.settings.stalled_after_seconds,
                commission_rate=self.settings.commission_rate)
            data["dead_letters"] = self._outbox.dead_letters(location_id, contact_id)
        data["location_name"] = self.location_names().get(location_id, location_id)
        return data

    # -- commands ------------------------------------------------------------------------
    def set_paused(self, location_id: str, contact_id: str, paused: bool) -> dict | None:
        """Human takeover (pause) or hand back to the bot (resume); the detail after it."""
        if not self._may_see(location_id):
            return None
        with readable():
            changed = self._bot.set_paused(location_id, contact_id, paused)
        return None if changed is None else self.detail(location_id, contact_id)

    def record_outcome(self, location_id: str, contact_id: str, outcome: str) -> dict | None:
        """How the appointment went (one of APPOINTMENT_OUTCOMES); NoAppointment when none
        was booked."""
        if not self._may_see(location_id):
            return None
        with readable():
            changed = self._bot.record_outcome(location_id, contact_id, outcome)
        return None if changed is None else self.detail(location_id, contact_id)

    def delete(self, location_id: str, contact_id: str) -> bool:
        """Forget a seller: the conversation, their queued and dead-lettered actions, and the
        cached table pages that may list them. False when there was no conversation."""
        if not self._may_see(location_id):
            return False
        with readable():
            if not self._bot.store.delete(location_id, contact_id):
                return False
            self._outbox.forget(location_id, contact_id)
            self._data.forget_pages(location_id)
        return True

    def retry_dead_letter(self, location_id: str, contact_id: str, entry_id: str) -> bool:
        """Queue a reply or CRM update that failed for good again; False when there is no
        such dead letter."""
        if not self._may_see(location_id):
            return False
        with readable():
            return self._outbox.retry(location_id, contact_id, entry_id)
