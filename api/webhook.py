"""POST /webhooks/ghl/inbound: GoHighLevel InboundMessage events."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import orjson
import redis
from flask import Blueprint, Response, jsonify, request
from limits import parse
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter
from pydantic import ValidationError

from api.errors import ApiError, validation_error
from api.signatures import GHL_HEADER, HMAC_HEADER, GhlVerifier, hmac_valid
from core.keys import RATE_LIMIT_PREFIX, LocationKeys
from core.settings import Settings
from seller_bot.bot import SellerBot
from seller_bot.payload import InboundMessage
from seller_bot.store import UNREAD, ConflictError

log = logging.getLogger(__name__)


def read_limited_body(max_bytes: int) -> bytes:
    """The raw body, refusing (413) anything over the limit."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "payload_too_large", f"body over {max_bytes} bytes")
    body = request.get_data(cache=True)
    if len(body) > max_bytes:
        raise ApiError(413, "payload_too_large", f"body over {max_bytes} bytes")
    return body


def stale_message(data: dict, max_age_seconds: int, now: float) -> bool:
    """A signed message whose dateAdded is older than the replay window."""
    added = data.get("dateAdded")
    if not isinstance(added, str):
        return False
    try:
        at = datetime.fromisoformat(added.replace("Z", "+00:00"))
    except ValueError:
        return False
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return now - at.timestamp() > max_age_seconds


class LocationRateLimit:
    """Per-location budget (fixed window, one INCR), counted only for authentic, valid
    messages, so forged or broken requests cannot use up a location's budget."""

    def __init__(self, client: redis.Redis, limit: str) -> None:
        storage = RedisStorage("redis://", connection_pool=client.connection_pool,
                               key_prefix=RATE_LIMIT_PREFIX)
        self.item = parse(limit)
        self.limiter = FixedWindowRateLimiter(storage)

    def allow(self, location_id: str) -> bool:
        # The key holds the location's hash tag: on Redis Cluster it lives with its data.
        return self.limiter.hit(self.item, LocationKeys(location_id).tag)


def create_webhook_blueprint(bot: SellerBot, settings: Settings,
                             client: redis.Redis) -> Blueprint:
    bp = Blueprint("webhook", __name__)
    rate_limit = LocationRateLimit(client, settings.webhook_rate_limit)
    ghl = GhlVerifier(settings.ghl_webhook_public_key) if settings.ghl_webhook_public_key else None
    signed = bool(settings.webhook_secret or ghl)

    def authenticate(body: bytes) -> None:
        """One valid signature is enough: ours (HMAC) or GoHighLevel's own (RSA)."""
        if not signed:
            if settings.production:
                raise ApiError(401, "bad_signature", "unsigned webhooks are refused in production")
            return
        if settings.webhook_secret and hmac_valid(
                settings.webhook_secret, body, request.headers.get(HMAC_HEADER)):
            return
        if ghl and ghl.valid(body, request.headers.get(GHL_HEADER)):
            return
        expected = " or ".join(
            name for name, on in ((HMAC_HEADER, settings.webhook_secret), (GHL_HEADER, ghl)) if on)
        raise ApiError(401, "bad_signature", f"missing or invalid {expected}")

    @bp.get("/webhooks/ghl/inbound")
    def inbound_get() -> tuple[Response, int, dict]:
        """Not the Dash page shell (its catch-all route would serve it): a JSON 405."""
        return (jsonify({"error": "method_not_allowed", "message": "POST a webhook event"}),
                405, {"Allow": "POST"})

    @bp.post("/webhooks/ghl/inbound")
    def inbound() -> Response:
        received = time.perf_counter()
        body = read_limited_body(settings.max_body_bytes)
        authenticate(body)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ApiError(422, "invalid_field", "body: expected a JSON object",
                           fields=[{"field": "body", "message": "expected a JSON object"}])
        if signed and stale_message(data, settings.webhook_max_age_seconds, time.time()):
            raise ApiError(401, "stale_signature",
                           f"dateAdded is older than {settings.webhook_max_age_seconds} s")
        try:
            message = InboundMessage.model_validate(data)
        except ValidationError as exc:
            raise validation_error(exc) from exc
        # A redelivery or replay costs no budget: the duplicate check comes first, in the
        # same round trip as reading the document the write starts from.
        stored = UNREAD
        if message.messageId and not message.ignore_reason:
            seen, stored = bot.store.peek(message.locationId, message.contactId,
                                          message.messageId)
            if seen:
                return jsonify(bot.duplicate_result(message, stored).to_dict())
        if not rate_limit.allow(message.locationId):
            raise ApiError(429, "rate_limited",
                           f"over {settings.webhook_rate_limit} for location {message.locationId}")
        try:
            result = bot.handle_inbound(message, received=received, stored=stored)
        except redis.RedisError as exc:
            log.warning("redis unavailable; webhook refused so GoHighLevel retries",
                        extra={"contact_id": message.contactId})
            raise ApiError(503, "unavailable", "storage unavailable, retry later") from exc
        except ConflictError as exc:
            raise ApiError(503, "busy", "conversation busy, retry later") from exc
        log.info("webhook %s", result.status,
                 extra={"contact_id": message.contactId, "location_id": message.locationId,
                        "stage": result.stage})
        return jsonify(result.to_dict())

    return bp
