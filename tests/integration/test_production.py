"""Production mode: required settings, login on every route, signed webhooks, headers, limits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app import create_app
from core.settings import Settings
from services.users import user_entry
from tests.helpers import (
    PASSWORD,
    SECRET_KEY,
    WEBHOOK_SECRET,
    BrowserSession,
    inbound,
    log_in,
    signed_post,
    stored_data,
)

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"SECRET_KEY": SECRET_KEY, "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "REDIS_URL": "redis://127.0.0.1:1/0", "DASHBOARD_USERS": "x:scrypt:1:1:1$a$b"}


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_prod001_refuses_to_start_without_each_setting(missing, command_dir):
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    env.update({k: v for k, v in REQUIRED.items() if k != missing}, APP_ENV="production")
    result = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=command_dir, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "APP_ENV=production needs" in result.stderr


def test_prod002_gunicorn_refuses_too(command_dir):
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    env.update(APP_ENV="production", SECRET_KEY=SECRET_KEY)
    result = subprocess.run([sys.executable, "-m", "gunicorn", "app:server", "--bind",
                             "127.0.0.1:0", "--workers", "1"], cwd=command_dir, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    for name in ("WEBHOOK_SECRET", "REDIS_URL", "DASHBOARD_USERS"):
        assert name in result.stderr


@pytest.fixture
def production(serve, redis_server, redis_client):
    settings = Settings(app_env="production", redis_url=redis_server.url, secret_key=SECRET_KEY,
                        webhook_secret=WEBHOOK_SECRET,
                        dashboard_users=user_entry("jorge", PASSWORD),
                        # A day's window: a minute's could roll over in the middle of a test.
                        webhook_rate_limit="8/day")
    app = create_app(settings, redis_client)
    with serve(app.server) as server:
        yield server


def csrf_token_of_page(session: BrowserSession, server) -> str:
    """The sign-out form's CSRF token, from the signed-in user's page layout."""
    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("name") == "csrf_token":
                return props["value"]
            node = list(node.values())
        if isinstance(node, list):
            return next((found for item in node if (found := walk(item))), None)
        return None

    return walk(session.get(f"{server.url}/_dash-layout", timeout=10).json())


def log_out(session: BrowserSession, server, everywhere: bool = False) -> requests.Response:
    data = {"csrf_token": csrf_token_of_page(session, server)}
    if everywhere:
        data["everywhere"] = "1"
    return session.post(f"{server.url}/logout", data=data, timeout=10, allow_redirects=False)


PROTECTED = [
    ("GET", "/"), ("GET", "/_dash-layout"), ("GET", "/_dash-dependencies"),
    ("POST", "/_dash-update-component"), ("GET", "/api/dashboard"),
    ("GET", "/api/conversations"), ("GET", "/api/conversations/contact-1"),
    ("POST", "/api/conversations/contact-1/pause"), ("GET", "/api/export.csv"),
    ("DELETE", "/api/conversations/contact-1"),
]


def test_prod003_every_route_needs_login(production, redis_client):
    assert signed_post(production, inbound("hi")).status_code == 200
    before = stored_data(redis_client)
    for method, path in PROTECTED:
        response = requests.request(method, production.url + path, timeout=10,
                                    allow_redirects=False, json={})
        if path == "/":
            assert response.status_code == 302
            assert "/login" in response.headers["Location"]
        else:
            assert response.status_code == 401, path
    assert stored_data(redis_client) == before
    assert requests.get(f"{production.url}/healthz", timeout=10).status_code == 200


def test_prod004_signed_in_user_reachesstored_data(production):
    assert signed_post(production, inbound("hi")).status_code == 200
    session, response = log_in(production)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = next(c for c in session.cookies if c.name == "session")
    assert "session" in session.secure_cookies and cookie.has_nonstandard_attr("HttpOnly")
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/api/dashboard",
                 "/api/conversations", "/api/conversations/contact-1", "/api/export.csv"):
        assert session.get(production.url + path, timeout=10).status_code == 200, path
    assert session.post(f"{production.url}/api/conversations/contact-1/pause",
                        timeout=10).json()["paused"] is True
    assert log_out(session, production).status_code == 302
    assert session.get(f"{production.url}/api/dashboard", timeout=10).status_code == 401


def test_prod005_wrong_password_and_forged_form_are_refused(production):
    _, wrong = log_in(production, password="guess")
    assert wrong.status_code == 401
    forged = requests.post(f"{production.url}/login", timeout=10, allow_redirects=False,
                           data={"username": "jorge", "password": PASSWORD})
    assert forged.status_code == 400


def test_prod006_login_never_redirects_off_site(production):
    session = BrowserSession()
    page = session.get(f"{production.url}/login", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = session.post(f"{production.url}/login", timeout=10, allow_redirects=False,
                                data={"username": "jorge", "password": PASSWORD,
                                      "csrf_token": token, "next": target})
        assert response.headers["Location"] == "/"
        log_out(session, production)
        token = re.search(r'name="csrf_token" value="([^"]+)"',
                          session.get(f"{production.url}/login", timeout=10).text).group(1)


def test_prod007_forged_missing_or_stale_signature_is_401(production, redis_client):
    before = stored_data(redis_client)
    payload = inbound("hi")
    body = json.dumps(payload).encode()
    unsigned = requests.post(f"{production.url}/webhooks/ghl/inbound", data=body, timeout=10,
                             headers={"Content-Type": "application/json"})
    forged = signed_post(production, payload, secret="not-the-secret")
    old = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    stale = signed_post(production, inbound("hi", dateAdded=old))
    for response in (unsigned, forged, stale):
        assert response.status_code == 401
    assert stale.json()["error"] == "stale_signature"
    assert stored_data(redis_client) == before


def test_prod008_security_headers(production):
    response = requests.get(f"{production.url}/login", timeout=10,
                            headers={"X-Forwarded-Proto": "https"})
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_prod009_rate_limit_is_per_location(production):
    codes = [signed_post(production, inbound(f"msg {i}", contact=f"c{i}", location="busy-loc"))
             .status_code for i in range(10)]
    assert codes[:8] == [200] * 8
    assert codes[8:] == [429, 429]
    other = signed_post(production, inbound("hello", contact="calm", location="calm-loc"))
    assert other.status_code == 200 and other.json()["status"] == "processed"


def test_prod010_gohighlevel_rsa_signature_is_verified(serve, redis_server, redis_client):
    import base64

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings = Settings(redis_url=redis_server.url, webhook_secret=WEBHOOK_SECRET,
                        ghl_webhook_public_key=pem)
    app = create_app(settings, redis_client)
    body = json.dumps(inbound("hi")).encode()

    def post(signature: bytes) -> requests.Response:
        return requests.post(f"{server.url}/webhooks/ghl/inbound", data=body, timeout=10,
                             headers={"Content-Type": "application/json",
                                      "x-wh-signature": base64.b64encode(signature).decode()})

    with serve(app.server) as server:
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = post(other.sign(body, padding.PKCS1v15(), hashes.SHA256()))
        assert forged.status_code == 401
        assert redis_client.dbsize() == 0
        good = post(key.sign(body, padding.PKCS1v15(), hashes.SHA256()))
        assert good.status_code == 200 and good.json()["status"] == "processed"


# -- sessions (issue #13) ---------------------------------------------------------------------
def test_prod011_logout_ends_every_copy_of_the_cookie(production):
    session, _ = log_in(production)
    captured = {c.name: c.value for c in session.cookies}  # a copy someone took
    assert requests.get(f"{production.url}/api/dashboard", cookies=captured,
                        timeout=10).status_code == 200
    assert session.get(f"{production.url}/logout", timeout=10).status_code == 405
    assert session.post(f"{production.url}/logout", timeout=10,
                        allow_redirects=False).status_code == 400  # no CSRF token
    assert requests.get(f"{production.url}/api/dashboard", cookies=captured,
                        timeout=10).status_code == 200  # neither logged anyone out
    assert log_out(session, production).status_code == 302
    assert requests.get(f"{production.url}/api/dashboard", cookies=captured,
                        timeout=10).status_code == 401


def test_prod012_log_out_everywhere(production, redis_client):
    laptop, _ = log_in(production)
    phone, _ = log_in(production)
    assert len(list(redis_client.scan_iter("sellerbot:{user:*}:session:*"))) == 2
    assert log_out(phone, production, everywhere=True).status_code == 302
    assert laptop.get(f"{production.url}/api/dashboard", timeout=10).status_code == 401
    assert not list(redis_client.scan_iter("sellerbot:{user:*}:session*"))


def test_prod013_idle_and_absolute_lifetimes(serve, redis_server, redis_client):
    settings = Settings(app_env="production", redis_url=redis_server.url,
                        secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET,
                        dashboard_users=user_entry("jorge", PASSWORD),
                        session_idle_seconds=600, session_absolute_seconds=3600)
    with serve(create_app(settings, redis_client).server) as server:
        session, _ = log_in(server)
        cookie = next(c for c in session.cookies if c.name == "session")
        assert cookie.expires is not None  # the cookie ends with the absolute lifetime
        (key,) = redis_client.scan_iter("sellerbot:{user:*}:session:*")
        assert 590 <= redis_client.ttl(key) <= 600  # idle deadline
        assert session.get(f"{server.url}/api/dashboard", timeout=10).status_code == 200
        redis_client.pexpire(key, 1)  # idle past the deadline
        while redis_client.exists(key):
            time.sleep(0.01)
        assert session.get(f"{server.url}/api/dashboard", timeout=10).status_code == 401


def test_prod014_login_limits_per_ip_ignore_forged_forwarded_for(production):
    codes = []
    for n in range(12):
        session = BrowserSession()
        page = session.get(f"{production.url}/login", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        codes.append(session.post(
            f"{production.url}/login", timeout=10, allow_redirects=False,
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            data={"username": f"guess{n}", "password": "x", "csrf_token": token}).status_code)
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]


def test_prod015_login_limit_per_account_across_addresses(serve, redis_server, redis_client):
    settings = Settings(app_env="production", redis_url=redis_server.url,
                        secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET,
                        dashboard_users=user_entry("jorge", PASSWORD), trusted_proxy_hops=1,
                        login_rate_limit_account="3/hour")
    with serve(create_app(settings, redis_client).server) as server:
        def attempt(n: int, password: str) -> int:
            session = BrowserSession()
            page = session.get(f"{server.url}/login", timeout=10,
                               headers={"X-Forwarded-For": f"198.51.100.{n}"})
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            return session.post(f"{server.url}/login", timeout=10, allow_redirects=False,
                                headers={"X-Forwarded-For": f"198.51.100.{n}"},
                                data={"username": "jorge", "password": password,
                                      "csrf_token": token}).status_code

        assert attempt(0, PASSWORD) == 302  # a success spends nothing
        assert [attempt(n, "guess") for n in range(1, 6)] == [401, 401, 401, 429, 429]


def test_prod016_login_page_stylesheet_is_served(production):
    page = requests.get(f"{production.url}/login", timeout=10)
    assert "<form method=\"post\" action=\"/login\">" in page.text
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)
    assert requests.get(production.url + stylesheet, timeout=10).status_code == 200
