"""Helpers shared by every extractor: text normalisation, number words, negation, addresses."""

from __future__ import annotations

import calendar
import itertools
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from seller_bot.extract.typos import fix_typos

# -- normalisation ---------------------------------------------------------------------

# Phones type curly quotes and fancy dashes; the patterns only know the ASCII ones.
_CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u00bf": " ", "\u00a1": " ",
})
# Emoji and pictographs carry no words; they become spaces so "ok👍" still reads "ok".
_EMOJI_RE = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF"
    "\U0000FE00-\U0000FE0F\U0000200D\U000020E3\U0001F3FB-\U0001F3FF]+"
)
# "w/" and "&" are how people text "with" and "and".
_SHORTHAND_RE = re.compile(r"\bw/(?=\s|[a-z])|&")
_PUNCT_RE = re.compile(r"[^\w\s'$]")


_WORDS_RE = re.compile(r"[a-z]+")


@lru_cache(maxsize=64)
def words(clean: str) -> tuple[str, ...]:
    """The letter runs of normalised text ('move-in ready' -> move, in, ready)."""
    return tuple(_WORDS_RE.findall(clean))


class Triggers:
    """Word prefixes without which an extractor's patterns cannot match: a fast gate.

    Each extractor lists, for every one of its patterns, the words the pattern needs (as
    prefixes: "divorc" for divorce, divorced, divorcing). A message with none of them is
    answered None without running the patterns; most messages answer one question, so most
    extractors stop here. The unit tests of each extractor keep the list complete.
    """

    def __init__(self, prefixes: str) -> None:
        # One regex shaped like a trie ("pa(?:int|s)"), so the engine tries a few letters
        # at each word start instead of every prefix.
        self.prefixes = frozenset(prefixes.split())
        self._re = re.compile(r"(?<![a-z])" + _trie_pattern(sorted(self.prefixes)))

    def seen_in(self, clean: str) -> bool:
        """True when a word of the normalised text starts with one of the prefixes."""
        return self._re.search(clean) is not None


def _trie_pattern(prefixes: list[str]) -> str:
    """A regex matching any of the sorted prefixes, factored by shared leading letters."""
    if "" in prefixes:
        return ""  # a shorter prefix already matched: the rest is optional
    groups: dict[str, list[str]] = {}
    for prefix in prefixes:
        groups.setdefault(prefix[0], []).append(prefix[1:])
    branches = [re.escape(first) + _trie_pattern(rest) for first, rest in groups.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def fold_accents(text: str) -> str:
    """'dueño más años' -> 'dueno mas anos': Spanish is typed with and without accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Every extractor normalises the same message, several times a turn: keep the last few.
CACHE_SIZE = 64


@lru_cache(maxsize=CACHE_SIZE)
def normalize(text: str) -> str:
    """Lowercase, straighten quotes and dashes, drop emoji and accents, collapse whitespace.

    Inverted Spanish marks ('¿', '¡') become spaces; slipped domain words are repaired
    ("hosue" -> "house", see typos.py).
    """
    if text.isascii():  # no emoji, curly quotes or accents to look for
        text = text.replace("`", "'").lower()
    else:
        text = fold_accents(_EMOJI_RE.sub(" ", text.translate(_CHAR_MAP).lower()))
    if "&" in text or "w/" in text:
        text = _SHORTHAND_RE.sub(lambda m: " and " if m.group() == "&" else "with ", text)
    return " ".join(fix_typos(text).split())


def strip_punctuation(text: str) -> str:
    """Normalised text with punctuation removed (apostrophes and $ kept)."""
    return " ".join(_PUNCT_RE.sub(" ", normalize(text)).split())


def blank(match: re.Match[str]) -> str:
    """Spaces as long as the match: used text is wiped so offsets still line up."""
    return " " * (match.end() - match.start())


def any_of(*patterns: str) -> re.Pattern[str]:
    """One compiled regex matching any of the patterns as whole words."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


def loose(word: str) -> str:
    """Regex for a word whose letters may be doubled by a typo: 'roof' also finds 'rooof'."""
    return "".join(re.escape(ch) + "+" for ch in word)


# -- calendar words --------------------------------------------------------------------

MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)} | {
    calendar.month_abbr[i].lower(): i for i in range(1, 13)} | {"sept": 9}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))


# -- number words ----------------------------------------------------------------------

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 10**9}
_SMALL = {**UNITS, **TEENS, **TENS}
_WORD_ALT = "|".join(sorted([*_SMALL, *MULTIPLIERS, "hundreds", "thousands", "point"],
                            key=len, reverse=True))
# A run of number words, optionally led by digits ("5 hundred thousand", "1.2 million")
# or by "a" ("a million two"). "and" only joins inside a number ("four hundred and fifty").
_NUMBER_RUN_RE = re.compile(
    rf"(?:\b\d+(?:\.\d+)?\s+(?=(?:hundred|thousand|million|billion)s?\b)"
    rf"|\b[1-9]\s+(?=(?:{'|'.join([*TEENS, *TENS])})\b)"  # "4 fifty" = 450
    rf"|\ban?\s+(?=(?:hundred|thousand|million|billion)\b))?"
    rf"\b(?:{_WORD_ALT})\b(?:(?:[\s-]+|\s+and\s+)(?:{_WORD_ALT})\b)*"
)
_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[a-z]+")


def _finish(total: Decimal, current: Decimal, last_mult: int, plural: bool) -> str:
    """Close one number: apply the 'a million two' shorthand and render it as digits."""
    # "a million two" = 1,200,000 and "a million two fifty" = 1,250,000: after "million",
    # a bare small remainder counts hundred-thousands (<10) or thousands (<1000).
    if last_mult == 1_000_000 and current:
        current *= 100_000 if current < 10 else 1_000 if current < 1_000 else 1
    value = total + current
    text = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    return text + ("s" if plural else "")


class _RunReader:
    """Reads one run of number words token by token into digits; unrelated numbers stay
    separate."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.reset()

    def reset(self) -> None:
        self.total = self.current = Decimal(0)
        self.last_mult = 0
        self.started = self.plural = False
        self.decimals: str | None = None  # digits after "point"
        self.prev = ""  # kind of the previous token: unit, teen, tens, mult, digits

    def take_decimals(self) -> None:
        if self.decimals:
            self.current += Decimal("0." + self.decimals)
        self.decimals = None

    def flush(self) -> None:
        """Emit the number read so far and start a new one."""
        self.take_decimals()
        if self.started:
            self.out.append(_finish(self.total, self.current, self.last_mult, self.plural))
        self.reset()

    def read(self, token: str) -> None:
        if token in ("a", "an"):
            self.current, self.started, self.prev = Decimal(1), True, "unit"
        elif token == "and":
            if self.prev != "mult":  # "three and four" are two numbers
                self.flush()
                self.out.append("and")
        elif token == "point":
            self.decimals = ""
        elif self.decimals is not None and token in UNITS:
            self.decimals += str(UNITS[token])
        elif token[0].isdigit():
            self.flush()
            self.current, self.started = Decimal(token), True
            self.prev = "unit" if len(token) == 1 else "digits"
        elif token.rstrip("s") in MULTIPLIERS:
            self.multiplier(token)
        else:
            self.small(_SMALL[token])

    def multiplier(self, token: str) -> None:
        self.take_decimals()
        mult = MULTIPLIERS[token.rstrip("s")]
        self.plural = token.endswith("s")
        if mult == 100:
            self.current = (self.current or 1) * 100
        else:
            self.total += (self.current or 1) * mult
            self.current = Decimal(0)
            self.last_mult = mult
        self.started, self.prev = True, "mult"

    def small(self, value: int) -> None:
        kind = "unit" if value < 10 else "teen" if value < 20 else "tens"
        current, prev = self.current, self.prev
        if not self.started or (prev == "mult" and current % 100 == 0):
            self.current += value
        elif kind in ("teen", "tens") and prev in ("unit", "teen", "tens") and current % 100:
            # Spoken shorthand: "four fifty" = 450, "nineteen eighty five" = 1985.
            self.current = current * 100 + value
        elif kind == "unit" and prev == "tens" and current % 10 == 0:
            self.current += value  # "fifty five"
        else:
            self.flush()  # "two three" are two numbers
            self.current = Decimal(value)
        self.started, self.prev = True, kind


def _parse_run(run: str) -> str:
    """Digits for one run of number words; unrelated numbers stay separate."""
    reader = _RunReader()
    for token in _TOKEN_RE.findall(run):
        reader.read(token)
    reader.flush()
    return " ".join(reader.out)


def _replace_run(match: re.Match[str]) -> str:
    """Digits for one matched run of number words."""
    run = match.group()
    # A lone "one" is usually a pronoun ("the first one", "either one"), not a number.
    if run in ("one", "zero", "point"):
        return run
    return _parse_run(run)


@lru_cache(maxsize=CACHE_SIZE)
def words_to_digits(text: str) -> str:
    """Rewrite spelled numbers as digits: 'four fifty' -> '450', 'a million two' -> '1200000'.

    Spanish too (accents folded): 'trescientos cincuenta mil' -> '350000', 'dos meses' ->
    '2 meses'. A lone 'mil'/'millon' after digits stays a unit word ('350 mil').
    """
    if _NUMBER_WORDS.seen_in(text):
        text = _NUMBER_RUN_RE.sub(_replace_run, text)
    if _ES_HINT_RE.search(text):
        text = _ES_RUN_RE.sub(_replace_spanish_run, _ES_ONCE_RE.sub("11", text))
    return text


# Any English number word (the runs above need one).
_NUMBER_WORDS = Triggers(" ".join([*_SMALL, *MULTIPLIERS, "hundreds", "thousands"]))


# -- Spanish number words (accent-folded) ------------------------------------------------

ES_SMALL = {
    "cero": 0, "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiun": 21,
    "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30,
    "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
    "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400,
    "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
    "novecientos": 900, "novecientas": 900,
}
ES_MULTIPLIERS = {"mil": 1_000, "millon": 1_000_000, "millones": 1_000_000}
# "un", "una", "uno" alone are articles ("un mes" is read by the timeline itself).
_ES_ARTICLES = frozenset({"un", "una", "uno"})
_ES_WORD_ALT = "|".join(sorted([*ES_SMALL, *ES_MULTIPLIERS], key=len, reverse=True))
_ES_RUN_RE = re.compile(rf"\b(?:{_ES_WORD_ALT})\b(?:\s+(?:y\s+)?(?:{_ES_WORD_ALT})\b)*")
_ES_HINT_RE = re.compile(
    r"\b(?:" + "|".join(w for w in sorted(ES_SMALL, key=len, reverse=True)
                        if w not in _ES_ARTICLES) + r"|un millon|once)\b"
)
# "once" is eleven only before a Spanish unit: "once we sell" is English.
_ES_ONCE_RE = re.compile(r"\bonce(?= (?:mil|meses|dias|semanas|anos)\b)")


def _replace_spanish_run(match: re.Match[str]) -> str:
    """Digits for one run of Spanish number words ('cincuenta y cinco mil' -> '55000')."""
    words = [w for w in match.group().split() if w != "y"]
    if len(words) == 1 and (words[0] in _ES_ARTICLES or words[0] in ES_MULTIPLIERS):
        return match.group()
    total = current = 0
    for word in words:
        if word in ES_MULTIPLIERS:
            total += (current or 1) * ES_MULTIPLIERS[word]
            current = 0
        else:
            current += ES_SMALL[word]
    return str(total + current)


# -- negation --------------------------------------------------------------------------

NEGATION_WINDOW = 4  # words before a match that can negate it ("wouldn't say it's in ...")
CONTEXT_CHARS = 60  # how far back the extractors look for context words
_NEGATORS = frozenset({
    "not", "never", "nothing", "none", "without", "neither", "nor", "hardly", "barely",
    "nope", "nah", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "aint",
    "cant", "cannot", "wont", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt", "hadnt",
    "nunca", "tampoco", "ni", "sin",
})
# Spanish "no" negates the verb after it ("no esta en mal estado", "no es urgente").
_ES_NEGATED_VERBS = frozenset({
    "esta", "es", "tiene", "necesita", "hay", "tengo", "creo", "diria", "estamos", "son",
    "estan", "tenemos", "necesitamos", "quiero", "queremos", "me", "nos", "le", "lo", "la",
})
# Words after which "no" is an interjection, not a negation ("no it needs a new roof").
_PRONOUNS = frozenset({"it", "its", "it's", "i", "i'm", "we", "we're", "he", "she", "they",
                       "this", "that", "thats", "that's", "the", "there", "there's", "well"})
# Idioms that contain "no" but negate nothing.
_NOT_NEGATING_RE = re.compile(r"\bno (?:problem|problems|worries|doubt|matter|brainer)\b")
_CLAUSE_BREAK_RE = re.compile(r"[.,;:!?()]|\b(?:but|though|although|however|except|so)\b")
_WORD_RE = re.compile(r"[a-z']+")


def _is_negator(word: str) -> bool:
    """'not', 'never', "wouldn't", 'dont' ... (apostrophes are often left out)."""
    return word in _NEGATORS or word.endswith("n't")


def preceding(text: str, start: int, chars: int = CONTEXT_CHARS) -> str:
    """The few dozen characters before start: enough context, and cheap on long messages."""
    return text[max(0, start - chars):start]


def is_negated(text: str, match_start: int, window: int = NEGATION_WINDOW) -> bool:
    """True when a negation word sits in the same clause, a few words before match_start."""
    before = preceding(text, match_start)
    breaks = list(_CLAUSE_BREAK_RE.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    before = _NOT_NEGATING_RE.sub(" ", before)
    words = _WORD_RE.findall(before)[-window:]
    if any(_is_negator(w) for w in words):
        return True
    if any(w == "no" and nxt in _ES_NEGATED_VERBS for w, nxt in itertools.pairwise(words)):
        return True
    # "no" negates what follows it closely ("no major issues", "no real problems"),
    # but not across a pronoun ("no it needs a new roof").
    tail = words[-2:]
    if tail and tail[-1] == "no":
        return True
    return len(tail) == 2 and tail[0] == "no" and tail[1] not in _PRONOUNS


Label = TypeVar("Label", bound=str)


def first_affirmed(text: str, order: tuple[Label, ...],
                   patterns: dict[Label, re.Pattern[str]]) -> Label | None:
    """The first label in ``order`` whose pattern matches somewhere not negated."""
    for label in order:
        if any(not is_negated(text, m.start()) for m in patterns[label].finditer(text)):
            return label
    return None


# -- shared phrase patterns (timeline and urgency read the same words) -----------------

# Selling words that make "quick", "fast" and "now" about the sale ("quick question" isn't).
_SELL = r"(?:sell|sold|selling|close|closing|closed|sale|move|moving|gone|out|done|offer|cash)"
ASAP_PATTERN = (
    r"\b(?:asap|a\.s\.a\.p|as soon as (?:possible|i can|we can|you can)|soon as possible|"
    r"right away|immediately|urgent(?:ly)?|in a (?:hurry|rush)|the sooner the better|"
    r"sooner the better|need(?:s)? (?:it |this )?gone|as (?:quick|fast) as|"
    rf"(?:quick|fast) (?:sale|close|closing|cash)|{_SELL}\w*(?:\s+[a-z']+){{0,2}}\s+"
    r"(?:quick(?:ly)?|fast|right now|now))\b"
)
# "how fast can you close?" asks about the buyer: a sign of urgency, not a timeline.
ASKS_SPEED_PATTERN = r"\bhow (?:quick(?:ly)?|fast|soon) (?:can|could|do|would) (?:you|u|ya|y'all)\b"
# "needed it sold yesterday", a bare "yesterday lol"; not "I talked to her yesterday".
YESTERDAY_PATTERN = (
    r"^(?:like |honestly |lol |omg )?yesterday\b"
    r"|\b(?:needed|wanted|sold|gone|out|done|like|by)\b(?:\s+[a-z']+){0,4}\s+yesterday\b"
)
NO_RUSH_PATTERN = (
    r"\b(?:no rush|no hurry|not (?:really )?(?:in )?(?:a |any )?(?:rush|hurry)|"
    r"not in (?:a|any|much of a) (?:rush|hurry)|in no (?:rush|hurry)|not rushing|"
    r"whenever|no (?:real )?(?:time ?frame|timeline|deadline)|not urgent|no urgency|"
    r"flexible (?:on|with|about) (?:timing|time|the timeline|when|dates?|closing)|"
    r"timing is flexible|(?:just|only) (?:exploring|curious|seeing|checking|looking|testing)|"
    r"testing the waters|take (?:my|our) time|eventually|someday|some day|"
    r"(?:sometime|maybe|eventually) down the (?:road|line)|at some point|no pressure|"
    r"when the time is right)\b"
)


# -- addresses -------------------------------------------------------------------------

STREET_SUFFIXES = {
    "street": "St", "st": "St", "avenue": "Ave", "ave": "Ave", "av": "Ave",
    "boulevard": "Blvd", "blvd": "Blvd", "road": "Rd", "rd": "Rd", "drive": "Dr", "dr": "Dr",
    "lane": "Ln", "ln": "Ln", "way": "Way", "court": "Ct", "ct": "Ct", "place": "Pl",
    "pl": "Pl", "circle": "Cir", "cir": "Cir", "terrace": "Ter", "ter": "Ter",
    "parkway": "Pkwy", "pkwy": "Pkwy", "highway": "Hwy", "hwy": "Hwy", "trail": "Trl",
    "trl": "Trl", "loop": "Loop", "square": "Sq", "sq": "Sq", "row": "Row", "path": "Path",
    "alley": "Aly", "crossing": "Xing", "point": "Pt", "run": "Run", "pass": "Pass",
}
DIRECTIONS = {
    "n": "N", "s": "S", "e": "E", "w": "W", "ne": "NE", "nw": "NW", "se": "SE", "sw": "SW",
    "north": "N", "south": "S", "east": "E", "west": "W",
}
# Words that cannot be part of a street name: "3 beds on main st" is not an address.
_NAME_STOPWORDS = (
    "on|in|at|the|and|or|of|for|to|is|my|a|an|with|by|off|near|from|it|its|was|bed|beds|"
    "bedroom|bedrooms|bath|baths|bathroom|bathrooms|br|ba|sq|sqft|ft|car|story|stories|"
    "unit|units|day|days|week|weeks|month|months|year|years|k|thousand|million"
)
_SUFFIX_ALT = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
_DIRECTION_ALT = "|".join(sorted(DIRECTIONS, key=len, reverse=True))
_NAME_WORD = rf"(?!(?:{_NAME_STOPWORDS}|{_SUFFIX_ALT})\b)[a-z][a-z']*|\d+(?:st|nd|rd|th)"
STREET_ADDRESS_RE = re.compile(
    # "450 grand" is money; "14342 Grand Ave" (four digits or more) is a street.
    rf"(?<![\d$.,])\b(?P<number>\d{{4,6}}(?:-?[a-z])?|\d{{1,3}}(?:-?[a-z])?(?!\s+grand\b))\s+"
    rf"(?:(?P<direction>{_DIRECTION_ALT})\.?\s+)?"
    rf"(?P<name>(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD})){{0,2}})\s+"
    rf"(?P<suffix>{_SUFFIX_ALT})\b\.?"
)
