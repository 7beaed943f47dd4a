"""Dashboard login (Flask-Login): every page, Dash callback and /api route needs a user;
the health check and the (signed) webhook stay open."""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import redis
from flask import (
    Blueprint,
    Flask,
    current_app,
    has_request_context,
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

from api.sessions import SessionRegistry
from core.keys import ID_PATTERN
from core.redis_client import CANNOT_READ
from core.settings import ConfigurationError, Settings

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/healthz", "/webhooks/ghl/inbound", "/login"})
OPEN_PREFIXES = ("/assets/",)
API_PREFIXES = ("/api/", "/_dash-", "/_reload-hash")
# Compared against when the user name is unknown, so a wrong name costs the same time.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))

LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Seller Bot Analytics</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css"></head>
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


@dataclass(frozen=True)
class Account:
    """One DASHBOARD_USERS entry: the password hash and the locations the user may see
    (None: every location)."""

    password_hash: str
    locations: frozenset[str] | None = None


class DashboardUser(UserMixin):
    def __init__(self, name: str, locations: frozenset[str] | None = None) -> None:
        self.id = name
        self.locations = locations


def parse_account(entry: str) -> tuple[str, Account]:
    """``name:hash`` or ``name:hash@loc1|loc2`` (limited to those locations)."""
    name, sep, rest = entry.strip().partition(":")
    password_hash, limited, listed = rest.partition("@")
    if not sep or not name or "$" not in password_hash:
        raise ConfigurationError(
            "DASHBOARD_USERS must be name:password-hash entries separated by commas, each "
            "optionally limited to locations with @loc1|loc2; make a hash with: "
            "flask --app app users add NAME")
    if not limited:
        return name, Account(password_hash)
    locations = frozenset(loc.strip() for loc in listed.split("|") if loc.strip())
    bad = sorted(loc for loc in locations if not ID_PATTERN.match(loc))
    if not locations or bad:
        raise ConfigurationError(
            f"DASHBOARD_USERS: user {name} has @ but no valid location ids after it "
            f"({', '.join(bad) or 'none'}); write name:hash@loc1|loc2")
    return name, Account(password_hash, locations)


def parse_users(spec: str | None) -> dict[str, Account]:
    """``name:hash,name2:hash2@loc1|loc2`` (hashes from ``flask --app app users add NAME``)."""
    return dict(parse_account(entry) for entry in (spec or "").split(",") if entry.strip())


def request_locations() -> frozenset[str] | None:
    """The locations the request's signed-in user may see; None: all (no limit, no login,
    or no request: operator commands)."""
    if not has_request_context() or not hasattr(current_app, "login_manager"):
        return None
    return getattr(current_user, "locations", None)


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a fresh login to another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def csrf_ok() -> bool:
    token = session.get("csrf_token", "")
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    return bool(token) and hmac.compare_digest(token.encode(), sent.encode())


def init_login(server: Flask, users: dict[str, Account], limiter: Limiter, client: redis.Redis,
               settings: Settings) -> None:
    """Require a signed-in user for everything but the open paths; sessions live in Redis
    (``SessionRegistry``), the cookie only names one."""
    manager = LoginManager(server)
    manager.session_protection = "strong"
    sessions = SessionRegistry(client, settings.session_idle_seconds,
                               settings.session_absolute_seconds)
    # The signed cookie is refused by Flask itself past the absolute lifetime, too.
    server.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        seconds=settings.session_absolute_seconds)

    @manager.user_loader
    def load_user(name: str) -> DashboardUser | None:
        sid, started = session.get("sid"), session.get("started")
        if name not in users or not isinstance(sid, str) or not isinstance(started, float):
            return None
        try:
            valid = sessions.touch(sid, name, started)
        except CANNOT_READ:
            # Redis down: nothing can be revoked or read meanwhile except the stale figures
            # this process holds; keep the dashboard usable within the absolute lifetime.
            log.warning("session store unreachable; session accepted on its signature")
            valid = started + settings.session_absolute_seconds > sessions.clock()
        return DashboardUser(name, users[name].locations) if valid else None

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
    @limiter.limit(settings.login_rate_limit_ip)
    @limiter.limit(settings.login_rate_limit_account, scope="login-account",
                   key_func=lambda: "account:" + request.form.get("username", "")[:64],
                   deduct_when=lambda response: response.status_code == 401)
    def login_submit():
        if not csrf_ok():
            return page("Your session expired; please sign in again.", 400)
        name = request.form.get("username", "")
        password = request.form.get("password", "")
        account = users.get(name)
        password_ok = check_password_hash(account.password_hash if account else _DUMMY_HASH,
                                          password)
        if name not in users or not password_ok:
            return page("Wrong user name or password.", 401)
        sid, started = sessions.start(name)
        session.clear()  # nothing from before the login carries over (session fixation)
        session.permanent = True
        session.update(sid=sid, started=started, csrf_token=secrets.token_urlsafe(32))
        login_user(DashboardUser(name, users[name].locations))
        return redirect(safe_next(request.form.get("next")))

    @bp.get("/logout")
    def logout_page():
        return jsonify({"error": "method_not_allowed",
                        "message": "sign out with POST /logout and the CSRF token"}), 405, {
                            "Allow": "POST"}

    @bp.post("/logout")
    def logout():
        """End this session (or, with ``everywhere=1``, every session of the user)."""
        if not csrf_ok():
            return jsonify({"error": "bad_csrf_token",
                            "message": "missing or wrong CSRF token"}), 400
        name, sid = current_user.get_id(), session.get("sid")
        if request.form.get("everywhere") == "1":
            sessions.end_all(name)
        elif sid:
            sessions.end(sid, name)
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))

    server.register_blueprint(bp)
