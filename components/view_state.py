"""What the page shows, in its URL: the page-wide range, the locations and the table's filter.

``?range=7d`` (24h, 7d, 30d, or ``custom&start=YYYY-MM-DD&end=YYYY-MM-DD``) applies to every
panel that can follow a range; ``location=id1,id2`` (none: all locations) to every panel and the
table, its export and drill-down; ``seg=<segment>`` (the conversations behind one figure),
``temperature=`` and ``stage=`` filter the table. A shared link restores the same view; a
location the user may not choose is dropped from it.

One callback keeps the URL and the controls in step, in both directions: a changed URL
(page load, back button) sets the controls; a changed control (range buttons, dates, a click on
a KPI card, a funnel stage, a donut slice or a bar, the table's selects) writes the URL. Both
directions live in one callback because Dash refuses a cycle spread over two. Another one
writes what the range drives next to the range bar, on every render order
(``components.refresh``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from components import formatting as fmt
from components import ids, refresh
from services.dashboard_models import DashboardData
from services.interface import STAGES, TEMPERATURES, Services
from services.metrics_service import price_labels
from services.range_spec import InvalidRange, RangeSpec
from services.table.query import SEGMENTS

RANGES = (("24h", "24 h"), ("7d", "7 days"), ("30d", "30 days"), ("custom", "Custom"))

ALL_VALUES = "all"  # the table selects' "no filter" choice (conversations_table.ALL)
# Cards whose figure is a set of conversations, and the filter that lists them.
CARD_FILTERS: dict[str, dict[str, str]] = {
    "active_conversations": {"segment": "open"},
    "hot_leads": {"segment": "hot_action"},
    "qualification_rate": {"segment": "qualified"},
    "counter_offers": {"segment": "negotiating"},
    "needs_human": {"segment": "needs_human"},
    "opt_out_rate": {"stage": "opted_out"},
}
SEGMENT_TITLES = {"open": "Active conversations", "hot_action": "Hot leads needing action",
                  "qualified": "Qualified (accepted the offer)",
                  "negotiating": "Counter-offers waiting", "needs_human": "Needs a human"}
PRICE_TITLES = dict(price_labels())
CLICK_GRAPHS = (ids.GRAPH_FUNNEL, ids.GRAPH_TEMPERATURE, ids.GRAPH_PRICE, ids.GRAPH_TIMELINE,
                ids.GRAPH_MOTIVATION)


@dataclass(frozen=True)
class ViewState:
    range: str = "24h"
    start: str | None = None
    end: str | None = None
    segment: str | None = None
    temperature: str | None = None
    stage: str | None = None
    locations: tuple[str, ...] = ()  # none: all locations

    @classmethod
    def from_search(cls, search: str | None) -> ViewState:
        """The view a query string asks for; what is not valid falls back to the default."""
        args = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
        state = cls(
            locations=refresh.location_ids(args.get("location", "").split(",")),
            segment=args.get("seg") if args.get("seg") in SEGMENTS else None,
            temperature=args.get("temperature") if args.get("temperature") in TEMPERATURES
            else None,
            stage=args.get("stage") if args.get("stage") in STAGES else None)
        try:
            spec = RangeSpec.parse(args.get("range"), args.get("start"), args.get("end"))
        except InvalidRange:
            return state
        return replace(state, range=spec.name, start=spec.start and spec.start.isoformat(),
                       end=spec.end and spec.end.isoformat())

    def to_search(self) -> str:
        pairs = [("range", self.range)] if self.range != "24h" else []
        if self.range == "custom":
            pairs += [("start", self.start), ("end", self.end)]
        if self.locations:
            pairs.append(("location", ",".join(self.locations)))
        pairs += [(name, value) for name, value in (("seg", self.segment),
                                                    ("temperature", self.temperature),
                                                    ("stage", self.stage)) if value]
        return f"?{urlencode(pairs)}" if pairs else ""

    def range_data(self) -> dict:
        return {"range": self.range, "start": self.start, "end": self.end}


def segment_title(segment: str | None) -> str:
    """What a segment is, in words: "Hot leads needing action", "Asking price $300k-400k"."""
    if not segment:
        return ""
    if segment in SEGMENT_TITLES:
        return SEGMENT_TITLES[segment]
    kind, _, value = segment.partition(":")
    if kind == "funnel":
        return f"Reached {fmt.label(value)}"
    if kind == "price":
        return f"Asking price {PRICE_TITLES.get(value, value)}"
    return f"{kind.capitalize()} {fmt.label(value)}"


def build_location_select(locations: dict[str, str], chosen: tuple[str, ...] = ()
                          ) -> html.Div:
    """"All locations" (nothing chosen) or one or several, by name; hidden when the user can
    see one location only."""
    return html.Div([
        html.Label("Locations", htmlFor=ids.LOCATION_SELECT,
                   className="range-title small text-body-secondary mb-0"),
        dcc.Dropdown(id=ids.LOCATION_SELECT, multi=True, value=list(chosen),
                     placeholder="All locations", clearable=True, searchable=True,
                     options=[{"label": name, "value": loc} for loc, name in locations.items()],
                     className="location-select"),
    ], className="location-bar" if len(locations) > 1 else "location-bar d-none")


def build_range_bar(state: ViewState, today: date, label: str = "",
                    locations: dict[str, str] | None = None) -> html.Div:
    """The page-wide range: buttons, custom dates (shown for "Custom") and what it applies
    to; the location selector beside it."""
    return html.Div([
        html.Span("Range", className="range-title small text-body-secondary"),
        dbc.RadioItems(
            id=ids.RANGE_SELECT, value=state.range, inline=True,
            options=[{"label": text, "value": value} for value, text in RANGES],
            className="btn-group range-select", inputClassName="btn-check",
            labelClassName="btn btn-outline-primary btn-sm", labelCheckedClassName="active"),
        dcc.DatePickerRange(
            id=ids.RANGE_CUSTOM_DATES, start_date=state.start, end_date=state.end,
            max_date_allowed=today.isoformat(), display_format="MMM D", minimum_nights=0,
            clearable=False, number_of_months_shown=1,
            className="range-dates" if state.range == "custom" else "range-dates d-none"),
        html.Span(label, id=ids.RANGE_LABEL, className="range-label small text-body-secondary"),
        build_location_select(locations or {}, state.locations),
    ], className="range-bar", role="group", **{"aria-label": "Time range of the page"})


def window_label(data: DashboardData | None) -> str:
    """The range the data covers, in words ("last 24 h", "Mar 1 - Mar 7")."""
    return data.window.label if data is not None and data.window else "last 24 h"


def range_label(window_label: str | None, kept_days: int) -> str:
    """Which panels the range drives, and which cannot follow it."""
    if not window_label:
        return ""
    return (f"{window_label}: message and response-time charts, heatmap, response time and "
            f"appointments booked · other cards and the splits are now · "
            f"history kept {kept_days} days")


def click_filter(trigger, value) -> dict | None:
    """The table filter a click asks for ({"segment"} or {"temperature"} or {"stage"})."""
    if isinstance(trigger, dict) and trigger.get("type") == ids.KPI_FILTER:
        name = trigger.get("name")
        return CARD_FILTERS.get(name) if value and isinstance(name, str) else None
    if isinstance(trigger, str) and trigger in CLICK_GRAPHS:
        points = value.get("points") if isinstance(value, dict) else None
        if not isinstance(points, list) or not points or not isinstance(points[0], dict):
            return None  # what the browser sent is not a click on a point
        point = points[0]
        if trigger == ids.GRAPH_TEMPERATURE:
            label = point.get("label")
            return {"temperature": label} if isinstance(label, str) \
                and label in TEMPERATURES else None
        custom = point.get("customdata")
        return {"segment": custom} if isinstance(custom, str) and custom in SEGMENTS else None
    return None


RANGE_CONTROLS = (ids.RANGE_SELECT, ids.RANGE_CUSTOM_DATES)
FILTER_RESETS = {ids.SEGMENT_CLEAR: {"segment": None},
                 ids.FILTER_CLEAR: {"segment": None, "temperature": None, "stage": None}}
# Custom range chosen but its dates not complete yet: show the date pickers, change nothing.
WAIT_FOR_DATES = (no_update,) * 4 + (False,) + (no_update,) * 6
NO_CHANGE = (no_update,) * 11


def picked_range(range_value: str | None, start: str | None, end: str | None) -> ViewState:
    """The range the range buttons and dates ask for (invalid: the default)."""
    return ViewState.from_search(
        ViewState(range=range_value or "24h", start=start, end=end).to_search())


def control_view(trigger, value, state: ViewState, range_value: str | None, start: str | None,
                 end: str | None, temperature: str | None, stage: str | None
                 ) -> ViewState | None:
    """The view after a control changed (``value``: what the trigger sent); None when the
    trigger changes nothing."""
    picked = click_filter(trigger, value)
    if picked is not None:
        return replace(state, **{"segment": None, "temperature": None, "stage": None, **picked})
    if isinstance(trigger, str) and trigger in FILTER_RESETS:  # not a pattern id (a dict)
        return replace(state, **FILTER_RESETS[trigger])
    if trigger == ids.FILTER_TEMPERATURE:
        return replace(state, temperature=temperature if temperature in TEMPERATURES else None)
    if trigger == ids.FILTER_STAGE:
        return replace(state, stage=stage if stage in STAGES else None)
    if trigger in RANGE_CONTROLS:
        wanted = picked_range(range_value, start, end)
        return replace(state, range=wanted.range, start=wanted.start, end=wanted.end)
    if trigger == ids.LOCATION_SELECT:
        return replace(state, locations=refresh.location_ids(value))
    return None


def sync_outputs(trigger, triggered_value, search: str | None, range_value: str | None,
                 start: str | None, end: str | None, temperature: str | None,
                 stage: str | None, current_range: dict | None,
                 current_segment: str | None, current_locations: object = None,
                 offered: Callable[[], Collection[str]] = tuple) -> tuple:
    """(url search, range value, start, end, dates hidden, range store, segment store,
    temperature select, stage select, location select, locations store) for one trigger of
    the sync callback; ``offered()`` are the locations the user may choose."""
    # Everything here comes from the browser: anything of the wrong type counts as absent.
    search, range_value, start, end, temperature, stage, current_segment = (
        value if isinstance(value, str) else None
        for value in (search, range_value, start, end, temperature, stage, current_segment))
    current_range = current_range if isinstance(current_range, dict) else None
    state = ViewState.from_search(search)
    if trigger not in (None, ids.URL):
        if (trigger in RANGE_CONTROLS and range_value == "custom"
                and picked_range(range_value, start, end).range != "custom"):
            return WAIT_FOR_DATES
        state = control_view(trigger, triggered_value, state, range_value, start, end,
                             temperature, stage)
        if state is None:
            return NO_CHANGE
    if state.locations:
        allowed = offered()
        state = replace(state, locations=tuple(loc for loc in state.locations
                                               if loc in allowed))
    shown_locations = list(state.locations)

    def changed(new, old):  # an unchanged value is not sent: it would reload the table
        return new if new != old else no_update

    return (
        changed(state.to_search(), search or ""),
        state.range, state.start, state.end, state.range != "custom",
        changed(state.range_data(), current_range), changed(state.segment, current_segment),
        changed(state.temperature or ALL_VALUES, temperature or ALL_VALUES),
        changed(state.stage or ALL_VALUES, stage or ALL_VALUES),
        changed(shown_locations, current_locations), changed(shown_locations, current_locations),
    )


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(
        Output(ids.URL, "search"), Output(ids.RANGE_SELECT, "value"),
        Output(ids.RANGE_CUSTOM_DATES, "start_date"), Output(ids.RANGE_CUSTOM_DATES, "end_date"),
        Output(ids.RANGE_CUSTOM_DATES, "className"),
        Output(ids.STORE_RANGE, "data"), Output(ids.STORE_SEGMENT, "data"),
        Output(ids.FILTER_TEMPERATURE, "value"), Output(ids.FILTER_STAGE, "value"),
        Output(ids.LOCATION_SELECT, "value"), Output(ids.STORE_LOCATIONS, "data"),
        Input(ids.URL, "search"), Input(ids.RANGE_SELECT, "value"),
        Input(ids.RANGE_CUSTOM_DATES, "start_date"), Input(ids.RANGE_CUSTOM_DATES, "end_date"),
        Input({"type": ids.KPI_FILTER, "name": ALL}, "n_clicks"),
        *(Input(graph_id, "clickData") for graph_id in CLICK_GRAPHS),
        Input(ids.SEGMENT_CLEAR, "n_clicks"), Input(ids.FILTER_CLEAR, "n_clicks"),
        Input(ids.FILTER_TEMPERATURE, "value"), Input(ids.FILTER_STAGE, "value"),
        Input(ids.LOCATION_SELECT, "value"),
        State(ids.STORE_RANGE, "data"), State(ids.STORE_SEGMENT, "data"),
        State(ids.STORE_LOCATIONS, "data"),
    )
    def sync(search, range_value, start, end, _cards, *rest):
        (_segment_clear, _filter_clear, temperature, stage, _locations, current_range,
         segment, current_locations) = rest[len(CLICK_GRAPHS):]
        trigger = ctx.triggered_id
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        out = sync_outputs(trigger, value, search, range_value, start, end, temperature, stage,
                           current_range, segment, current_locations, services.locations)
        hidden = out[4]
        return (*out[:4], "range-dates d-none" if hidden is True else
                "range-dates" if hidden is False else no_update, *out[5:])

    @app.callback(Output(ids.RANGE_LABEL, "children"), Input(ids.STORE_DASHBOARD, "data"),
                  prevent_initial_call=True)
    def show_range_label(order):
        data = refresh.ordered_data(services, order)
        kept_days = services.settings.bucket_retention_seconds // 86400
        return range_label(window_label(data), kept_days) if data is not None else ""
