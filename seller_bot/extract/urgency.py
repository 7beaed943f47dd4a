"""How urgently the seller needs to sell: high / medium / low.

Explicit words win over the timeline: the timeline's "asap" words, "urgent", "behind on
payments", "auction", "foreclosure" are high; its "no rush" words ("whenever", "just
curious", "not urgent", "not desperate") are low. Other negated high words ("not behind on
payments") count for nothing. Otherwise the timeline decides: <= 30 days high, <= 90 days medium,
longer low. None when neither says anything.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import (
    ASAP_PATTERN,
    ASKS_SPEED_PATTERN,
    NO_RUSH_PATTERN,
    YESTERDAY_PATTERN,
    Triggers,
    is_negated,
    normalize,
)
from seller_bot.models import Urgency

HIGH_MAX_DAYS = 30
MEDIUM_MAX_DAYS = 90

_LOW_RE = re.compile(
    NO_RUSH_PATTERN
    + r"|\b(?:not (?:desperate|pressed for time)|not (?:in )?a priority|no big deal)\b"
)
# Distress that forces a quick sale, whatever the seller says about dates.
_HIGH_RE = re.compile(
    ASAP_PATTERN + "|" + ASKS_SPEED_PATTERN + "|" + YESTERDAY_PATTERN
    + r"|\b(?:emergency|desperate(?:ly)?|need out|need to get out|"
    r"can'?t wait (?:any|much)? ?longer|"
    r"behind (?:on|with) (?:my |the |our )?(?:house |mortgage )?(?:payments?|mortgage)|"
    r"foreclos\w*|auction|notice of default|sheriff|evict(?:ed|ion) notice|"
    r"losing (?:the|my|our) (?:house|home))\b"
)


# Words the patterns above need (see Triggers); keep in step with them.
TRIGGERS = Triggers("""
asap soon possible right away immediate urgen hurry rush quick fast gone yesterday
whenever time deadline flexible timing explor curious seeing checking looking testing
eventually some road line point pressure desperate pressed priority big emergency need wait
behind foreclos auction notice sheriff evict losing sell sold clos sale mov out done offer
cash how
""")


def _explicit(text: str) -> Urgency | None:
    """Urgency said in words, or None."""
    if not (TRIGGERS.seen_in(text) or "a.s.a.p" in text):
        return None
    if _LOW_RE.search(text):
        return "low"
    # "not urgent" is caught above; "not behind on payments" says nothing either way.
    if any(not is_negated(text, m.start()) for m in _HIGH_RE.finditer(text)):
        return "high"
    return None


def extract_urgency(text: str, timeline_days: int | None) -> Urgency | None:
    """High / medium / low from explicit words, else from the timeline; None if unknown."""
    explicit = _explicit(normalize(text))
    if explicit is not None:
        return explicit
    if timeline_days is None:
        return None
    if timeline_days <= HIGH_MAX_DAYS:
        return "high"
    return "medium" if timeline_days <= MEDIUM_MAX_DAYS else "low"
