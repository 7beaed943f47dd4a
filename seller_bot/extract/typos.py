"""Thumb slips in the words the extractors look for: "condtion", "hosue", "damae", "fiev".

Rules:
- Only the domain words below (VOCABULARY) are repaired, and only by one slip: two letters
  swapped ("hosue", "fiev"), a letter typed twice ("leaaks", "rouugh") or, for words of six
  letters or more, a letter left out ("damae", "condtion", "reparacioes").
- A slip that is itself a word ("form"/"from", "date" for "dated") or could come from two
  vocabulary words is left alone (AMBIGUOUS and the vocabulary itself).
- Applied by common.normalize, so every extractor reads the repaired words; words of fewer
  than four letters are never touched.
"""

from __future__ import annotations

import re


def word_list(text: str) -> frozenset[str]:
    """A word list written as running text."""
    return frozenset(text.split())


VOCABULARY = word_list("""
condition shape rough great decent ready needs little minor major repairs repair
damage foundation cosmetic remodeled renovated updated turnkey paint carpet leaking leaks
plumbing electrical kitchen fixer upper water flooring floors cleaning
relocating transferring transferred transfer divorce splitting separated inherited probate
estate passed tenants landlord rental foreclosure payments mortgage behind retiring retired
downsizing downsize smaller bigger closer family scenery change health stroke stairs
next months month weeks summer spring winter whenever flexible possible really asap
hundred thousand million seventy eighty ninety forty fifty sixty thirty twenty seven eight
three five four nine grand asking around maybe probably selling house interested need back
cash taxes year wrong full just nothing fair couple
reparaciones condiciones necesita muchas buenas nuevo pintura alfombra cimientos semanas
meses verano herencia divorcio trabajo pagos atrasado inquilinos lista vivir posible para
fontana rialto ontario riverside corona chino upland redlands hemet perris temecula murrieta
menifee victorville hesperia colton yucaipa beaumont banning norco pomona highland eastvale
montclair adelanto barstow indio claremont bernardino cucamonga moreno rancho hills valley
springs terrace desert apple jurupa elsinore
""")
# Slips that are words in their own right, or too close to one.
AMBIGUOUS = word_list("""
form from date dates mouth later hater water wafer shop ship treat grate there three
these those whose house horse mouse great greet stare stairs start smart small
sixty fifty seventy seven eight eighth ninety forty fourty thirty twenty four five nine
fiver fives nines fours sevens eights threes leak lease least state stars loser heath
stoke leaning round moths sking close millon millones update mucha buena lists colon renal
stirs rally semana coupe
""")
# Dropped letters in short words that no real word shares.
SHORT_DROPS = {"shpe": "shape", "shap": "shape", "mnth": "month", "grnd": "grand",
               "hous": "house", "huse": "house", "reay": "ready", "redy": "ready",
               "rady": "ready", "rugh": "rough", "rogh": "rough", "roug": "rough",
               "rouh": "rough", "sape": "shape", "wrog": "wrong", "wrng": "wrong",
               "leks": "leaks", "laks": "leaks", "rof": "roof", "weks": "weeks",
               "mnths": "months", "hils": "hills", "vally": "valley"}
MIN_LENGTH = 4  # shorter words are never repaired
MIN_DELETION_LENGTH = 6  # a dropped letter is repaired only in words this long


def _slips(word: str) -> set[str]:
    """Every way to mistype the word with one slip (as defined in the module docstring)."""
    out = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    out |= {word[:i] + word[i] + word[i:] for i in range(len(word))}
    if len(word) >= MIN_DELETION_LENGTH:
        out |= {word[:i] + word[i + 1:] for i in range(len(word))}
    return out - {word}


def _build() -> dict[str, str]:
    """Slip -> word, leaving out slips that are words or that two words share."""
    seen: dict[str, str | None] = {}
    for word in VOCABULARY:
        for slip in _slips(word):
            seen[slip] = None if slip in seen and seen[slip] != word else word
    fixes = {slip: word for slip, word in seen.items()
             if word and len(slip) >= MIN_LENGTH and slip not in VOCABULARY
             and slip not in AMBIGUOUS}
    return fixes | SHORT_DROPS


FIXES = _build()
_FIX_KEYS = frozenset(FIXES)
_WORD_RE = re.compile(r"[a-z]+")


def fix_typos(text: str) -> str:
    """Lower-case text with slipped domain words repaired ('hosue' -> 'house')."""
    if _FIX_KEYS.isdisjoint(_WORD_RE.findall(text)):
        return text
    return _WORD_RE.sub(lambda m: FIXES.get(m.group(), m.group()), text)
