"""The refresh loop's trigger: one data-version read per tick, and a render order to the panels
when what they show should change.

Triggers: the auto-refresh interval, "Refresh now", the tab becoming visible again, the
page-wide range (``STORE_RANGE``) and the locations in view (``STORE_LOCATIONS``), both kept
in step with the URL by ``components.view_state``.
The page keeps two versions: ``STORE_VERSION``, the live data version the last tick saw (the
table and the open drill-down reload when it moves), and ``STORE_RENDERED``, the version of
what the cards and graphs show. A tick where both equal the live version returns
``no_update`` for every output: one cheap read on the server and no data sent (dash 4.4.1
answers ``{"multi":true,"response":{}}``, 28 bytes).

Otherwise the dashboard is read. The services key their cached panels by the data version, so
the read hands back the new figures (unless a panel was recomputed less than a second ago under
a stream of writes: then only ``STORE_VERSION`` moves and the next tick renders). "Refresh now"
and a range change always render. Data older than ``MAX_AGE_SECONDS`` is rendered again even
when no version moved, because rolling 24 h figures and "12 min ago" slide with time alone.
``STORE_AS_OF`` is the time of the oldest panel shown: "updated N s ago" is its age.

To render, the trigger writes ``STORE_DASHBOARD``, a small render order (``render_order``):
the range, whether it just changed, and whether nothing could be read. Each panel (header
banners, hero, charts, appointments, the range label) listens to it in its own callback and
reads the dashboard for that range through the services (``ordered_data``): the panels' cache
entries were just read or written by the trigger, so those reads are cheap.

When Redis is down the services hand back the last good data marked stale (or raise
``DataUnavailable`` if this process never read any); the page keeps those numbers and shows the
banner.
"""

from __future__ import annotations

from datetime import datetime

from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from components import formatting as fmt
from components import ids
from services.conversation_view import valid_id
from services.dashboard_models import DashboardData
from services.interface import DataUnavailable, Services
from services.range_spec import InvalidRange, RangeSpec

MAX_AGE_SECONDS = 60
UNAVAILABLE_KEY = "unavailable"
MAX_ORDERS = 2**31  # the render order count starts over (it comes back from the browser)
OUTPUTS = (Output(ids.STORE_VERSION, "data"), Output(ids.STORE_RENDERED, "data"),
           Output(ids.STORE_AS_OF, "data"), Output(ids.STORE_DASHBOARD, "data"))
NO_CHANGE = (no_update,) * len(OUTPUTS)


def location_ids(values: object) -> tuple[str, ...]:
    """The location ids among what the browser sent (a list of ids), sorted, each once."""
    if not isinstance(values, list | tuple):
        return ()
    return tuple(sorted({v for v in values if isinstance(v, str) and valid_id(v)}))


def view_key(spec: RangeSpec, locations: tuple[str, ...] = ()) -> str:
    """The range and the locations a render shows, as one key."""
    return f"{spec.key}@{','.join(locations)}" if locations else spec.key


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


def range_spec(data: object) -> RangeSpec:
    """The RangeSpec of ``STORE_RANGE`` (24 h when missing or invalid)."""
    data = data if isinstance(data, dict) else {}  # browser state: checked
    values = [data.get(name) for name in ("range", "start", "end")]
    if not all(value is None or isinstance(value, str) for value in values):
        return RangeSpec()
    try:
        return RangeSpec.parse(*values)
    except InvalidRange:
        return RangeSpec()


def render_order(previous: object, spec: RangeSpec, *, new_range: bool = False,
                 unavailable: bool = False, had_data: bool = False,
                 locations: tuple[str, ...] = ()) -> dict:
    """What ``STORE_DASHBOARD`` tells the panels: render the dashboard of the range (graphs
    afresh after a range change), or nothing could be read (``had_data``: the page shows
    earlier numbers, keep them). ``n`` counts orders, so every order is a change."""
    count = previous.get("n") if isinstance(previous, dict) else None
    counted = isinstance(count, int) and not isinstance(count, bool) and 0 < count < MAX_ORDERS
    return {"n": count + 1 if counted else 1,
            "range": {"range": spec.name, "start": spec.start and spec.start.isoformat(),
                      "end": spec.end and spec.end.isoformat()},
            "locations": list(locations),
            "new_range": new_range, "unavailable": unavailable, "had_data": had_data}


def ordered_data(services: Services, order: object) -> DashboardData | None:
    """The dashboard a render order asks a panel to show; None when nothing could be read (the
    panel shows its "no data" view). Raises PreventUpdate when the panel keeps what it shows:
    not an order, earlier numbers to keep, or the store went out of reach since the order."""
    if not isinstance(order, dict):
        raise PreventUpdate
    if order.get("unavailable") is True:
        if order.get("had_data") is True:
            raise PreventUpdate
        return None
    try:
        return services.dashboard(range_spec(order.get("range")),
                                  location_ids(order.get("locations")))
    except DataUnavailable:
        raise PreventUpdate from None


def read_dashboard(services: Services, spec: RangeSpec,
                   locations: tuple[str, ...] = ()) -> DashboardData | None:
    try:
        return services.dashboard(spec, locations)
    except DataUnavailable:
        return None


def live_version(services: Services, locations: tuple[str, ...] = ()) -> str | None:
    """The data version now; None when it cannot be read (the dashboard read then says whether
    there is stale data to keep)."""
    try:
        return services.version(locations)
    except DataUnavailable:
        return None


def refresh_outputs(services: Services, trigger: str | None, visible: bool | None,
                    range_: dict | None, seen: str | None, shown: str | None,
                    as_of: str | None, order: object = None, locations: object = None
                    ) -> tuple:
    """The loop's outputs for one trigger (``ctx.triggered_id``). ``seen`` is the live version
    the page last saw, ``shown``/``as_of`` describe what its cards and graphs show, ``order``
    is the last render order, ``locations`` the ones in view (``STORE_LOCATIONS``)."""
    if trigger == ids.STORE_VISIBLE and visible is False:
        return NO_CHANGE
    as_of = as_of if isinstance(as_of, str) else None  # stored state comes from the browser
    forced = trigger in (ids.REFRESH_NOW, ids.STORE_RANGE, ids.STORE_LOCATIONS)
    aged = too_old(as_of, services.clock())
    spec, locations = range_spec(range_), location_ids(locations)
    key = view_key(spec, locations)
    live = live_version(services, locations)
    if not (forced or aged) and live is not None and (seen, shown) == (live, f"{live}@{key}"):
        return NO_CHANGE
    new_seen = live if live is not None and live != seen else no_update
    data = read_dashboard(services, spec, locations)
    fresh_again = aged and data is not None and not data.stale and data.as_of != as_of
    if not forced and shown_key(data, key) == shown and not fresh_again:
        # Nothing new for the cards and graphs (same data, still down, or the cache not yet
        # caught up); the table follows the live version.
        return (new_seen, *NO_CHANGE[1:])
    if data is None:
        had_data = shown not in (None, UNAVAILABLE_KEY)
        return (no_update, UNAVAILABLE_KEY, no_update,
                render_order(order, spec, unavailable=True, had_data=had_data,
                             locations=locations))
    return (new_seen, shown_key(data, key), data.as_of,
            render_order(order, spec, new_range=trigger in (ids.STORE_RANGE,
                                                            ids.STORE_LOCATIONS),
                         locations=locations))


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(
        *OUTPUTS,
        Input(ids.REFRESH_INTERVAL, "n_intervals"), Input(ids.REFRESH_NOW, "n_clicks"),
        Input(ids.STORE_VISIBLE, "data"), Input(ids.STORE_RANGE, "data"),
        Input(ids.STORE_LOCATIONS, "data"),
        State(ids.STORE_VERSION, "data"), State(ids.STORE_RENDERED, "data"),
        State(ids.STORE_AS_OF, "data"), State(ids.STORE_DASHBOARD, "data"),
        prevent_initial_call=True,
    )
    def refresh(_ticks, _clicks, visible, range_, locations, seen, shown, as_of, order):
        # Triggers that arrive together (a tick and a range change) are one call: the one
        # that must render wins.
        fired = {prop.split(".")[0] for prop in ctx.triggered_prop_ids}
        trigger = next((t for t in (ids.STORE_RANGE, ids.STORE_LOCATIONS, ids.REFRESH_NOW)
                        if t in fired), ctx.triggered_id)
        return refresh_outputs(services, trigger, visible, range_, seen, shown, as_of, order,
                               locations)
