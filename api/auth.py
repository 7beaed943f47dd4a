"""Dashboard login (Flask-Login): every page, Dash callback and /api route needs a user;
the health check and the (signed) webhook stay open."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    jsonify,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from core.settings import ConfigurationError

OPEN_PATHS = frozenset({"/healthz", "/webhooks/ghl/inbound", "/login"})
OPEN_PREFIXES = ("/assets/",)
API_PREFIXES = ("/api/", "/_dash-", "/_reload-hash")
# Compared against when the user name is unknown, so a wrong name costs the same time.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))

LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Seller Bot Analytics</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-body-tertiary">
<main class="container" style="max-width: 24rem; padding-top: 12vh">
  <h1 class="h4 mb-3">Seller Bot Analytics</h1>
  {% if error %}<div class="alert alert-danger" role="alert">{{ error }}</div>{% endif %}
  <form method="post" action="/login">
    <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
    <input type="hidden" name="next" value="{{ next }}">
    <label class="form-label" for="username">User</label>
    <input class="form-control mb-2" id="username" name="username" autocomplete="username"
           required autofocus>
    <label class="form-label" for="password">Password</label>
    <input class="form-control mb-3" id="password" name="password" type="password"
           autocomplete="current-password" required>
    <button class="btn btn-primary w-100" type="submit">Sign in</button>
  </form>
</main></body></html>"""


class DashboardUser(UserMixin):
    def __init__(self, name: str) -> None:
        self.id = name


def parse_users(spec: str | None) -> dict[str, str]:
    """``name:hash,name2:hash2`` (hashes from ``flask --app app users add NAME``)."""
    users: dict[str, str] = {}
    for pair in (spec or "").split(","):
        if not pair.strip():
            continue
        name, sep, password_hash = pair.strip().partition(":")
        if not sep or not name or "$" not in password_hash:
            raise ConfigurationError(
                "DASHBOARD_USERS must be name:password-hash pairs separated by commas; "
                "make a hash with: flask --app app users add NAME")
        users[name] = password_hash
    return users


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a fresh login to another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def init_login(server: Flask, users: dict[str, str], limiter: Limiter) -> None:
    """Require a signed-in user for everything but the open paths."""
    manager = LoginManager(server)
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(name: str) -> DashboardUser | None:
        return DashboardUser(name) if name in users else None

    @server.before_request
    def require_login():
        path = request.path
        if current_user.is_authenticated or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return None
        if path.startswith(API_PREFIXES):
            return jsonify({"error": "unauthorized", "message": "sign in first"}), 401
        return redirect(url_for("auth.login", next=path))

    bp = Blueprint("auth", __name__)

    def page(error: str | None = None, status: int = 200):
        token = session.setdefault("csrf_token", secrets.token_urlsafe(32))
        html = render_template_string(LOGIN_PAGE, error=error, csrf_token=token,
                                      next=safe_next(request.values.get("next")))
        return html, status

    @bp.get("/login")
    def login():
        return page()

    @bp.post("/login")
    @limiter.limit("10/minute")
    def login_submit():
        token = session.get("csrf_token", "")
        if not token or not hmac.compare_digest(token, request.form.get("csrf_token", "")):
            return page("Your session expired; please sign in again.", 400)
        name = request.form.get("username", "")
        password = request.form.get("password", "")
        password_ok = check_password_hash(users.get(name, _DUMMY_HASH), password)
        if name not in users or not password_ok:
            return page("Wrong user name or password.", 401)
        session.pop("csrf_token", None)
        login_user(DashboardUser(name))
        return redirect(safe_next(request.form.get("next")))

    @bp.get("/logout")
    def logout():
        logout_user()
        return redirect(url_for("auth.login"))

    server.register_blueprint(bp)
