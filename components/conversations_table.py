"""Active conversations table: server-side paging, sorting and filtering, and CSV export.

The only module that uses ``dash_table.DataTable``. The browser never holds more than one page:
``page_action='custom'`` and ``sort_action='custom'`` hand paging and sorting to the server, and
the filters are explicit controls (temperature, stage, stalled only, needs a person, search)
read by the same callback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dash_table, dcc, html, no_update

from components import formatting as fmt
from components import ids, refresh, view_state
from core.privacy import mask_phone
from services.conversation_view import valid_id
from services.dashboard_models import ConversationQuery, ConversationRow, ConversationsPage
from services.interface import STAGES, TEMPERATURES, DataUnavailable, Services
from services.table.query import MAX_PAGE
from services.table.rows import field_columns

PAGE_SIZE = 10
ALL = "all"  # the filters' "no filter" choice
MAX_SEARCH = 200
NO_MATCH = "No conversations match these filters."
UNAVAILABLE_TEXT = "Conversations cannot be read right now (Redis unreachable); retrying."
# (column id, header): the seller's own columns, then one per extracted field with a column
# (services.table.rows.field_columns, by the field's name), then the last two.
LEADING_COLUMNS = (("name", "Seller"), ("phone", "Phone"), ("address", "Property"),
                   ("stage", "Stage"), ("temperature", "Temperature"), ("lead_score", "Score"))
TRAILING_COLUMNS = (("last_activity", "Last activity"), ("next_action", "Next action"))
LOCATION_COLUMN = ("location", "Location")  # shown while more than one location is in view
# The columns the server sorts by: their ids are the service's sort keys.
SORTABLE_COLUMNS = frozenset({"last_activity", "lead_score", "price_expectation", "stage"})
DEFAULT_SORT = [{"column_id": "last_activity", "direction": "desc"}]
# Text and background per temperature: theme-aware CSS variables (assets/app.css, WCAG AA).
TEMPERATURE_STYLE = {t: (f"var(--sb-{t})", f"var(--sb-{t}-bg)") for t in ("hot", "warm", "cold")}


# -- pure builders ---------------------------------------------------------------------------
def row_id(row: ConversationRow) -> str:
    """Table row id: location and contact (ids cannot contain '/')."""
    return f"{row.location_id}/{row.contact_id}"


def split_row_id(value: object) -> tuple[str, str] | None:
    """(location, contact) of a table row id; None for anything that is not one."""
    if not isinstance(value, str):
        return None
    location_id, _, contact_id = value.partition("/")
    if not valid_id(location_id) or not valid_id(contact_id):
        return None
    return location_id, contact_id


def page_index(value: object) -> int:
    """The table's 0-based page index as sent by the browser (anything else is page 0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return min(max(0, value), MAX_PAGE - 1)


def choice(value: object, allowed: Iterable[str]) -> str | None:
    """``value`` when it is one of ``allowed`` (the filters' values come from the browser)."""
    return value if isinstance(value, str) and value in allowed else None


def columns() -> list[tuple[str, str]]:
    return [*LEADING_COLUMNS, *((f.name, f.label) for f in field_columns()), *TRAILING_COLUMNS]


def record(row: ConversationRow, now: datetime) -> dict:
    """One table row as displayed: formatted, masked, unknowns spelled out."""
    stage = fmt.label(row.stage)
    flags = [flag for flag, on in (("stalled", row.stalled), ("paused", row.paused),
                                   ("needs a person", row.needs_human)) if on]
    return {
        "id": row_id(row),
        "name": row.name or fmt.UNKNOWN,
        "phone": mask_phone(row.phone) or fmt.UNKNOWN,
        "address": fmt.text(row.extracted.get("address")),
        "stage": " · ".join([stage, *flags]),
        "temperature": row.temperature,
        "lead_score": row.lead_score,
        **{f.name: fmt.BY_KIND[f.kind](row.extracted.get(f.name)) for f in field_columns()},
        "last_activity": fmt.ago(row.last_activity_at, now),
        "next_action": row.next_action,
        "location": row.location_name or row.location_id,
    }


def records(rows: Iterable[ConversationRow], now: datetime) -> list[dict]:
    return [record(row, now) for row in rows]


def query_from(page_current: int | None, sort_by: list[dict] | None, temperature: str | None,
               stage: str | None, stalled: bool | None, search: str | None,
               page_size: int = PAGE_SIZE, needs_human: bool | None = False,
               segment: str | None = None, locations: object = None) -> ConversationQuery:
    """The service query for the table's current controls (page_current is 0-based)."""
    sort, order = "last_activity", "desc"
    for item in sort_by if isinstance(sort_by, list) else []:
        key = choice(item.get("column_id"), SORTABLE_COLUMNS) if isinstance(item, dict) else None
        if key:
            sort, order = key, "asc" if item.get("direction") == "asc" else "desc"
            break
    search = search.strip()[:MAX_SEARCH] if isinstance(search, str) else ""
    return ConversationQuery(
        page=page_index(page_current) + 1, page_size=page_size,
        temperature=choice(temperature, TEMPERATURES), stage=choice(stage, STAGES),
        stalled=stalled is True, q=search or None, sort=sort, order=order,
        needs_human=needs_human is True, segment=choice(segment, view_state.SEGMENTS),
        locations=refresh.location_ids(locations))


def has_filters(query: ConversationQuery) -> bool:
    return bool(query.temperature or query.stage or query.stalled or query.q
                or query.needs_human or query.segment)


def segment_chip(page: ConversationsPage | None, query: ConversationQuery) -> tuple[str, str]:
    """(text, class) of the "Showing: <figure>" chip above the table (hidden without one)."""
    if not query.segment:
        return "", "segment-chip d-none"
    count = f" · {page.total:,}" if page is not None else ""
    return (f"Showing: {view_state.segment_title(query.segment)}{count}",
            "segment-chip badge rounded-pill text-bg-primary")


def summary(page: ConversationsPage | None, query: ConversationQuery) -> str:
    if page is None or page.total == 0:
        return ""
    noun = "conversation" if page.total == 1 else "conversations"
    matching = (" matches" if page.total == 1 else " match") if has_filters(query) else ""
    first = (page.page - 1) * page.page_size + 1
    last = first + len(page.rows) - 1
    return (f"{page.total:,} {noun}{matching} · showing {first:,}–{last:,} · "
            f"page {page.page:,} of {max(1, page.pages):,}")


def empty_message(page: ConversationsPage | None, query: ConversationQuery) -> str:
    """What to say when there is nothing to show (and what to do about it)."""
    if page is None:
        return UNAVAILABLE_TEXT
    if page.total:
        return ""
    return NO_MATCH if has_filters(query) else fmt.EMPTY_STORE


def _select(component_id: str, everything: str, values: Iterable[str]) -> list:
    return [html.Label(everything, htmlFor=component_id, className="visually-hidden"),
            dbc.Select(id=component_id, value=ALL, size="sm", className="filter-select",
                       options=[{"label": everything, "value": ALL},
                                *({"label": fmt.label(v), "value": v} for v in values)])]


def build_filters() -> dbc.Row:
    return dbc.Row([
        dbc.Col([html.Label("Search conversations", htmlFor=ids.FILTER_SEARCH,
                            className="visually-hidden"),
                 dbc.Input(id=ids.FILTER_SEARCH, type="search", size="sm", debounce=300,
                           placeholder="Search name, phone or address", autocomplete="off")],
                xs=12, md=4),
        dbc.Col(_select(ids.FILTER_TEMPERATURE, "All temperatures", TEMPERATURES),
                xs=6, md=2),
        dbc.Col(_select(ids.FILTER_STAGE, "All stages", STAGES), xs=6, md=2),
        dbc.Col(dbc.Switch(id=ids.FILTER_STALLED, label="Stalled only", value=False,
                           className="mb-0"), xs="auto", className="d-flex align-items-center"),
        dbc.Col(dbc.Switch(id=ids.FILTER_NEEDS_HUMAN, label="Needs a person", value=False,
                           className="mb-0"), xs="auto", className="d-flex align-items-center"),
        dbc.Col([
            dbc.Button("Clear", id=ids.FILTER_CLEAR, size="sm", color="link",
                       className="me-1"),
            dbc.Button("Export CSV", id=ids.EXPORT_BUTTON, size="sm", color="secondary",
                       outline=True, title="Download every row that matches the filters"),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ], xs="auto", className="ms-auto d-flex align-items-center"),
    ], className="g-2 align-items-center table-filters")


def _style_data_conditional() -> list[dict]:
    styles: list[dict] = [
        {"if": {"state": "active"}, "backgroundColor": "var(--bs-primary-bg-subtle)",
         "border": "1px solid transparent"},
        {"if": {"state": "selected"}, "backgroundColor": "var(--bs-primary-bg-subtle)",
         "border": "1px solid transparent"},
    ]
    for temperature, (color, background) in TEMPERATURE_STYLE.items():
        styles.append({"if": {"column_id": "temperature",
                              "filter_query": f'{{temperature}} = "{temperature}"'},
                       "color": color, "backgroundColor": background, "fontWeight": 600})
    return styles


def table_columns(many_locations: bool) -> list[dict]:
    """The table's columns; the location's name first while several locations are in view."""
    shown = [LOCATION_COLUMN, *columns()] if many_locations else columns()
    return [{"id": c, "name": name} for c, name in shown]


def build_table(data: list[dict], page_count: int,
                many_locations: bool = False) -> dash_table.DataTable:
    # Sorting arrows only on the columns the server can sort by.
    unsortable = [c for c, _ in [LOCATION_COLUMN, *columns()] if c not in SORTABLE_COLUMNS]
    css = [{"selector": f'th[data-dash-column="{c}"] .column-header--sort',
            "rule": "display: none"} for c in unsortable]
    css.append({"selector": "td.dash-cell", "rule": "cursor: pointer"})
    return dash_table.DataTable(
        id=ids.TABLE,
        columns=table_columns(many_locations),
        data=data,
        page_action="custom", page_current=0, page_size=PAGE_SIZE, page_count=page_count,
        sort_action="custom", sort_mode="single", sort_by=DEFAULT_SORT,
        cell_selectable=True, row_selectable=False, editable=False,
        style_as_list_view=True,
        style_table={"overflowX": "auto", "minWidth": "100%"},
        style_cell={"fontFamily": "var(--bs-body-font-family)", "fontSize": "0.875rem",
                    "textAlign": "left", "padding": "0.5rem 0.75rem", "whiteSpace": "nowrap",
                    "backgroundColor": "var(--bs-body-bg)", "color": "var(--bs-body-color)",
                    "borderBottom": "1px solid var(--bs-border-color)"},
        style_header={"fontWeight": 600, "backgroundColor": "var(--bs-tertiary-bg)",
                      "color": "var(--bs-body-color)",
                      "borderTop": "1px solid var(--bs-border-color)",
                      "borderBottom": "2px solid var(--bs-border-color)"},
        style_cell_conditional=[
            {"if": {"column_id": "lead_score"}, "textAlign": "right"},
            *({"if": {"column_id": f.name}, "textAlign": "right"}
              for f in field_columns() if f.kind == "money"),
            {"if": {"column_id": "address"}, "whiteSpace": "normal", "minWidth": "9rem",
             "maxWidth": "15rem"},
            {"if": {"column_id": "next_action"}, "whiteSpace": "normal", "minWidth": "11rem",
             "maxWidth": "16rem"},
        ],
        style_data_conditional=_style_data_conditional(),
        css=css,
    )


def build_panel(page: ConversationsPage | None, now: datetime,
                many_locations: bool = False) -> html.Section:
    """The table section with its filters, as first rendered (page 1, default sort)."""
    query = ConversationQuery()
    data = records(page.rows, now) if page else []
    pages = max(1, page.pages) if page else 1
    return html.Section([
        html.Div([html.H2("Conversations", className="section-title"),
                  html.Span(summary(page, query), id=ids.TABLE_SUMMARY,
                            className="text-body-secondary small")],
                 className="section-heading"),
        dbc.Card(dbc.CardBody([
            build_filters(),
            html.Div([html.Span(id=ids.SEGMENT_CHIP_TEXT),
                      html.Button("×", id=ids.SEGMENT_CLEAR, className="segment-clear",
                                  title="Show all conversations",
                                  **{"aria-label": "Clear this filter"})],
                     id=ids.SEGMENT_CHIP, className="segment-chip d-none"),
            html.Div(build_table(data, pages, many_locations), id=ids.TABLE_WRAP,
                     className=table_wrap_class(page)),
            html.Div(empty_message(page, query), id=ids.TABLE_EMPTY,
                     className="empty-state text-body-secondary"),
        ])),
    ], className="conversations", **{"aria-label": "Conversations"})


def table_wrap_class(page: ConversationsPage | None) -> str:
    """The table hides when there is no row (its bare headers and sort arrows said nothing);
    the empty-state message below it says why instead."""
    hidden = page is not None and not page.rows
    return "table-wrap mt-2 d-none" if hidden else "table-wrap mt-2"


# -- callbacks -------------------------------------------------------------------------------
# The controls a table query is made of besides the page, in ``query_from``'s order.
QUERY_CONTROLS = ((ids.TABLE, "sort_by"), (ids.FILTER_TEMPERATURE, "value"),
                  (ids.FILTER_STAGE, "value"), (ids.FILTER_STALLED, "value"),
                  (ids.FILTER_SEARCH, "value"), (ids.FILTER_NEEDS_HUMAN, "value"),
                  (ids.STORE_SEGMENT, "data"), (ids.STORE_LOCATIONS, "data"))
KEEP_PAGE = frozenset({f"{ids.TABLE}.page_current", f"{ids.STORE_VERSION}.data",
                       f"{ids.REFRESH_NOW}.n_clicks"})


def table_outputs(services: Services, triggered: set[str], page_current: int | None,
                  sort_by: list[dict] | None, temperature: str | None, stage: str | None,
                  stalled: bool | None, search: str | None,
                  needs_human: bool | None = False, segment: str | None = None,
                  locations: object = None) -> tuple:
    """(rows, page count, page index, summary, empty message, table class, chip text, chip
    class) for the table's controls; ``triggered`` holds the prop ids that fired
    (``ctx.triggered_prop_ids``)."""
    # A new filter or sort starts again from page 1; paging and refresh keep the page.
    shown_page = page_index(page_current)
    if triggered - KEEP_PAGE:
        page_current = 0
    query = query_from(page_current, sort_by, temperature, stage, stalled, search,
                       needs_human=needs_human, segment=segment, locations=locations)
    page = load_page(services, query)
    if page is None:  # keep the rows on screen and say why they are not current
        return (no_update, no_update, no_update, no_update, UNAVAILABLE_TEXT, no_update,
                *segment_chip(None, query))
    # The page index is only sent when it moves (filter reset, data shrank): a refresh
    # answering late must not snap the pager back over a click made meanwhile.
    index = page.page - 1
    return (records(page.rows, services.clock()), max(1, page.pages),
            index if index != shown_page else no_update,
            summary(page, query), empty_message(page, query), table_wrap_class(page),
            *segment_chip(page, query))


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(
        Output(ids.TABLE, "data"), Output(ids.TABLE, "page_count"),
        Output(ids.TABLE, "page_current"), Output(ids.TABLE_SUMMARY, "children"),
        Output(ids.TABLE_EMPTY, "children"), Output(ids.TABLE_WRAP, "className"),
        Output(ids.SEGMENT_CHIP_TEXT, "children"), Output(ids.SEGMENT_CHIP, "className"),
        Input(ids.TABLE, "page_current"), *(Input(*control) for control in QUERY_CONTROLS),
        Input(ids.STORE_VERSION, "data"), Input(ids.REFRESH_NOW, "n_clicks"),
        prevent_initial_call=True,
    )
    def update_table(page_current, sort_by, temperature, stage, stalled, search, needs_human,
                     segment, locations, _version, _refresh_now):
        return table_outputs(services, set(ctx.triggered_prop_ids), page_current, sort_by,
                             temperature, stage, stalled, search, needs_human, segment,
                             locations)

    @app.callback(Output(ids.TABLE, "columns"), Input(ids.STORE_LOCATIONS, "data"),
                  prevent_initial_call=True)
    def show_location_column(locations):
        chosen = refresh.location_ids(locations)
        return table_columns(len(chosen) > 1 or (not chosen and len(services.locations()) > 1))

    @app.callback(
        Output(ids.FILTER_STALLED, "value"), Output(ids.FILTER_SEARCH, "value"),
        Output(ids.FILTER_NEEDS_HUMAN, "value"),
        Input(ids.FILTER_CLEAR, "n_clicks"), prevent_initial_call=True,
    )
    def clear_filters(_clicks):
        # Temperature, stage and the figure filter live in the URL: view_state clears them.
        return False, "", False

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Input(ids.EXPORT_BUTTON, "n_clicks"), *(State(*control) for control in QUERY_CONTROLS),
        prevent_initial_call=True,
    )
    def export(_clicks, sort_by, temperature, stage, stalled, search, needs_human, segment,
               locations):
        return export_download(services, query_from(0, sort_by, temperature, stage, stalled,
                                                    search, needs_human=needs_human,
                                                    segment=segment, locations=locations))


def export_download(services: Services, query: ConversationQuery) -> dict:
    """The ``dcc.Download`` payload: every row matching ``query`` as CSV, with full phone
    numbers (E.164) to dial: the page itself is behind the login in production."""
    try:
        text = services.export_csv(query)
    except DataUnavailable:
        return no_update
    stamp = services.clock().strftime("%Y%m%d-%H%M")
    return dcc.send_string(text, filename=f"conversations-{stamp}.csv", type="text/csv")


def load_page(services: Services, query: ConversationQuery) -> ConversationsPage | None:
    """The requested page, or the last one when the data shrank under the user; None when the
    store cannot be read at all."""
    try:
        page = services.conversations(query)
        if page.total and page.page > page.pages:
            page = services.conversations(replace(query, page=page.pages))
    except DataUnavailable:
        return None
    return page
