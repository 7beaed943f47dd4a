"""The locations' names as GoHighLevel knows them, kept in Redis for the dashboard.

The relay looks up every location that has data, a few each minute, and each again once a day
(a sub-account can be renamed). Each lookup takes a call from the location's budget, the way a
CRM update does: never one of the calls kept for replies, never while GoHighLevel said wait.
A location GoHighLevel refuses (a token without the ``locations.readonly`` scope, an unknown
id) is not asked again for an hour. ``LOCATIONS`` names take precedence over these anyway
(``services.interface.Services.locations``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis

from core.keys import LOCATION_NAMES, LOCATIONS
from ghl.client import GhlClient, GhlError

log = logging.getLogger(__name__)

CHECK_SECONDS = 60
PER_CHECK = 5  # lookups between two relay rounds: replies never wait behind many of them
REFRESH_SECONDS = 24 * 3600
REFUSED_SECONDS = 3600


class LocationNames:
    """Fills ``LOCATION_NAMES`` from GoHighLevel; ``refresh()`` is cheap when nothing is due."""

    def __init__(self, client: redis.Redis, api: GhlClient,
                 clock: Callable[[], float] = time.monotonic,
                 may_call: Callable[[str], bool] = lambda _location: True) -> None:
        self.redis = client
        self.api = api
        self.clock = clock
        self.may_call = may_call  # the location's call budget has room (and no hold is on)
        self._asked: dict[str, float] = {}  # location -> when to ask again
        self._next_check = float("-inf")

    def refresh(self) -> int:
        """Look up the locations that are due (at most once a minute); returns how many names
        were stored."""
        now = self.clock()
        if now < self._next_check:
            return 0
        self._next_check = now + CHECK_SECONDS
        due = [location for location in sorted(self.redis.smembers(LOCATIONS))
               if self._asked.get(location, float("-inf")) <= now][:PER_CHECK]
        stored = 0
        for location in due:
            if not self.may_call(location):
                continue  # asked again at the next check
            try:
                name = self.api.location_name(location)
            except GhlError as exc:
                wait = exc.retry_after if exc.retryable else REFUSED_SECONDS
                self._asked[location] = now + (wait or 60)
                log.warning("location %s: GoHighLevel did not give its name: %s", location, exc)
                continue
            self._asked[location] = now + REFRESH_SECONDS
            if name:
                self.redis.hset(LOCATION_NAMES, location, name)
                stored += 1
        return stored
