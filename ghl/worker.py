"""Where the relay runs: its own process (``python -m ghl relay``, the Procfile's ``worker``)
or a background thread of ``python app.py`` (and ``--demo``, relaying to the built-in fake)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

import httpx
import redis

from core.settings import Settings
from ghl.client import GhlClient
from ghl.relay import Relay
from seller_bot.bot import SellerBot

log = logging.getLogger(__name__)


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


def main(argv: list[str] | None = None) -> int:
    from core.logging import configure_logging
    from core.redis_client import connect

    parser = argparse.ArgumentParser(prog="python -m ghl",
                                     description="GoHighLevel outbox relay")
    parser.add_argument("command", choices=["relay"])
    parser.parse_args(argv)
    configure_logging()
    settings = Settings()
    if not settings.outbox_enabled:
        log.error("replies are not being sent: GHL_API_TOKEN unset; the relay has nothing to do")
        return 2
    client = connect(settings)
    bot = SellerBot(client, settings)
    api = GhlClient(settings)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        Relay(client, settings, bot, api).run(stop)
    finally:
        api.close()
    return 0
