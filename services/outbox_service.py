"""The outbox as the dashboard sees it: is it on, what is waiting, what failed for good (and
queuing a dead letter again)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import orjson
import redis

from core.keys import OUTBOX_GROUP, LocationKeys
from core.settings import Settings
from seller_bot.bot import SellerBot
from seller_bot.outbox import Requeue

MAX_LISTED = 1000  # dead letters scanned per location for one contact's drill-down

STREAM_ENTRY_ID = re.compile(r"^\d{1,20}-\d{1,20}$")


class OutboxService:
    def __init__(self, client: redis.Redis, settings: Settings,
                 bot: SellerBot | None = None) -> None:
        self.redis = client
        self.settings = settings
        self.bot = bot

    def summary(self, locations: Callable[[], list[str]]) -> dict:
        """``{"enabled", "dead_letters", "pending"}`` over the ``locations()`` (pending: queued
        actions not yet delivered or dead-lettered); the counts are None (not measured, no
        Redis read) while replies are not sent."""
        if not self.settings.outbox_enabled:
            return {"enabled": False, "dead_letters": None, "pending": None}
        locations = locations()
        if not locations:
            return {"enabled": True, "dead_letters": 0, "pending": 0}
        with self.redis.pipeline(transaction=False) as pipe:
            for location in locations:
                keys = LocationKeys(location)
                pipe.xlen(keys.outbox)
                pipe.xlen(keys.dead_letters)
            counts = pipe.execute()
        return {"enabled": True, "dead_letters": sum(counts[1::2]),
                "pending": sum(counts[0::2])}

    def dead_letters(self, location_id: str, contact_id: str) -> list[dict]:
        """This contact's actions that failed for good, oldest first."""
        entries = self.redis.xrevrange(LocationKeys(location_id).dead_letters, count=MAX_LISTED)
        return [{"entry_id": entry_id, "action_id": fields["id"], "kind": fields["kind"],
                 "error": fields.get("error", ""), "attempts": int(fields.get("attempts", 0)),
                 "failed_at": datetime.fromtimestamp(int(fields.get("failed_ms", 0)) / 1000,
                                                     UTC).isoformat(),
                 "data": orjson.loads(fields["data"])}
                for entry_id, fields in reversed(entries) if fields.get("contact") == contact_id]

    def forget(self, location_id: str, contact_id: str) -> int:
        """A forgotten seller: drop their queued actions and dead letters (they hold message
        text). Returns how many entries went."""
        keys = LocationKeys(location_id)
        gone = 0
        for stream in (keys.outbox, keys.dead_letters):
            ids = [entry_id for entry_id, fields in self.redis.xrange(stream)
                   if fields.get("contact") == contact_id]
            if not ids:
                continue
            with self.redis.pipeline(transaction=True) as pipe:
                if stream == keys.outbox:
                    pipe.xack(stream, OUTBOX_GROUP, *ids)
                pipe.xdel(stream, *ids)
                pipe.execute()
            gone += len(ids)
        return gone

    def retry(self, location_id: str, contact_id: str, entry_id: str) -> bool:
        """Queue a dead letter again (same idempotency id, next in the contact's order) and
        remove it from the dead letters; False when there is no such dead letter."""
        if not isinstance(entry_id, str) or not STREAM_ENTRY_ID.match(entry_id):
            return False  # not a stream entry id (Redis would refuse it: a crafted request)
        keys = LocationKeys(location_id)
        found = self.redis.xrange(keys.dead_letters, entry_id, entry_id)
        if not found or found[0][1].get("contact") != contact_id:
            return False
        fields = found[0][1]
        if self.bot is None:
            raise RuntimeError("OutboxService needs the bot to queue a dead letter again")
        action = Requeue(kind=fields["kind"], action_id=fields["id"],
                         data=orjson.loads(fields["data"]))
        if not self.bot.requeue(location_id, contact_id, action):
            return False
        self.redis.xdel(keys.dead_letters, entry_id)
        return True
