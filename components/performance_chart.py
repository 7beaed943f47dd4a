"""Performance chart: messages and new conversations per hour, bot response time p50/p95 per
hour and the hour x weekday heatmap over the page's range; the qualification funnel,
temperature split, price, timeline and motivation distributions of the conversations stored
now (they cannot follow a range: their titles say "now").

The graphs are drawn again on each render order of the refresh loop (``components.refresh``),
over the page-wide range it names (``components.view_state``). A click on the funnel, a donut
slice or a bar filters the table (``view_state``).

Zoom across refreshes: every figure carries a ``uirevision``, but dash 4.4.1's ``dcc.Graph``
writes the user's zoom into its own ``figure`` prop, so a whole new figure from the server
resets the zoom anyway. A refresh therefore sends ``figure_patch``: new traces and layout, minus
the axis ranges the user controls.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, Patch, dcc, html

from components import figures, ids, refresh
from components import formatting as fmt
from services.dashboard_models import DashboardData
from services.interface import Services
from services.metrics_service import price_labels

DEFAULT_RANGE = "24h"
UNAVAILABLE = "No data could be read yet"
NOW = " · now"  # on panels of the conversations stored now, which no range changes
# Zooming helps on the time series; the distributions need no toolbar.
ZOOMABLE = frozenset({ids.GRAPH_MESSAGES, ids.GRAPH_RESPONSE_TIME})
# Graphs whose marks filter the table when clicked.
CLICKABLE = frozenset({ids.GRAPH_FUNNEL, ids.GRAPH_TEMPERATURE, ids.GRAPH_PRICE,
                       ids.GRAPH_TIMELINE, ids.GRAPH_MOTIVATION})
# (graph id, card title, column width on large screens)
GRAPHS: tuple[tuple[str, str, int], ...] = (
    (ids.GRAPH_MESSAGES, "Messages per hour: inbound, bot replies, new conversations", 8),
    (ids.GRAPH_TEMPERATURE, "Lead temperature" + NOW, 4),
    (ids.GRAPH_RESPONSE_TIME, "Response time per hour (p50 / p95)", 8),
    (ids.GRAPH_FUNNEL, "Qualification funnel" + NOW, 4),
    (ids.GRAPH_PRICE, "Asking price" + NOW, 4),
    (ids.GRAPH_TIMELINE, "Timeline to sell" + NOW, 4),
    (ids.GRAPH_MOTIVATION, "Motivation" + NOW, 4),
    (ids.GRAPH_HEATMAP, "When sellers text: inbound messages by weekday and hour", 12),
)
PRICE_BINS = [code for code, _ in price_labels()]


def build_figures(data: DashboardData | None, timezone: str,
                  range_: str = DEFAULT_RANGE) -> dict[str, figures.Figure]:
    """Every graph's figure, keyed by graph id. Time series are over ``range_``; their
    ``uirevision`` includes the range, so zoom survives refreshes but not a range change."""
    if data is None:
        return {gid: figures.empty_figure(UNAVAILABLE, gid) for gid, _, _ in GRAPHS}
    over_range = f"{range_}:{data.window.start if data.window else ''}"
    return {
        ids.GRAPH_MESSAGES: figures.messages_figure(
            data.messages, timezone, f"messages-{over_range}"),
        ids.GRAPH_RESPONSE_TIME: figures.response_time_figure(
            data.response_times, timezone, f"response-{over_range}"),
        ids.GRAPH_FUNNEL: figures.funnel_figure(data.funnel, "funnel"),
        ids.GRAPH_TEMPERATURE: figures.temperature_figure(data.by_temperature, "temperature"),
        ids.GRAPH_PRICE: figures.price_figure(data.distributions["price"], "price", PRICE_BINS),
        ids.GRAPH_TIMELINE: figures.timeline_figure(data.distributions["timeline"], "timeline"),
        ids.GRAPH_MOTIVATION: figures.motivation_figure(data.distributions["motivation"],
                                                        "motivation"),
        ids.GRAPH_HEATMAP: figures.heatmap_figure(data.heatmap, f"heatmap-{over_range}"),
    }


# Axis properties the user sets by zooming, panning or double-clicking.
USER_AXIS_STATE = frozenset({"range", "autorange"})


def figure_patch(figure: figures.Figure) -> Patch:
    """Turn a drawn graph into ``figure`` while keeping the user's zoom and pan."""
    patch = Patch()
    patch["data"] = figure["data"]
    for key, value in figure["layout"].items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            for name, setting in value.items():
                if name not in USER_AXIS_STATE:
                    patch["layout"][key][name] = setting
        else:
            patch["layout"][key] = value
    return patch


def _graph_card(graph_id: str, title: str, width: int, figure: figures.Figure) -> dbc.Col:
    height = figure["layout"].get("height", figures.HEIGHT)
    graph = dcc.Graph(
        id=graph_id, figure=figure,
        className="chart chart-clickable" if graph_id in CLICKABLE else "chart",
        style={"height": f"{height}px"},
        config={"displaylogo": False, "responsive": True,
                "displayModeBar": "hover" if graph_id in ZOOMABLE else False,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]},
    )
    # The graph is drawn once plotly.js is loaded (assets/dashboard.js: when the card nears the
    # screen); its data is in the text alternative at once, built from the same figure.
    text = html.Div([html.P(f"{title}: the chart's data"), html.Div(id=ids.chart_text(graph_id))],
                    className="visually-hidden")
    return dbc.Col(
        dbc.Card([dbc.CardHeader(title, className="chart-title"),
                  dbc.CardBody([graph, text], className="chart-body")],
                 className="chart-card h-100"),
        xs=12, lg=width)


def build_panel(data: DashboardData | None, timezone: str,
                range_: str = DEFAULT_RANGE) -> html.Section:
    """The charts section: heading with the range selector, then the graph grid."""
    figs = build_figures(data, timezone, range_)
    heading = html.Div([
        html.H2("Performance", className="section-title"),
        html.Span(className="panel-freshness text-body-secondary", id=ids.CHARTS_FRESHNESS),
    ], className="section-heading")
    grid = dbc.Row([_graph_card(gid, title, width, figs[gid]) for gid, title, width in GRAPHS],
                   className="g-3")
    return html.Section([heading, grid], className="charts",
                        **{"aria-label": "Performance charts"})


def charts_freshness(data: DashboardData | None, timezone: str) -> str:
    if data is None:
        return ""
    times = [fmt.clock_time(data.freshness[k], timezone)
             for k in ("distributions", "trends") if data.freshness.get(k)]
    return f"as of {min(times)}" if times else ""


def chart_outputs(services: Services, order: object) -> tuple:
    """(freshness, every graph's figure) for a render order. Graphs get patches that keep the
    user's zoom, except after a range change, which starts the graphs afresh."""
    data = refresh.ordered_data(services, order)
    timezone = services.settings.timezone
    if data is None:
        figs = build_figures(None, timezone)
        return ("", *(figs[graph_id] for graph_id, _, _ in GRAPHS))
    range_key = refresh.range_spec(order.get("range")).key
    figs = build_figures(data, timezone, range_key)
    new_range = order.get("new_range") is True
    return (charts_freshness(data, timezone),
            *(figs[graph_id] if new_range else figure_patch(figs[graph_id])
              for graph_id, _, _ in GRAPHS))


def register_callbacks(app: Dash, services: Services) -> None:
    """The figures on each render order; clientside: each graph's text alternative follows its
    figure (patches included)."""
    @app.callback(
        Output(ids.CHARTS_FRESHNESS, "children"),
        *(Output(graph_id, "figure") for graph_id, _, _ in GRAPHS),
        Input(ids.STORE_DASHBOARD, "data"), prevent_initial_call=True,
    )
    def show_charts(order):
        return chart_outputs(services, order)

    app.clientside_callback(
        ClientsideFunction("sellerbot", "chartTexts"),
        [Output(ids.chart_text(graph_id), "children") for graph_id, _, _ in GRAPHS],
        [Input(graph_id, "figure") for graph_id, _, _ in GRAPHS])
