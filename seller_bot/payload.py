"""The GoHighLevel InboundMessage webhook body, validated at the edge."""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core.keys import ID_PATTERN

Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
TEXT_CHANNELS = frozenset({"SMS", "WhatsApp", "FB", "IG", "GMB", "Live_Chat", "Webchat",
                           "TYPE_SMS", "TYPE_WHATSAPP", "TYPE_FACEBOOK", "TYPE_INSTAGRAM",
                           "TYPE_GMB", "TYPE_LIVE_CHAT", "TYPE_WEBCHAT"})
MAX_BODY_CHARS = 5000


class InboundMessage(BaseModel):
    """Fields we use; anything else GoHighLevel sends is ignored.

    As documented by GoHighLevel, ``messageId`` and ``body`` may be absent (its SMS example has
    no ``messageId``, a voicemail has no body); marketplace webhooks add ``webhookId`` and
    ``timestamp``.
    """

    model_config = ConfigDict(extra="ignore", strict=True)

    type: str = Field(max_length=64)
    locationId: Identifier
    contactId: Identifier
    messageId: Identifier | None = None
    webhookId: Identifier | None = None
    body: str = Field(default="", max_length=MAX_BODY_CHARS)
    messageType: str = Field(max_length=64)
    direction: str = Field(max_length=16)
    status: str | None = Field(default=None, max_length=64)
    conversationId: Identifier | None = None
    dateAdded: str | None = Field(default=None, max_length=64)
    timestamp: str | None = Field(default=None, max_length=64)
    contactName: str | None = Field(default=None, max_length=200)
    fullName: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)

    @property
    def idempotency_key(self) -> str:
        """``messageId``, else ``webhookId``, else a digest of what makes the message unique."""
        if self.messageId:
            return self.messageId
        if self.webhookId:
            return f"wh-{self.webhookId}"
        parts = "\x1f".join((self.locationId, self.contactId, self.dateAdded or "", self.body))
        return "d-" + hashlib.sha256(parts.encode()).hexdigest()[:32]

    @property
    def is_text(self) -> bool:
        return self.messageType in TEXT_CHANNELS

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
        if not self.is_text:
            return f"{self.messageType} is not a text message"
        if not self.body.strip():
            return "empty message"
        return None


class ContactTagUpdate(BaseModel):
    """GoHighLevel's ContactTagUpdate event: the contact (``id``) and all its tags now."""

    model_config = ConfigDict(extra="ignore", strict=True)

    type: str = Field(max_length=64)
    locationId: Identifier
    id: Identifier
    tags: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list, max_length=1000)
    webhookId: Identifier | None = None
