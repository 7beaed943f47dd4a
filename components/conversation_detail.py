"""Conversation drill-down: clicking a table row opens an offcanvas with the transcript as chat
bubbles, the extracted fields, the score parts, a pause / resume button (human takeover) that
really pauses the bot, the appointment outcome control and a retry for what GoHighLevel never
accepted: commands of ``services.interface.Services``."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from components import formatting as fmt
from components import ids
from components.conversations_table import split_row_id
from services.conversation_view import detail_fields
from services.interface import APPOINTMENT_OUTCOMES, DataUnavailable, NoAppointment, Services

PAUSE_LABEL = "Pause bot (take over)"
RESUME_LABEL = "Resume bot"
NOT_FOUND = "This conversation no longer exists (expired or deleted)."
UNAVAILABLE_TEXT = "This conversation cannot be read right now (Redis unreachable)."
OUTCOME_LABEL = "Save outcome"
NO_APPOINTMENT = "No appointment yet: nothing to record."
LANGUAGES = {"en": "English", "es": "Spanish"}


# -- pure builders ---------------------------------------------------------------------------
def temperature_badge(temperature: str | None) -> html.Span:
    """Temperature as colour and text."""
    name = temperature or fmt.UNKNOWN
    return html.Span(name, className=f"temp-badge temp-{name}")


def field_lines(detail: dict, timezone: str) -> list[tuple[str, str]]:
    """The drill-down's (label, value) lines: the extracted fields, then the offer and after."""
    offer = fmt.money(detail.get("offer_amount"), "not made yet")
    response = detail.get("offer_response")
    return [
        *((f.label, fmt.BY_KIND[f.kind](detail.get(f.name))) for f in detail_fields()),
        ("Cash offer", offer + (f" ({fmt.label(response)})" if response else "")),
        ("Counter-offer", fmt.money(detail.get("counter_amount"), "none")),
        ("Appointment", fmt.date_time(detail.get("appointment_at"), timezone, "not booked")),
        ("Outcome", fmt.label(detail.get("appointment_outcome"), "not recorded")),
        ("Language", LANGUAGES.get(detail.get("language"), fmt.UNKNOWN)),
        ("Commission potential", fmt.money(detail.get("commission_potential"))),
    ]


def _score_parts(detail: dict) -> html.Table:
    parts = detail.get("score_parts") or []
    rows = [html.Tr([html.Td(fmt.label(p["part"])),
                     html.Td(fmt.signed(p["points"], str(abs(p["points"]))),
                             className="text-end")]) for p in parts]
    if not rows:
        rows = [html.Tr(html.Td("Nothing scored yet", colSpan=2,
                                className="text-body-secondary"))]
    total = html.Tr([html.Th("Lead score"), html.Th(f"{detail.get('lead_score', 0)} / 100",
                                                    className="text-end")])
    return html.Table([html.Tbody(rows), html.Tfoot(total)],
                      className="table table-sm score-parts mb-0")


def _bubble(message: dict, timezone: str) -> html.Div:
    inbound = message.get("direction") == "inbound"
    meta = fmt.date_time(message.get("at"), timezone)
    if not inbound and message.get("response_ms") is not None:
        meta += f" · replied in {fmt.milliseconds(message['response_ms'])}"
    if not inbound and message.get("delivered_ms") is not None:
        meta += f" · delivered in {fmt.milliseconds(message['delivered_ms'])}"
    return html.Div([
        html.Div(message.get("body", ""), className="bubble-text"),
        html.Div(meta, className="bubble-meta"),
    ], className="bubble bubble-in" if inbound else "bubble bubble-out")


def _trimmed_note(count: int | None) -> list:
    """The transcript cap's trace: how many older messages are not kept."""
    if not count:
        return []
    noun = "message" if count == 1 else "messages"
    return [html.P(f"{count:,} earlier {noun} not kept (transcript limit).",
                   className="small text-body-secondary")]


DEAD_KINDS = {"sms": "Reply", "tags_add": "Tags added", "tags_remove": "Tags removed",
              "fields": "Custom fields", "appointment": "Appointment", "contact": "Contact lookup"}


def _dead_letters(detail: dict, timezone: str) -> list:
    """What GoHighLevel never accepted for this seller, each with a retry button."""
    dead = detail.get("dead_letters") or []
    if not dead:
        return []
    items = [html.Li([
        html.Div([html.Strong(DEAD_KINDS.get(d["kind"], d["kind"])),
                  f" · failed {fmt.date_time(d['failed_at'], timezone)}"
                  f" after {d['attempts']} tries"]),
        html.Div(d["data"].get("message") or d["error"], className="small"),
        html.Div(d["error"], className="small text-body-secondary"),
        dbc.Button("Retry", id={"type": ids.DEAD_LETTER_RETRY, "index": d["entry_id"]},
                   size="sm", color="danger", outline=True, className="mt-1"),
    ], className="dead-letter") for d in dead]
    return [html.H3("Not delivered to GoHighLevel", className="detail-heading text-danger"),
            html.Ul(items, className="list-unstyled dead-letters")]


def build_detail(detail: dict, timezone: str) -> list:
    """The offcanvas body for one conversation (the API's detail dict)."""
    status = [
        html.Span(fmt.label(detail.get("stage")), className="badge text-bg-secondary"),
        temperature_badge(detail.get("temperature")),
        html.Span(f"score {detail.get('lead_score', 0)}", className="badge text-bg-light border"),
    ]
    if detail.get("stalled"):
        status.append(html.Span("stalled", className="badge text-bg-warning"))
    if detail.get("paused"):
        status.append(html.Span("paused", className="badge text-bg-dark"))
    if detail.get("needs_human"):
        reason = fmt.label(detail.get("needs_human_reason"))
        status.append(html.Span(f"needs a person: {reason}", className="badge text-bg-danger"))
    phone = detail.get("phone")
    transcript = detail.get("transcript") or []
    return [
        html.Div(status, className="detail-badges"),
        html.Div(html.A(phone, href=f"tel:{phone}") if phone else "phone unknown",
                 className="detail-phone"),
        *_dead_letters(detail, timezone),
        html.H3("Extracted", className="detail-heading"),
        html.Dl([item for name, value in field_lines(detail, timezone)
                 for item in (html.Dt(name), html.Dd(value))], className="detail-fields"),
        html.H3("Score", className="detail-heading"),
        _score_parts(detail),
        html.H3("Transcript", className="detail-heading"),
        *_trimmed_note(detail.get("transcript_trimmed")),
        html.Div([_bubble(m, timezone) for m in transcript] or
                 [html.P("No messages yet.", className="text-body-secondary")],
                 className="transcript"),
    ]


def pause_button_view(paused: bool) -> tuple[str, str, str]:
    """(label, colour, status text) of the takeover button."""
    if paused:
        return (RESUME_LABEL, "success",
                "Paused: the bot records this seller's messages but does not reply.")
    return PAUSE_LABEL, "warning", "The bot is answering this seller."


def build_panel() -> dbc.Offcanvas:
    """The (closed) drill-down; its content is filled when a row is clicked."""
    return dbc.Offcanvas([
        html.Div([
            dbc.Button(PAUSE_LABEL, id=ids.DETAIL_PAUSE, color="warning", size="sm"),
            html.Div(id=ids.DETAIL_STATUS, className="small text-body-secondary"),
        ], className="detail-takeover"),
        html.Div([
            html.Label("Appointment outcome", htmlFor=ids.DETAIL_OUTCOME,
                       className="visually-hidden"),
            dbc.Select(id=ids.DETAIL_OUTCOME, size="sm", placeholder="Appointment outcome",
                       options=[{"label": fmt.label(o), "value": o}
                                for o in APPOINTMENT_OUTCOMES]),
            dbc.Button(OUTCOME_LABEL, id=ids.DETAIL_OUTCOME_SAVE, size="sm",
                       color="primary", outline=True),
        ], className="detail-outcome d-flex gap-2 my-2"),
        html.Div(id=ids.DETAIL_BODY),
    ], id=ids.DETAIL, title=html.Span("Conversation", id=ids.DETAIL_TITLE),
        labelledby=ids.DETAIL_TITLE,  # the dialog is named by the seller shown
        placement="end", is_open=False, scrollable=True, className="detail-offcanvas")


# -- callbacks -------------------------------------------------------------------------------
NOTHING = (no_update,) * 10


def stored_contact(contact: object) -> tuple[str, str] | None:
    """(location, contact) of the open drill-down, from the browser's store; None when the
    stored state is not what this module wrote there."""
    if not isinstance(contact, dict):
        return None
    return split_row_id(f"{contact.get('location_id')}/{contact.get('contact_id')}")


def picked_contact(trigger: str | None, active_cell: object, contact: object,
                   is_open: object) -> tuple[str, str] | None:
    """(location, contact) the trigger is about: the clicked row, or the open drill-down for
    its buttons and for a data change while it is open."""
    if trigger == ids.TABLE:
        return split_row_id(active_cell.get("row_id")) if isinstance(active_cell, dict) \
            else None
    if trigger in (ids.DETAIL_PAUSE, ids.DETAIL_OUTCOME_SAVE) or (
            trigger == ids.STORE_VERSION and is_open is True):
        return stored_contact(contact)
    return None


def run_action(services: Services, trigger: str | None, location_id: str, contact_id: str,
               paused: bool, outcome: object) -> tuple[dict | None, str | None]:
    """The conversation's detail after what the trigger asks (pause / resume, an outcome, or
    nothing: a read), and a note on what was done."""
    if trigger == ids.DETAIL_PAUSE:
        # The button acts on what it showed, so a double click cannot undo itself.
        return services.set_paused(location_id, contact_id, not paused), None
    if trigger == ids.DETAIL_OUTCOME_SAVE and outcome in APPOINTMENT_OUTCOMES:
        try:
            return (services.record_outcome(location_id, contact_id, outcome),
                    f"Outcome recorded: {fmt.label(outcome)}.")
        except NoAppointment:
            return services.detail(location_id, contact_id), NO_APPOINTMENT
    return services.detail(location_id, contact_id), None


def without_detail(title: object, message: str) -> tuple:
    """The drill-down open on a message instead of a conversation, its buttons disabled."""
    return (True, title, [html.P(message)], None, PAUSE_LABEL, "secondary", True, "", None, [])


def detail_outputs(services: Services, trigger: str | None, active_cell: dict | None,
                   contact: dict | None, is_open: bool = False,
                   outcome: str | None = None) -> tuple:
    """Open the drill-down for the clicked row, flip pause / resume or record the appointment
    outcome for the open one, or reload the open one when the data changed (new messages
    appear while it is open)."""
    picked = picked_contact(trigger, active_cell, contact, is_open)
    if picked is None:
        return NOTHING
    location_id, contact_id = picked
    paused_shown = isinstance(contact, dict) and contact.get("paused") is True
    try:
        detail, note = run_action(services, trigger, location_id, contact_id, paused_shown,
                                  outcome)
    except DataUnavailable:
        return without_detail(no_update, UNAVAILABLE_TEXT)
    if detail is None:
        return without_detail("Conversation", NOT_FOUND)
    paused = bool(detail.get("paused"))
    label, color, status = pause_button_view(paused)
    stored = {"location_id": location_id, "contact_id": contact_id, "paused": paused}
    # Clearing the active cell lets the same row be clicked again later.
    return (True, detail.get("name") or "Unknown seller",
            build_detail(detail, services.settings.timezone), stored, label, color, False,
            note or status, None, [])


def retry_outputs(services: Services, trigger: object, clicks: object, contact: object):
    """Queue the clicked dead letter again, then the drill-down's body without it."""
    picked = stored_contact(contact)  # browser state: checked, like every input
    if picked is None or not isinstance(trigger, dict) or not isinstance(clicks, list) \
            or not any(clicks):
        return no_update
    location_id, contact_id = picked
    try:
        services.retry_dead_letter(location_id, contact_id, trigger.get("index"))
        detail = services.detail(location_id, contact_id)
    except DataUnavailable:
        return [html.P(UNAVAILABLE_TEXT)]
    return build_detail(detail, services.settings.timezone) if detail else [html.P(NOT_FOUND)]


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(
        Output(ids.DETAIL, "is_open"), Output(ids.DETAIL_TITLE, "children"),
        Output(ids.DETAIL_BODY, "children"), Output(ids.DETAIL_CONTACT, "data"),
        Output(ids.DETAIL_PAUSE, "children"), Output(ids.DETAIL_PAUSE, "color"),
        Output(ids.DETAIL_PAUSE, "disabled"), Output(ids.DETAIL_STATUS, "children"),
        Output(ids.TABLE, "active_cell"), Output(ids.TABLE, "selected_cells"),
        Input(ids.TABLE, "active_cell"), Input(ids.DETAIL_PAUSE, "n_clicks"),
        Input(ids.STORE_VERSION, "data"), Input(ids.DETAIL_OUTCOME_SAVE, "n_clicks"),
        State(ids.DETAIL_CONTACT, "data"), State(ids.DETAIL, "is_open"),
        State(ids.DETAIL_OUTCOME, "value"),
        prevent_initial_call=True,
    )
    def show(active_cell, _clicks, _version, _saves, contact, is_open, outcome):
        return detail_outputs(services, ctx.triggered_id, active_cell, contact, is_open,
                              outcome)

    @app.callback(
        Output(ids.DETAIL_BODY, "children", allow_duplicate=True),
        Input({"type": ids.DEAD_LETTER_RETRY, "index": ALL}, "n_clicks"),
        State(ids.DETAIL_CONTACT, "data"),
        prevent_initial_call=True,
    )
    def retry_dead_letter(clicks, contact):
        return retry_outputs(services, ctx.triggered_id, clicks, contact)
