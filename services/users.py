"""Dashboard users: ``python -m services.users add NAME`` prints a DASHBOARD_USERS entry.

The password is read without echo (or from stdin with --password-stdin, for scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from werkzeug.security import generate_password_hash

MIN_PASSWORD_LENGTH = 12


def user_entry(name: str, password: str) -> str:
    if not name or any(ch in name for ch in ":,") or name != name.strip():
        raise ValueError("user name must be non-empty, without ':' ',' or surrounding spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return f"{name}:{generate_password_hash(password)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make a DASHBOARD_USERS entry.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="print NAME:password-hash")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    args = parser.parse_args(argv)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.name}: ")
        if password != getpass.getpass("Again: "):
            print("passwords differ", file=sys.stderr)
            return 2
    try:
        print(user_entry(args.name, password))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print("Append it to DASHBOARD_USERS (comma-separated).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
