"""Dashboard users: the DASHBOARD_USERS entry ``flask --app app users add NAME`` prints."""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.security import generate_password_hash

from core.keys import ID_PATTERN

MIN_PASSWORD_LENGTH = 12


def user_entry(name: str, password: str, locations: Sequence[str] = ()) -> str:
    """``name:hash``, or ``name:hash@loc1|loc2`` for a user who may see only those locations."""
    if not name or any(ch in name for ch in ":,") or name != name.strip():
        raise ValueError("user name must be non-empty, without ':' ',' or surrounding spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    bad = [loc for loc in locations if not ID_PATTERN.match(loc)]
    if bad:
        raise ValueError(f"not a location id: {', '.join(bad)} (letters, digits, _ . -)")
    limit = "@" + "|".join(dict.fromkeys(locations)) if locations else ""
    return f"{name}:{generate_password_hash(password)}{limit}"
