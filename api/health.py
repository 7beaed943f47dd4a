"""GET /healthz: is the app up and can it reach Redis."""

from __future__ import annotations

import redis
from flask import Blueprint, Response, jsonify


def create_health_blueprint(client: redis.Redis) -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> tuple[Response, int]:
        try:
            client.ping()
        except (redis.ConnectionError, redis.TimeoutError):
            return jsonify({"status": "degraded", "redis": "unreachable"}), 503
        return jsonify({"status": "ok", "redis": "ok"}), 200

    return bp
