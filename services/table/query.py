"""A table query's parameters: their validation, and the questions planning asks of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from core.schema import (
    PHONE_SUFFIX,
    PRICE_SEGMENT,
    SORT_KEYS,
    STAGE_INDEX_SORTS,
    STATE_CODES,
    STREET_WORDS,
    TABLE_SORTS,
)
from seller_bot.aggregates import search_words, segment_names
from seller_bot.models import STAGES, TEMPERATURES
from services.dashboard_models import ConversationQuery

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
MAX_SEARCH_CHARS = 200
ORDERS = ("asc", "desc")
SEGMENTS = frozenset(segment_names())
# Digits typed with phone formatting ("(909) 555-0123", "+1 909.555.0123") are one search term.
PHONE_RUN = re.compile(r"(?<!\w)\+?\(?\d[\d\s().+-]*\d(?!\w)")
BOOLEAN = "must be true or false"
COUNTRY_CODE_RUN = 8  # digits typed from which a leading 1 is the US country code


class InvalidQuery(ValueError):
    """A table parameter is invalid; ``parameter`` names it (the API answers 422)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def search_terms(text: str) -> list[str]:
    """The query's words as the lex index holds them; phone digits joined into one term.
    Words the index leaves out of addresses (``schema.STREET_WORDS``, ``STATE_CODES``) are
    left out too, unless the query has nothing else (then they are prefixes of other words)."""
    terms = [_national_digits(run) for run in PHONE_RUN.findall(text)]
    terms += search_words(PHONE_RUN.sub(" ", text))
    kept = [term for term in terms if term not in STREET_WORDS and term not in STATE_CODES]
    return list(dict.fromkeys(kept or terms))


def term_prefixes(term: str) -> list[str]:
    """The index prefixes a term matches any of: itself, and for digits also the phone
    numbers ending with them (``schema.PHONE_SUFFIX``)."""
    return [term, PHONE_SUFFIX + term[::-1]] if term.isdigit() else [term]


def _national_digits(run: str) -> str:
    """Digits of a typed phone run without the US country code ("+1 909 555": 909555). A run
    of 8 or more digits starting with 1 has it too: no US number starts with 1 after it, and
    a shorter run may be the last 7 or 4 digits."""
    digits = "".join(ch for ch in run if ch.isdigit())
    if digits.startswith("1") and (run.startswith("+1") or len(digits) >= COUNTRY_CODE_RUN):
        return digits[1:]
    return digits


def has_search(query: ConversationQuery) -> bool:
    """A q with nothing searchable in it ("--") filters nothing, like an empty box."""
    return bool(query.q and search_terms(query.q))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _one_of(names: tuple[str, ...] | frozenset[str]) -> Callable[[str | None], bool]:
    return lambda value: value is None or value in names


# (parameter, test, message), checked in order: the first failing one is reported.
CHECKS: tuple[tuple[str, Callable[[ConversationQuery], bool], str], ...] = (
    ("page", lambda q: _is_int(q.page) and 1 <= q.page <= MAX_PAGE,
     f"must be an integer from 1 to {MAX_PAGE}"),
    ("page_size", lambda q: _is_int(q.page_size) and 1 <= q.page_size <= MAX_PAGE_SIZE,
     f"must be an integer from 1 to {MAX_PAGE_SIZE}"),
    ("sort", lambda q: q.sort in SORT_KEYS, f"must be one of {', '.join(SORT_KEYS)}"),
    ("order", lambda q: q.order in ORDERS, "must be asc or desc"),
    ("temperature", lambda q: _one_of(TEMPERATURES)(q.temperature),
     f"must be one of {', '.join(TEMPERATURES)}"),
    ("stage", lambda q: _one_of(STAGES)(q.stage), f"must be one of {', '.join(STAGES)}"),
    ("stalled", lambda q: isinstance(q.stalled, bool), BOOLEAN),
    ("needs_human", lambda q: isinstance(q.needs_human, bool), BOOLEAN),
    ("q", lambda q: q.q is None or (isinstance(q.q, str) and len(q.q) <= MAX_SEARCH_CHARS),
     f"must be text of at most {MAX_SEARCH_CHARS} characters"),
    ("reveal_phone", lambda q: isinstance(q.reveal_phone, bool), BOOLEAN),
    ("segment", lambda q: _one_of(SEGMENTS)(q.segment),
     "must name a figure of the dashboard (open, hot_action, funnel:<stage>, price:<bin>, ...)"),
    ("segment", lambda q: not (q.segment and (q.stage or q.needs_human) and has_search(q)),
     "cannot be combined with stage or needs_human and q"),
)


def validate(query: ConversationQuery) -> None:
    """Raise InvalidQuery naming the first bad parameter; touches no data."""
    for parameter, valid, message in CHECKS:
        if not valid(query):
            raise InvalidQuery(parameter, message)


def sort_index(query: ConversationQuery) -> str:
    """The write-time index the query's sort reads (``activity``, ``score``, ...)."""
    return TABLE_SORTS[query.sort]


def stalled_by_range(query: ConversationQuery) -> bool:
    """Stalled, by last activity, alone or with a stage: one score range of one index.

    Stalled alone is "last inbound <= cutoff" of ``idx:open_inbound``, ordered by last inbound
    time. That time is the last activity too (the bot stamps an inbound message and its reply
    with the same instant, and nothing else moves last_activity_at; a test guards this), so
    the order is by activity, and within an open stage "activity <= cutoff" of the stage's
    activity index is the stalled set (a closed stage has none; "new" is left to the
    intersection, as a contact created without a message has no inbound time).
    """
    return (query.stalled and query.sort == "last_activity" and not query.temperature
            and query.stage != "new" and not query.needs_human)


def filtered_read(query: ConversationQuery) -> bool:
    """A temperature by another sort than lead score (it is a band of ``idx:score``, with a
    stage too), or a stage alone by a sort it has no index (or band of one) for: the sort's
    index filtered (``planning.scan_filter``) or intersected (but a temperature by activity
    without another filter: ``temperature_by_activity``)."""
    sort = sort_index(query)
    temp, stage = query.temperature, query.stage
    if temp:
        return sort != "score"
    return bool(stage and sort not in (*STAGE_INDEX_SORTS, "activity", "stage"))


def scannable(query: ConversationQuery) -> bool:
    """A ``filtered_read`` with no other filter (a temperature: not by activity), a price
    bar's segment alone by another sort than price, or needs a person alone by another sort
    than activity: scan the sort's index in order for shallow pages."""
    if query.segment:
        return (banded_segment(query.segment) and not other_filters(query)
                and not band_alone(query))
    if query.needs_human:  # alone, by another sort than activity
        return not other_filters(replace(query, needs_human=False)) \
            and sort_index(query) != "activity"
    return filtered_read(query) and not query.stalled and not temperature_by_activity(query)


def temperature_by_activity(query: ConversationQuery) -> bool:
    """A temperature by last activity, alone or with a stage: the bands of its lead scores in
    the score index, merged by activity (``planning.activity_bands``)."""
    return bool(query.temperature and sort_index(query) == "activity"
                and not (query.stalled or query.needs_human or query.segment))


def segment_alone(query: ConversationQuery) -> bool:
    """A segment (the conversations behind one figure) by last activity, no other filter:
    its own index as written."""
    return bool(query.segment and not banded_segment(query.segment)
                and not other_filters(query) and sort_index(query) == "activity")


def banded_segment(segment: str | None) -> bool:
    """A segment that is a band of the price index (``schema.PRICE_SEGMENT``)."""
    return bool(segment and segment.startswith(PRICE_SEGMENT))


def band_alone(query: ConversationQuery) -> bool:
    """A price bar's segment by price, no other filter: its band of the price index."""
    return (banded_segment(query.segment) and not other_filters(query)
            and sort_index(query) == "price")


def other_filters(query: ConversationQuery) -> bool:
    """Any filter but a segment and a search."""
    return bool(query.temperature or query.stage or query.stalled or query.needs_human)
