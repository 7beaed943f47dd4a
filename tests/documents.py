"""Conversation documents in the stored forms of before (``seller_bot.document`` reads them)."""

from __future__ import annotations

import binascii

from seller_bot import document
from seller_bot.models import Conversation


def first_compressed_form(conv: Conversation, marks: document.Seen) -> str:
    """``z1`` (issue #15's first step): decimal times, the ids repeated in the JSON, and the
    body base64-encoded."""
    squeezer = document.PRIMED.copy()  # the same dictionary and settings as z1 had
    body = squeezer.compress(conv.to_json().encode()) + squeezer.flush()
    seen = "".join(f"\x1f{mid}@{at}" for mid, at in marks.items())
    return f"z1{seen}\x1e{binascii.b2a_base64(body, newline=False).decode()}"
