"""Operator commands, registered on the app's Flask server by ``create_app``:

    flask --app app users add NAME [--password-stdin] [--location ID ...]
                                                        print a DASHBOARD_USERS entry
    flask --app app rebuild                             recompute every counter and index
    flask --app app simulate [--sellers 300] [--days 7] [--seed 7] [--rate 0]
                             [--target http://host:port] [--bulk]
    flask --app app relay                               send the outbox to GoHighLevel
                                                        (the Procfile's worker)

They work on the app's own settings and Redis (REDIS_URL, else the embedded one in DATA_DIR);
``flask --app app COMMAND --help`` describes each. The work is done where it lives
(``services.users``, ``services.rebuild``, ``simulator.run``); this module only parses.
"""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from core.logging import configure_logging
from ghl.worker import run_relay
from services.rebuild import AggregateRebuilder
from services.users import user_entry


def register_commands(server: Flask) -> None:
    for command in (users, rebuild, simulate, relay):
        server.cli.add_command(command)


def _app_part(name: str):
    """One of the parts ``create_app`` built (settings, redis, bot, data)."""
    return current_app.extensions["sellerbot"][name]


@click.group()
def users() -> None:
    """Dashboard sign-in users."""


@users.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (scripts).")
@click.option("--location", "locations", multiple=True,
              help="Limit the user to this location id (repeat for several).")
def add_user(name: str, password_stdin: bool, locations: tuple[str, ...]) -> None:
    """Print NAME:password-hash, an entry for DASHBOARD_USERS (comma-separated)."""
    if password_stdin:
        password = click.get_text_stream("stdin").readline().rstrip("\n")
    else:  # prompts on stderr, so DASHBOARD_USERS=$(flask ... users add NAME) works
        password = click.prompt(f"Password for {name}", hide_input=True,
                                confirmation_prompt=True, err=True)
    try:
        entry = user_entry(name, password, locations)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(entry)
    click.echo("Append it to DASHBOARD_USERS (comma-separated).", err=True)


@click.command()
@with_appcontext
def rebuild() -> None:
    """Recompute every counter and index from the stored conversations (after a Redis restore,
    or when the app was down across conversations' expiry)."""
    started = time.perf_counter()
    for result in AggregateRebuilder(_app_part("redis"), _app_part("settings")).rebuild_all():
        skipped = f", {result.skipped} unreadable skipped" if result.skipped else ""
        click.echo(f"{result.location_id}: {result.conversations} conversations{skipped}")
    click.echo(f"rebuilt in {time.perf_counter() - started:.1f} s")


@click.command()
@click.option("--sellers", type=click.IntRange(min=0), default=300, show_default=True,
              help="Conversations to backfill.")
@click.option("--days", type=click.FloatRange(min=0, min_open=True), default=7,
              show_default=True, help="History spread over these days.")
@click.option("--seed", help="Same seed, same sellers  [default: 7]")
@click.option("--rate", type=click.FloatRange(min=0), default=0, show_default=True,
              help="After backfilling, send this many messages/s until Ctrl-C.")
@click.option("--target", metavar="URL", help="Send over HTTP to a running app, e.g. "
              "http://127.0.0.1:8050 (signed with WEBHOOK_SECRET when set), not into Redis.")
@click.option("--location", help="GoHighLevel location id  [default: demo-location]")
@click.option("--bulk", is_flag=True, help="In-process: buffer each conversation and write it "
              "once, pipelined (large benchmarks).")
@with_appcontext
def simulate(sellers: int, days: float, seed: str | None, rate: float, target: str | None,
             location: str | None, bulk: bool) -> None:
    """Simulated sellers texting the bot: a backfilled history, then live traffic."""
    from simulator.run import run  # lazily: the web app never loads the simulator

    if target and bulk:
        raise click.UsageError("--bulk is for in-process runs, not --target")
    chosen = {name: value for name, value in (("seed", seed), ("location", location)) if value}
    run(None if target else _app_part("redis"), _app_part("settings"), sellers=sellers,
        days=days, rate=rate, target=target, bulk=bulk, echo=click.echo, **chosen)


@click.command()
@with_appcontext
def relay() -> None:
    """Send the bot's replies and CRM updates to GoHighLevel until SIGTERM (the Procfile's
    worker; several may run at once). Logs JSON lines on stderr, like ``python app.py``."""
    configure_logging()
    code = run_relay(_app_part("redis"), _app_part("settings"), _app_part("bot"),
                     _app_part("ghl"))
    if code:
        raise click.exceptions.Exit(code)
