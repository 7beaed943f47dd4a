"""The Redis key schema, in one place (documented in docs/redis-keys.md).

Every key of one GoHighLevel location carries the hash tag ``{loc:<locationId>}`` so that a
location's data lives in one Redis Cluster slot and one Lua script can write all of it.
"""

from __future__ import annotations

import hashlib
import re

from core.schema import SEGMENT_SHARES

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
LOCATIONS = "sellerbot:locations"
# Location id -> its name in GoHighLevel, written by the relay (ghl/location_names.py).
LOCATION_NAMES = "sellerbot:location-names"
CACHE_PREFIX = "sellerbot:cache:"
RATE_LIMIT_PREFIX = "sellerbot:ratelimit"  # Flask-Limiter adds ":LIMITER/<key>/..."
OUTBOX_GROUP = "relay"  # the relays' consumer group on every outbox stream
HEALTH_PROBE = "sellerbot:healthz"  # GET /healthz's write probe, expires after 10 s


def _user_tag(user: str) -> str:
    """One dashboard user's hash tag: their session keys share a Redis Cluster slot, so one
    transaction can write them (a digest, so no character of the name can break the tag)."""
    return "{user:" + hashlib.sha256(user.encode()).hexdigest()[:16] + "}"


def session_key(user: str, sid: str) -> str:
    """One signed-in dashboard session of ``user`` (api/sessions.py)."""
    return f"sellerbot:{_user_tag(user)}:session:{sid}"


def sessions_of_user(user: str) -> str:
    """The ids of one dashboard user's sessions ("log out everywhere")."""
    return f"sellerbot:{_user_tag(user)}:sessions"


class LocationKeys:
    """Key names for one location; ids must match ``ID_PATTERN`` (validated at the edge)."""

    __slots__ = ("location_id", "tag")

    def __init__(self, location_id: str) -> None:
        if not ID_PATTERN.match(location_id):
            raise ValueError(f"invalid location id {location_id!r}")
        self.location_id = location_id
        self.tag = f"{{loc:{location_id}}}"

    def conversation(self, contact_id: str) -> str:
        return f"{self.tag}:conv:{contact_id}"

    def seen(self, message_id: str) -> str:
        return f"{self.tag}:seen:{message_id}"

    def webhook_budget(self, now: float, window_seconds: int) -> str:
        """Messages counted against the location's webhook budget in the fixed window of
        ``window_seconds`` holding ``now`` (epoch seconds)."""
        return f"{self.tag}:budget:{int(now // window_seconds)}"

    def suppressed(self, digest: str) -> str:
        """A deleted or opted-out contact's suppression record (keyed hash, issue #13)."""
        return f"{self.tag}:sup:{digest}"

    # -- sorted-set indexes: written by seller_bot.aggregates, read by services -----------
    def index(self, name: str) -> str:
        return f"{self.tag}:idx:{name}"

    def stage_index(self, stage: str, sort: str) -> str:
        return self.index(f"stage:{stage}:{sort}")

    @property
    def needs_human(self) -> str:
        """Contacts flagged for a person, by last activity (the one needs-a-person index: by
        another sort the sort's index is read filtered by it, issue #15)."""
        return self.index("needs_human:activity")

    def segment_index(self, segment: str) -> str:
        """The conversations behind one dashboard figure, by last activity (an index holding
        exactly those already: ``schema.SEGMENT_SHARES``)."""
        return self.index(SEGMENT_SHARES.get(segment, f"seg:{segment}"))

    def funnel_index(self, stage: str) -> str:
        """The contacts whose furthest funnel stage is ``stage``, by last activity: the segment
        ``funnel:<s>`` is the union of these from ``s`` on (one entry per contact, not one per
        stage reached)."""
        return self.index(f"funnel:{stage}")

    @property
    def activity(self) -> str:
        """Every live contact by last activity (also: the expiry rule's index)."""
        return self.index("activity")

    @property
    def open_inbound(self) -> str:
        """Open conversations by last inbound time (stalled: older than the stall period)."""
        return self.index("open_inbound")

    @property
    def open_silent(self) -> str:
        """Open conversations without an inbound message, by last activity: with
        ``open_inbound``, the open segment (``schema.OPEN_SEGMENT``)."""
        return self.index("open_silent")

    @property
    def appointments(self) -> str:
        """Booked contacts by appointment time."""
        return self.index("appointments")

    @property
    def search(self) -> str:
        return f"{self.tag}:idx:search"

    @property
    def stats(self) -> str:
        return f"{self.tag}:stats"

    def hour(self, hour_epoch: int) -> str:
        return f"{self.tag}:h:{hour_epoch}"

    @property
    def version(self) -> str:
        return f"{self.tag}:version"

    def minutes(self, hour_epoch: int) -> str:
        return f"{self.tag}:m:{hour_epoch}"

    # Issue #14: completed hours' merged sums, valid while the history version stands.
    @property
    def history(self) -> str:
        """Bumped by every write that changes a completed hour's bucket (see aggregates)."""
        return f"{self.tag}:history"

    # -- GoHighLevel outbox (issue #11) -------------------------------------------------
    @property
    def outbox(self) -> str:
        """Stream of outbound actions, written by the commit script with the state change."""
        return f"{self.tag}:outbox"

    @property
    def dead_letters(self) -> str:
        """Stream of outbound actions that failed for good (retried from the drill-down)."""
        return f"{self.tag}:outbox:dead"

    @property
    def outbox_retries(self) -> str:
        """Hash: outbox entry id -> "attempts:next attempt epoch ms"."""
        return f"{self.tag}:outbox:retry"

    def outbox_sent(self, action_id: str) -> str:
        """Marker: GoHighLevel accepted this action (value: its answer, JSON)."""
        return f"{self.tag}:outbox:sent:{action_id}"

    def outbox_done(self, contact_id: str) -> str:
        """"<generation>:<seq>": the contact's last action delivered or dead-lettered."""
        return f"{self.tag}:outbox:done:{contact_id}"

    def outbox_lock(self, contact_id: str) -> str:
        """One relay at a time works on a contact (keeps its actions in order)."""
        return f"{self.tag}:outbox:lock:{contact_id}"

    @property
    def ghl_budget(self) -> str:
        """Sorted set of this location's recent API calls (sliding-window rate budget)."""
        return f"{self.tag}:ghl:budget"

    @property
    def ghl_hold(self) -> str:
        """Set (with expiry) while GoHighLevel told us to wait (429 / budget used up)."""
        return f"{self.tag}:ghl:hold"
