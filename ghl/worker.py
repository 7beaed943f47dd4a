"""Where the relay runs: its own process (``flask --app app relay``, the Procfile's ``worker``)
or a background thread of ``python app.py`` (and ``--demo``, relaying to the built-in fake)."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timedelta

import httpx
import redis

from core.settings import Settings
from ghl.client import GhlClient
from ghl.relay import Relay
from seller_bot.bot import RETIRE_EVERY_SECONDS, FreeSlots, SellerBot

log = logging.getLogger(__name__)


def calendar_of(settings: Settings, api: GhlClient | None) -> FreeSlots | None:
    """The GoHighLevel calendar's free slots for the bot, when GHL_CALENDAR_ID is set."""
    if api is None or not settings.ghl_calendar_id:
        return None
    calendar_id = settings.ghl_calendar_id

    def free_slots(_location_id: str, now: datetime) -> list[datetime]:
        return api.free_slots(calendar_id, now, now + timedelta(days=settings.ghl_calendar_days),
                              settings.timezone)

    return free_slots


class RelayThread:
    """The relay in a daemon thread; ``stop()`` ends it after the current round."""

    def __init__(self, client: redis.Redis, settings: Settings, bot: SellerBot,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.api = GhlClient(settings, transport=transport)
        self.relay = Relay(client, settings, bot, self.api)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.relay.run, args=(self.stopping,),
                                       name="ghl-relay", daemon=True)

    def start(self) -> RelayThread:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.thread.join(timeout=timeout)
        self.api.close()


def run_relay(client: redis.Redis, settings: Settings, bot: SellerBot,
              api: GhlClient | None) -> int:
    """Run one relay in this process until SIGTERM or SIGINT. Without a token there is
    nothing to send, and the worker only keeps the housekeeping going."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if api is None:
        log.warning("replies are not being sent: GHL_API_TOKEN unset; this worker only retires "
                    "expired conversations and flags passed appointments")
        housekeep(bot, stop)
        return 0
    Relay(client, settings, bot, api).run(stop)
    return 0


def housekeep(bot: SellerBot, stop: threading.Event) -> None:
    """``SellerBot.housekeep_all`` once a minute until ``stop`` is set."""
    while not stop.is_set():
        try:
            bot.housekeep_all()
        except redis.RedisError as exc:
            log.warning("housekeeping: redis unavailable (%s); retrying", type(exc).__name__)
        stop.wait(RETIRE_EVERY_SECONDS)
