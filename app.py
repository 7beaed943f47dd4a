"""The seller-bot analytics app: one Flask server carrying the webhook, the API and the Dash UI.

    python app.py [--demo] [--reset] [--port N]      development server on 127.0.0.1
    gunicorn app:server                              production (see Procfile, docs/deploy.md)
    flask --app app users|rebuild|simulate ...       operator commands (cli.py)
"""

from __future__ import annotations

import argparse
import logging
import secrets
import signal
import sys
from collections.abc import Callable
from datetime import datetime

import dash
import httpx
import redis
from flask import Flask

from api.assets import init_asset_caching
from api.auth import Account, init_login, parse_users, request_locations
from api.conversations import create_conversations_blueprint
from api.dashboard import create_dashboard_blueprint
from api.errors import register_error_handlers
from api.health import create_health_blueprint
from api.security import create_limiter, init_security
from api.table import create_table_blueprint
from api.webhook import WebhookApp, mount_webhook
from cli import register_commands
from components import build_layout, register_callbacks
from components.first_screen import INLINE_SCRIPTS, init_first_screen
from components.layout import INDEX_STRING, LAZY_ASSETS
from core.clock import utc_now
from core.logging import configure_logging
from core.redis_client import connect
from core.settings import ConfigurationError, Settings
from ghl.client import GhlClient
from ghl.worker import RelayThread, calendar_of
from seller_bot.bot import SellerBot
from services.dashboard_data_service import DashboardDataService
from services.interface import Services
from services.outbox_service import OutboxService

log = logging.getLogger("app")
MAX_REQUEST_BYTES = 1024 * 1024  # Dash callbacks; the webhook has its own, smaller limit


def check_settings(settings: Settings) -> dict[str, Account]:
    """Refuse to start production without what it needs; return the dashboard users."""
    if settings.production:
        missing = settings.missing_for_production()
        if missing:
            raise ConfigurationError(
                f"APP_ENV=production needs {', '.join(missing)} to be set "
                "(see README, Configuration, and .env.example)")
        if len(settings.secret_key) < 32 or len(settings.webhook_secret) < 16:
            raise ConfigurationError("SECRET_KEY needs at least 32 characters and "
                                     "WEBHOOK_SECRET at least 16")
    return parse_users(settings.dashboard_users)


def create_app(settings: Settings | None = None, redis_client: redis.Redis | None = None,
               clock: Callable[[], datetime] = utc_now, demo: bool = False,
               ghl_transport: httpx.BaseTransport | None = None) -> dash.Dash:
    """Build the whole app from its parts; tests pass their own settings, Redis and clock
    (and ``ghl_transport``: how to reach GoHighLevel, the demo's fake)."""
    settings = settings or Settings()
    users = check_settings(settings)
    client = redis_client if redis_client is not None else connect(settings)
    api = GhlClient(settings, transport=ghl_transport) if settings.outbox_enabled else None
    if api is None:
        log.warning("replies are not being sent: GHL_API_TOKEN unset")
    server = Flask(__name__)
    # Development without SECRET_KEY: a random key per process (sessions end at restart).
    server.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
                         SECRET_KEY=settings.secret_key or secrets.token_hex(32))
    limiter = create_limiter(server, client)
    bot = SellerBot(client, settings, clock=clock, calendar=calendar_of(settings, api))
    outbox = OutboxService(client, settings, bot)
    register_error_handlers(server)
    data = DashboardDataService(client, settings, store=bot.store, clock=clock, outbox=outbox)
    services = Services(client, settings, bot, clock=clock, data=data, outbox=outbox,
                        scope=request_locations)
    server.register_blueprint(create_conversations_blueprint(services))
    server.register_blueprint(create_health_blueprint(client))
    server.register_blueprint(create_table_blueprint(services))
    server.register_blueprint(create_dashboard_blueprint(services))

    # compress: Flask-Compress gzip/brotli. plotly.js is not Dash's full bundle (4.6 MB) but a
    # custom one in assets/lazy/, loaded when the charts come into view (assets/dashboard.js).
    app = dash.Dash(__name__, server=server, title="Seller Bot Analytics",
                    update_title=None, compress=True, index_string=INDEX_STRING,
                    assets_path_ignore=[LAZY_ASSETS])
    init_asset_caching(server, app, LAZY_ASSETS)
    init_security(server, app, settings, INLINE_SCRIPTS)
    if settings.production or users:
        init_login(server, users, limiter, client, settings)
    mount_webhook(server, WebhookApp(bot, settings, client))
    # A function, so every page view is built with the data of that moment.
    app.layout = lambda: build_layout(services, demo=demo)
    # The page itself carries the first screen, so a phone paints it before Dash has run.
    init_first_screen(app, services, demo=demo)
    register_callbacks(app, services)
    register_commands(server)
    server.extensions["sellerbot"] = {"settings": settings, "redis": client, "bot": bot,
                                      "data": data, "services": services, "demo": demo, "ghl": api,
                                      "ghl_transport": ghl_transport}
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT or 8050)")
    parser.add_argument("--host", help="interface to bind (default: HOST or 127.0.0.1)")
    parser.add_argument("--demo", action="store_true",
                        help="fill a demo store with simulated sellers")
    parser.add_argument("--reset", action="store_true", help="with --demo: start the demo over")
    args = parser.parse_args(argv)
    configure_logging()
    settings = Settings()
    # SIGTERM (a PaaS stop, Ctrl-C in a supervisor) exits normally so the embedded Redis is
    # shut down cleanly and flushes its data file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.reset and not args.demo:
        parser.error("--reset only goes with --demo")
    client, demo, transport = None, None, None
    if args.demo:
        from ghl.fake import FakeGhlApi  # lazily: production never loads the demo's parts
        from simulator.demo import DemoTraffic

        if settings.redis_url:
            log.warning("--demo ignores REDIS_URL: the demo keeps its own store in %s",
                        settings.data_dir / "demo")
        # The demo's replies go to a built-in fake of GoHighLevel that records them.
        settings = settings.model_copy(update={"redis_url": None,
                                               "ghl_api_token": "demo-fake-token"})
        fake = FakeGhlApi()
        client = connect(settings, data_subdir="demo")
        demo = DemoTraffic(client, settings)
        fake.locations[demo.location_id] = {"name": "Demo sub-account"}
        transport = fake.transport()
        if demo.seed(reset=args.reset) is None:
            print("demo data already there (python app.py --demo --reset starts over)")
    try:
        application = create_app(settings, client, demo=args.demo, ghl_transport=transport)
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parts = application.server.extensions["sellerbot"]
    relay = (RelayThread(parts["redis"], settings, parts["bot"], transport).start()
             if settings.outbox_enabled else None)
    if demo is not None:
        demo.start(application.server)
    try:
        application.run(host=args.host or settings.host, port=args.port or settings.port,
                        debug=False)
    finally:
        if demo is not None:
            demo.stop()
        if relay is not None:
            relay.stop()
    return 0


_lazy: dict[str, object] = {}


def __getattr__(name: str) -> object:
    """``app`` and ``server`` are built on first use, so importing this module has no effects.
    ``application`` is the server too: the name ``flask --app app`` looks for a Flask app."""
    if name in ("app", "server", "application"):
        if "app" not in _lazy:
            _lazy["app"] = create_app()
        application = _lazy["app"]
        return application if name == "app" else application.server
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
