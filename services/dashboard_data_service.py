"""Everything the dashboard page shows, in one call, cached in tiers and honest about failure."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import orjson
import redis

from core.clock import utc_now
from core.redis_client import CANNOT_READ
from core.settings import Settings
from seller_bot.store import ConversationStore
from services.appointments import AppointmentsReader
from services.cache import TIER_DISTRIBUTIONS, TIER_KPIS, TieredCache
from services.dashboard_models import (
    Appointments,
    ConversationQuery,
    ConversationRow,
    ConversationsPage,
    DashboardData,
)
from services.metrics_service import DistributionPanel, KpiPanel, MetricsService
from services.outbox_service import OutboxService
from services.range_spec import RangeSpec
from services.table.index import ConversationIndex
from services.table.query import validate

log = logging.getLogger(__name__)

PAGES = "page:"  # cache key namespace of table pages
# Under a stream of writes every read sees a new version: a panel is recomputed at most this
# often (per cached unit, shared by all workers); readers in between get the latest result.
MIN_RECOMPUTE_SECONDS = 1.0


@dataclass(frozen=True)
class AppointmentsPanel:
    as_of: str
    panel: Appointments

    def to_dict(self) -> dict:
        return asdict(self)


def locations_key(locations: Sequence[str]) -> str:
    """The part of a cache key that names a location subset ("" for all locations)."""
    if not locations:
        return ""
    return "@" + hashlib.sha1(",".join(sorted(set(locations))).encode()).hexdigest()[:12]


class DataUnavailable(RuntimeError):
    """Redis is unreachable and this process has no earlier result to show instead."""


class DashboardDataService:
    """The dashboard's one-call read (``dashboard``) and its cheap change check (``version``).

    Panels are cached in the shared RedisCache under the data version they were computed from:
    a read whose version differs recomputes (at most once per MIN_RECOMPUTE_SECONDS per panel),
    so a stored message shows on the next read. The tier's time (KPIs 30 s, distributions
    5 min) bounds an entry's age when nothing is written, as rolling windows slide with time.
    Each panel carries ``as_of`` (listed in ``freshness``); the page's ``as_of`` is the oldest
    of them, the age of the data shown. The completed hours' sums behind the series are kept
    in the trends tier's backend per hour (``MetricsService.summary``). When Redis is
    unreachable the last good result of this process comes back with ``stale=True`` and
    ``stale_since`` (when the failure started), or ``DataUnavailable`` is raised if there is
    none; the next call after Redis is back reads fresh data again.
    """

    def __init__(self, client: redis.Redis, settings: Settings, *,
                 store: ConversationStore | None = None,
                 clock: Callable[[], datetime] = utc_now,
                 cache: TieredCache | None = None,
                 metrics: MetricsService | None = None,
                 outbox: OutboxService | None = None) -> None:
        self.redis = client
        self.settings = settings
        self.clock = clock
        self.store = store or ConversationStore(client, settings)
        self.cache = cache or TieredCache(client, settings)
        self.metrics = metrics or MetricsService(client, settings, clock,
                                                 summaries=self.cache.backend)
        self.appointments = AppointmentsReader(client, settings.timezone, clock)
        self.outbox = outbox or OutboxService(client, settings)
        self.table = ConversationIndex(client, settings, wall_clock=lambda: clock().timestamp())
        self._last_good: dict[str, DashboardData] = {}
        self._failing_since: datetime | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        # Stable across instances and workers, in case anyone memoizes a method of ours.
        return f"{type(self).__name__}()"

    # -- dashboard -------------------------------------------------------------------------
    def version(self, locations: Sequence[str] = ()) -> str:
        """Data version of the locations (none named: all); unchanged means no conversation
        of theirs changed since.

        Rolling 24 h figures still slide with time, so a caller should refresh now and then
        even when the version stays the same.
        """
        return self.metrics.version(locations or None)

    def dashboard(self, range_: str | RangeSpec = "24h",
                  locations: Sequence[str] = ()) -> DashboardData:
        """Every figure of the page for the range (24h, 7d, 30d or a custom RangeSpec) over
        the locations (none named: all), merged exactly; ``as_of`` is the time of the oldest
        panel."""
        spec = range_ if isinstance(range_, RangeSpec) else RangeSpec.parse(range_)
        key = spec.key + locations_key(locations)
        try:
            data = self._read(spec, tuple(sorted(set(locations))))
        except CANNOT_READ as exc:
            return self._last_good_or_raise(key, exc)
        with self._lock:
            if self._failing_since is not None:
                log.info("redis reachable again; dashboard data fresh")
            self._failing_since = None
            self._last_good[key] = data
        return data

    @staticmethod
    def panel_slots(spec: RangeSpec, locations: Sequence[str] = ()) -> dict[str, tuple[str, str]]:
        """(cache tier, key) of each panel the dashboard of ``spec`` over ``locations`` reads."""
        scope = locations_key(locations)
        return {"kpis": (TIER_KPIS, f"dashboard:{spec.key}{scope}"),
                "distributions": (TIER_DISTRIBUTIONS, f"dashboard{scope}"),
                "appointments": (TIER_KPIS, f"appointments{scope}")}

    def _cached(self, entry, tier: str, version: str, now: float, decode: Callable):
        """The panel in a cache entry ``{"version", "at", "value"}`` when it may be served:
        computed from ``version`` within the tier's time, or (a stream of writes) computed
        less than MIN_RECOMPUTE_SECONDS ago; None otherwise, or when the entry was written by
        another release of the app (a rolling deploy). One entry per panel, so the throttle
        is shared by all workers."""
        if not isinstance(entry, dict) or not {"version", "at", "value"} <= entry.keys():
            return None
        age = now - entry["at"]
        if not ((entry["version"] == version and age < self.cache.ttl[tier])
                or 0 <= age < MIN_RECOMPUTE_SECONDS):
            return None
        try:
            return decode(entry["value"])
        except (KeyError, TypeError):
            return None

    def _read(self, spec: RangeSpec, locations: tuple[str, ...]) -> DashboardData:
        """The version, the three panel entries in one MGET, what is missing computed (the
        KPI and distribution panels from one read) and stored in one round trip per tier;
        each location subset has its own entries."""
        only = locations or None
        version = self.metrics.version(only)
        now = self.clock().timestamp()
        slots = self.panel_slots(spec, locations)
        decoders = {"kpis": KpiPanel.from_dict, "distributions": DistributionPanel.from_dict,
                    "appointments": self._appointments_from_dict}
        entries = dict(zip(slots, self.cache.get_many(list(slots.values())), strict=True))
        panels = {name: self._cached(entries[name], slots[name][0], version, now,
                                     decoders[name]) for name in slots}
        computed = {}
        if panels["kpis"] is None:
            if panels["distributions"] is None:
                panels["kpis"], panels["distributions"] = \
                    self.metrics.kpis_and_distributions(spec, only)
                computed["distributions"] = panels["distributions"]
            else:
                panels["kpis"] = self.metrics.kpis(spec, only)
            computed["kpis"] = panels["kpis"]
        elif panels["distributions"] is None:
            panels["distributions"] = computed["distributions"] = \
                self.metrics.distributions(only)
        if panels["appointments"] is None:
            panels["appointments"] = computed["appointments"] = self._appointments(only)
        # Panels go to the cache as they are: orjson writes dataclasses directly.
        self.cache.put_many({slots[name]: {"version": getattr(panel, "version", version),
                                           "at": now, "value": panel}
                             for name, panel in computed.items()})
        kpis, distributions, appointments = (panels["kpis"], panels["distributions"],
                                             panels["appointments"])
        freshness = {"kpis": kpis.as_of, "distributions": distributions.as_of,
                     "trends": kpis.as_of, "appointments": appointments.as_of}
        return DashboardData(
            as_of=min(freshness.values()), stale=False, stale_since=None,
            version=kpis.version, range=spec.name,
            total_conversations=kpis.total_conversations, hero=kpis.hero,
            by_temperature=kpis.by_temperature, by_stage=kpis.by_stage,
            funnel=distributions.funnel, distributions=distributions.distributions,
            messages=kpis.messages, response_times=kpis.response_times,
            freshness=freshness, stalled_conversations=kpis.stalled_conversations,
            needs_human=kpis.needs_human, window=kpis.window, heatmap=kpis.heatmap,
            appointments=appointments.panel,
            outbox=self.outbox.summary((lambda: list(locations)) if locations
                                       else self.store.locations))

    def _appointments(self, only: Sequence[str] | None) -> AppointmentsPanel:
        return AppointmentsPanel(as_of=self.clock().isoformat(),
                                 panel=self.appointments.read(only))

    @staticmethod
    def _appointments_from_dict(data: dict) -> AppointmentsPanel:
        return AppointmentsPanel(as_of=data["as_of"],
                                 panel=Appointments.from_dict(data["panel"]))

    def _last_good_or_raise(self, range_: str, exc: Exception) -> DashboardData:
        with self._lock:
            if self._failing_since is None:
                self._failing_since = self.clock()
                log.warning("redis unreachable; serving the last dashboard data as stale: %s",
                            exc)
            since = self._failing_since.isoformat()
            last = self._last_good.get(range_)
        if last is None:
            raise DataUnavailable(
                f"Redis is unreachable (since {since}) and there is no earlier data to show"
            ) from exc
        return replace(last, stale=True, stale_since=since)

    # -- conversation table ----------------------------------------------------------------
    def conversations(self, query: ConversationQuery) -> ConversationsPage:
        """One page of the conversation table (services/table/index.py).

        Cached in the 30 s tier under the data version: repeated reads of a page cost two
        small GETs, and any write (a message, a pause) shows on the next read.
        """
        validate(query)
        # Hashed: a search term (a name, a phone number) never appears in a key name.
        version = self.metrics.version(query.locations or None)
        key = hashlib.sha256(f"{version}:{orjson.dumps(asdict(query)).decode()}".encode())
        return ConversationsPage.from_dict(self.cache.get_or_compute(
            TIER_KPIS, f"{PAGES}{key.hexdigest()}", lambda: self.table.page(query).to_dict()))

    def forget_pages(self, location_id: str) -> None:
        """Drop cached table pages after a deletion: they may hold the deleted seller. Pages
        mix locations, so every page goes (``location_id`` is for the log)."""
        dropped = self.cache.drop(TIER_KPIS, PAGES)
        log.info("cached pages dropped after a deletion",
                 extra={"location_id": location_id, "pages": dropped})

    def export_rows(self, query: ConversationQuery) -> Iterator[ConversationRow]:
        """Every row matching the table's filters and sort, streamed for the CSV export."""
        return self.table.iter_rows(query)
