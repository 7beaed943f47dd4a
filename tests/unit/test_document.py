"""The stored form of a conversation document (seller_bot/document.py, issue #15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from seller_bot import document
from seller_bot.flow import start_conversation
from seller_bot.models import Conversation, Message

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
    assert stored.startswith(document.FORMAT)
    assert Conversation.from_json(stored) == conv
    assert document.document_json(stored) == conv.to_json()
    # The bot's own words are in the preset dictionary: much smaller than the JSON.
    assert len(stored) * 2 < len(conv.to_json())


def test_doc002_processed_message_ids_are_read_from_the_header():
    marks = {"m3": 1_795_000_000, "wh-abc.1_2": 1_795_000_060}
    stored = document.pack(conversation().to_json(), marks)
    assert document.seen(stored) == marks
    assert document.seen(stored.encode()) == marks
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
