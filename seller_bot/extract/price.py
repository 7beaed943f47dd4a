"""The seller's asking price, in whole dollars, from an SMS.

Decisions (each one a rule below):
- Money markers: "$", "k", "grand", "thousand", "m"/"mil"/"million"/"mm". "4 hundred" and
  "four fifty" carry no marker: they count only when the bot just asked (expecting=True).
- Bare numbers when expecting=True: 100-9,999 mean thousands ("450" -> 450,000). Bare
  numbers under 100 are too vague: "4.5" could be 450,000 or 4.5 million, so None.
- "$" with 100-9,999 means thousands ("$450" -> 450,000): no house here costs $450. With a
  thousands separator it is literal ("$1,500" is $1,500, too little to be a price).
- Amounts per month/year ("rent is 1800 a month", "$2,500/mo") are never prices.
- When expecting=False, a number without a marker counts only if it has 6+ digits ("I think
  350000"), a band ("low 400s"), or comes right after a price word ("asking 450", "can you
  do 400"). "between 300 and 400" alone is then None (could be anything).
- Bare five-digit numbers are zip codes ("91730"); 1900-2099 without a marker are years.
- "low/mid/high 400s" -> 410,000 / 450,000 / 480,000 (band start + 10/50/80 % of the band);
  a plain "the 400s" is the middle of the band.
- Ranges ("between 300 and 400", "300-400k", "450 or 500k") -> the midpoint. A unit on the
  upper end also applies to the lower end; "between 3 and 400" means 300-400.
- "450,00" is a typo for 450,000: when a comma group is not 3 digits, the leading group is
  read as thousands. "450.000" (dot as thousands separator) is 450,000.
- Amounts owed, paid, spent on repairs or quoted by others (mortgage, "paid 200k in 2010",
  "50k in repairs") are not the asking price; another amount in the same message still is.
- Several asking amounts: the first one after a price word wins ("I want 500k but I'd take
  450k" -> 500,000), else the last one, a correction ("450k. well maybe 475k" -> 475,000).
- Plausible asking prices are 10,000-50,000,000; anything else is None.
- Corrections: an amount led by "not", "instead of", "rather than" (or ", no" in Spanish)
  is the replaced one: "470 not 440", "not 440, 470", "380 mil, no 350" -> the other one.
- Debt plus equity: "I still owe 200 and want 150 out of it", "owe 120, want 60 on top",
  "debo 200 mil y quiero sacar 150" -> the sum (the seller needs both). Only with an
  explicit net phrase (out of it, on top, in my pocket, walk away with, after paying off,
  para mi, de ganancia); "we owe 250 so we need at least 300" stays 300,000.
- Spanish: "350 mil" (mil after 10+ is thousands, not million), "trescientos cincuenta
  mil", "medio millón", "un millón y medio"; Spanish quantities (meses, recámaras, baños) and
  debts (debo, hipoteca) are not prices; "quiero", "pido", "lo menos" are price words.
- bare_ok=True (the flow's "read every field every turn" while the price is unknown): a
  bare number counts as thousands when it alone could be the answer: 100-1,500 (-> $100k to
  $1.5M), nothing after it but hedges ("ish", "or so", "i guess", "obo", "firm", "?"), and
  not led by words that make it something else ("unit", "apt", "#", "lot", "i'm", "age").
  "prob about 290" and "440-ish" are prices; "1234 elm", "120 days", "I'm 72" are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from seller_bot.extract.common import (
    CACHE_SIZE,
    STREET_ADDRESS_RE,
    blank,
    normalize,
    preceding,
    words_to_digits,
)

MIN_PRICE = 10_000
MAX_PRICE = 50_000_000
THOUSANDS_IF_EXPECTING = (100, 10_000)  # bare 100..9,999 -> thousands when just asked
BAND_POSITION = {"low": Decimal("0.1"), "mid": Decimal("0.5"), "high": Decimal("0.8"),
                 "": Decimal("0.5")}
BAND_ALIASES = {"middle": "mid", "upper": "high", "lower": "low"}

UNIT_MULTIPLIER = {
    "k": 1_000, "grand": 1_000, "thousand": 1_000, "thou": 1_000,
    "m": 1_000_000, "mm": 1_000_000, "mil": 1_000_000, "mill": 1_000_000,
    "million": 1_000_000, "millions": 1_000_000,
}

# Phrases rewritten before anything else, so the rest only sees digits.
_PHRASES = [
    (re.compile(r"\b(?:un |1 )?millon y medio\b|\b(?:a |one )?million and a half\b"),
     "1500000"),
    (re.compile(r"\bmedio millon\b"), "500000"),
    (re.compile(r"\b1000000 y medio\b"), "1500000"),
    (re.compile(r"\bhalf (?:a |of a )?(?:mil|mill|million)\b"), "500000"),
    (re.compile(r"\b(?:a )?quarter (?:of a )?(?:mil|mill|million)\b"), "250000"),
    (re.compile(r"\b(?:a|one) (?:mil|mill)\b"), "1000000"),
    (re.compile(r"(?<=\d) (?=k\b)"), ""),  # "450 k" -> "450k"
]

_PHRASE_LOOK_RE = re.compile(r"mil|medio|half|quarter|\d k\b")

# Spans that hold numbers but never a price; they are blanked before looking for amounts.
# Each with a cheap look that must succeed before the pattern is worth running.
_NOT_PRICE_RES = [
    (re.compile(r"\d{3}"), re.compile(
        r"\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b|\b\d{10,11}\b|\b\d{3}-\d{4}\b")),  # phone
    (re.compile(r"zip|ca"), re.compile(
        r"\b(?:zip(?: ?code)?|ca|california)\s*:?\s*\d{5}(?:-\d{4})?\b")),  # zip
    (re.compile(r"\b(?:19|20)\d\d\b"), re.compile(
        r"\b(?:built|remodeled|renovated|bought|since|in|from|year|back in)\s+"
        r"(?:in\s+)?(?:19|20)\d\d\b")),  # years
    (re.compile(r"\d[a-z-]{0,2}\s+[a-z]"), STREET_ADDRESS_RE),  # house numbers
    (re.compile(r"\d[\s+\-.]{0,3}(?:\d[\s+\-.]{0,3}){0,8}[a-z%]"), re.compile(
        r"(?<![\d.])\d+(?:\.\d+)?(?:\s*(?:-|to|or)\s*\d+(?:\.\d+)?)?\s*(?:\+\s*)?"
        r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?|minutes?|mins?|"
        r"beds?|bedrooms?|br|bd|baths?|bathrooms?|ba|sq\s*ft|sqft|square|sf|"
        r"acres?|ac|%|percent|stories|story|car|units?|kids|people|miles?|mi|"
        r"am|pm|a\.m|p\.m|times|x|o'clock|oclock|th|st|nd|rd|"
        r"dias|semanas?|meses|mes|anos?|recamaras?|cuartos?|banos?|habitaciones|"
        r"pies|metros|por ciento|hijos|personas|millas|horas?)\b")),  # quantities
    (re.compile(r"mo|yr|year|wk|week"), re.compile(
        r"(?<![\d,.])\$?\d[\d,]*(?:\.\d+)?\s*k?\s*(?:(?:/|a|per|each|every)\s*"
        r"(?:mo|month|yr|year|wk|week)\b|monthly|yearly)")),  # rent, payments
    (re.compile(r":"), re.compile(r"\d{1,2}:\d{2}")),  # clock times
    (re.compile(r"#"), re.compile(r"#\s*\d+")),  # unit / option numbers
]

_NUMBER = (r"\d{1,3}(?:,\d{1,3})+"  # 450,000 (and the typo 450,00)
           r"|\d{1,3}(?:\.\d{3})+(?!\d|\.\d|\s?(?:m|mm|mil|mill|million)\b)"  # 450.000
           r"|\d*\.\d+|\d+")
_UNIT = r"k|grand|thousand|thou|mm|mil|mill|millions|million|m"
_AMOUNT_RE = re.compile(
    r"(?=[lmhu$\d.])"  # a cheap first look: most positions start none of these
    r"(?:\b(?P<band>low|mid|middle|high|upper|lower)\s+(?:the\s+)?)?"
    rf"(?P<dollar>\$\s?)?(?P<num>{_NUMBER})(?:\s?(?P<unit>{_UNIT})\b)?(?P<plural>'?s\b)?"
)
# Two amounts joined like this are one range: "300-400k", "450 or 500k", "300 to 400".
_RANGE_JOIN_RE = re.compile(r"\s*(?:-|to|or|and)\s*")
# "and" only makes a range after "between"/"from" ("between 300 and 400").
_BETWEEN_RE = re.compile(r"\b(?:between|from|somewhere|anywhere|range)\b[^\d$]{0,12}$")

# Words that make a bare number a price ("asking 450", "can you do 400", "i'd take 380").
_PRICE_CUE_RE = re.compile(
    r"\b(?:asking|ask|price|priced|want|wanting|looking for|hoping for|hope to get|get|"
    r"take|sell (?:it )?for|sell (?:it )?at|list(?:ed)? (?:it )?(?:for|at)|at least|"
    r"minimum|min|bottom line|lowest|firm at|can you do|could you do|would you do|"
    r"how about|what about|make it|go up to|come up to|meet (?:me )?at|counter(?: at)?|"
    r"i could do|we could do|i can do|we can do|i'?d do|we'?d do|i'?d take|"
    r"quiero|queremos|pido|pedimos|precio|lo menos|por lo menos|minimo|me da|me dan|"
    r"vender(?:la)? (?:en|por)|sacar(?:le)?|ofrezca|si me da)"
    r"\b(?:\s+[a-z']+){0,2}\s*$"
)
# Amounts that are not what the seller wants: debt, past purchase, repairs, others' offers.
_NOT_ASKING_BEFORE_RE = re.compile(
    r"\b(?:owe|owes|owed|owing|mortgage|loan|balance|payoff|pay off|lien|debt|paid|"
    r"bought (?:it )?for|purchased (?:it )?for|spent|put in|invested|taxes|"
    r"debo|debemos|debe|hipoteca|deuda|pague|pagamos|compre|compramos|"
    r"they offered|someone offered|got an offer|offered me|other offer)\b[^\d$.,;!?]{0,20}$"
)
_NOT_ASKING_AFTER_RE = re.compile(
    r"\s*(?:left )?(?:in|of|worth of|for)?\s*(?:repairs?|work|upgrades|improvements|"
    r"renovations?|debt|back taxes|liens?|left|on (?:it|the (?:house|mortgage|loan))|"
    r"de (?:deuda|hipoteca|reparaciones))\b"
)
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
# The replaced amount of a correction: "not 440", "instead of 420k", "380 mil, no 350".
_REPLACED_BEFORE_RE = re.compile(
    r"(?:\bnot|\binstead of|\brather than|\bin place of|(?:[,;]|\d\w*)\s*no)\s*\$?\s*$"
)
# bare_ok: words after a bare number that keep it a price, and words before that don't.
BARE_RANGE = (100, 1_500)
_BARE_AFTER_RE = re.compile(
    r"(?:,?\s*(?:not|instead of|rather than|no)\s+\$?\d[\d,.]*\s*(?:k|mil)?)?"
    r"\s*(?:-?\s*ish|sorry|or so|i guess|i think|maybe|probably|prob|tops|firm|obo|or best offer|"
    r"give or take|roughly|or around there|or something|or close|lol|lmao|tbh|honestly|idk|"
    r"at least|minimum|or more|or less|if possible|would be nice|would be great|"
    r"is what i want|is fine|works|sounds right|o algo asi|mas o menos|maso|creo)?"
    r"\s*[.!?]*\s*$"
)
_BARE_BEFORE_RE = re.compile(
    r"(?:#|\bunit|\bapt|\bapartment|\bsuite|\bste|\blot|\bspace|\broom|\bexit|\broute|"
    r"\bhwy|\bhighway|\bi-|\bage|\baged|\bim|\bi'?m|\bi am|\bturning|\bturned|\bborn|"
    r"\bext|\bzip|\bnumber|\bno\.|\bcode|\bpin|\bat|\bon|\bof|\bto|\bby|\bfrom|"
    r"\bdays?|\bweeks?|\bmonths?|\bscore|\bcredit|\bin|\btengo|\bcalle|\ben el)\s*$"
)
# Debt plus equity: what is owed, and what the seller wants on top of it.
_AMOUNT_TEXT = r"\$?\s?\d[\d,.]*(?:\s?(?:k|grand|thousand|mil)\b)?"
_OWED_RE = re.compile(
    r"\b(?:owe|owes|owed|owing|(?:mortgage|loan|payoff|balance)(?: balance)?(?: is| of)?|"
    r"debo|debemos|hipoteca de)\b[^\d$]{0,15}(?P<owed>" + _AMOUNT_TEXT + ")"
)
_NET_RE = re.compile(
    r"\b(?:walk away with|walk with|walk away|pocket|take home|net|clear|cash out)\b[^\d$]{0,6}"
    r"(?P<net3>" + _AMOUNT_TEXT + r")"
    r"|\b(?:want|need|get|make|keep|quiero|queremos|necesito|sacar|quedarme con|ganar)\b"
    r"[^\d$]{0,12}"
    r"(?P<net>" + _AMOUNT_TEXT + r")[^\d$]{0,12}?\b(?:out of it|out of the (?:house|sale)|"
    r"on top|in my pocket|in (?:our|my) pockets?|after (?:paying|that|the (?:loan|mortgage))|"
    r"cash out|for (?:me|us|myself|ourselves)|clear|free and clear|profit|equity|"
    r"para (?:mi|nosotros)|de ganancia|limpios?|encima|aparte|extra)"
    r"|\b(?:plus|y|and|\+)\s*(?P<net2>" + _AMOUNT_TEXT + r")\s*(?:on top|encima|extra|more)"
)
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class _Token:
    """One number as written: digits, unit, $, band word, plural 's'."""

    start: int
    end: int
    num: str
    unit: str | None
    dollar: bool
    band: str | None
    plural: bool


@lru_cache(maxsize=CACHE_SIZE)
def _prepare(text: str) -> str:
    """Normalised text with number words as digits and non-price numbers blanked out."""
    text = words_to_digits(normalize(text))
    if not _DIGIT_RE.search(text) and "mil" not in text:
        return ""  # no number at all: skip the masking work
    if _PHRASE_LOOK_RE.search(text):
        for pattern, replacement in _PHRASES:
            text = pattern.sub(replacement, text)
    for look, pattern in _NOT_PRICE_RES:
        if look.search(text):
            text = pattern.sub(blank, text)
    return text


MAX_NUMBERS = 24  # numbers read per message: nobody names more amounts than that
CUE_CHARS = 40  # a price word sits within this many characters before its number


def _tokens(text: str) -> list[_Token]:
    """The numbers in prepared text (the first MAX_NUMBERS of them)."""
    return [
        _Token(m.start(), m.end(), m.group("num"), m.group("unit"), bool(m.group("dollar")),
               m.group("band"), bool(m.group("plural")))
        for m, _ in zip(_AMOUNT_RE.finditer(text), range(MAX_NUMBERS), strict=False)
    ]


def _digits(num: str) -> tuple[Decimal, bool]:
    """The number written, and whether it had thousands separators."""
    if "," in num:
        head, *groups = num.split(",")
        if all(len(g) == 3 for g in groups):
            return Decimal(num.replace(",", "")), True
        return Decimal(head) * 1000, True  # "450,00": a zero went missing
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
        return Decimal(num.replace(".", "")), True  # "450.000"
    return Decimal(num), False


def _dollars(tok: _Token, unit: str | None, cued: bool, expecting: bool) -> Decimal | None:
    """Dollars meant by one number, or None when it is not money."""
    value, grouped = _digits(tok.num)
    if unit:
        mult = UNIT_MULTIPLIER[unit]
        if unit == "mil" and value >= 10:
            mult = 1_000  # Spanish "350 mil"; "1.2 mil" stays a million
        # "350,000k" is a doubled unit, not 350 million.
        return value if mult == 1_000 and value >= MIN_PRICE else value * mult
    if value >= 10_000:
        if len(tok.num) == 5 and not (tok.dollar or grouped or cued):
            return None  # a bare five-digit number is a zip code
        return value
    if not (tok.dollar or cued or expecting or tok.plural):
        return None
    if _YEAR_RE.match(tok.num) and not tok.dollar:
        return None
    if THOUSANDS_IF_EXPECTING[0] <= value < THOUSANDS_IF_EXPECTING[1] and not grouped:
        return value * 1000  # "$1,500" was typed as dollars, "$450" was not
    return None


def _band(tok: _Token, value: Decimal) -> Decimal:
    """'low 400s' -> 410,000: the start of the band plus a share of its width."""
    digits, _ = _digits(tok.num)
    written = str(int(digits))
    width = 10 ** (len(written) - len(written.rstrip("0")))
    position = BAND_POSITION[BAND_ALIASES.get(tok.band or "", tok.band or "")]
    return value + value / digits * width * position


def _single(tok: _Token, cued: bool, expecting: bool) -> Decimal | None:
    """Dollars for one token, band words included."""
    value = _dollars(tok, tok.unit, cued, expecting)
    if value is not None and tok.plural and tok.unit is None:
        value = _band(tok, value)
    return value


def _range(low: _Token, high: _Token, cued: bool, expecting: bool) -> Decimal | None:
    """Midpoint of a range; the high end's unit also applies to a bare low end."""
    unit = high.unit or low.unit
    high_value = _dollars(high, unit, cued, expecting)
    if not high_value:
        return None  # not money, or zero
    if low.unit:
        low_value = _dollars(low, low.unit, cued, expecting)
    else:
        # Same scale as the high end; "between 3 and 400" means 300-400.
        low_value = _digits(low.num)[0] * high_value / _digits(high.num)[0]
        while low_value and low_value * 10 <= high_value:
            low_value *= 10
    if low_value is None or low_value > high_value:
        return None
    return (low_value + high_value) / 2


def _amount_in(text: str) -> int | None:
    """Dollars of one amount matched by _AMOUNT_TEXT; bare 10-9,999 read as thousands."""
    m = _AMOUNT_RE.search(text)
    if m is None:
        return None
    number, _ = _digits(m.group("num"))
    if m.group("unit") is None and not m.group("dollar") and 10 <= number < 100:
        return int(number * 1000)  # "want 60 on top"
    tok = _Token(0, 0, m.group("num"), m.group("unit"), bool(m.group("dollar")), None, False)
    value = _dollars(tok, tok.unit, cued=True, expecting=True)
    return int(value) if value is not None else None


_OWED_LOOK_RE = re.compile(r"owe|owing|mortgage|loan|payoff|balance|debo|debemos|hipoteca")


def _debt_plus_equity(text: str) -> int | None:
    """'owe 200 and want 150 out of it' -> 350,000; None without both parts."""
    if not _OWED_LOOK_RE.search(text):
        return None
    owed_m = _OWED_RE.search(text)
    if owed_m is None:
        return None
    net_m = _NET_RE.search(text, owed_m.end())
    if net_m is None:
        return None
    owed = _amount_in(owed_m.group("owed"))
    net = _amount_in(net_m.group("net") or net_m.group("net2") or net_m.group("net3"))
    if owed is None or net is None or owed < MIN_PRICE or net < 1_000:
        return None
    total = owed + net
    return total if total <= MAX_PRICE else None


def _is_asking(text: str, start: int, end: int) -> bool:
    """False for amounts owed, paid, spent on repairs or offered by someone else."""
    return not (_NOT_ASKING_BEFORE_RE.search(preceding(text, start, 40))
                or _NOT_ASKING_AFTER_RE.match(text, end))


def _bare_price(text: str, tok: _Token) -> bool:
    """bare_ok: whether a bare number in prepared text can only be the price."""
    value, grouped = _digits(tok.num)
    if tok.unit or tok.dollar or grouped or tok.band:
        return True  # it carries its own marker
    if not BARE_RANGE[0] <= value <= BARE_RANGE[1] or "." in tok.num:
        return value >= 100_000  # a full "290000" is a price, "4.5" is too vague
    return bool(_BARE_AFTER_RE.match(text, tok.end)) and not _BARE_BEFORE_RE.search(
        preceding(text, tok.start, 20))


def _candidates(text: str, expecting: bool, bare_ok: bool = False) -> list[tuple[int, bool]]:
    """(dollars, cued) for every asking-price candidate, in order of appearance."""
    tokens = [t for t in _tokens(text)
              if not _REPLACED_BEFORE_RE.search(preceding(text, t.start, 20))] or []
    found: list[tuple[int, bool]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        before = preceding(text, tok.start)
        cued = bool(_PRICE_CUE_RE.search(before, max(0, len(before) - CUE_CHARS)))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        joiner = text[tok.end: nxt.start] if nxt else ""
        if nxt and _RANGE_JOIN_RE.fullmatch(joiner) and (
            "and" not in joiner or _BETWEEN_RE.search(before)
        ):
            value, end, i = _range(tok, nxt, cued, expecting), nxt.end, i + 2
        else:
            if bare_ok and not (cued or expecting) and not _bare_price(text, tok):
                i += 1
                continue
            value, end, i = _single(tok, cued, expecting or bare_ok), tok.end, i + 1
        if value is None:
            continue
        if not cued and not _is_asking(text, tok.start, end):
            continue
        dollars = int(value.to_integral_value())
        if MIN_PRICE <= dollars <= MAX_PRICE:
            found.append((dollars, cued))
    return found


def extract_price(text: str, expecting: bool = False, *, bare_ok: bool = False) -> int | None:
    """The asking price in whole dollars, or None when the message names none.

    bare_ok=True (with expecting=False): a bare plausible number ("290", "440-ish") counts
    when nothing else in the message claims it; the flow uses it while the price is unknown.
    """
    prepared = _prepare(text)
    if not prepared:
        return None
    owed_plus_net = _debt_plus_equity(prepared)
    if owed_plus_net is not None:
        return owed_plus_net
    found = _candidates(prepared, expecting, bare_ok)
    cued = [dollars for dollars, is_cued in found if is_cued]
    if cued:
        return cued[0]
    return found[-1][0] if found else None
