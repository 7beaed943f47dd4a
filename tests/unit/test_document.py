"""The stored form of a conversation document (seller_bot/document.py, issue #15)."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

from seller_bot import document
from seller_bot.flow import start_conversation
from seller_bot.models import Conversation, Message
from tests.documents import first_compressed_form

AT = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def conversation() -> Conversation:
    conv = start_conversation("c-1", "loc-1", AT, name="José Núñez", phone="+19095550123")
    for n in range(5):
        at = AT + timedelta(minutes=n)
        conv.transcript += [Message(direction="inbound", body=f"text {n}", at=at,
                                    message_id=f"m{n}"),
                            Message(direction="outbound", body="What number would you need "
                                    "to walk away happy?", at=at, response_ms=0.3)]
    return conv


def test_doc001_the_stored_form_reads_back_as_the_same_document():
    conv = conversation()
    stored = document.pack(conv.to_json(), {"m4": 1_795_000_000})
    assert stored.startswith(document.FORMAT.encode())
    assert Conversation.from_json(stored) == conv
    assert document.document_json(stored) == conv.to_json().encode()
    # The bot's own words are in the preset dictionary: much smaller than the JSON.
    assert len(stored) * 2 < len(conv.to_json())


def test_doc005_the_binary_body_survives_the_clients_decoding():
    """The app's clients decode replies with surrogateescape (core.redis_client.DECODING):
    the text they hand back is the same document, and goes back to Redis byte for byte."""
    conv = conversation()
    stored = document.pack(conv.to_json(), {"m1": 1_795_000_000, "m4": 1_795_000_060})
    as_read = stored.decode("utf-8", "surrogateescape")
    assert document.stored_bytes(as_read) == stored
    assert Conversation.from_json(as_read) == conv
    assert document.seen(as_read) == {"m1": 1_795_000_000, "m4": 1_795_000_060}


def test_doc006_marked_message_ids_are_stored_once():
    conv = conversation()
    # Shaped like GoHighLevel's: 20 random letters and digits (they hardly compress).
    rng = random.Random(6)
    marks = {"".join(rng.choices(string.ascii_letters + string.digits, k=20)):
             1_795_000_000 + n for n in range(5)}
    for message, mid in zip(conv.transcript[::2], marks, strict=True):
        message.message_id = mid
    json_text = conv.to_json()
    stored = document.pack(json_text, marks)
    assert Conversation.from_json(stored) == conv
    # Each id once, in the header; the compressed JSON refers to it.
    head = stored.partition(document.BODY.encode())[0]
    assert all(stored.count(mid.encode()) == 1 for mid in marks)
    # At least 10 bytes an id less than the ids compressed in the body.
    assert len(stored) < len(document.pack(json_text, {})) + len(head) - 5 * 10
    # An id whose mark has expired stays in the JSON.
    fewer = {mid: at for mid, at in marks.items() if at > 1_795_000_002}
    assert Conversation.from_json(document.pack(json_text, fewer)) == conv


def test_doc007_a_document_stored_in_the_first_compressed_form_reads():
    conv = conversation()
    z1 = first_compressed_form(conv, {"m4": 1_795_000_000})
    assert Conversation.from_json(z1) == conv
    assert document.seen(z1) == {"m4": 1_795_000_000}
    assert not document.is_current(z1)
    assert document.is_current(document.pack(conv.to_json(), {}))


def test_doc002_processed_message_ids_are_read_from_the_header():
    marks = {"m3": 1_795_000_000, "wh-abc.1_2": 1_795_000_060}
    stored = document.pack(conversation().to_json(), marks)
    assert document.seen(stored) == marks
    assert document.seen(stored.decode("utf-8", "surrogateescape")) == marks
    assert document.seen(None) == {}


def test_doc003_a_document_stored_before_reads_and_its_transcript_holds_its_marks():
    conv = conversation()
    plain = conv.to_json()  # how documents were stored before issue #15
    assert Conversation.from_json(plain) == conv
    assert document.document_json(plain) == plain
    assert document.seen(plain) == {f"m{n}": int((AT + timedelta(minutes=n)).timestamp())
                                    for n in range(5)}


def test_doc004_marks_older_than_their_lifetime_are_dropped():
    marks = {"old": 1000, "edge": 2000, "new": 2001}
    assert document.still_seen(marks, now=3000, lifetime=1000) == {"new": 2001}
