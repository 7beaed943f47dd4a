"""Operator commands on the app's Flask server (``flask --app app ...``), area code ``cli``.

Run with Flask's CLI runner against the test app and its real Redis; one test runs the real
command line in a subprocess, to show that ``flask --app app`` finds the app.
"""

from __future__ import annotations

import os
import subprocess
import sys

from werkzeug.security import check_password_hash

from api.auth import parse_users
from core.keys import LocationKeys
from seller_bot.models import Conversation
from simulator.run import DEFAULT_LOCATION

PASSWORD = "correct horse battery"


def stored(client, location: str) -> list[Conversation]:
    names = list(client.scan_iter(match=LocationKeys(location).conversation("*")))
    return [Conversation.from_json(raw) for raw in client.mget(names)] if names else []


def test_cli001_users_add_prints_an_entry_the_app_accepts(app):
    result = app.server.test_cli_runner().invoke(args=["users", "add", "ana", "--password-stdin"],
                                                 input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    entry = result.stdout.strip()
    assert parse_users(entry).keys() == {"ana"}
    assert check_password_hash(parse_users(entry)["ana"].password_hash, PASSWORD)
    assert "Append it to DASHBOARD_USERS" in result.stderr


def test_cli008_users_add_limits_a_user_to_locations(app):
    runner = app.server.test_cli_runner()
    result = runner.invoke(args=["users", "add", "bo", "--password-stdin", "--location", "north",
                                 "--location", "south"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert parse_users(result.stdout.strip())["bo"].locations == {"north", "south"}
    bad = runner.invoke(args=["users", "add", "bo", "--password-stdin", "--location", "a b"],
                        input=f"{PASSWORD}\n")
    assert bad.exit_code == 1 and "not a location id: a b" in bad.stderr and bad.stdout == ""


def test_cli002_users_add_asks_twice_without_echo(app):
    runner = app.server.test_cli_runner()
    result = runner.invoke(args=["users", "add", "ana"],
                           input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "do not match" in result.stderr
    assert check_password_hash(parse_users(result.stdout.strip())["ana"].password_hash, PASSWORD)


def test_cli003_users_add_refuses_a_short_password_or_a_bad_name(app):
    runner = app.server.test_cli_runner()
    short = runner.invoke(args=["users", "add", "ana", "--password-stdin"], input="short\n")
    assert short.exit_code == 1
    assert "at least 12 characters" in short.stderr and short.stdout == ""
    bad = runner.invoke(args=["users", "add", "a:b", "--password-stdin"], input=f"{PASSWORD}\n")
    assert bad.exit_code == 1 and "user name" in bad.stderr


def test_cli004_simulate_backfills_through_the_bot_into_the_apps_redis(app, redis_client):
    runner = app.server.test_cli_runner()
    result = runner.invoke(args=["simulate", "--sellers", "12", "--days", "1", "--seed", "3",
                                 "--location", "loc-sim"])
    assert result.exit_code == 0, result.output
    assert "12 sellers" in result.stdout
    convs = stored(redis_client, "loc-sim")
    assert len(convs) == 12 and stored(redis_client, DEFAULT_LOCATION) == []
    assert all(len(conv.transcript) >= 2 for conv in convs)  # the bot answered each seller

    again = runner.invoke(args=["simulate", "--sellers", "12", "--days", "1", "--seed", "3",
                                "--location", "loc-sim"])
    assert again.exit_code == 0, again.output
    assert "pass another --seed" in again.stdout
    assert len(stored(redis_client, "loc-sim")) == 12


def test_cli005_simulate_over_http_to_a_running_app(app, live_server, redis_client):
    result = app.server.test_cli_runner().invoke(
        args=["simulate", "--sellers", "3", "--days", "1", "--target", live_server.url])
    assert result.exit_code == 0, result.output
    assert "3 sellers" in result.stdout and "'processed'" in result.stdout
    assert len(stored(redis_client, DEFAULT_LOCATION)) == 3


def test_cli006_simulate_refuses_bulk_over_http(app, redis_client):
    result = app.server.test_cli_runner().invoke(
        args=["simulate", "--target", "http://127.0.0.1:9", "--bulk"])
    assert result.exit_code == 2
    assert "--bulk" in result.stderr
    assert redis_client.dbsize() == 0


def test_cli007_flask_app_command_line_finds_the_app(redis_server, command_dir):
    env = {key: value for key, value in os.environ.items()
           if key not in ("APP_ENV", "DASHBOARD_USERS", "WEBHOOK_SECRET", "SECRET_KEY")}
    env["REDIS_URL"] = redis_server.url
    command = [sys.executable, "-m", "flask", "--app", "app"]
    listing = subprocess.run([*command, "--help"], cwd=command_dir, env=env,
                             capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert {"users", "rebuild", "simulate", "relay"} <= {
        line.split()[0] for line in listing.stdout.splitlines() if line.startswith("  ")}
    added = subprocess.run([*command, "users", "add", "ana", "--password-stdin"], cwd=command_dir,
                           env=env, input=f"{PASSWORD}\n", capture_output=True, text=True,
                           timeout=60)
    assert added.returncode == 0, added.stderr
    assert parse_users(added.stdout.strip()).keys() == {"ana"}
