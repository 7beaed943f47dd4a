"""The dashboard's panels. app.py uses two functions from here:

- ``build_layout(services, demo=...)``: the page, filled with the data of the moment;
- ``register_callbacks(app, services)``: every panel's callbacks, registered on that app
  object (never module-level ``@dash.callback``, which would bind to the first app of the
  process). ``services`` is ``services.interface.Services``, the panels' only way to the data.
"""

from __future__ import annotations

import flask
from dash import Dash, html

from components import (
    appointments,
    conversation_detail,
    conversations_table,
    header,
    hero_metrics,
    layout,
    performance_chart,
    refresh,
    view_state,
)
from services.dashboard_models import ConversationQuery
from services.interface import DataUnavailable, Services


def read_page_state(services: Services, *, demo: bool = False) -> layout.PageState:
    """What a freshly served page shows; parts that cannot be read are None."""
    try:
        data = services.dashboard("24h")
        locations = services.locations()
    except DataUnavailable:
        data, locations = None, {}
    page = conversations_table.load_page(
        services, ConversationQuery(page_size=conversations_table.PAGE_SIZE))
    return layout.PageState(dashboard=data, conversations=page, now=services.clock(),
                            demo=demo, locations=locations)


def build_layout(services: Services, *, demo: bool = False) -> html.Div:
    """The whole page. Only a request for the layout itself reads data: Dash also builds the
    layout once to validate it, inside whatever request comes first (often a webhook), and
    that must neither read nor write anything."""
    token = None
    if flask.has_request_context() and flask.request.path.endswith("/_dash-layout"):
        state = read_page_state(services, demo=demo)
        token = flask.session.get("csrf_token") if "sid" in flask.session else None
    else:
        state = layout.PageState(dashboard=None, conversations=None, now=services.clock(),
                                 demo=demo)
    page = layout.build_page(state, timezone=services.settings.timezone,
                             refresh_seconds=services.settings.refresh_interval_seconds,
                             kept_days=services.settings.bucket_retention_seconds // 86400,
                             replies_sent=services.settings.outbox_enabled)
    if token:  # signed in (production): a way out
        page.children.append(header.build_sign_out(token))
    return page


def register_callbacks(app: Dash, services: Services) -> None:
    for panel in (header, view_state, refresh, hero_metrics, performance_chart, appointments,
                  conversations_table, conversation_detail):
        panel.register_callbacks(app, services)
