"""The page, assembled from the panels' pure builders (data in, components out, no I/O).

The page arrives already filled with the data of the moment it was requested, so the first
paint needs no callback round trip; afterwards the refresh loop keeps it current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from dash import dcc, html

from components import (
    appointments,
    conversation_detail,
    conversations_table,
    header,
    hero_metrics,
    ids,
    performance_chart,
    refresh,
    view_state,
)
from services.dashboard_models import ConversationsPage, DashboardData

# Before the first paint: the stored or preferred theme on <html> (dashboard.js toggles it
# later), so a dark-theme user never sees the light first screen. Inline, allowed by its hash.
THEME_SCRIPT = (
    "(function(){var t=null;try{t=JSON.parse(localStorage.getItem("
    f"'{ids.STORE_THEME}'))}}"
    "catch(e){}if(t!=='light'&&t!=='dark'){t=window.matchMedia&&"
    "matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}"
    "document.documentElement.setAttribute('data-bs-theme',t)})();"
)
# Dash's page shell with the document's language (screen readers pick their voice by it).
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        <script>THEME_SCRIPT</script>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>""".replace("THEME_SCRIPT", THEME_SCRIPT)
# Files in assets/lazy/ are served but not put in the page: assets/dashboard.js loads them.
LAZY_ASSETS = "lazy"
MAIN_CLASS = "container-xxl app-main"


@dataclass(frozen=True)
class PageState:
    """What the page shows when it is first served (None: could not be read)."""

    dashboard: DashboardData | None
    conversations: ConversationsPage | None
    now: datetime
    demo: bool = False
    locations: dict[str, str] = field(default_factory=dict)  # the user's: id -> name


def store(store_id: str, data=None) -> dcc.Store:
    """A dcc.Store; None leaves ``data`` unset. A store mounted with ``data=None`` reports it
    as changed at once (dcc compares it with ``undefined``), and every callback that follows
    it would run, a server round trip each, just after the page loaded."""
    return dcc.Store(id=store_id) if data is None else dcc.Store(id=store_id, data=data)


def build_first_screen(state: PageState, *, timezone: str, refresh_seconds: int,
                       kept_days: int = 8, replies_sent: bool = True
                       ) -> tuple[html.Header, list]:
    """The header and the top of the main column (banners, range bar, cards): what a phone
    shows first, for the default view. ``components.first_screen`` sends the same with the
    HTML page."""
    data = state.dashboard
    view = view_state.ViewState()
    label = view_state.window_label(data)
    top = [
        header.build_banners(data, timezone, replies_sent=replies_sent),
        view_state.build_range_bar(view, state.now.astimezone(ZoneInfo(timezone)).date(),
                                   view_state.range_label(label if data else None,
                                                          kept_days), state.locations),
        hero_metrics.build_panel(data.hero if data else None,
                                 data.total_conversations if data else None, label,
                                 replies_sent),
    ]
    return header.build_header(refresh_seconds, demo=state.demo), top


def build_page(state: PageState, *, timezone: str, refresh_seconds: int,
               kept_days: int = 8, replies_sent: bool = True) -> html.Div:
    """The page for the default view (24 h, all the user's locations, no filter);
    ``components.view_state`` then applies what the URL asks for."""
    data = state.dashboard
    period = max(0, refresh_seconds)
    view = view_state.ViewState()
    page_header, top = build_first_screen(state, timezone=timezone,
                                          refresh_seconds=refresh_seconds,
                                          kept_days=kept_days, replies_sent=replies_sent)
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.STORE_RANGE, data=view.range_data()),
        store(ids.STORE_SEGMENT),
        dcc.Store(id=ids.STORE_LOCATIONS, data=list(view.locations)),
        store(ids.STORE_VERSION, data.version if data else None),
        dcc.Store(id=ids.STORE_RENDERED, data=refresh.shown_key(data, view.range)),
        store(ids.STORE_AS_OF, data.as_of if data else None),
        store(ids.STORE_DASHBOARD),
        dcc.Store(id=ids.STORE_VISIBLE, data=True),
        dcc.Store(id=ids.STORE_THEME, storage_type="local"),
        dcc.Store(id=ids.DETAIL_CONTACT),
        dcc.Interval(id=ids.REFRESH_INTERVAL, interval=(period or 60) * 1000,
                     disabled=period == 0),
        dcc.Interval(id=ids.CLOCK_INTERVAL, interval=1000),
        page_header,
        html.Main([
            *top,
            conversations_table.build_panel(state.conversations, state.now,
                                            many_locations=len(state.locations) > 1),
            appointments.build_panel(data.appointments if data else None, timezone),
            performance_chart.build_panel(data, timezone),
        ], className=MAIN_CLASS),
        conversation_detail.build_panel(),
    ], id=ids.PAGE)
