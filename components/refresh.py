"""The refresh loop: one data-version read per tick, one dashboard read per change.

Triggers: the auto-refresh interval, "Refresh now", the tab becoming visible again, and the
page-wide range (``STORE_RANGE``, kept in step with the URL by ``components.view_state``).
The page keeps two versions: ``STORE_VERSION``, the live data version the last tick saw (the
table and the open drill-down reload when it moves), and ``STORE_RENDERED``, the version of
what the cards and graphs show. A tick where both equal the live version returns
``no_update`` for every output: one cheap read on the server and no data sent (dash 4.4.1
answers ``{"multi":true,"response":{}}``, 28 bytes).

Otherwise the dashboard is read. The data service keys its cached panels by the data version,
so the read hands back the new figures (unless a panel was recomputed less than a second ago
under a stream of writes: then only ``STORE_VERSION`` moves and the next tick renders). "Refresh
now" and a range change always render. Data older than ``MAX_AGE_SECONDS`` is rendered again
even when no version moved, because rolling 24 h figures and "12 min ago" slide with time
alone. ``STORE_AS_OF`` is the time of the oldest panel shown: "updated N s ago" is its age.

When Redis is down the data service hands back its last good data marked stale (or raises
``DataUnavailable`` if it never read any); the page keeps those numbers and shows the banner.
"""

from __future__ import annotations

from datetime import datetime

from dash import Dash, Input, Output, State, ctx, no_update

from components import appointments, header, hero_metrics, ids, performance_chart, view_state
from components import formatting as fmt
from services.container import UNAVAILABLE, Services
from services.dashboard_models import DashboardData
from services.range_spec import RangeSpec

MAX_AGE_SECONDS = 60
UNAVAILABLE_KEY = "unavailable"
OUTPUTS = (
    Output(ids.STORE_VERSION, "data"), Output(ids.STORE_RENDERED, "data"),
    Output(ids.STORE_AS_OF, "data"),
    Output(ids.STALE_BANNER, "is_open"), Output(ids.STALE_BANNER, "children"),
    Output(ids.EMPTY_STATE, "is_open"), Output(ids.HERO, "children"),
    Output(ids.CHARTS_FRESHNESS, "children"),
    *(Output(graph_id, "figure") for graph_id, _, _ in performance_chart.GRAPHS),
    Output(ids.APPOINTMENTS, "children"), Output(ids.RANGE_LABEL, "children"),
)
NO_CHANGE = (no_update,) * len(OUTPUTS)


def shown_key(data: DashboardData | None, range_key: str = "24h") -> str:
    """What the cards and graphs show, as stored in ``STORE_RENDERED``: the data version and
    the range, marked when the data is stale, so that going stale and recovering both count
    as changes, and a range the page asks for but does not show yet is rendered."""
    if data is None:
        return UNAVAILABLE_KEY
    if data.stale:
        return f"stale:{data.stale_since}:{data.version}@{range_key}"
    return f"{data.version}@{range_key}"


def too_old(as_of: str | None, now: datetime) -> bool:
    moment = fmt.parse_time(as_of)
    return moment is None or (now - moment).total_seconds() >= MAX_AGE_SECONDS


def charts_freshness(data: DashboardData | None, timezone: str) -> str:
    if data is None:
        return ""
    times = [fmt.clock_time(data.freshness[k], timezone)
             for k in ("distributions", "trends") if data.freshness.get(k)]
    return f"as of {min(times)}" if times else ""


def window_label(data: DashboardData | None) -> str:
    return data.window.label if data is not None and data.window else "last 24 h"


def render(data: DashboardData, range_: str, timezone: str, seen, *,
           new_range: bool = False, kept_days: int = 8) -> tuple:
    """Every output of the loop for ``data``. Graphs get patches that keep the user's zoom,
    except after a range change, which starts the graphs afresh."""
    stale_open, stale_text = header.stale_banner(data, timezone)
    figs = performance_chart.build_figures(data, timezone, range_)
    graphs = (figs[graph_id] for graph_id, _, _ in performance_chart.GRAPHS)
    label = window_label(data)
    return (
        seen, shown_key(data, range_), data.as_of, stale_open, stale_text,
        header.is_empty(data),
        hero_metrics.build_hero(data.hero, data.total_conversations, label),
        charts_freshness(data, timezone),
        *(fig if new_range else performance_chart.figure_patch(fig) for fig in graphs),
        appointments.build_body(data.appointments, timezone),
        view_state.range_label(label, kept_days),
    )


def render_unavailable(shown: str | None, as_of: str | None, range_: str,
                       timezone: str) -> tuple:
    """Nothing could be read: keep whatever the page shows and say so; a page that never had
    data gets the "no data yet" cards and empty charts."""
    had_data = shown not in (None, UNAVAILABLE_KEY)
    banner = header.unavailable_banner(as_of if had_data else None, timezone)
    if had_data:
        return (no_update, UNAVAILABLE_KEY, no_update, True, banner,
                *(no_update,) * (len(OUTPUTS) - 5))
    figs = performance_chart.build_figures(None, timezone, range_)
    return (
        no_update, UNAVAILABLE_KEY, no_update, True, banner, False,
        hero_metrics.build_hero(None, None), "",
        *(figs[graph_id] for graph_id, _, _ in performance_chart.GRAPHS),
        appointments.build_body(None, timezone), "",
    )


def read_dashboard(services: Services, spec: RangeSpec) -> DashboardData | None:
    try:
        return services.data.dashboard(spec)
    except UNAVAILABLE:
        return None


def refresh_outputs(services: Services, trigger: str | None, visible: bool | None,
                    range_: dict | None, seen: str | None, shown: str | None,
                    as_of: str | None) -> tuple:
    """The loop's outputs for one trigger (``ctx.triggered_id``). ``seen`` is the live version
    the page last saw, ``shown``/``as_of`` describe what its cards and graphs show."""
    if trigger == ids.STORE_VISIBLE and visible is False:
        return NO_CHANGE
    as_of = as_of if isinstance(as_of, str) else None  # stored state comes from the browser
    forced = trigger in (ids.REFRESH_NOW, ids.STORE_RANGE)
    aged = too_old(as_of, services.data.clock())
    spec = view_state.range_spec(range_)
    try:
        live = services.data.version()
    except UNAVAILABLE:
        live = None  # the dashboard read below says whether there is stale data to keep
    if (not forced and not aged and live is not None and live == seen
            and shown == f"{live}@{spec.key}"):
        return NO_CHANGE
    new_seen = live if live is not None and live != seen else no_update
    data = read_dashboard(services, spec)
    timezone = services.settings.timezone
    fresh_again = aged and data is not None and not data.stale and data.as_of != as_of
    if not forced and shown_key(data, spec.key) == shown and not fresh_again:
        # Nothing new for the cards and graphs (same data, still down, or the cache not yet
        # caught up); the table follows the live version.
        return (new_seen, *NO_CHANGE[1:])
    if data is None:
        return render_unavailable(shown, as_of, spec.key, timezone)
    return render(data, spec.key, timezone, new_seen, new_range=trigger == ids.STORE_RANGE,
                  kept_days=services.settings.bucket_retention_seconds // 86400)


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(
        *OUTPUTS,
        Input(ids.REFRESH_INTERVAL, "n_intervals"), Input(ids.REFRESH_NOW, "n_clicks"),
        Input(ids.STORE_VISIBLE, "data"), Input(ids.STORE_RANGE, "data"),
        State(ids.STORE_VERSION, "data"), State(ids.STORE_RENDERED, "data"),
        State(ids.STORE_AS_OF, "data"),
        prevent_initial_call=True,
    )
    def refresh(_ticks, _clicks, visible, range_, seen, shown, as_of):
        # Triggers that arrive together (a tick and a range change) are one call: the one
        # that must render wins.
        fired = {prop.split(".")[0] for prop in ctx.triggered_prop_ids}
        trigger = next((t for t in (ids.STORE_RANGE, ids.REFRESH_NOW) if t in fired),
                       ctx.triggered_id)
        return refresh_outputs(services, trigger, visible, range_, seen, shown, as_of)
