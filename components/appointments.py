"""Appointments panel: today's and the next appointments (time, seller, address, masked phone),
past ones still waiting for their outcome ("record the outcome"), and bookings per day for the
coming week, rendered again on each render order of the refresh loop (``components.refresh``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from components import figures, ids, refresh
from components import formatting as fmt
from services.dashboard_models import Appointment, Appointments
from services.interface import Services

RECORD_OUTCOME = "record the outcome"
UNAVAILABLE = "Appointments cannot be read right now."


def _item(appointment: Appointment, timezone: str) -> html.Li:
    when = fmt.date_time(appointment.at, timezone)
    parts = [
        html.Span(when, className="appt-time"),
        html.Span(appointment.name or fmt.UNKNOWN, className="appt-seller"),
        html.Span(appointment.address or "address unknown",
                  className="appt-address text-body-secondary"),
        html.Span(appointment.phone or fmt.UNKNOWN, className="appt-phone text-body-secondary"),
    ]
    if appointment.past:
        parts.append(dbc.Badge(RECORD_OUTCOME, color="warning", text_color="dark",
                               className="appt-outcome"))
    return html.Li(parts, className="appt-item" + (" appt-past" if appointment.past else ""))


def _group(title: str, items: list[Appointment], total: int, empty: str,
           timezone: str) -> html.Div:
    more = total - len(items)
    body = (html.Ul([_item(a, timezone) for a in items], className="appt-list")
            if items else html.P(empty, className="text-body-secondary small mb-0"))
    heading = f"{title} ({total})" if total else title
    return html.Div([
        html.H3(heading, className="appt-heading"), body,
        html.P(f"and {more} more", className="small text-body-secondary mb-0") if more > 0
        else None,
    ], className="appt-group")


def build_body(panel: Appointments | None, timezone: str) -> list:
    """The panel's contents: lists, then the week's bookings per day."""
    if panel is None:
        return [html.P(UNAVAILABLE, className="text-body-secondary")]
    lists = dbc.Row([
        dbc.Col(_group("Today", panel.today, len(panel.today),
                       "No appointments today.", timezone), xs=12, lg=4),
        dbc.Col(_group("Upcoming", panel.upcoming, panel.upcoming_total,
                       "Nothing booked after today yet.", timezone), xs=12, lg=4),
        dbc.Col(_group("Past, no outcome yet", panel.needs_outcome, panel.needs_outcome_total,
                       "Every past appointment has its outcome.", timezone), xs=12, lg=4),
    ], className="g-3")
    week = dcc.Graph(id=ids.GRAPH_APPOINTMENTS,
                     figure=figures.appointments_figure(panel.per_day, "appointments"),
                     config={"displayModeBar": False, "displaylogo": False,
                             "responsive": True},
                     style={"height": "200px"}, className="chart")
    return [lists, html.H3("Booked per day, coming week", className="appt-heading mt-3"), week]


def build_panel(panel: Appointments | None, timezone: str) -> html.Section:
    return html.Section([
        html.Div(html.H2("Appointments", className="section-title"),
                 className="section-heading"),
        dbc.Card(dbc.CardBody(build_body(panel, timezone), id=ids.APPOINTMENTS)),
    ], className="appointments", **{"aria-label": "Appointments"})


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(Output(ids.APPOINTMENTS, "children"), Input(ids.STORE_DASHBOARD, "data"),
                  prevent_initial_call=True)
    def show_appointments(order):
        data = refresh.ordered_data(services, order)
        return build_body(data.appointments if data else None, services.settings.timezone)
