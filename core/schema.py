"""What the writer (``seller_bot.aggregates``, ``seller_bot.store``) and the readers
(``services``) must agree on: hour buckets, counter and event field names, stats bins, the
response-time histogram, sort indexes and the expiry rule (the keys themselves:
``core/keys.py``; docs/redis-keys.md lists both).
"""

from __future__ import annotations

import math
from datetime import datetime

HOUR = 3600


def hour_of(ts: float) -> int:
    """The hour bucket (``h:<hour>``, ``m:<hour>``) an instant counts in: its hour's start."""
    return int(ts // HOUR) * HOUR


# Search index entries: "<token><SEARCH_SEPARATOR><contact id>" (``idx:search``).
SEARCH_SEPARATOR = "\x1f"
# Before the phone's digits reversed (a token no word can be: words are letters and digits),
# so a prefix search of a typed run reversed finds the numbers ending with it: the last 4 or 7
# digits, one token instead of one per length (issue #15).
PHONE_SUFFIX = "~"
# Address words nobody searches by, left out of the index and of a search (issue #15: an
# index entry each): street types and unit words anywhere in the address, and a US state code
# as its last word (the state of a sub-account's sellers is mostly one).
STREET_WORDS = frozenset({
    "st", "street", "ave", "av", "avenue", "rd", "road", "dr", "drive", "ln", "lane", "blvd",
    "boulevard", "ct", "court", "cir", "circle", "way", "pl", "place", "ter", "terrace", "trl",
    "trail", "pkwy", "parkway", "hwy", "highway", "sq", "square", "apt", "unit", "ste",
    "suite",
})
STATE_CODES = frozenset({
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in",
    "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh",
    "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut",
    "vt", "va", "wa", "wv", "wi", "wy",
})


class Stats:
    """Fields of a location's ``stats`` hash: the current state of its live conversations.

    Single counters are plain names; families hold one counter per value, as
    ``stat(family, value)`` ("stage:offer", "temp:hot", ...).
    """

    CONVERSATIONS = "conversations"
    OPEN = "open"  # not booked, declined or opted out
    QUALIFIED = "qualified"
    PAUSED = "paused"
    NEEDS_HUMAN = "needs_human"
    HOT_ACTION = "hot_action"  # hot and still being worked (aggregates.needs_action)
    PRICE_KNOWN = "price_known"
    PRICE_SUM = "price_sum"
    PIPELINE_VALUE = "pipeline_value"
    PIPELINE_LEADS = "pipeline_leads"
    # Families (an extracted field's own family is its ``Field.counter``, seller_bot/fields.py).
    STAGE = "stage"
    TEMPERATURE = "temp"
    FUNNEL = "funnel"  # reached at least that stage
    NEEDS_HUMAN_REASON = "needs_human"
    OFFER_RESPONSE = "offer_response"


def stat(family: str, value: str) -> str:
    """The stats field counting conversations whose ``family`` is ``value``."""
    return f"{family}:{value}"


class Events:
    """Event counters of the hour (``h:<hour>``) and minute (``m:<hour>``) buckets."""

    NEW = "new"
    INBOUND = "in"
    OUTBOUND = "out"
    OFFERS = "offers"
    QUALIFIED = "qualified"
    BOOKED = "booked"
    DECLINED = "declined"
    OPTED_OUT = "opted_out"
    OPEN_NET = "open_net"  # net change of the open gauge
    HOT_NET = "hot_net"
    HOT_ACTION_NET = "hot_action_net"


def minute_field(event: str, minute: int) -> str:
    """The minute bucket's field of ``event`` in minute ``minute`` (0-59) of the hour."""
    return f"{event}:{minute:02d}"


# The bin of a field's stats family while its value is not known.
UNKNOWN_BIN = "unknown"
# Stats bins: ``price_bin:<lower bound>`` and ``timeline:<label>`` (days at most; None: more).
PRICE_BINS = (0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 700_000, 800_000,
              1_000_000, 1_500_000)
TIMELINE_BUCKETS = (("0-30 days", 30), ("1-3 months", 90), ("3-6 months", 180),
                    ("6+ months", None))


def price_bin(price: int) -> str:
    """The ``price_bin`` of an asking price: its bin's lower bound."""
    return str(max(b for b in PRICE_BINS if b <= price))


def price_band(bin_label: str) -> tuple[float, float | None]:
    """The asking prices of a ``price_bin`` as [low, high) (high None: no upper bound); the
    unknown bin is the price index's ``UNKNOWN_PRICE`` alone."""
    if bin_label == UNKNOWN_BIN:
        return UNKNOWN_PRICE, UNKNOWN_PRICE + 1
    low = int(bin_label)
    return low, next((b for b in PRICE_BINS if b > low), None)


def timeline_bucket(days: int) -> str:
    """The ``timeline`` bucket of a number of days."""
    return next(label for label, limit in TIMELINE_BUCKETS if limit is None or days <= limit)


# Histograms of the hour bucket, one field per 5% bin: "<kind>:<bin>".
RESPONSE_TIME = "rt"  # webhook arrival to the reply decided
DELIVERED = "dt"  # webhook arrival to GoHighLevel accepting the reply (issue #11)
SPEED_TO_LEAD = "stl"  # first inbound to the first reply accepted
HISTOGRAMS = (RESPONSE_TIME, DELIVERED, SPEED_TO_LEAD)


# Bin b holds times up to RT_BASE_MS * RT_GROWTH**b (5% resolution).
RT_BASE_MS = 0.1
RT_GROWTH = 1.05


def histogram_field(kind: str, rt_bin: int) -> str:
    return f"{kind}:{rt_bin}"


def rt_bin(ms: float) -> int:
    """The histogram bin of a time in ms."""
    if ms <= RT_BASE_MS:
        return 0
    return math.ceil(math.log(ms / RT_BASE_MS) / math.log(RT_GROWTH))


def rt_bin_upper_ms(b: int) -> float:
    """The largest time (ms) bin ``b`` holds: what a percentile read from it reports."""
    return RT_BASE_MS * RT_GROWTH**b


# The sorted-set indexes every contact is in, once per sort (``idx:<sort>``), and the table's
# sort names over them.
SORT_INDEXES = ("activity", "score", "price", "stage")
# The sorts a stage (``idx:stage:<s>:<sort>``) has an index of its own for (issue #15, less
# memory per conversation); by activity or by stage a stage is its band of ``idx:stage`` (the
# stage rank packed above the activity time: the same order). A temperature has no index of its
# own: it is a function of the lead score, so its contacts are its lead-score band of
# ``idx:score`` (by lead score that band read in order). The rest (a temperature by activity,
# price or stage, a stage by price) read the sort's index filtered by the filter's set or band
# (``services/table/planning.py``).
STAGE_INDEX_SORTS = ("score",)
# Funnel segments ("funnel:<stage>") are not stored one per stage reached: each contact is in
# the index of its furthest stage (``idx:funnel:<stage>``), and a segment is the union of those
# from its stage on.
FUNNEL_SEGMENT = "funnel:"
# Segments (``idx:seg:<segment>``) whose members and scores are those of another index, read
# from it and never stored twice: every conversation has reached the funnel's first stage.
SEGMENT_SHARES = {"funnel:new": "activity", "needs_human": "needs_human:activity"}
# The open conversations ("open") are ``idx:open_inbound`` (by last inbound time: the last
# activity, but after a slot GoHighLevel refused is offered again) and ``idx:open_silent``
# (those without an inbound message, by last activity), read merged (issue #15).
OPEN_SEGMENT = "open"
# A price bar's segment ("price:<bin>") is its bin's band of ``idx:price`` (``price_band``), not
# a set of its own (issue #15: an entry less per contact).
PRICE_SEGMENT = "price:"
TABLE_SORTS = {"last_activity": "activity", "lead_score": "score",
               "price_expectation": "price", "stage": "stage"}
SORT_KEYS = tuple(TABLE_SORTS)  # the table's (and the API's) ``sort`` values
UNKNOWN_PRICE = -1.0  # the price index's score of a contact without an asking price
# Score and stage indexes pack the lead score or stage rank above the activity time.
SORT_BAND = 1e10


def expires_at(last_activity_at: datetime, ttl_seconds: int) -> float:
    """The expiry rule: a conversation is gone at its last activity + the TTL (epoch s)."""
    return last_activity_at.timestamp() + ttl_seconds


def is_expired(last_activity_at: datetime, ttl_seconds: int, now: float) -> bool:
    return expires_at(last_activity_at, ttl_seconds) <= now


def expired_up_to(now: float, ttl_seconds: int) -> float:
    """The same rule as a score bound of the activity index: entries at or below it have
    expired. A document's PXAT expiry is truncated to the millisecond, so it can vanish up to
    1 ms before its activity + TTL: that last millisecond counts as expired already."""
    return now - ttl_seconds + 0.001
