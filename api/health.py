"""GET /healthz: is the app up, can it read Redis, and can it write to it."""

from __future__ import annotations

import redis
from flask import Blueprint, Response, jsonify

from core.keys import HEALTH_PROBE
from core.redis_client import CANNOT_READ

PROBE_MS = 10_000  # the probe key expires by itself


def create_health_blueprint(client: redis.Redis) -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> tuple[Response, int]:
        try:
            client.ping()
        except CANNOT_READ:
            return jsonify({"status": "degraded", "redis": "unreachable",
                            "writable": False}), 503
        try:
            # A tiny write: a full Redis (maxmemory, noeviction) or a read-only replica
            # answers PING but refuses every webhook.
            client.set(HEALTH_PROBE, "1", px=PROBE_MS)
        except CANNOT_READ:
            return jsonify({"status": "degraded", "redis": "unreachable",
                            "writable": False}), 503
        except redis.RedisError:
            return jsonify({"status": "degraded", "redis": "ok", "writable": False}), 503
        return jsonify({"status": "ok", "redis": "ok", "writable": True}), 200

    return bp
