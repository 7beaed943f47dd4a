"""Dashboard users: the DASHBOARD_USERS entry ``flask --app app users add NAME`` prints."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

MIN_PASSWORD_LENGTH = 12


def user_entry(name: str, password: str) -> str:
    if not name or any(ch in name for ch in ":,") or name != name.strip():
        raise ValueError("user name must be non-empty, without ':' ',' or surrounding spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return f"{name}:{generate_password_hash(password)}"
