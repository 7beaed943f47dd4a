"""Whether a message explicitly corrects an earlier answer ("wait, I meant 470 not 440").

The flow lets a correcting message replace a field it already holds; every other message
only fills empty fields. So this reads the *form* of a correction, not its content:

- English markers: "I meant", "meant to say", "scratch that", "correction", "no wait",
  "wait no", "wait," at the start, "actually", "my bad", "typo", "oops", "I misspoke",
  "make that", "change that to", "on second thought", "I take that back", "let me
  rephrase", "update:", "to be clear", "sorry, I mean" / "230k, I mean 260k".
- "X not Y" and "not Y, X" with two values of the same kind ("470 not 440", "not 440,
  470", "6 weeks not 3 months"); "instead of"/"rather than" between two values.
- Spanish: "quise decir", "me equivoqué", "corrijo", "corrección", "mejor dicho", "en
  realidad", "perdón, es ...", "no, espere", "más bien", "borra eso", "olvida eso",
  "350, digo 380".
- Not corrections: "I mean" as a filler at the start ("I mean it's ok I guess"), "sorry
  for the late reply", "what do you mean?", "perdón, no hablo mucho inglés", "not bad",
  "not 100% sure".
"""

from __future__ import annotations

import re

from seller_bot.extract.common import Triggers, normalize, words_to_digits

_VALUE = (r"\$?\d[\d,.]*\s*(?:k|grand|mil|thousand|m|days?|weeks?|wks?|months?|mos?|years?|"
          r"dias|semanas|meses|anos)?")
_CORRECTION_RE = re.compile(
    r"\b(?:i meant|meant to say|i mean't|scratch that|correction|no wait|wait no|nvm that|"
    r"actually|actualy|acutally|my bad|typo|oops|i misspoke|make that|make it|change that to|"
    r"change it to|on second thought|i take that back|take that back|let me rephrase|"
    r"let me correct|to correct|update|to be clear|i was wrong|i said wrong|"
    r"sorry,? (?:i|it'?s|its|should be|that should|that was|thats|that's)|"
    r"quise decir|me equivoque|corrijo|correccion|mejor dicho|en realidad|"
    r"no,? espere|no,? espera|mas bien|borra eso|olvida eso|perdon,? (?:es|son|eran|quise|"
    r"digo|me equivoque|mejor))\b"
    r"|^wait\b|^(?:no|nope|oops|sorry|err|sry|perdon),? \$?\d"
    r"|(?:\b(?:sorry|oops|wait|no|sry|err|uh|um+)\b,?\s*|\d\w*,?\s+)i mean\b"
    rf"|{_VALUE},?\s*(?:not|instead of|rather than|no)\s+{_VALUE}\b"
    rf"|\bnot\s+{_VALUE},\s*(?:but\s+|more like\s+|it'?s\s+)?\$?\d"
    rf"|\d\w*,?\s+digo\s+\$?\d"
)
# Values of a kind a correction is about: a bare "not 100% sure" is no correction.
_PERCENT_RE = re.compile(r"\bnot \d+ ?%|\bnot 100\b")


# Words at least one pattern above needs (see Triggers); keep in step with the patterns.
TRIGGERS = Triggers("""
meant mean scratch correc wait nvm actu acut bad typo oops missp make change second take
rephrase update clear wrong said sorry quise equivo corrijo dicho realidad esper bien
borra olvida perdon no nope err sry um uh not instead rather digo
""")


def is_correction(text: str) -> bool:
    """True when the message explicitly replaces something said before."""
    normalized = normalize(text)
    if not TRIGGERS.seen_in(normalized):
        return False
    clean = words_to_digits(normalized)
    if _PERCENT_RE.search(clean):
        return False
    return bool(_CORRECTION_RE.search(clean))
