"""Row presentation of the conversation table (services/table/rows.py), no Redis."""

from __future__ import annotations

from datetime import UTC, datetime

from core.settings import Settings
from seller_bot.models import STAGES, Conversation
from services.table.rows import next_action

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def conversation(stage: str) -> Conversation:
    conv = Conversation(contact_id="c", location_id="l", created_at=NOW, last_activity_at=NOW,
                        last_inbound_at=NOW)
    # model_copy does not validate: the stage may be one the models do not know yet.
    return conv.model_copy(update={"stage": stage})


def test_rows001_a_stage_without_its_own_wording_gets_a_generic_action():
    assert next_action(conversation("property_visit"), NOW, Settings()) == "Property visit"


def test_rows002_every_known_stage_has_an_action():
    assert all(next_action(conversation(stage), NOW, Settings()) for stage in STAGES)
