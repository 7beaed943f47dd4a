"""The seller-bot analytics app: one Flask server carrying the webhook, the API and the Dash UI.

    python app.py [--demo] [--reset] [--port N]      development server on 127.0.0.1
    gunicorn app:server                              production (see Procfile, docs/deploy.md)
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable
from datetime import datetime

import dash
import redis
from dash import html
from flask import Flask

from api.conversations import create_conversations_blueprint
from api.dashboard import create_dashboard_blueprint
from api.errors import register_error_handlers
from api.health import create_health_blueprint
from api.table import create_table_blueprint
from api.webhook import create_webhook_blueprint
from core.redis_client import connect
from core.settings import Settings
from seller_bot.bot import SellerBot, utc_now
from services.conversation_index import ConversationIndex
from services.dashboard_data_service import DashboardDataService

log = logging.getLogger("app")


def create_app(settings: Settings | None = None, redis_client: redis.Redis | None = None,
               clock: Callable[[], datetime] = utc_now) -> dash.Dash:
    """Build the whole app from its parts; tests pass their own settings, Redis and clock."""
    settings = settings or Settings()
    client = redis_client if redis_client is not None else connect(settings)
    server = Flask(__name__)
    server.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes * 4,
                         SECRET_KEY=settings.secret_key or "dev-only-not-secret")
    bot = SellerBot(client, settings, clock=clock)
    register_error_handlers(server)
    server.register_blueprint(create_webhook_blueprint(bot, settings))
    server.register_blueprint(create_conversations_blueprint(bot, settings, clock))
    server.register_blueprint(create_health_blueprint(client))
    table = ConversationIndex(client, settings, wall_clock=lambda: clock().timestamp())
    server.register_blueprint(create_table_blueprint(table))
    data = DashboardDataService(client, settings, store=bot.store, clock=clock)
    server.register_blueprint(create_dashboard_blueprint(data))

    app = dash.Dash(__name__, server=server, title="Seller Bot Analytics",
                    update_title=None)
    app.layout = html.Main([
        html.H1("Seller Bot Analytics"),
        html.P("The dashboard is on its way. The webhook and API are live."),
    ])
    server.extensions["sellerbot"] = {"settings": settings, "redis": client, "bot": bot,
                                      "data": data}
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT or 8050)")
    parser.add_argument("--host", help="interface to bind (default: HOST or 127.0.0.1)")
    parser.add_argument("--demo", action="store_true",
                        help="fill a demo store with simulated sellers")
    parser.add_argument("--reset", action="store_true", help="with --demo: start the demo over")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    # SIGTERM (a PaaS stop, Ctrl-C in a supervisor) exits normally so the embedded Redis is
    # shut down cleanly and flushes its data file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    application = create_app(settings)
    application.run(host=args.host or settings.host, port=args.port or settings.port, debug=False)
    return 0


_lazy: dict[str, object] = {}


def __getattr__(name: str) -> object:
    """``app`` and ``server`` are built on first use, so importing this module has no effects."""
    if name in ("app", "server"):
        if "app" not in _lazy:
            _lazy["app"] = create_app()
        application = _lazy["app"]
        return application if name == "app" else application.server
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
