"""Which of the offered appointment slots the seller picked (an index into the slots).

Rules:
- Every clue narrows the choice: an ordinal ("the first one", "#2", "option 2", "2"), a
  weekday ("tuesday works", "tue"), a time ("10am", "the 2pm", "at 2"), a date ("the
  12th", "dec 3", "12/3"), a part of day ("the morning one"), "the later/earlier one".
  Clues of one kind add up ("tue or wed"), clues of different kinds must all fit
  ("tuesday at 10"). The first slot that fits is returned; None when none fits.
- A clue followed by "doesn't work" / "is bad" or led by a negation ("not tuesday", "can't
  do the first") rules that slot out.
- Bare numbers 1..len(slots) are options ("reply 1 or 2"); other bare numbers are hours.
  Hours without am/pm follow business hours: 8-11 morning, 12 noon, 1-7 afternoon.
- "1st", "2nd" are dates when a slot falls on that day of the month, unless followed by
  "one"/"option"; otherwise they are options.
- "either", "whichever", "any of them", "doesn't matter" pick the first slot.
- "neither", "none of those", a bare "no" are None, and so is anything without a clue.
- "today", "tomorrow", "the day after tomorrow" ("tmrw", "2morrow", "hoy", "mañana") pick
  the slot on that day when the caller passes ``today`` (the seller's local date); without
  it nothing is picked ("tomorrow afternoon" must not book today's afternoon slot), since the
  slots alone do not say which day is today.
- Spanish is rewritten to these English clues first (SPANISH_CLUES): "la primera",
  "el segundo", "la segunda opción", "el martes", "en la tarde", "a las 10", "mañana",
  "cualquiera", "ninguna", "el martes no puedo".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from seller_bot.extract.common import (
    MONTH_PATTERN,
    MONTHS,
    blank,
    is_negated,
    normalize,
    words_to_digits,
)

ORDINAL_WORDS = {"first": 0, "former": 0, "second": 1, "latter": -1, "third": 2,
                 "last": -1, "one": 0, "two": 1, "three": 2}
WEEKDAYS = {"mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
            "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4,
            "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6}
PARTS_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24),
                "noon": (12, 13), "lunch": (12, 13)}
PM_HOURS = range(1, 8)  # "at 2" means 2 pm in business hours

_NONE_RE = re.compile(
    r"\b(?:neither|none|nothing works|not those|(?:can'?t|cannot|won'?t) (?:do|make) "
    r"(?:either|any|both|those|them|these)|(?:either|any|both|those|them|these|they) "
    r"(?:one )?(?:don'?t|doesn'?t|won'?t|do not|does not) work|other (?:times|days|options)|"
    r"different (?:time|day)|something else)\b"
    r"|^(?:no|nope|nah|no thanks?|not really)$"
)
_EITHER_RE = re.compile(
    r"\b(?:either|whichever|any(?: one| of (?:them|those|these)| is fine| works)|both work|"
    r"(?:doesn'?t|does not|don'?t) matter|you (?:pick|choose)|your (?:pick|choice|call)|"
    r"up to you|whatever works)\b|^any$"
)
# "doesn't work" after a clue rules it out.
_RULED_OUT_AFTER_RE = re.compile(
    r"\s*(?:one\s+|slot\s+|time\s+)?(?:doesn'?t|does not|don'?t|won'?t|will not|isn'?t|is "
    r"not|is no|can'?t|cannot)\b|\s*(?:is\s+)?(?:bad|no good|not good)\b"
)

SPANISH_CLUES: tuple[tuple[str, str], ...] = (
    (r"\bno (?:puedo|podemos|me sirve|me queda|nos queda|nos sirve)\b", "doesn't work"),
    (r"\b(?:me da igual|la que sea|el que sea|cualquier(?:a)?(?: de (?:las|los) dos)?|"
     r"(?:las|los) dos (?:me )?sirven)\b", "either"),
    (r"\b(?:ningun[ao]?(?: de (?:esas|esos|las dos|los dos))?|otro dia|otra hora)\b",
     "neither"),
    (r"\bpasado manana\b", "the day after tomorrow"),
    (r"\b(?:en|por|de) la manana\b", "morning"), (r"\b(?:en|por|de) la tarde\b", "afternoon"),
    (r"\bmediodia\b", "noon"), (r"\bmanana\b", "tomorrow"), (r"\bhoy\b", "today"),
    (r"\b(?:a|de) las? (?=\d)", "at "), (r"\b(?:(?:la|el) )?primer[ao]?\b", "the first"),
    (r"\b(?:(?:la|el) )?segund[ao]\b", "the second"),
    (r"\b(?:(?:la|el) )?tercer[ao]?\b", "the third"),
    (r"\b(?:(?:la|el) )?ultim[ao]\b", "the last"),
    (r"\bopcion\b", "option"), (r"\blunes\b", "monday"), (r"\bmartes\b", "tuesday"),
    (r"\bmiercoles\b", "wednesday"), (r"\bjueves\b", "thursday"), (r"\bviernes\b", "friday"),
    (r"\bsabado\b", "saturday"), (r"\bdomingo\b", "sunday"),
)
_SPANISH_CLUE_RES = tuple((re.compile(p), english) for p, english in SPANISH_CLUES)
_SPANISH_HINT_RE = re.compile(
    r"\b(?:primer\w*|segund[ao]|tercer\w*|ultim[ao]|opcion|lunes|martes|miercoles|jueves|"
    r"viernes|sabado|domingo|manana|tarde|hoy|las?|cualquier\w*|ningun\w*|puedo|podemos|"
    r"sirve|queda|igual|mediodia|otro|otra|dos)\b"
)
# "today" and "tomorrow" as days counted from the seller's local date.
DAY_WORDS = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tmw": 1,
             "tomorow": 1, "tommorow": 1, "tommorrow": 1, "2morrow": 1, "2mrw": 1,
             "the day after tomorrow": 2, "day after tomorrow": 2}
_DAY_WORD_RE = re.compile(
    r"\b(?P<dw>" + "|".join(sorted(DAY_WORDS, key=len, reverse=True)) + r")\b"
)

_TIME_RE = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?|a|p)\b"
    r"|\b(?P<h2>\d{1,2}):(?P<m2>\d{2})\b"
    r"|\b(?P<hmm>\d{3,4})\s*(?P<ampm2>am|pm)\b"  # "230 pm" from "two thirty pm"
    r"|(?:\bat|@|\baround|\bby)\s*(?P<h3>\d{1,2})\b(?!\s*(?:st|nd|rd|th)\b)(?:\s*o'?clock)?"
    r"|\b(?P<h4>\d{1,2})\s*o'?clock\b"
)
_DATE_RE = re.compile(
    rf"\b(?P<month>{MONTH_PATTERN})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"|\b(?P<mm>\d{1,2})/(?P<dd>\d{1,2})\b"
    r"|\b(?P<day>\d{1,2})(?P<suffix>st|nd|rd|th)\b(?!\s*(?:one|option|slot|choice|time)\b)"
)
_OPTION_RE = re.compile(
    r"(?:\b(?:option|number|choice|slot|no\.?)|#)\s*(?P<n>\d|one|two|three)\b"
    r"|\b(?P<ord>\d)(?:st|nd|rd)\b"
    r"|\b(?P<word>first|(?<!a )(?<!one )second|third|former|latter|last)\b"
    r"|^(?P<alone>one|two|three)\b(?!\s+(?:sec|second|min|minute|moment)\b)"
)
_BARE_NUMBER_RE = re.compile(r"\b(?P<n>\d{1,2})\b")
_WEEKDAY_RE = re.compile(
    r"\b(?P<wd>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")(?:day)?s?\b"
)
_PART_RE = re.compile(r"\b(?P<part>morning|afternoon|evening|noon|lunch)\b")
# "the later one", not "I'll let you know later".
_RELATIVE_RE = re.compile(
    r"\b(?:the (?:(?P<later>later|latest)|earlier|earliest|sooner|soonest|early)\b"
    r"|(?:(?P<later2>later|latest)|earlier|earliest|sooner|soonest|early) "
    r"(?:one|time|slot|option|works|is better|please|appointment)\b"
    r"|(?:first available|earliest|soonest)\b)"
)


class _Clues:
    """Slot indices each kind of clue allows, and the ones ruled out."""

    def __init__(self, text: str, slots: Sequence[datetime]) -> None:
        """Start with no clue read."""
        self.text, self.slots = text, slots
        self.allowed: dict[str, set[int]] = {}
        self.ruled_out: set[int] = set()

    def add(self, kind: str, match: re.Match[str], fits: Callable[[datetime], bool]) -> None:
        """Record the slots a clue fits; a negated clue rules them out instead."""
        indices = {i for i, slot in enumerate(self.slots) if fits(slot)}
        ruled_out_after = _RULED_OUT_AFTER_RE.match(self.text, match.end())
        if is_negated(self.text, match.start()) or ruled_out_after:
            self.ruled_out |= indices
        else:
            self.allowed.setdefault(kind, set()).update(indices)

    def add_index(self, kind: str, match: re.Match[str], index: int) -> None:
        """Record an ordinal clue (negative indices count from the end)."""
        if -len(self.slots) <= index < len(self.slots):
            target = index % len(self.slots)
            self.add(kind, match, lambda slot: slot is self.slots[target])
        else:
            self.allowed.setdefault(kind, set())

    def choice(self) -> int | None:
        """The first slot every kind of clue allows, or None."""
        if not self.allowed:
            return None
        fitting = set.intersection(*self.allowed.values()) - self.ruled_out
        return min(fitting) if fitting else None


def _hour24(hour: int, ampm: str | None) -> int:
    """24-hour clock from a typed hour; business hours decide when am/pm is missing."""
    if ampm:
        pm = ampm.startswith("p")
        return hour % 12 + (12 if pm else 0)
    return hour + 12 if hour in PM_HOURS else hour


def _wipe(text: str, match: re.Match[str]) -> str:
    """The text with a used clue blanked out, so it is not read twice."""
    return text[: match.start()] + blank(match) + text[match.end():]


def _read_times(clues: _Clues, text: str) -> str:
    """Read '10am', '2:30', 'at 2', '2 o'clock'; return the text without them."""
    for m in list(_TIME_RE.finditer(text)):
        if m.group("hmm"):
            hmm = m.group("hmm")
            hour, minute, ampm = int(hmm[:-2]), int(hmm[-2:]), m.group("ampm2")
        else:
            hour = int(m.group("h") or m.group("h2") or m.group("h3") or m.group("h4"))
            minute_text = m.group("m") or m.group("m2")
            minute = int(minute_text) if minute_text else None
            ampm = m.group("ampm")
        if not 1 <= hour <= 12 or (minute is not None and minute > 59):
            continue
        h24 = _hour24(hour, ampm)
        clues.add("time", m, lambda s, h=h24, mi=minute: s.hour == h and mi in (None, s.minute))
        text = _wipe(text, m)
    return text


def _read_dates(clues: _Clues, text: str) -> str:
    """Read 'dec 3', '12/3', 'the 12th'; return the text without them."""
    for m in list(_DATE_RE.finditer(text)):
        if m.group("month"):
            month, day = MONTHS[m.group("month")], int(m.group("d"))
        elif m.group("mm"):
            month, day = int(m.group("mm")), int(m.group("dd"))
        else:
            month, day = None, int(m.group("day"))
            # "the 2nd" is an option unless a slot falls on the 2nd.
            if day <= 3 and not any(s.day == day for s in clues.slots):
                continue
        clues.add("date", m, lambda s, mo=month, d=day: s.day == d and mo in (None, s.month))
        text = _wipe(text, m)
    return text


def _read_options(clues: _Clues, text: str) -> str:
    """Read '#2', 'option 2', 'the first', '2' (option or hour); return the rest."""
    for m in list(_OPTION_RE.finditer(text)):
        token = m.group("n") or m.group("ord") or m.group("word") or m.group("alone")
        index = int(token) - 1 if token.isdigit() else ORDINAL_WORDS[token]
        clues.add_index("option", m, index)
        text = _wipe(text, m)
    for m in list(_BARE_NUMBER_RE.finditer(text)):
        number = int(m.group("n"))
        if 1 <= number <= len(clues.slots):
            clues.add_index("option", m, number - 1)
        elif 1 <= number <= 12:
            hour = _hour24(number, None)
            clues.add("time", m, lambda s, h=hour: s.hour == h)
        text = _wipe(text, m)
    return text


def _read_days(clues: _Clues, text: str, today: date | None) -> str:
    """Read 'today', 'tomorrow' when today's date is known; return the text without them."""
    for m in list(_DAY_WORD_RE.finditer(text)):
        if today is None:
            # A day we cannot place: the other clues ("the afternoon") may point at the wrong
            # day, so nothing is picked.
            clues.add("date", m, lambda s: False)
        else:
            day = today + timedelta(days=DAY_WORDS[m.group("dw")])
            clues.add("date", m, lambda s, d=day: s.date() == d)
        text = _wipe(text, m)
    return text


def _read_words(clues: _Clues, text: str) -> None:
    """Read weekdays, parts of the day and 'the later/earlier one'."""
    for m in _WEEKDAY_RE.finditer(text):
        weekday = WEEKDAYS[m.group("wd")]
        clues.add("weekday", m, lambda s, wd=weekday: s.weekday() == wd)
    for m in _PART_RE.finditer(text):
        start, end = PARTS_OF_DAY[m.group("part")]
        clues.add("part", m, lambda s, a=start, b=end: a <= s.hour < b)
    for m in _RELATIVE_RE.finditer(text):
        later = m.group("later") or m.group("later2")
        clues.add_index("option", m, -1 if later else 0)


MAX_CHARS = 320  # a slot is picked in a line or two; a longer message is read this far


def _clean(text: str) -> str:
    """Normalised text with numbers as digits and Spanish clues in English."""
    clean = words_to_digits(normalize(text[:MAX_CHARS])).strip(" .!?")
    if _SPANISH_HINT_RE.search(clean):
        for pattern, english in _SPANISH_CLUE_RES:
            clean = pattern.sub(english, clean)
    return clean


def rejects_slots(text: str) -> bool:
    """The seller says none of the offered times work ("neither", "can't do those")."""
    return bool(_NONE_RE.search(_clean(text)))


def extract_slot_choice(text: str, slots: list[datetime], *,
                        today: date | None = None) -> int | None:
    """Index of the slot the seller picked, or None when no single slot is picked.

    ``today`` is the seller's local date; with it "today" and "tomorrow" are read.
    """
    if not slots:
        return None
    clean = _clean(text)
    if _NONE_RE.search(clean):
        return None
    clues = _Clues(clean, slots)
    rest = _read_days(clues, clean, today)
    rest = _read_times(clues, rest)
    rest = _read_dates(clues, rest)
    rest = _read_options(clues, rest)
    _read_words(clues, rest)
    if not clues.allowed and _EITHER_RE.search(clean):
        return next((i for i in range(len(slots)) if i not in clues.ruled_out), None)
    return clues.choice()
