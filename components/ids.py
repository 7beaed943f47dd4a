"""Every component id of the dashboard, in one place (tests and callbacks import these)."""

from __future__ import annotations

# -- page-level state --------------------------------------------------------------------
PAGE = "page"
REFRESH_INTERVAL = "refresh-interval"      # dcc.Interval driving auto-refresh
CLOCK_INTERVAL = "clock-interval"          # 1 s clientside tick for "updated N s ago"
STORE_VERSION = "store-version"            # live data version the last refresh tick saw
STORE_RENDERED = "store-rendered"          # data version the cards and graphs show
STORE_AS_OF = "store-as-of"                # ISO time of the data the page shows
STORE_DASHBOARD = "store-dashboard"        # render order to the panels (components.refresh)
STORE_VISIBLE = "store-visible"            # False while the browser tab is hidden
STORE_THEME = "sellerbot-theme"            # "light" | "dark", kept in localStorage
URL = "url"                                # dcc.Location: range and table filter live in it
STORE_RANGE = "store-range"                # {"range", "start", "end"} as in the URL
STORE_SEGMENT = "store-segment"            # the figure the table is filtered to, or None
STORE_LOCATIONS = "store-locations"        # location ids in view as in the URL ([]: all)

# -- header ------------------------------------------------------------------------------
HEADER = "header"
TITLE = "title"
DEMO_BADGE = "demo-badge"
FRESHNESS = "freshness"
REFRESH_SELECT = "refresh-select"
REFRESH_NOW = "refresh-now"
THEME_TOGGLE = "theme-toggle"
STALE_BANNER = "stale-banner"
EMPTY_STATE = "empty-state"
REPLIES_OFF_BANNER = "replies-off-banner"
DEAD_LETTERS_BANNER = "dead-letters-banner"

# -- hero metrics ------------------------------------------------------------------------
HERO = "hero"


def kpi(name: str) -> str:
    """The card of one KPI (``name`` as in ``services.dashboard_models.Hero``)."""
    return f"kpi-{name}"


def kpi_value(name: str) -> str:
    return f"kpi-{name}-value"


def kpi_delta(name: str) -> str:
    return f"kpi-{name}-delta"


KPI_FILTER = "kpi-filter"                  # type of the clickable cards' pattern ids


def kpi_filter(name: str) -> dict:
    """The clickable wrapper of a card whose figure lists its conversations."""
    return {"type": KPI_FILTER, "name": name}


# -- page-wide range ---------------------------------------------------------------------
RANGE_CUSTOM_DATES = "range-custom-dates"
RANGE_LABEL = "range-label"
LOCATION_SELECT = "location-select"        # "All locations" or one or several

# -- appointments ------------------------------------------------------------------------
APPOINTMENTS = "appointments"
GRAPH_APPOINTMENTS = "graph-appointments"

# -- conversations table -----------------------------------------------------------------
TABLE = "conversations-table"
TABLE_SUMMARY = "conversations-summary"
TABLE_EMPTY = "conversations-empty"
FILTER_TEMPERATURE = "filter-temperature"
FILTER_STAGE = "filter-stage"
FILTER_STALLED = "filter-stalled"
FILTER_NEEDS_HUMAN = "filter-needs-human"
FILTER_SEARCH = "filter-search"
FILTER_CLEAR = "filter-clear"
EXPORT_BUTTON = "export-button"
EXPORT_DOWNLOAD = "export-download"
SEGMENT_CHIP = "segment-chip"              # "Showing: hot leads needing action ×"
SEGMENT_CHIP_TEXT = "segment-chip-text"
SEGMENT_CLEAR = "segment-clear"
TABLE_WRAP = "conversations-table-wrap"

# -- performance chart -------------------------------------------------------------------
RANGE_SELECT = "range-select"
CHARTS_FRESHNESS = "charts-freshness"
GRAPH_MESSAGES = "graph-messages"
GRAPH_RESPONSE_TIME = "graph-response-time"
GRAPH_FUNNEL = "graph-funnel"
GRAPH_TEMPERATURE = "graph-temperature"
GRAPH_PRICE = "graph-price"
GRAPH_TIMELINE = "graph-timeline"
GRAPH_MOTIVATION = "graph-motivation"
GRAPH_HEATMAP = "graph-heatmap"
GRAPHS: tuple[str, ...] = (
    GRAPH_MESSAGES, GRAPH_RESPONSE_TIME, GRAPH_FUNNEL, GRAPH_TEMPERATURE, GRAPH_PRICE,
    GRAPH_TIMELINE, GRAPH_MOTIVATION, GRAPH_HEATMAP,
)

# -- conversation detail -----------------------------------------------------------------


def chart_text(graph_id: str) -> str:
    """The visually hidden text alternative (the figure's data) of a graph."""
    return f"{graph_id}-text"


DETAIL = "detail"
DETAIL_BODY = "detail-body"
DETAIL_TITLE = "detail-title"
DETAIL_CONTACT = "detail-contact"          # store: {"location_id", "contact_id"}
DETAIL_PAUSE = "detail-pause"
DETAIL_STATUS = "detail-status"
DETAIL_OUTCOME = "detail-outcome"            # select: how the appointment went
DETAIL_OUTCOME_SAVE = "detail-outcome-save"
DEAD_LETTER_RETRY = "dead-letter-retry"  # pattern-matching: {"type", "index": entry id}
