"""The stored form of a conversation document (``{loc:L}:conv:<contactId>``, issue #15).

    z1 <seen> \\x1e <base64 of the JSON, raw-deflated with a preset dictionary>

``<seen>`` lists the message ids processed for this contact in the last
``CONVERSATION_TTL_SECONDS``, each as ``\\x1f<id>@<epoch seconds>``: the idempotency markers,
readable by the store's Lua scripts without decompressing anything. The preset dictionary
(``document_v1.zdict``: the bot's reply texts and the document's field names) makes a
10-message document's body about a fifth of its JSON (a quarter once base64-encoded, which
keeps it text for every client decoding replies as UTF-8); it is frozen: a changed
dictionary is a new format (``z2``), and every format ever written stays readable. A value
starting with ``{`` is a document stored before (plain JSON); it reads as it is and is
rewritten in this form by the conversation's next write.
"""

from __future__ import annotations

import binascii
import json
import zlib
from datetime import datetime
from pathlib import Path

FORMAT = "z1"
SEEN_ENTRY = "\x1f"  # before each processed message id
SEEN_AT = "@"  # between a message id and its time (never in an id: core.keys.ID_PATTERN)
BODY = "\x1e"  # ends the seen list
DICTIONARY = (Path(__file__).with_name("document_v1.zdict")).read_bytes()
WBITS = -15  # raw deflate: no header or checksum (JSON parsing rejects a damaged body)
LEVEL = 6  # as small as 9 for these documents, and faster

Seen = dict[str, int]  # message id -> when it was processed (epoch seconds)
# A compressor primed with the dictionary; each document starts from a copy of it (copying is
# cheaper than loading the dictionary again: the webhook packs a document per message).
PRIMED = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS, 9, zlib.Z_DEFAULT_STRATEGY, DICTIONARY)


def pack(document_json: str, seen: Seen) -> str:
    """The stored form of a document's JSON with its processed message ids."""
    squeezer = PRIMED.copy()
    body = squeezer.compress(document_json.encode()) + squeezer.flush()
    marks = "".join(f"{SEEN_ENTRY}{mid}{SEEN_AT}{at}" for mid, at in seen.items())
    return f"{FORMAT}{marks}{BODY}{binascii.b2a_base64(body, newline=False).decode()}"


def document_json(raw: str | bytes) -> str | bytes:
    """The JSON of a stored document, whichever format it was stored in."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    if not text.startswith(FORMAT):
        return raw  # plain JSON, stored before issue #15
    unsqueezer = zlib.decompressobj(WBITS, DICTIONARY)
    body = binascii.a2b_base64(text[text.index(BODY) + 1:])
    return (unsqueezer.decompress(body) + unsqueezer.flush()).decode()


def seen(raw: str | bytes | None) -> Seen:
    """The message ids a stored document says were processed (a document stored before
    issue #15: its transcript's inbound message ids, at their message's time)."""
    if not raw:
        return {}
    text = raw.decode() if isinstance(raw, bytes) else raw
    if text.startswith(FORMAT):
        marks = text[len(FORMAT):text.index(BODY)].split(SEEN_ENTRY)[1:]
        return {mid: int(at) for mid, _, at in (mark.rpartition(SEEN_AT) for mark in marks)}
    messages = json.loads(text).get("transcript", ())
    return {m["message_id"]: int(datetime.fromisoformat(m["at"]).timestamp())
            for m in messages if m.get("direction") == "inbound" and m.get("message_id")}


def still_seen(marks: Seen, now: float, lifetime: int) -> Seen:
    """The marks younger than ``lifetime`` seconds at ``now`` (a marker's lifetime)."""
    return {mid: at for mid, at in marks.items() if at > now - lifetime}
