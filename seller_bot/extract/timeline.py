"""How soon the seller wants to sell, in days from today.

| the seller says                                   | days                                  |
|---------------------------------------------------|---------------------------------------|
| "needed it sold yesterday", "yesterday lol"       | YESTERDAY_DAYS = 0                    |
| asap, right away, immediately, quick, the sooner..| ASAP_DAYS = 7                         |
| soon, pretty soon                                 | SOON_DAYS = 45                        |
| no rush, whenever, not in a hurry, flexible       | NO_RUSH_DAYS = 180                    |
| N days / weeks / months / years                   | N x 1 / 7 / 30 / 365                  |
| a couple / a few / several (weeks, months...)     | 2 / 3 / 4 of the unit                 |
| "2-3 months", "a month or two"                    | the midpoint (75, 45)                 |
| within / in / under / at least N ...              | N ... (a bound is read as the number) |
| next week / next month                            | days to the start of that period      |
| next year, sometime next year, mid next year      | July 1 of next year (its middle)      |
| early / start / beginning of next year            | Jan 1 of next year                    |
| this week / this month / this year, end of ...    | days to the end of that period        |
| by spring / summer / fall / winter                | days to Mar 20 / Jun 21 / Sep 22 /    |
|                                                   | Dec 21, next year's when already past |
| end of summer (etc.)                              | the start of the following season     |
| christmas / thanksgiving / new year               | Dec 25 / 4th Thu of Nov / Jan 1       |
| after the holidays, first of the year             | the coming Jan 1                      |
| a month name ("by march", "in june 15")           | its 1st (or the day given); the       |
|                                                   | current month counts to its last day  |
| a year ("in 2027", "end of 2027")                 | Jan 1 (Dec 31) of that year           |
| a day of the month ("by the 15th")                | the next such day                     |

- Negated windows ("not in the next 6 months", "not before summer") are read as twice as
  far (NEGATED_FACTOR); a negated "asap"/"soon" means no rush. "not until summer" and
  "can't wait 6 months" are bounds, read as the date or number itself.
- Durations in the past ("2 years ago", "lived there 10 years", "3 months behind") are not
  timelines. Numbers without a time unit ("450k") never are.
- Several timelines in one message: the soonest explicit one wins; the vague words above are
  used only when there is no explicit one. A value led by "not" / "instead of" next to
  another one is the replaced value of a correction ("not 6 weeks, 3 months" -> 90).
- House numbers are not years ("2068 Vista Grande Way"); a year more than MAX_YEARS_AHEAD
  ahead or a timeline beyond MAX_DAYS is no plan to sell (None).
- Past events are not target dates: "she passed last summer", "my dad passed in march",
  "we bought it in 2015", "been vacant 6 months", "new roof 2 yrs ago", "hace 2 años".
  A month, season or holiday led by "in"/"on"/"around" right after a past verb (passed,
  died, bought, moved, split, inherited, "-ed" words not led by want/need/hope...) is
  history; "by"/"before"/"until" are always targets ("need it sold by march").
- "no rush, sometime next year" is next year's middle (212 days from Dec 1), never the
  33 days to Jan 1: a seller who says "next year" plans a year, not a month.
- Spanish is rewritten to these English phrases first (SPANISH_PHRASES): "lo antes
  posible" = asap, "en 2 meses" = in 2 months, "para el verano" = by summer, "sin prisa" =
  no rush, "el próximo año" = next year, "fin de año" = end of the year, month names.
- A bare season that is the whole clause ("retiring, summer") is "by <season>".
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from seller_bot.extract.common import (
    ASAP_PATTERN,
    MONTH_PATTERN,
    MONTHS,
    NO_RUSH_PATTERN,
    STREET_ADDRESS_RE,
    YESTERDAY_PATTERN,
    Triggers,
    blank,
    is_negated,
    normalize,
    preceding,
    words_to_digits,
)

YESTERDAY_DAYS = 0
ASAP_DAYS = 7
SOON_DAYS = 45
NO_RUSH_DAYS = 180
NEGATED_FACTOR = 2
MAX_YEARS_AHEAD = 10  # "in 2068" is no plan to sell
MAX_DAYS = 3650  # nor is anything further than ten years out
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
VAGUE_COUNTS = {"a": 1, "an": 1, "one": 1, "couple": 2, "few": 3, "several": 4, "half": 0.5}
SEASON_STARTS = {"spring": (3, 20), "summer": (6, 21), "fall": (9, 22), "autumn": (9, 22),
                 "winter": (12, 21)}
NEXT_SEASON = {"spring": "summer", "summer": "fall", "fall": "winter", "autumn": "winter",
               "winter": "spring"}
HOLIDAYS = {"christmas": (12, 25), "xmas": (12, 25), "new year": (1, 1), "new years": (1, 1),
            "new year's": (1, 1)}

MID_YEAR = (7, 1)  # "next year" means its middle
SPANISH_PHRASES: tuple[tuple[str, str], ...] = (
    (r"lo (?:antes|mas pronto|mas rapido) posible|cuanto antes|de inmediato|inmediatamente|"
     r"urgente(?:mente)?|ya mismo|lo mas rapido que (?:se pueda|pueda)", "asap"),
    (r"(?:vender(?:la|lo)?|venta|salir) (?:muy |bien )?rapido", "sell fast"),
    (r"sin (?:prisa|apuro|urgencia)|no (?:hay|tengo|tenemos) (?:prisa|apuro|urgencia)|"
     r"cuando sea|no es urgente", "no rush"),
    (r"\bpronto\b", "soon"),
    (r"\b(?:para|como para) ayer\b", "needed it yesterday"),
    (r"\bhace (\d+(?:\.\d+)? \w+|un \w+|una \w+)", r"\1 ago"),
    (r"\bmedio ano\b", "6 months"),
    (r"\b(?:uno|una|un) o (?=\d)", "1 or "), (r"(?<=\d) o (?=\d)", " or "),
    (r"(?<=\b(?:dia|mes|ano)) o (?=\d\b)", " or "), (r"(?<=semana) o (?=\d\b)", " or "),
    (r"(?<=\d) a (?=\d)", " to "),
    (r"\bun par de\b", "a couple of"),
    (r"\b(?:unos|unas|algunos|algunas)(?: cuantos| cuantas| pocos| pocas)?\b(?= (?:dias|semanas|"
     r"meses|anos)\b)", "a few"),
    (r"\b(?:un|una)\b(?= (?:dia|semana|mes|ano)\b)", "a"),
    (r"\bdias?\b", "days"), (r"\bsemanas?\b", "weeks"), (r"\bmes(?:es)?\b", "months"),
    (r"\banos?\b", "years"),
    (r"\b(?:el |la )?(?:proximo|proxima|siguiente) (years|months|weeks)\b|"
     r"\b(?:el |la )?(years|months|weeks) que viene\b", r"next \1\2"),
    (r"\b(?:este|esta) (years|months|weeks)\b", r"this \1"),
    (r"\b(?:a |para )?(?:fin|finales) (?:de|del) (?:este )?(years|months)\b",
     r"by the end of the \1"),
    (r"\b(next|this|the) (year|month|week)s\b", r"\1 \2"),
    (r"\b(?:para|antes del?|en|durante) (?:el |la )?(verano|primavera|otono|invierno)\b",
     r"by \1"),
    (r"\bverano\b", "summer"), (r"\bprimavera\b", "spring"), (r"\botono\b", "fall"),
    (r"\binvierno\b", "winter"),
    (r"\bnavidad(?:es)?\b", "christmas"), (r"\bdespues de (?:las )?fiestas\b",
                                            "after the holidays"),
    (r"\bdentro de\b", "within"), (r"\bantes de(?:l)?\b", "before"),
    (r"\ba (?:principios|inicios) de\b", "early"), (r"\ba (?:finales|fines) de\b", "end of"),
    (r"\ba mediados de\b", "mid"), (r"\bpara (?:el |la )?\b", "by "), (r"\ben (?=\d|a )", "in "),
    (r"\ben (?=(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|"
     r"octubre|noviembre|diciembre)\b)", "in "),
    (r"\benero\b", "january"), (r"\bfebrero\b", "february"), (r"\bmarzo\b", "march"),
    (r"\babril\b", "april"), (r"\bmayo\b", "may"), (r"\bjunio\b", "june"),
    (r"\bjulio\b", "july"), (r"\bagosto\b", "august"), (r"\bs(?:e|)ptiembre\b", "september"),
    (r"\bsetiembre\b", "september"), (r"\boctubre\b", "october"),
    (r"\bnoviembre\b", "november"), (r"\bdiciembre\b", "december"),
)
_SPANISH_HINT_RE = re.compile(
    r"\b(?:dias?|semanas?|mes|meses|anos?|pronto|prisa|apuro|posible|antes|verano|primavera|"
    r"otono|invierno|navidad|hace|proximo|proxima|cuando sea|rapido|urgente|enero|febrero|"
    r"marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"fin|finales|dentro|inmediato|cuanto|medio|mediados|principios|para el|para la|ayer)\b"
)
_SPANISH_RES = tuple((re.compile(pattern), english) for pattern, english in SPANISH_PHRASES)
# Words that make a following month/season a past event: "passed in march".
PAST_VERBS = frozenset({
    "passed", "pased", "past", "died", "bought", "moved", "split", "separated", "inherited",
    "happened", "was", "were", "did", "got", "had", "lost", "left", "began", "started",
    "went", "came", "took", "built", "redone", "remodeled", "renovated", "replaced",
    "listed", "married", "divorced", "retired", "fallecio", "murio", "compramos", "compre",
    "heredamos", "herede", "paso", "fue", "ago", "last", "vacated", "evicted", "purchased",
})
_WANTING = frozenset({"want", "wants", "need", "needs", "hope", "hoping", "like", "have",
                      "get", "gets", "gotta", "should", "will", "would", "could", "can",
                      "plan", "planning", "going", "gonna", "wanna", "hopefully"})
_HISTORY_PREPS = frozenset({"in", "on", "around", "the", "early", "late", "mid", "over",
                            "middle of", "end of", "beginning of", "start of", "during",
                            "last", "this past"})
_CLAUSE_RE = re.compile(r"[.,;:!?]|\b(?:but|and|so|because|cause|cuz)\b")
_REPLACED_RE = re.compile(r"\b(?:not|instead of|rather than|in place of)\s*$")
_BARE_SEASON_RE = re.compile(
    r"(?:^|[,.;:!]\s*|\b(?:ideally|maybe|prob|probably|hopefully)\s+)"
    r"(?P<name>summer|spring|winter|fall|autumn)\s*(?:time\s*)?(?:[,.;:!?]|$)"
)
_LAST_SEASON_RE = re.compile(r"\b(?:last|this past|past)\s+(?:spring|summer|fall|autumn|winter)\b")

_UNIT = r"(?P<unit>days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?)\b"
_COUNT = r"\d+(?:\.\d+)?|an?|one|(?:a )?couple(?: of)?|(?:a )?few|several|half an?"
# "month or two", "week or 2": a bare unit counts one.
_BARE_UNIT_RE = re.compile(r"(?:^|(?<=[\s,.]))(?=(?:day|week|month|year) or (?:2|two|3|three)\b)")
_DURATION_RE = re.compile(
    rf"\b(?P<a>{_COUNT})\s*(?:(?:-|to|or)\s*(?P<b>\d+(?:\.\d+)?)\s*)?{_UNIT}"
    r"(?:\s+(?:or|to)\s+(?P<c>\d+)\b(?!\s*(?:days?|weeks?|months?|years?)))?"  # a month or 2
)
# A duration that is history, not a plan: "lived there 10 years", "3 months behind".
_PAST_BEFORE_RE = re.compile(
    r"\b(?:for the (?:past|last)|the (?:past|last)|been|lived|owned|had|since|listed|"
    r"on the market|over the (?:past|last)|married|retired|divorced|separated|vacant|"
    r"empty|sat|sitting|rented|renting|tenants?|there|here|it for|owned it|"
    r"vivimos|vivo|vivi|tenemos|tengo|llevamos|lleva|desocupada|vacia)\b"
    r"(?:\s+[a-z']+){0,2}\s*$"
)
_PAST_AFTER_RE = re.compile(
    r"\s*(?:ago|old|behind|late|past due|overdue|in arrears|lease|mortgage|loan|fixed|"
    r"warranty|now|already|vacant|empty|in a row|straight|atrasad\w*|de atraso)\b"
)

_PERIOD_RE = re.compile(
    r"\b(?P<end>(?:by )?(?:the )?end of (?:the |this )?)?(?P<which>next |this )?"
    r"(?P<period>weekend|week|month|year)\b"
)
_EOY_RE = re.compile(r"\b(?:eoy|year end|year-end|before the new year)\b")
# "after the holidays", "first of the year": the coming January 1st.
_NEW_YEAR_RE = re.compile(
    r"\b(?:after the holidays|(?:first|beginning|start) of (?:the |next )?year|"
    r"early next year|(?:first|beginning|start) of next year)\b"
)
# "within the next year", "in the next year or so": a year's duration.
_NEXT_YEAR_SPAN_RE = re.compile(r"\b(?:within|in|over|during) the next year\b")
_EOM_RE = re.compile(r"\beom\b")
# "not in the next 6 months", "not before summer": the seller means later than that.
# ("not until summer" means summer itself, so "until" is not in the list.)
_NOT_WITHIN_RE = re.compile(
    r"(?:\bnot|n't|\bdont|\bwont|\bcant)\s+(?:[a-z']+\s+){0,3}?(?:in|within|for|before|during|"
    r"by)\b(?:\s+[a-z']+){0,2}\s*$"
)
_HOLIDAY_RE = re.compile(
    r"\b(?:by|before|for|until|till|til|around|after|at|over|on)\s+(?:the\s+)?"
    r"(?P<name>christmas|xmas|new year's|new years|new year|thanksgiving)\b"
)
_SEASON_RE = re.compile(
    r"\b(?P<prep>by|before|in|this|until|till|til|around|over|next|early|late|"
    r"end of|middle of|mid|the|after|for)\s+(?:the\s+)?(?P<name>spring|summer|fall|autumn|winter)\b"
)
_MONTH_RE = re.compile(
    rf"\b(?P<prep>by|before|in|until|till|til|around|after|end of|beginning of|early|"
    rf"late|mid|middle of|start of)\s+(?:the\s+)?(?:end of\s+)?(?P<name>{MONTH_PATTERN})\b\.?"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?(?!\s+(?:be|have|need|want)\b)"
)
_YEAR_RE = re.compile(
    r"\b(?P<prep>in|by|before|until|till|sometime in|early|late|end of|the end of)\s+"
    r"(?P<year>20\d\d)\b"
)

_YESTERDAY_RE = re.compile(YESTERDAY_PATTERN)
_ASAP_RE = re.compile(ASAP_PATTERN)
_NO_RUSH_RE = re.compile(NO_RUSH_PATTERN)
_SOON_RE = re.compile(r"\b(?:soon|pretty soon|sooner rather than later|shortly)\b")
# "talk soon" is a sign-off, not a timeline.
_SIGN_OFF_RE = re.compile(
    r"\b(?:talk|see|speak|hear|chat|text|call|get back|reply|respond)\b[^.!?]{0,14}$"
)


def _days_until(today: date, target: date) -> int:
    """Whole days from today to target."""
    return (target - today).days


def _next_date(today: date, month: int, day: int) -> date:
    """The next month/day on or after today (next year's when already past)."""
    target = date(today.year, month, min(day, calendar.monthrange(today.year, month)[1]))
    if target < today:
        year = today.year + 1
        target = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return target


def _thanksgiving(year: int) -> date:
    """Fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _end_of_month(year: int, month: int) -> date:
    """Last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _count(word: str) -> float:
    """How many units a count word means: '3' -> 3, 'a couple' -> 2, 'half a' -> 0.5."""
    word = word.removeprefix("a ").removesuffix(" of").split()[0]
    return float(word) if word[0].isdigit() else VAGUE_COUNTS[word]


def _unit_days(unit: str) -> int:
    """Days in a unit as typed: 'wks' -> 7, 'mos' -> 30."""
    return UNIT_DAYS[{"d": "day", "w": "week", "m": "month", "y": "year"}[unit[0]]]


# Time asked to decide, not to sell: "give me a few days", "I'll get back to you in 2 days".
_DECIDE_BEFORE_RE = re.compile(
    r"\b(?:give|gimme|deme|dame|denme|think(?:ing)?(?: about it)?|sleep on it|"
    r"back to (?:you|u|ya)|let (?:you|u|ya) know|call (?:you|u|ya)|text (?:you|u|ya)|"
    r"talk|le aviso|te aviso|les aviso)\b(?:\s+[a-z']+){0,3}\s*$"
)


def _durations(text: str) -> list[tuple[int, int]]:
    """(days, start) for each 'N units' that is a plan, not history."""
    found = []
    for m in _DURATION_RE.finditer(text):
        before = preceding(text, m.start())
        if (_PAST_BEFORE_RE.search(before) or _PAST_AFTER_RE.match(text, m.end())
                or _DECIDE_BEFORE_RE.search(before)):
            continue
        unit = _unit_days(m.group("unit"))
        low = _count(m.group("a"))
        high = float(m.group("b") or m.group("c") or low)
        found.append((int((low + high) / 2 * unit + 0.5), m.start()))
    return found


def _period_target(today: date, period: str, nxt: bool, end: bool) -> date:
    """Start (or end) of this or next week, weekend, month or year."""
    if period == "weekend":  # the coming Saturday
        return today + timedelta(days=(5 - today.weekday()) % 7 + (7 if nxt else 0))
    if period == "week":  # weeks run Monday to Sunday
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if nxt else 0)
        return monday + timedelta(days=6) if end else monday
    if period == "month":
        year, month = today.year, today.month
        if nxt:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return _end_of_month(year, month) if end else date(year, month, 1)
    if nxt and not end:
        return date(today.year + 1, *MID_YEAR)  # "next year": its middle, not Jan 1
    year = today.year + (1 if nxt else 0)
    return date(year, 12, 31) if end else date(year, 1, 1)


# Cheap looks before the costly patterns: no period, holiday, season or month word, no year.
_PERIOD_WORD_RE = re.compile(r"week|month|year|eo[ym]|holiday")
_HOLIDAY_WORD_RE = re.compile(r"christmas|xmas|thanksgiving|new year")
_SEASON_WORD_RE = re.compile(r"spring|summer|fall|autumn|winter")
_MONTH_WORD_RE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_YEAR_NUMBER_RE = re.compile(r"\b20\d\d\b")
# "by the 15th": the next 15th of a month.
_DAY_OF_MONTH_RE = re.compile(
    r"\b(?:by|before|until|till|til|on|around)\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of\s+)?(?:" + MONTH_PATTERN + r"))"
)


def _periods(text: str, today: date) -> list[tuple[int, int]]:
    """(days, start) for next/this/end of week, weekend, month, year."""
    found: list[tuple[int, int]] = []
    if not _PERIOD_WORD_RE.search(text):
        return found
    for m in _PERIOD_RE.finditer(text):
        which, period = (m.group("which") or "").strip(), m.group("period")
        if not (which or m.group("end")):
            continue  # "a month" is a duration, "the week" is nothing
        if period == "year" and which == "next" and _NEXT_YEAR_SPAN_RE.search(
                text, max(0, m.start() - 12), m.end()):
            found.append((UNIT_DAYS["year"], m.start()))
            continue
        # "next month" is its start; "this month", "end of (next) month" are ends.
        end = bool(m.group("end")) or which == "this"
        target = _period_target(today, period, which == "next", end)
        found.append((_days_until(today, target), m.start()))
    found += [(_days_until(today, date(today.year, 12, 31)), m.start())
              for m in _EOY_RE.finditer(text)]
    found += [(_days_until(today, _end_of_month(today.year, today.month)), m.start())
              for m in _EOM_RE.finditer(text)]
    found += [(_days_until(today, date(today.year + 1, 1, 1)), m.start())
              for m in _NEW_YEAR_RE.finditer(text)]
    return found


def _is_history(text: str, m: re.Match[str]) -> bool:
    """True for 'passed in march', 'bought it around christmas': a past event, not a target."""
    prep = (m.groupdict().get("prep") or "in").strip()
    if prep not in _HISTORY_PREPS and not prep.startswith(("in", "on", "around")):
        return False
    before = preceding(text, m.start(), 50)
    breaks = list(_CLAUSE_RE.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    words = re.findall(r"[a-z']+", before)[-6:]
    return any(
        (word in PAST_VERBS or (word.endswith("ed") and len(word) > 4))
        and not any(w in _WANTING for w in words[:i])
        for i, word in enumerate(words)
    )


def _calendar_dates(text: str, today: date) -> list[tuple[int, int]]:
    """(days, start) for holidays, seasons, month names, days of the month and years."""
    found = [*_holidays(text, today), *_seasons(text, today), *_months(text, today),
             *_days_of_month(text, today), *_years(text, today)]
    return [(_days_until(today, target), start) for target, start in found]


def _holidays(text: str, today: date) -> list[tuple[date, int]]:
    found = []
    for m in _HOLIDAY_RE.finditer(text) if _HOLIDAY_WORD_RE.search(text) else ():
        if _is_history(text, m):
            continue
        name = m.group("name")
        if name == "thanksgiving":
            target = _thanksgiving(today.year)
            if target < today:
                target = _thanksgiving(today.year + 1)
        else:
            target = _next_date(today, *HOLIDAYS[name])
            if HOLIDAYS[name] == (1, 1) and target == today:
                target = date(today.year + 1, 1, 1)
        found.append((target, m.start("name")))
    return found


def _seasons(text: str, today: date) -> list[tuple[date, int]]:
    if not _SEASON_WORD_RE.search(text):
        return []
    found = []
    for m in [*_SEASON_RE.finditer(text), *_BARE_SEASON_RE.finditer(text)]:
        if _is_history(text, m) or _LAST_SEASON_RE.search(text, max(0, m.start() - 12),
                                                          m.end()):
            continue
        name = m.group("name")
        if m.groupdict().get("prep") == "end of":
            name = NEXT_SEASON[name]
        found.append((_next_date(today, *SEASON_STARTS[name]), m.start("name")))
    return found


def _months(text: str, today: date) -> list[tuple[date, int]]:
    found = []
    for m in _MONTH_RE.finditer(text) if _MONTH_WORD_RE.search(text) else ():
        if _is_history(text, m):
            continue
        month, day = MONTHS[m.group("name")], m.group("day")
        if "end of" in m.group(0) or (month == today.month and not day):
            target = _end_of_month(today.year, month)
            if target < today:
                target = _end_of_month(today.year + 1, month)
        elif m.group("prep") in ("mid", "middle of"):
            target = _next_date(today, month, 15)
        else:
            target = _next_date(today, month, int(day) if day and 1 <= int(day) <= 31 else 1)
        found.append((target, m.start("name")))
    return found


def _days_of_month(text: str, today: date) -> list[tuple[date, int]]:
    found = []
    for m in _DAY_OF_MONTH_RE.finditer(text):
        day = int(m.group("day"))
        if 1 <= day <= 31:
            target = _next_date(today, today.month, day)
            if target == today or target.day != day:  # "by the 1st" today: the next one
                month = today.month % 12 + 1
                target = _next_date(today + timedelta(days=1), month, day)
            found.append((target, m.start()))
    return found


def _years(text: str, today: date) -> list[tuple[date, int]]:
    found = []
    for m in _YEAR_RE.finditer(text) if _YEAR_NUMBER_RE.search(text) else ():
        year = int(m.group("year"))
        if not today.year <= year <= today.year + MAX_YEARS_AHEAD or _is_history(text, m):
            continue
        end_of = "end" in m.group("prep") or year == today.year
        found.append((date(year, 12, 31) if end_of else date(year, 1, 1), m.start("year")))
    return found


VAGUE_TRIGGERS = Triggers("""
asap soon possible right immediate urgen hurry rush better gone quick fast now yesterday
whenever time deadline flexible timing explor curious seeing checking looking testing
eventually some road line point pressure shortly
""")


def _vague(text: str) -> int | None:
    """Days for vague words (asap, soon, no rush) when nothing explicit was said."""
    if not (VAGUE_TRIGGERS.seen_in(text) or "a.s.a.p" in text):
        return None
    values = []
    if _YESTERDAY_RE.search(text):
        values.append(YESTERDAY_DAYS)
    values += [NO_RUSH_DAYS for _ in _NO_RUSH_RE.finditer(text)]
    for pattern, days in ((_ASAP_RE, ASAP_DAYS), (_SOON_RE, SOON_DAYS)):
        for m in pattern.finditer(text):
            if pattern is _SOON_RE and _SIGN_OFF_RE.search(preceding(text, m.start())):
                continue
            # "not asap" / "doesn't have to be soon" mean there is no rush.
            values.append(NO_RUSH_DAYS if is_negated(text, m.start()) else days)
    return min(values) if values else None


# Words at least one pattern above needs besides digits (see Triggers).
TRIGGERS = Triggers("""
day week wk month mo mth year yr asap soon possible right away immediate urgen hurry rush
quick fast gone sell sold clos sale mov out done offer cash yesterday whenever time deadline
flexible timing explor curious seeing checking looking testing eventually some road line
point pressure holiday christmas xmas thanksgiving eoy eom spring summer fall autumn winter
jan feb mar apr may jun jul aug sep oct nov dec shortly
dia semana mes ano pronto prisa apuro posible antes verano primavera otono invierno navidad
fiesta hace proxim cuando rapido inmediat enero febrero marzo abril mayo junio julio agosto
septiembre setiembre octubre noviembre diciembre fin finales dentro cuanto medio mediados
principios ayer mismo
""")
_DIGIT_RE = re.compile(r"\d")


def extract_timeline_days(text: str, today: date) -> int | None:
    """Days from today until the seller wants to have sold, or None when not said."""
    normalized = normalize(text)
    if not (TRIGGERS.seen_in(normalized) or "a.s.a.p" in normalized
            or _DIGIT_RE.search(words_to_digits(normalized))):
        return None
    clean = _BARE_UNIT_RE.sub("a ", words_to_digits(normalized))
    if _DIGIT_RE.search(clean):  # "2068 Vista Grande Way" is a house, not the year 2068
        clean = STREET_ADDRESS_RE.sub(blank, clean)
    if _SPANISH_HINT_RE.search(clean):
        for pattern, english in _SPANISH_RES:
            clean = pattern.sub(english, clean)
    found = _durations(clean) + _periods(clean, today) + _calendar_dates(clean, today)
    kept = [(days, start) for days, start in found
            if not _REPLACED_RE.search(preceding(clean, start, 16))]
    explicit = []
    for days, start in kept or found:
        later = _NOT_WITHIN_RE.search(preceding(clean, start)) is not None
        explicit.append(days * NEGATED_FACTOR if later else days)
    if explicit:
        days = max(0, min(explicit))
        return days if days <= MAX_DAYS else None
    return _vague(clean)
