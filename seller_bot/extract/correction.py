"""Whether a message corrects an earlier answer ("wait, I meant 470 not 440").

Rules:
- Explicit correction markers: "I meant", "I mean", "scratch that", "correction",
  "no wait", "actually", "sorry", "my bad", "typo", "not X, Y" / "X not Y", and the Spanish
  "perdón, quise decir", "me equivoqué", "corrijo", "mejor dicho".
"""

from __future__ import annotations

import re

from seller_bot.extract.common import normalize

_CORRECTION_RE = re.compile(
    r"\b(?:i meant|i mean|meant to say|scratch that|correction|no wait|wait no|actually|"
    r"my bad|typo|i misspoke|let me correct|quise decir|me equivoque|me equivoqué|corrijo|"
    r"mejor dicho|perdon|perdón)\b"
    r"|\b\d[\d,.]*\s*k?\s*,?\s*not\s+\$?\d|\bnot\s+\$?\d[\d,.]*\s*k?\s*,\s*\$?\d"
)


def is_correction(text: str) -> bool:
    """True when the message explicitly replaces something said before."""
    return bool(_CORRECTION_RE.search(normalize(text)))
