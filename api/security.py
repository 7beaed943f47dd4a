"""Security headers, proxy awareness, cookies and rate limiting for the one Flask server."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

import dash
import redis
from flask import Flask, request
from flask_limiter import Limiter
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from core.keys import RATE_LIMIT_PREFIX
from core.redis_client import limits_storage
from core.settings import Settings


def create_limiter(server: Flask, client: redis.Redis) -> Limiter:
    """Flask-Limiter on the app's own Redis (shared by all workers), no global limits; the
    login form uses it. The webhook's per-location budget is api.webhook.LocationRateLimit."""
    storage_uri, storage_options = limits_storage(client)
    return Limiter(
        key_func=lambda: request.remote_addr or "unknown",
        app=server,
        storage_uri=storage_uri,
        storage_options={**storage_options, "key_prefix": RATE_LIMIT_PREFIX},
        strategy="fixed-window",
        headers_enabled=False,
        # A Redis outage must not turn into 500s here: the route itself answers 503.
        swallow_errors=True,
    )


def script_hash(script: str) -> str:
    """A CSP source allowing one inline script, as Dash hashes its own."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


def content_security_policy(dash_app: dash.Dash, inline_scripts: Sequence[str] = ()
                            ) -> dict[str, list[str] | str]:
    """Only our own scripts (and Dash's inline bootstrap script and ``inline_scripts``, by
    hash); no framing."""
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *dash_app.csp_hashes(), *map(script_hash, inline_scripts)],
        "style-src": ["'self'", "'unsafe-inline'"],  # Dash and Plotly set inline styles
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "object-src": "'none'",
    }


def init_security(server: Flask, dash_app: dash.Dash, settings: Settings,
                  inline_scripts: Sequence[str] = ()) -> None:
    production = settings.production
    hops = settings.trusted_proxy_hops
    if hops:
        # Only as many X-Forwarded-* entries as there are proxies that really rewrite them:
        # trusting one more lets any client pick its own address (and dodge the login limit).
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
    )
    Talisman(
        server,
        force_https=False,  # the router redirects; health checks arrive over plain HTTP
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=production,
        content_security_policy=content_security_policy(dash_app, inline_scripts),
        frame_options="DENY",
        referrer_policy="same-origin",
    )
