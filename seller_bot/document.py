"""The stored form of a conversation document (``{loc:L}:conv:<contactId>``, issue #15).

    z2 <seen> \\x1e <the JSON, raw-deflated with a preset dictionary: binary>

``<seen>`` lists the message ids processed for this contact in the last
``CONVERSATION_TTL_SECONDS``, each as ``\\x1f<id>@<epoch seconds in base 36>``: the idempotency
markers, readable by the store's Lua scripts without decompressing anything. The JSON does not
repeat them: a transcript message whose id is the k-th marker carries ``"mark":k`` instead of
its ``"message_id"``. The preset dictionary (``document_v1.zdict``: the bot's reply texts and
the document's field names) makes a 10-message document's body about a fifth of its JSON; it is
frozen: a changed dictionary is a new format, and every format ever written stays readable:

- ``z1``: the same with the times in decimal, the ids repeated in the JSON, and the body
  base64-encoded (issue #15's first step);
- a value starting with ``{``: plain JSON, stored before issue #15.

Either is rewritten in the current form by the conversation's next write.

The body is binary, so a stored document is not UTF-8: the app's Redis clients decode replies
with ``surrogateescape`` (``core.redis_client.DECODING``), which keeps every byte, and a
document goes back to Redis as bytes (``stored_bytes``).
"""

from __future__ import annotations

import binascii
import json
import re
import zlib
from datetime import datetime
from pathlib import Path

FORMAT = "z2"
BASE64_FORMAT = "z1"
SEEN_ENTRY = "\x1f"  # before each processed message id
SEEN_AT = "@"  # between a message id and its time (never in an id: core.keys.ID_PATTERN)
BODY = "\x1e"  # ends the seen list
DICTIONARY = (Path(__file__).with_name("document_v1.zdict")).read_bytes()
WBITS = -15  # raw deflate: no header or checksum (JSON parsing rejects a damaged body)
LEVEL = 6  # as small as 9 for these documents, and faster
TIME_BASE = 36
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# A transcript message's id, and its reference to its marker instead. Inside a JSON string
# every quote is escaped, so these only match the keys themselves.
MESSAGE_ID = re.compile(r'"message_id":"([^"\\]*)"')
MARK_REFERENCE = re.compile(rb'"mark":(\d+)')

Seen = dict[str, int]  # message id -> when it was processed (epoch seconds)
# A compressor primed with the dictionary; each document starts from a copy of it (copying is
# cheaper than loading the dictionary again: the webhook packs a document per message).
PRIMED = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS, 9, zlib.Z_DEFAULT_STRATEGY, DICTIONARY)


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, TIME_BASE)
        digits = DIGITS[digit] + digits
        if not number:
            return digits


def stored_bytes(raw: str | bytes) -> bytes:
    """A stored document as Redis holds it (a client's reply decoded with surrogateescape)."""
    return raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")


def pack(document_json: str, seen: Seen) -> bytes:
    """The stored form of a document's JSON with its processed message ids."""
    positions = {mid: k for k, mid in enumerate(seen)}

    def reference(field: re.Match) -> str:
        k = positions.get(field[1])
        return field[0] if k is None else f'"mark":{k}'

    document_json = MESSAGE_ID.sub(reference, document_json)  # one pass, however many marks
    squeezer = PRIMED.copy()
    body = squeezer.compress(document_json.encode()) + squeezer.flush()
    marks = "".join(f"{SEEN_ENTRY}{mid}{SEEN_AT}{_base36(at)}" for mid, at in seen.items())
    return f"{FORMAT}{marks}{BODY}".encode() + body


def _marks(head: bytes, base: int) -> Seen:
    entries = head.decode().split(SEEN_ENTRY)[1:]
    return {mid: int(at, base) for mid, _, at in (entry.rpartition(SEEN_AT) for entry in entries)}


def _split(stored: bytes) -> tuple[bytes, bytes]:
    """The seen list (after the format) and the body of a compressed document."""
    end = stored.index(BODY.encode())
    return stored[len(FORMAT):end], stored[end + 1:]


def _inflate(body: bytes) -> bytes:
    unsqueezer = zlib.decompressobj(WBITS, DICTIONARY)
    return unsqueezer.decompress(body) + unsqueezer.flush()


def document_json(raw: str | bytes) -> str | bytes:
    """The JSON of a stored document, whichever format it was stored in."""
    stored = stored_bytes(raw)
    if stored.startswith(FORMAT.encode()):
        head, body = _split(stored)
        ids = [mid.encode() for mid in _marks(head, TIME_BASE)]
        return MARK_REFERENCE.sub(lambda ref: b'"message_id":"' + ids[int(ref[1])] + b'"',
                                  _inflate(body))
    if stored.startswith(BASE64_FORMAT.encode()):
        return _inflate(binascii.a2b_base64(_split(stored)[1]))
    return raw  # plain JSON, stored before issue #15


def is_current(raw: str | bytes) -> bool:
    """Whether a stored document is in the current format (else a rebuild rewrites it)."""
    return stored_bytes(raw).startswith(FORMAT.encode())


def seen(raw: str | bytes | None) -> Seen:
    """The message ids a stored document says were processed (a document stored before
    issue #15: its transcript's inbound message ids, at their message's time)."""
    if not raw:
        return {}
    stored = stored_bytes(raw)
    if stored.startswith(FORMAT.encode()):
        return _marks(_split(stored)[0], TIME_BASE)
    if stored.startswith(BASE64_FORMAT.encode()):
        return _marks(_split(stored)[0], 10)
    messages = json.loads(stored).get("transcript", ())
    return {m["message_id"]: int(datetime.fromisoformat(m["at"]).timestamp())
            for m in messages if m.get("direction") == "inbound" and m.get("message_id")}


def still_seen(marks: Seen, now: float, lifetime: int) -> Seen:
    """The marks younger than ``lifetime`` seconds at ``now`` (a marker's lifetime)."""
    return {mid: at for mid, at in marks.items() if at > now - lifetime}
