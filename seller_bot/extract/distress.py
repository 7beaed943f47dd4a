"""Distress in a message: a death, a divorce, an illness, or an angry seller."""

from __future__ import annotations

import re

from seller_bot.extract.common import normalize

_PATTERNS = {
    "death": re.compile(r"\b(?:passed|pased|died|death|funeral|lost my|fallecio|murio)\b"),
    "divorce": re.compile(r"\b(?:divorc\w*|separated|split up)\b"),
    "illness": re.compile(r"\b(?:cancer|sick|illness|hospital\w*|chemo|stroke|enferm\w*)\b"),
    "angry": re.compile(r"\b(?:harass\w*|scam\w*|wasting my time|f+u+c+k\w*|go away)\b"),
}


def distress_kind(text: str) -> str | None:
    """'death', 'divorce', 'illness' or 'angry', or None."""
    clean = normalize(text)
    for kind, pattern in _PATTERNS.items():
        if pattern.search(clean):
            return kind
    return None
