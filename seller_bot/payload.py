"""The GoHighLevel InboundMessage webhook body, validated at the edge."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core.keys import ID_PATTERN

Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
TEXT_CHANNELS = frozenset({"SMS", "WhatsApp", "FB", "IG", "GMB", "Live_Chat", "Webchat",
                           "TYPE_SMS", "TYPE_WHATSAPP", "TYPE_FACEBOOK", "TYPE_INSTAGRAM",
                           "TYPE_GMB", "TYPE_LIVE_CHAT", "TYPE_WEBCHAT"})
MAX_BODY_CHARS = 5000


class InboundMessage(BaseModel):
    """Fields we use; anything else GoHighLevel sends is ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)

    type: str = Field(max_length=64)
    locationId: Identifier
    contactId: Identifier
    messageId: Identifier
    body: str = Field(max_length=MAX_BODY_CHARS)
    messageType: str = Field(max_length=64)
    direction: str = Field(max_length=16)
    conversationId: Identifier | None = None
    dateAdded: str | None = Field(default=None, max_length=64)
    contactName: str | None = Field(default=None, max_length=200)
    fullName: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)

    @property
    def seller_name(self) -> str | None:
        name = (self.contactName or self.fullName or "").strip()
        return " ".join(name.split())[:80] or None

    @property
    def ignore_reason(self) -> str | None:
        """Why the bot should not answer this event at all (None: it should)."""
        if self.type != "InboundMessage":
            return f"event type {self.type}"
        if self.direction.lower() != "inbound":
            return "outbound message"
        if self.messageType not in TEXT_CHANNELS:
            return f"{self.messageType} is not a text message"
        if not self.body.strip():
            return "empty message"
        return None
