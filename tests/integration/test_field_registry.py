"""A new extracted field is declared once, in ``seller_bot/fields.py``, and flows with no other
edit to the flow's extraction, the stats counters the store writes, the dashboard distribution
the services read (and ``/api/dashboard``), a table column and a drill-down line.

The field (is the house vacant?) exists only in this test: the fixture adds what its
declaration needs around it (the ``Conversation`` attribute, the question's wording) and puts
one ``Field`` into the registry; everything after that is the product code as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis
from pydantic.fields import FieldInfo

from components import conversation_detail, conversations_table
from core.keys import LocationKeys
from core.settings import Settings
from seller_bot import fields
from seller_bot.bot import SellerBot
from seller_bot.fields import Counted, Field
from seller_bot.models import Conversation
from seller_bot.payload import InboundMessage
from seller_bot.replies import TEXTS
from services.conversation_view import conversation_detail as detail_of
from services.dashboard_data_service import DashboardDataService
from services.dashboard_models import ConversationQuery
from tests.helpers import FakeClock, inbound


def read_occupancy(text: str) -> str | None:
    """The fake extractor: what ``seller_bot/extract/occupancy.py`` would be."""
    lowered = text.lower()
    if "vacant" in lowered or "empty" in lowered:
        return "vacant"
    return "occupied" if "we live" in lowered or "tenant" in lowered else None


OCCUPANCY = Field(
    "occupancy", lambda turn: read_occupancy(turn.text), detail="Occupancy",
    counter=Counted("occupancy", ("vacant", "occupied"), distribution="occupancy"),
    column="Occupied", qualifying=True, stage="motivation")


@pytest.fixture
def occupancy_field(monkeypatch: pytest.MonkeyPatch) -> Iterator[Field]:
    """The registry with ``OCCUPANCY`` last; every module's binding of the registry's tuples
    is replaced, as if ``FIELDS`` had declared it from the start."""
    monkeypatch.setitem(Conversation.__annotations__, "occupancy", "str | None")
    monkeypatch.setitem(Conversation.model_fields, "occupancy",
                        FieldInfo(annotation=str | None, default=None))
    Conversation.model_rebuild(force=True)
    for texts in TEXTS.values():
        monkeypatch.setitem(texts, "ask:occupancy", ("Is anyone living in the house now?",))
        monkeypatch.setitem(texts, "reask:occupancy", ("Is the house vacant or lived in?",))
    replacements = ((fields.FIELDS, (*fields.FIELDS, OCCUPANCY)),
                    (fields.QUALIFYING, (*fields.QUALIFYING, OCCUPANCY)))
    for module in list(sys.modules.values()):
        for name in ("FIELDS", "QUALIFYING"):
            for old, new in replacements:
                if getattr(module, name, None) is old:
                    monkeypatch.setattr(module, name, new)
    monkeypatch.setitem(fields.FIELD, "occupancy", OCCUPANCY)
    yield OCCUPANCY
    monkeypatch.undo()
    Conversation.model_rebuild(force=True)


def test_field001_a_declared_field_flows_from_the_message_to_every_reader(
        occupancy_field: Field, redis_client: redis.Redis, settings: Settings) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    bot = SellerBot(redis_client, settings, clock=clock)
    for text in ("hi, the house is vacant, I want to sell", "move in ready", "450k"):
        result = bot.handle_inbound(InboundMessage.model_validate(inbound(text, "vic")))
        assert result.status == "processed"

    # Extraction in the flow: read from the first message, kept in the document.
    conv = bot.store.load("loc-1", "vic")
    assert conv.occupancy == "vacant"

    # The store's counters and the distribution bar's segment.
    keys = LocationKeys("loc-1")
    assert redis_client.hget(keys.stats, "occupancy:vacant") == "1"
    assert redis_client.zscore(keys.segment_index("occupancy:vacant"), "vic") is not None

    # The distribution the services read, and its key in /api/dashboard's JSON.
    data = DashboardDataService(redis_client, settings, store=bot.store, clock=clock)
    dashboard = data.dashboard()
    assert dashboard.distributions["occupancy"].labels == ["vacant", "occupied", "unknown"]
    assert dashboard.distributions["occupancy"].counts == [1, 0, 0]
    assert dashboard.to_dict()["occupancy_distribution"] == {
        "labels": ["vacant", "occupied", "unknown"], "counts": [1, 0, 0]}

    # A table column, through the cached page.
    row, = data.conversations(ConversationQuery()).rows
    assert row.extracted["occupancy"] == "vacant"
    assert ("occupancy", "Occupied") in conversations_table.columns()
    assert conversations_table.record(row, clock())["occupancy"] == "vacant"

    # A drill-down line.
    detail = detail_of(conv, clock(), stalled_after_seconds=settings.stalled_after_seconds,
                       commission_rate=settings.commission_rate)
    assert ("Occupancy", "vacant") in conversation_detail.field_lines(detail, settings.timezone)


def test_field002_the_dashboard_json_keeps_its_distribution_keys(
        redis_client: redis.Redis, settings: Settings) -> None:
    """The registry's distributions keep the names /api/dashboard always had."""
    data = DashboardDataService(redis_client, settings).dashboard().to_dict()
    assert "distributions" not in data
    for name in ("price", "timeline", "motivation"):
        assert set(data[f"{name}_distribution"]) == {"labels", "counts"}
    assert data["price_distribution"]["labels"][:2] == ["under $100k", "$100k-200k"]
