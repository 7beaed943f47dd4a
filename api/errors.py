"""JSON errors for every route: clear message, right status, nothing written."""

from __future__ import annotations

import logging

import redis
from flask import Flask, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from services.interface import DataUnavailable, LocationForbidden, UnknownLocation

log = logging.getLogger(__name__)
# A Dash callback naming a location it cannot have (the page offers only the user's, so the
# request was crafted) gets Dash's "no update": the page keeps what it shows, nothing is read.
DASH_CALLBACK = "/_dash-update-component"


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, *,
                 headers: dict[str, str] | None = None, **extra: object) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}
        self.extra = extra


def error_response(status: int, error: str, message: str, **extra: object):
    return jsonify({"error": error, "message": message, **extra}), status


def validation_error(exc: ValidationError) -> ApiError:
    """422 naming each bad field the way the client sent it."""
    fields = []
    for err in exc.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in err["loc"]) or "body"
        fields.append({"field": name, "message": err["msg"]})
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return ApiError(422, "invalid_field", summary, fields=fields)


def register_error_handlers(server: Flask) -> None:
    @server.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        response, status = error_response(exc.status, exc.error, exc.message, **exc.extra)
        response.headers.update(exc.headers)
        return response, status

    @server.errorhandler(UnknownLocation)
    def _unknown_location(exc: UnknownLocation):
        if request.path.endswith(DASH_CALLBACK):
            return "", 204
        message = f"unknown location: {', '.join(exc.location_ids)}"
        return error_response(422, "invalid_field", f"location: {message}",
                              fields=[{"field": "location", "message": message}])

    @server.errorhandler(LocationForbidden)
    def _forbidden_location(exc: LocationForbidden):
        if request.path.endswith(DASH_CALLBACK):
            return "", 204
        return error_response(403, "forbidden", "you may not see these locations",
                              locations=exc.location_ids)

    @server.errorhandler(DataUnavailable)
    def _unavailable(exc: DataUnavailable):
        log.warning("store unavailable on %s: %s", request.path, exc)
        return error_response(503, "unavailable", "storage unavailable, retry later")

    @server.errorhandler(redis.RedisError)
    def _redis_down(exc: redis.RedisError):
        log.warning("redis error on %s: %s", request.path, type(exc).__name__)
        return error_response(503, "unavailable", "storage unavailable, retry later")

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        # script_root: the webhook's app is mounted under /webhooks (api.webhook.MOUNT).
        path = request.script_root + request.path
        is_api = path.startswith(("/api/", "/webhooks/", "/healthz"))
        if not is_api:
            return exc
        return error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                              exc.description or exc.name)
