"""Bulk seeding's copies (``bench.seed.copy_of``): another seller's ids, every time moved by the
same whole number of days, inside the seeded window."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bench.seed import copy_of
from seller_bot.models import Conversation, Message, StageChange

CREATED = datetime(2026, 11, 25, 17, 3, tzinfo=UTC)
CONTACT = "R95osTewPhSswem1VSsT"


def source() -> Conversation:
    later = CREATED + timedelta(hours=5)
    return Conversation(
        contact_id=CONTACT, location_id="bench-1", conversation_id="W9LAU25Oi40gSdU5mpcT",
        name="Veronica Torres", created_at=CREATED, last_activity_at=later,
        last_inbound_at=later, slots_offered=[later + timedelta(days=1)],
        transcript=[Message(direction="inbound", body="hello", at=CREATED,
                            message_id=f"{CONTACT}-0"),
                    Message(direction="outbound", body="Hi", at=CREATED, response_ms=0.1),
                    Message(direction="inbound", body="fair shape", at=later,
                            message_id=f"{CONTACT}-1")],
        stage_history=[StageChange(stage="new", at=CREATED),
                       StageChange(stage="condition", at=later)])


def times(conversation: Conversation) -> list[datetime]:
    return [conversation.created_at, conversation.last_activity_at,
            conversation.last_inbound_at, *conversation.slots_offered,
            *(message.at for message in conversation.transcript),
            *(change.at for change in conversation.stage_history)]


def test_a_copy_is_another_sellers_conversation_moved_by_whole_days_inside_the_window():
    original = source()
    earliest, now = CREATED - timedelta(days=2, hours=1), CREATED + timedelta(days=3)
    rng = random.Random(1)
    shifts = set()
    for _ in range(50):
        copy = copy_of(original, rng, earliest, now)
        assert len(copy.contact_id) == 20 and copy.contact_id != CONTACT
        assert copy.conversation_id not in (None, original.conversation_id)
        assert [m.message_id for m in copy.transcript] == [
            f"{copy.contact_id}-0", None, f"{copy.contact_id}-1"]
        deltas = {new - old for new, old in zip(times(copy), times(original), strict=True)}
        assert len(deltas) == 1
        delta = deltas.pop()
        assert delta % timedelta(days=1) == timedelta(0)
        assert earliest <= copy.created_at and copy.last_activity_at <= now
        assert copy.model_dump(exclude={"contact_id", "conversation_id", "transcript",
                                        "created_at", "last_activity_at", "last_inbound_at",
                                        "slots_offered", "stage_history"}) == original.model_dump(
            exclude={"contact_id", "conversation_id", "transcript", "created_at",
                     "last_activity_at", "last_inbound_at", "slots_offered", "stage_history"})
        shifts.add(delta.days)
    assert shifts == {-2, -1, 0, 1, 2}
    assert original.contact_id == CONTACT and original.created_at == CREATED  # left as it was
