"""Demo mode (``python app.py --demo``): a week of simulated sellers, then live traffic.

The demo store is seeded once through the real bot (``simulator.run``, clock set to each
message's historical time); afterwards a daemon thread sends one message every few seconds
with the real current time, through the app's own webhook route when the app is given, so
the dashboard's auto-refresh visibly moves.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

import redis

from core.settings import Settings
from seller_bot.bot import utc_now
from simulator.delivery import InProcess, Webhook
from simulator.run import DEFAULT_LOCATION, Report, Simulator

log = logging.getLogger(__name__)

DEMO_SELLERS = 300
DEMO_SEED = 2026
DEMO_DAYS = 7
LIVE_INTERVAL_SECONDS = (2.0, 5.0)
# Set when seeding finished (value: when), so a restart keeps the demo's history.
SEEDED_KEY = "sellerbot:demo:seeded"


class DemoTraffic:
    """Seeds the demo store once, then sends live messages on a daemon thread."""

    def __init__(self, client: redis.Redis, settings: Settings, *,
                 sellers: int = DEMO_SELLERS, seed: int = DEMO_SEED,
                 interval: tuple[float, float] = LIVE_INTERVAL_SECONDS,
                 location_id: str = DEFAULT_LOCATION) -> None:
        self.client = client
        self.settings = settings
        self.sellers = sellers
        self.seed_value = seed
        self.interval = interval
        self.location_id = location_id
        self.simulator: Simulator | None = None  # the seeding run, with its waiting sellers
        self.live: Simulator | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def simulator_for(self, transport) -> Simulator:
        return Simulator(transport, seed=self.seed_value, location_id=self.location_id,
                         buyer_name=self.settings.buyer_name, timezone=self.settings.timezone)

    def is_seeded(self) -> bool:
        return bool(self.client.exists(SEEDED_KEY))

    def seed(self, *, reset: bool = False, progress: bool = True) -> Report | None:
        """Fill the store with a week of history, unless it was done before; None if skipped.

        ``reset`` wipes the whole database first: only ever pass the demo's own store.
        """
        if reset:
            self.client.flushdb()
        if self.is_seeded():
            return None
        # The seeded week is the past: nothing of it goes to the outbox (only live traffic).
        past = self.settings.model_copy(update={"ghl_api_token": None})
        self.simulator = self.simulator_for(InProcess(self.client, past))
        report = self.simulator.backfill(
            self.sellers, days=DEMO_DAYS, ttl_seconds=self.settings.conversation_ttl_seconds,
            progress=progress)
        self.client.set(SEEDED_KEY, utc_now().isoformat())
        log.info("demo seeded: %s", report)
        return report

    def start(self, server=None) -> None:
        """Start the live trickle; through ``server``'s webhook route when a Flask app is given."""
        if self._thread is not None:
            return
        # The route needs a signature we can make: ours (HMAC), or none at all; with only
        # GoHighLevel's RSA key configured, the bot is called directly instead.
        can_sign = self.settings.webhook_secret or not (
            self.settings.ghl_webhook_public_key or self.settings.ghl_webhook_ed25519_public_key)
        transport = (Webhook(server, self.settings.webhook_secret)
                     if server is not None and can_sign
                     else InProcess(self.client, self.settings))
        live = self.simulator_for(transport)
        live.use_fresh_live_stream(self.client)
        if self.simulator is not None:
            live.waiting, live.sent_by = self.simulator.waiting, self.simulator.sent_by
        else:
            live.adopt_open_conversations(self.client)
        self.live = live
        self._stop.clear()
        self._thread = threading.Thread(target=live.run_live, args=(self.interval, self._stop),
                                        name="demo-traffic", daemon=True)
        self._thread.start()

    @property
    def results(self) -> Counter:
        """Live messages sent so far, by webhook status."""
        return self.live.live_statuses if self.live else Counter()

    @property
    def sent(self) -> int:
        return sum(self.results.values())

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the live trickle and wait for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
