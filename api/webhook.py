"""POST /webhooks/ghl/inbound: GoHighLevel InboundMessage events."""

from __future__ import annotations

import logging
import time

import orjson
import redis
from flask import Blueprint, Response, jsonify, request
from pydantic import ValidationError

from api.errors import ApiError, validation_error
from api.signatures import GHL_HEADER, HMAC_HEADER, GhlVerifier, hmac_valid
from core.settings import Settings
from seller_bot.bot import SellerBot
from seller_bot.payload import InboundMessage
from seller_bot.store import ConflictError

log = logging.getLogger(__name__)


def read_limited_body(max_bytes: int) -> bytes:
    """The raw body, refusing (413) anything over the limit without reading it all."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "payload_too_large", f"body over {max_bytes} bytes")
    body = request.stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise ApiError(413, "payload_too_large", f"body over {max_bytes} bytes")
    return body


def create_webhook_blueprint(bot: SellerBot, settings: Settings) -> Blueprint:
    bp = Blueprint("webhook", __name__)
    ghl = GhlVerifier(settings.ghl_webhook_public_key) if settings.ghl_webhook_public_key else None

    def authenticate(body: bytes) -> None:
        if settings.webhook_secret and not hmac_valid(
                settings.webhook_secret, body, request.headers.get(HMAC_HEADER)):
            raise ApiError(401, "bad_signature", f"missing or invalid {HMAC_HEADER}")
        if ghl and not ghl.valid(body, request.headers.get(GHL_HEADER)):
            raise ApiError(401, "bad_signature", f"missing or invalid {GHL_HEADER}")

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
        try:
            message = InboundMessage.model_validate(data)
        except ValidationError as exc:
            raise validation_error(exc) from exc
        try:
            result = bot.handle_inbound(message, received=received)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
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
