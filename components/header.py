"""Header: title, "Demo data" badge, "updated N s ago", refresh interval selector, "Refresh now",
light/dark toggle, and the stale-data banner below it.

The interval, freshness and theme behaviour runs in the browser (``assets/dashboard.js``):
these clientside callbacks never reach the server. The stale-data banner and the first-run empty
state follow each render order of the refresh loop (``components.refresh``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from components import formatting as fmt
from components import ids, refresh
from services.dashboard_models import DashboardData
from services.interface import Services

TITLE = "Seller Bot Analytics"
REFRESH_CHOICES: tuple[tuple[int, str], ...] = (
    (10, "10 s"), (30, "30 s"), (60, "1 min"), (300, "5 min"), (0, "off"),
)
NO_DATA_BANNER = "No data yet: Redis is unreachable. Retrying on every refresh."
REPLIES_OFF = "Replies are not being sent: GHL_API_TOKEN unset."
# fmt.EMPTY_STORE with the route and the flag set as code (and kept on one line).
EMPTY_STORE = ["No conversations yet: point your GoHighLevel webhook at ",
               html.Code("/webhooks/ghl/inbound"), " or run with ", html.Code("--demo"), "."]


def refresh_options(default_seconds: int) -> list[dict]:
    """The selector's choices; a configured default that is not one of them is added."""
    choices = list(REFRESH_CHOICES)
    if default_seconds not in {s for s, _ in choices}:
        choices.insert(0, (default_seconds, f"{default_seconds} s"))
    return [{"label": text if seconds == 0 else f"every {text}", "value": str(seconds)}
            for seconds, text in choices]


def unavailable_banner(shown_as_of: str | None, timezone: str) -> str:
    """Nothing could be read; ``shown_as_of`` is the time of the data still on screen."""
    if shown_as_of is None:
        return NO_DATA_BANNER
    shown = fmt.clock_time(shown_as_of, timezone)
    return f"Showing data from {shown} — Redis unreachable. Retrying on every refresh."


def stale_banner(data: DashboardData | None, timezone: str) -> tuple[bool, str]:
    """(is_open, text) of the banner: open while the data shown is not current."""
    if data is None:
        return True, NO_DATA_BANNER
    if not data.stale:
        return False, ""
    shown = fmt.clock_time(data.as_of, timezone)
    since = fmt.clock_time(data.stale_since, timezone, "a moment ago")
    return True, f"Showing data from {shown} — Redis unreachable since {since}"


def build_header(default_refresh_seconds: int, *, demo: bool = False) -> html.Header:
    brand = [
        html.Img(src="/assets/brand.svg", alt="", className="brand-icon", width=28,
                 height=28),
        html.H1(TITLE, id=ids.TITLE, className="brand-title"),
    ]
    if demo:
        brand.append(dbc.Badge("Demo data", id=ids.DEMO_BADGE, color="info", text_color="dark",
                               className="demo-badge",
                               title="Simulated sellers: started with --demo"))
    controls = [
        html.Span(id=ids.FRESHNESS, className="freshness text-body-secondary",
                  **{"aria-live": "polite"}),
        html.Label("Auto-refresh", htmlFor=ids.REFRESH_SELECT,
                   className="refresh-label small text-body-secondary mb-0"),
        dbc.Select(id=ids.REFRESH_SELECT, size="sm", className="refresh-select",
                   value=str(default_refresh_seconds),
                   options=refresh_options(default_refresh_seconds)),
        dbc.Button("Refresh now", id=ids.REFRESH_NOW, size="sm", color="primary"),
        dbc.Button("☾ Dark", id=ids.THEME_TOGGLE, size="sm", color="secondary", outline=True,
                   title="Switch between light and dark theme"),
    ]
    return html.Header(
        html.Div([html.Div(brand, className="brand"),
                  html.Div(controls, className="header-controls")],
                 className="container-xxl header-inner"),
        id=ids.HEADER, className="app-header border-bottom")


def is_empty(data: DashboardData | None) -> bool:
    """The store holds no conversation at all (first run): say what to do instead of zeros."""
    return data is not None and not data.total_conversations


def dead_letters_text(data: DashboardData | None) -> str | None:
    """What GoHighLevel never accepted, when anything (from ``outbox.dead_letters``)."""
    count = (data.outbox or {}).get("dead_letters") if data is not None else None
    if not count:
        return None
    things = "message or CRM update" if count == 1 else "messages or CRM updates"
    return (f"{count} {things} not delivered to GoHighLevel: open the conversation to see "
            "why and retry.")


def build_banners(data: DashboardData | None, timezone: str, *,
                  replies_sent: bool = True) -> html.Div:
    """Stale-data banner, the first-run empty state (open when the data says so), a standing
    note when the bot's replies do not reach GoHighLevel, and the dead letters' count."""
    stale_open, stale_text = stale_banner(data, timezone)
    dead = dead_letters_text(data)
    return html.Div([
        dbc.Alert(REPLIES_OFF, id=ids.REPLIES_OFF_BANNER, color="secondary",
                  is_open=not replies_sent, className="mb-3 small"),
        dbc.Alert(dead, id=ids.DEAD_LETTERS_BANNER, color="danger", is_open=dead is not None,
                  className="mb-3 small"),
        dbc.Alert(stale_text, id=ids.STALE_BANNER, color="warning", is_open=stale_open,
                  className="mb-3"),
        dbc.Alert(EMPTY_STORE, id=ids.EMPTY_STATE, color="info", is_open=is_empty(data),
                  className="mb-3"),
    ])


def banner_outputs(services: Services, order: object, shown_as_of: object) -> tuple:
    """(stale banner open, its text, empty state open) for a render order; ``shown_as_of`` is
    the time of the data on screen (``STORE_AS_OF``)."""
    timezone = services.settings.timezone
    if isinstance(order, dict) and order.get("unavailable") is True:
        if order.get("had_data") is True:  # the numbers stay: say how old they are
            as_of = shown_as_of if isinstance(shown_as_of, str) else None
            return True, unavailable_banner(as_of, timezone), no_update
        return True, NO_DATA_BANNER, False
    data = refresh.ordered_data(services, order)
    return (*stale_banner(data, timezone), is_empty(data))


def register_callbacks(app: Dash, services: Services) -> None:
    """The banners on each render order; clientside: interval period and pause while hidden,
    freshness text, theme."""
    @app.callback(
        Output(ids.STALE_BANNER, "is_open"), Output(ids.STALE_BANNER, "children"),
        Output(ids.EMPTY_STATE, "is_open"),
        Input(ids.STORE_DASHBOARD, "data"), State(ids.STORE_AS_OF, "data"),
        prevent_initial_call=True,
    )
    def show_banners(order, shown_as_of):
        return banner_outputs(services, order, shown_as_of)

    app.clientside_callback(
        ClientsideFunction("sellerbot", "intervalSettings"),
        Output(ids.REFRESH_INTERVAL, "disabled"), Output(ids.REFRESH_INTERVAL, "interval"),
        Output(ids.CLOCK_INTERVAL, "disabled"),
        Input(ids.REFRESH_SELECT, "value"), Input(ids.STORE_VISIBLE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("sellerbot", "freshness"),
        Output(ids.FRESHNESS, "children"), Output(ids.FRESHNESS, "title"),
        Input(ids.CLOCK_INTERVAL, "n_intervals"), Input(ids.STORE_AS_OF, "data"),
        Input(ids.REFRESH_SELECT, "value"),
    )
    app.clientside_callback(
        ClientsideFunction("sellerbot", "toggleTheme"),
        Output(ids.STORE_THEME, "data"),
        Input(ids.THEME_TOGGLE, "n_clicks"), State(ids.STORE_THEME, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("sellerbot", "applyTheme"),
        Output(ids.THEME_TOGGLE, "children"),
        Input(ids.STORE_THEME, "data"),
    )


def build_sign_out(csrf_token: str) -> html.Footer:
    """Sign out (this browser, or every session of the user): a POST with the CSRF token."""
    return html.Footer(html.Form([
        dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
        html.Button("Sign out", type="submit", className="btn btn-link btn-sm"),
        html.Button("Sign out everywhere", type="submit", name="everywhere", value="1",
                    className="btn btn-link btn-sm"),
    ], method="POST", action="/logout"), className="container-xxl text-end sign-out")
