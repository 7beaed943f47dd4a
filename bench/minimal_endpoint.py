"""The yardstick of bench/webhook.py: the least a webhook endpoint can do.

Parses the JSON body and stores it with one SET; served by the same gunicorn settings as the app
(``gunicorn bench.minimal_endpoint:app``), so the ratio app/minimal is what the bot and the web
stack cost on top of HTTP, JSON and one Redis round trip.
"""

from __future__ import annotations

import os

import orjson
import redis
from flask import Flask, jsonify, request

app = Flask(__name__)
client = redis.Redis.from_url(os.environ["REDIS_URL"])


@app.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@app.post("/webhooks/ghl/inbound")
def inbound():
    body = request.get_data()
    data = orjson.loads(body)
    client.set(f"bench:minimal:{data['messageId']}", body, ex=600)
    return jsonify({"status": "stored"})
