"""A seller texting the pure flow (no Redis): shared by the tests/unit/test_flow_*.py tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from core.settings import Settings
from seller_bot.flow import BotRules, handle_message, record_reply, start_conversation

# Monday 30 Nov 2026, 9:00 in Los Angeles: slots later today and this week.
MONDAY_MORNING = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


class Chat:
    """One conversation: ``says`` sends a text a few minutes after the last one."""

    def __init__(self, *, name: str | None = "Maria Lopez", now: datetime = MONDAY_MORNING,
                 full_slots: Iterable[datetime] = (), **settings: object) -> None:
        self.rules = BotRules.from_settings(Settings(**settings))
        self.now = now
        self.full_slots = list(full_slots)
        self.conv = start_conversation("c-1", "loc-1", now, name=name)
        self.replies: list[str | None] = []

    def says(self, text: str) -> str | None:
        reply = handle_message(self.conv, text, self.now, self.rules,
                               taken_slots=lambda: self.full_slots)
        if reply is not None:
            record_reply(self.conv, reply, self.now, 1.0)
        self.replies.append(reply)
        self.now += timedelta(minutes=3)
        return reply

    def script(self, texts: Iterable[str]) -> str | None:
        """Send each text in turn; the last reply."""
        reply = None
        for text in texts:
            reply = self.says(text)
        return reply

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# The usual road to the offer: hello, condition, price, reason and timeline.
TO_OFFER = ("hey there", "needs new carpet and paint", "400k", "downsizing, within 2 months")
