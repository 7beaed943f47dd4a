"""POST /webhooks/ghl/inbound: GoHighLevel InboundMessage and ContactTagUpdate events.

The webhook is a small WSGI app of its own, mounted under ``/webhooks`` beside the dashboard
(``mount_webhook``): none of the dashboard's per-request hooks (Dash, Talisman, Compress,
Flask-Limiter, login) run for a message, only signature, payload, budget and the bot.

GoHighLevel redelivers a webhook only when the answer is 429 (up to 6 times, about 10 minutes
apart); every other status is final. So whenever a message cannot be stored (Redis
unreachable, the conversation busy) the answer is 429 with ``Retry-After``, never a 5xx.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

import orjson
import redis
from flask import Flask
from limits import parse
from pydantic import ValidationError
from werkzeug.exceptions import InternalServerError, MethodNotAllowed, NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Request, Response

from api.errors import ApiError, validation_error
from core.keys import LocationKeys
from core.settings import Settings
from core.signatures import (
    GHL_ED25519_HEADER,
    GHL_HEADER,
    HMAC_HEADER,
    Ed25519Verifier,
    GhlVerifier,
    hmac_valid,
)
from seller_bot.bot import SellerBot
from seller_bot.payload import ContactTagUpdate, InboundMessage
from seller_bot.store import UNREAD, ConflictError, SlotTaken

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 60
MAX_FUTURE_SECONDS = 300  # clock skew tolerated for a signed event's time
MOUNT = "/webhooks"
INBOUND = "/ghl/inbound"  # under MOUNT
# Nothing was stored: 429 with this, the one answer GoHighLevel redelivers after.
RETRY_LATER = {"Retry-After": str(RETRY_AFTER_SECONDS)}
T = TypeVar("T")


def json_response(data: dict) -> Response:
    """200 with ``data`` as JSON (orjson: a message's answer is the webhook's hot path)."""
    return Response(orjson.dumps(data), mimetype="application/json")


def read_limited_body(request: Request, max_bytes: int) -> bytes:
    """The raw body, refusing (413) anything over the limit."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "payload_too_large", f"body over {max_bytes} bytes")
    body = request.get_data(cache=True)
    if len(body) > max_bytes:
        raise ApiError(413, "payload_too_large", f"body over {max_bytes} bytes")
    return body


def parse_time(value: object) -> float | None:
    """Epoch seconds of an ISO 8601 time (no zone: UTC); None when absent or unparseable."""
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.timestamp()


def event_time(data: dict) -> tuple[str, float | None]:
    """(field, epoch seconds) that dates the event for the replay window: ``timestamp`` when
    present, else an InboundMessage's ``dateAdded`` (a ContactTagUpdate's ``dateAdded`` is the
    contact's creation, not the event's)."""
    if "timestamp" in data:
        return "timestamp", parse_time(data["timestamp"])
    if data.get("type") == "ContactTagUpdate":
        return "timestamp", None
    return "dateAdded", parse_time(data.get("dateAdded"))


def check_replay_window(data: dict, max_age_seconds: int, now: float) -> None:
    """A signed event must carry its time, within the window and not from the future."""
    name, at = event_time(data)
    if at is None:
        raise ApiError(401, "stale_signature",
                       f"signed webhooks need a valid {name} (ISO 8601) for the replay window")
    if now - at > max_age_seconds:
        raise ApiError(401, "stale_signature", f"{name} is older than {max_age_seconds} s")
    if at - now > MAX_FUTURE_SECONDS:
        raise ApiError(401, "stale_signature", f"{name} is more than 5 minutes in the future")


class LocationBudget:
    """Per-location webhook budget: a fixed-window counter in the location's hash slot,
    counted only for authentic, valid messages (forged or broken requests cannot use it up)
    and never for a redelivery. A new message is counted in the same round trip as the
    duplicate check (``ConversationStore.peek``); other events with ``count``."""

    def __init__(self, client: redis.Redis, limit: str,
                 wall_clock: Callable[[], float] = time.time) -> None:
        item = parse(limit)  # the limits library's notation: "120/minute"
        self.redis = client
        self.amount = item.amount
        self.seconds = item.get_expiry()
        self.wall_clock = wall_clock

    def count(self, location_id: str) -> int:
        """Count one event; how many the window holds now."""
        key = LocationKeys(location_id).webhook_budget(self.wall_clock(), self.seconds)
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(key, 0, ex=self.seconds, nx=True)  # the window's expiry, set once
            pipe.incr(key)
            return pipe.execute()[1]


def mount_webhook(server: Flask, webhook: WebhookApp) -> None:
    """Serve ``webhook`` for every path under ``/webhooks``, ahead of all of ``server``'s
    middleware and hooks."""
    server.wsgi_app = DispatcherMiddleware(server.wsgi_app, {MOUNT: webhook})


def json_error(status: int, error: str, message: str,
                   headers: dict[str, str] | None = None, **extra: object) -> Response:
    """The JSON error every route of the app answers with (``api.errors``)."""
    return Response(orjson.dumps({"error": error, "message": message, **extra}), status,
                    headers, mimetype="application/json")


class WebhookApp:
    """The webhook's own WSGI app (werkzeug's request and response, no Flask: a message pays
    for no routing, app context or hooks it does not use); ``mount_webhook`` puts it under
    ``/webhooks``."""

    def __init__(self, bot: SellerBot, settings: Settings, client: redis.Redis) -> None:
        self.bot = bot
        self.settings = settings
        self.redis = client
        self.budget = LocationBudget(client, settings.webhook_rate_limit, bot.store.wall_clock)
        rsa = (GhlVerifier(settings.ghl_webhook_public_key)
               if settings.ghl_webhook_public_key else None)
        ed25519 = (Ed25519Verifier(settings.ghl_webhook_ed25519_public_key)
                   if settings.ghl_webhook_ed25519_public_key else None)
        # One valid signature is enough: GoHighLevel's Ed25519 (checked first, as its SDKs
        # do), its older RSA, or ours (HMAC).
        self.checks = [(GHL_ED25519_HEADER, ed25519), (GHL_HEADER, rsa)]
        self.signed = bool(settings.webhook_secret or rsa or ed25519)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.route(request)
        except ApiError as exc:
            response = json_error(exc.status, exc.error, exc.message, exc.headers,
                                      **exc.extra)
        except redis.RedisError as exc:
            log.warning("redis unavailable (%s); webhook refused with 429 so GoHighLevel "
                        "retries", type(exc).__name__)
            response = json_error(429, "unavailable", "storage unavailable, retry later",
                                      RETRY_LATER)
        except (ConflictError, SlotTaken):
            # The conversation kept changing, or slots kept filling up: nothing stored.
            response = json_error(429, "busy", "conversation busy, retry later",
                                      RETRY_LATER)
        except Exception:
            log.exception("webhook failed")
            response = json_error(500, "internal_server_error",
                                      InternalServerError.description)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response(environ, start_response)

    def route(self, request: Request) -> Response:
        if request.path != INBOUND:
            raise ApiError(404, "not_found", NotFound.description)
        if request.method != "POST":
            raise ApiError(405, "method_not_allowed", MethodNotAllowed.description,
                           headers={"Allow": "POST"})
        return self.inbound(request)

    def authenticate(self, request: Request, body: bytes) -> None:
        settings = self.settings
        if not self.signed:
            if settings.production:
                raise ApiError(401, "bad_signature", "unsigned webhooks are refused in production")
            return
        for header, verifier in self.checks:
            if verifier and verifier.valid(body, request.headers.get(header)):
                return
        if settings.webhook_secret and hmac_valid(
                settings.webhook_secret, body, request.headers.get(HMAC_HEADER)):
            return
        expected = " or ".join(name for name, on in (*self.checks, (HMAC_HEADER,
                                                                     settings.webhook_secret))
                               if on)
        raise ApiError(401, "bad_signature", f"missing or invalid {expected}")

    def within_budget(self, location_id: str, used: int) -> None:
        if used > self.budget.amount:
            raise ApiError(429, "rate_limited",
                           f"over {self.settings.webhook_rate_limit} for location {location_id}",
                           headers=RETRY_LATER)

    def tags_changed(self, data: dict) -> Response:
        event = validated(ContactTagUpdate, data)
        self.within_budget(event.locationId, self.budget.count(event.locationId))
        result = self.apply_tags(event)
        log.info("tag update %s", result["status"],
                 extra={"contact_id": event.id, "location_id": event.locationId})
        return json_response(result)

    def apply_tags(self, event: ContactTagUpdate) -> dict:
        if event.webhookId and not self.redis.set(
                LocationKeys(event.locationId).seen(f"wh-{event.webhookId}"), event.id,
                nx=True, ex=2 * self.settings.webhook_max_age_seconds):
            return {"status": "duplicate"}
        conv = self.bot.contact_tags_changed(event.locationId, event.id, event.tags)
        if conv is None:
            return {"status": "ignored", "reason": "no conversation for this contact"}
        return {"status": "processed", "paused": conv.paused}

    def inbound(self, request: Request) -> Response:
        received = time.perf_counter()
        body = read_limited_body(request, self.settings.max_body_bytes)
        self.authenticate(request, body)
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ApiError(422, "invalid_field", "body: expected a JSON object",
                           fields=[{"field": "body", "message": "expected a JSON object"}])
        if self.signed:
            check_replay_window(data, self.settings.webhook_max_age_seconds, time.time())
        if data.get("type") == "ContactTagUpdate":
            return self.tags_changed(data)
        message = validated(InboundMessage, data)
        bot = self.bot
        # A redelivery or replay costs no budget: the duplicate check comes first, in the
        # same round trip as reading the document the write starts from.
        if message.ignore_reason:
            stored, used = UNREAD, self.budget.count(message.locationId)
        else:
            peek = bot.store.peek(message.locationId, message.contactId,
                                  message.idempotency_key, self.budget.seconds)
            if peek.seen:
                return json_response(bot.duplicate_result(message, peek.stored).to_dict())
            stored, used = peek.stored, peek.budget_used
        self.within_budget(message.locationId, used)
        result = bot.handle_inbound(message, received=received, stored=stored)
        log.info("webhook %s", result.status,
                 extra={"contact_id": message.contactId, "location_id": message.locationId,
                        "stage": result.stage})
        return json_response(result.to_dict())


def validated(model: type[T], data: dict) -> T:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from exc
