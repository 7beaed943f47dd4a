"""Everything the dashboard page shows, in one call, cached in tiers and honest about failure."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from datetime import datetime

import orjson
import redis

from core.redis_client import CANNOT_READ
from core.settings import Settings
from seller_bot.bot import utc_now
from seller_bot.store import ConversationStore
from services.cache import TIER_DISTRIBUTIONS, TIER_KPIS, TIER_TRENDS, TieredCache
from services.conversation_index import ConversationIndex
from services.dashboard_models import (
    ConversationQuery,
    ConversationRow,
    ConversationsPage,
    DashboardData,
    Range,
)
from services.metrics_service import (
    RANGE_HOURS,
    DistributionPanel,
    KpiPanel,
    MetricsService,
    TrendPanel,
)
from services.outbox_service import OutboxService

log = logging.getLogger(__name__)

REDIS_DOWN = CANNOT_READ
PAGES = "page:"  # cache key namespace of table pages
# Expired conversations leave the counters when retired; the read path does it this often.
RETIRE_EVERY_SECONDS = 30


class DataUnavailable(RuntimeError):
    """Redis is unreachable and this process has no earlier result to show instead."""


class DashboardDataService:
    """The dashboard's one-call read (``dashboard``) and its cheap change check (``version``).

    Panels are cached in the shared RedisCache by tier (KPIs 30 s, distributions 5 min, 7-day
    trends 1 h); each carries ``as_of``, listed per panel in ``freshness``. When Redis is
    unreachable the last good result of this process comes back with ``stale=True`` and
    ``stale_since`` (when the failure started), or ``DataUnavailable`` is raised if there is
    none; the next call after Redis is back reads fresh data again.
    """

    def __init__(self, client: redis.Redis, settings: Settings, *,
                 store: ConversationStore | None = None,
                 clock: Callable[[], datetime] = utc_now,
                 cache: TieredCache | None = None,
                 metrics: MetricsService | None = None,
                 outbox: OutboxService | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.redis = client
        self.settings = settings
        self.clock = clock
        self.store = store or ConversationStore(client, settings)
        self.cache = cache or TieredCache(client, settings)
        self.metrics = metrics or MetricsService(client, settings, clock)
        self.outbox = outbox or OutboxService(client, settings)
        self.table = ConversationIndex(client, settings, wall_clock=lambda: clock().timestamp())
        self.monotonic = monotonic
        self._last_good: dict[str, DashboardData] = {}
        self._failing_since: datetime | None = None
        self._last_retired = float("-inf")
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        # Stable across instances and workers, in case anyone memoizes a method of ours.
        return f"{type(self).__name__}()"

    # -- dashboard -------------------------------------------------------------------------
    def version(self) -> str:
        """Data version of all locations; unchanged means no conversation changed since.

        Rolling 24 h figures still slide with time, so a caller should refresh now and then
        even when the version stays the same. Raises DataUnavailable when Redis is down.
        """
        try:
            return self.metrics.version()
        except REDIS_DOWN as exc:
            raise DataUnavailable(f"Redis is unreachable: {exc}") from exc

    def dashboard(self, range_: Range = "24h") -> DashboardData:
        """Every figure of the page for ``range_`` (24h or 7d); ``as_of`` is the KPIs' time."""
        if range_ not in RANGE_HOURS:
            raise ValueError(f"range must be one of {', '.join(RANGE_HOURS)}")
        try:
            self._retire_expired_now_and_then()
            data = self._read(range_)
        except REDIS_DOWN as exc:
            return self._last_good_or_raise(range_, exc)
        with self._lock:
            if self._failing_since is not None:
                log.info("redis reachable again; dashboard data fresh")
            self._failing_since = None
            self._last_good[range_] = data
        return data

    def _panel(self, tier: str, key: str, compute: Callable, decode: Callable):
        """A panel from the shared cache, computed on a miss or when the entry was written by
        another release of the app (a rolling deploy) and no longer fits."""
        cached = self.cache.get_or_compute(tier, key, lambda: compute().to_dict())
        try:
            return decode(cached)
        except (KeyError, TypeError):
            panel = compute()
            self.cache.put(tier, key, panel.to_dict())
            return panel

    def _read(self, range_: str) -> DashboardData:
        kpis = self._panel(TIER_KPIS, "dashboard", self.metrics.kpis, KpiPanel.from_dict)
        distributions = self._panel(TIER_DISTRIBUTIONS, "dashboard",
                                    self.metrics.distributions, DistributionPanel.from_dict)
        if range_ == "24h":
            # The KPI panel holds the 24 h series already (same read, same tier).
            trend = TrendPanel(as_of=kpis.as_of, range=range_, messages=kpis.messages,
                               response_times=kpis.response_times)
        else:
            trend = self._panel(TIER_TRENDS, range_, lambda: self.metrics.trends(range_),
                                TrendPanel.from_dict)
        return DashboardData(
            as_of=kpis.as_of, stale=False, stale_since=None, version=kpis.version,
            range=range_, total_conversations=kpis.total_conversations, hero=kpis.hero,
            by_temperature=kpis.by_temperature, by_stage=kpis.by_stage,
            funnel=distributions.funnel,
            price_distribution=distributions.price_distribution,
            timeline_distribution=distributions.timeline_distribution,
            motivation_distribution=distributions.motivation_distribution,
            messages=trend.messages, response_times=trend.response_times,
            freshness={"kpis": kpis.as_of, "distributions": distributions.as_of,
                       "trends": trend.as_of},
            stalled_conversations=kpis.stalled_conversations, needs_human=kpis.needs_human,
            outbox=self.outbox.summary(self.store.locations))

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

    def _retire_expired_now_and_then(self) -> None:
        """Retire conversations reaching their TTL, at most every 30 s in this process."""
        now = self.monotonic()
        with self._lock:
            if now - self._last_retired < RETIRE_EVERY_SECONDS:
                return
            self._last_retired = now
        try:
            for location in self.store.locations():
                self.store.retire_expired(location)
        except redis.RedisError as exc:  # e.g. out of memory: reads still work, so go on
            log.warning("retiring expired conversations failed: %s", type(exc).__name__)

    # -- conversation table ----------------------------------------------------------------
    def conversations(self, query: ConversationQuery) -> ConversationsPage:
        """One page of the conversation table (services/conversation_index.py).

        Cached in the 30 s tier under the data version: repeated reads of a page cost two
        small GETs, and any write (a message, a pause) shows on the next read.
        """
        self.table.validate(query)
        # Hashed: a search term (a name, a phone number) never appears in a key name.
        key = hashlib.sha256(
            f"{self.metrics.version()}:{orjson.dumps(asdict(query)).decode()}".encode())
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
