"""The first screen sent with the HTML page: header, banners, range bar and KPI cards as static
markup, so a phone paints the figures before React and Dash's bundles have loaded and run.

Dash renders into ``#react-entry-point`` and React replaces whatever is in it, so the static
copy sits just before it, in ``<div id="first-screen">``. It is built by the same builders as
Dash's page (``layout.build_first_screen``) and rendered to HTML here (``to_html``), without
ids: Dash's elements carry those. ``assets/dashboard.js`` removes it in the frame where Dash's
page appears, and both have the same boxes, so nothing moves.

What it shows is the view Dash's layout opens with: 24 h, all the locations the signed-in user
may see, read through the services at that moment (a panel that cannot be read shows as
missing, as in Dash's page). A URL that asks for another range or for some locations gets the
header alone: Dash opens with the default view and then applies the URL, and figures of a view
other than the one asked for are never the first thing shown. With login on, a signed-out
request gets no first screen (the login redirect answers it anyway). The page carrying it is
never cached by anyone but that browser (``api.assets``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import flask
from dash import Dash
from flask_login import current_user

from components import header, layout, view_state
from services.interface import DataUnavailable, Services

FIRST_SCREEN = "first-screen"
# Dash's first script, @babel/polyfill 7 (core-js 2 and regenerator-runtime), is left out of
# the page: the browsers Dash 4 supports have all of core-js natively, yet core-js 2 still
# swaps in its own Promise, which then runs every callback of the page's start in its long
# tasks. The ``regeneratorRuntime`` Dash's bundles call in their lazy loaders is set by
# dash-bootstrap-components' bundle, which comes before them.
POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\n?')
# Inline scripts of the page, allowed by their hashes (api.security).
INLINE_SCRIPTS = (layout.THEME_SCRIPT,)

VOID = frozenset({"img", "input", "br", "hr", "meta", "link", "source", "wbr"})
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex"}
# Dash's own props, and the ids and the labels' targets (Dash's elements have the ids).
NOT_ATTRIBUTES = frozenset({"children", "id", "htmlFor", "n_clicks", "n_clicks_timestamp",
                            "disable_n_clicks", "key", "loading_state", "setProps"})
# dcc components that draw nothing (state, timers) or nothing while hidden.
INVISIBLE = frozenset({"Store", "Location", "Interval"})
TAG_NAMES = {"MapEl": "map", "ObjectEl": "object"}
CAMEL = re.compile(r"[A-Z]")
# Dash's entry point without its "Loading..." (the first screen is there instead).
EMPTY_ENTRY = '<div id="react-entry-point"></div>'


def _classes(*names: str | None) -> str:
    return " ".join(name for name in names if name)


def _style(style: dict) -> str:
    """React's style object as CSS: ``{"minHeight": "2px"}`` is ``min-height:2px``."""
    return ";".join(f"{CAMEL.sub(lambda m: '-' + m.group(0).lower(), key)}:{value}"
                    for key, value in style.items())


def _tag(name: str, attributes: dict, inner: str = "") -> str:
    parts = [name]
    for key, value in attributes.items():
        if value is None or value is False or key in NOT_ATTRIBUTES:
            continue
        key = ATTRIBUTE_NAMES.get(key, key)
        if value is True:
            parts.append(key)
            continue
        text = _style(value) if key == "style" and isinstance(value, dict) else str(value)
        parts.append(f'{key}="{escape(text)}"')
    opening = f"<{' '.join(parts)}>"
    return opening if name in VOID else f"{opening}{inner}</{name}>"


def _children(props: dict) -> str:
    children = props.get("children")
    if children is None:
        return ""
    if not isinstance(children, list):
        children = [children]
    return "".join(_node(child) for child in children)


def _html(kind: str, props: dict) -> str:
    return _tag(TAG_NAMES.get(kind, kind.lower()), props, _children(props))


def _dbc_col(props: dict) -> str:
    sizes = [f"col-{size}-{props[size]}" for size in ("sm", "md", "lg", "xl", "xxl")
             if props.get(size)]
    sizes.append(f"col-{props['xs']}" if props.get("xs") else "col")
    return _tag("div", {"class": _classes(props.get("className"), *sizes)}, _children(props))


def _dbc_button(props: dict) -> str:
    color = props.get("color") or "primary"
    tone = f"btn-outline-{color}" if props.get("outline") else f"btn-{color}"
    size = f"btn-{props['size']}" if props.get("size") else None
    return _tag("button", {"class": _classes(props.get("className"), "btn", tone, size),
                           "title": props.get("title")}, _children(props))


def _dbc_badge(props: dict) -> str:
    text = f"text-{props['text_color']}" if props.get("text_color") else None
    return _tag("span", {"class": _classes(props.get("className"), "badge", text,
                                           f"bg-{props.get('color') or 'secondary'}"),
                         "title": props.get("title")}, _children(props))


def _dbc_select(props: dict) -> str:
    size = f"form-select-{props['size']}" if props.get("size") else None
    options = ['<option value="" disabled hidden></option>']
    for option in props.get("options") or []:
        selected = " selected" if option["value"] == props.get("value") else ""
        options.append(f'<option value="{escape(str(option["value"]))}"{selected}>'
                       f'{escape(str(option["label"]))}</option>')
    return _tag("select", {"class": _classes(props.get("className"), "form-select", size)},
                "".join(options))


def _dbc_radio_items(props: dict) -> str:
    inline = "form-check-inline" if props.get("inline") else None
    items = []
    for option in props.get("options") or []:
        checked = option["value"] == props.get("value")
        label_class = _classes("form-check-label", props.get("labelClassName"),
                               props.get("labelCheckedClassName") if checked else None)
        items.append(_tag("div", {"class": _classes("form-check", inline)},
                          _tag("input", {"class": _classes("form-check-input",
                                                           props.get("inputClassName")),
                                         "type": "radio", "value": option["value"],
                                         "checked": checked})
                          + _tag("label", {"class": label_class},
                                 escape(str(option["label"])))))
    return _tag("div", {"class": props.get("className")}, "".join(items))


def _dbc_alert(props: dict) -> str:
    if props.get("is_open") is False:
        return ""
    return _tag("div", {"role": "alert",
                        "class": _classes("fade", props.get("className"), "alert",
                                          f"alert-{props.get('color') or 'success'}",
                                          "show")}, _children(props))


def _block(base: str) -> Callable[[dict], str]:
    """A dbc component drawn as one <div> with its Bootstrap class."""
    return lambda props: _tag("div", {"class": _classes(props.get("className"), base)},
                              _children(props))


def _date_picker(props: dict) -> str:
    """dcc.DatePickerRange, hidden (the first screen shows the default range): its outer box
    alone, which still takes its place among the range bar's items."""
    if "d-none" not in (props.get("className") or "").split():
        raise ValueError("the first screen draws a date picker only while it is hidden")
    return '<div class="dash-datepicker"></div>'


DBC: dict[str, Callable[[dict], str]] = {
    "Card": _block("card"), "CardBody": _block("card-body"), "Row": _block("row"),
    "Col": _dbc_col, "Button": _dbc_button, "Badge": _dbc_badge, "Select": _dbc_select,
    "RadioItems": _dbc_radio_items, "Alert": _dbc_alert,
}
# Drawn by chunks that arrive after Dash's first render (nothing until then).
DCC: dict[str, Callable[[dict], str]] = {"DatePickerRange": _date_picker,
                                         "Dropdown": lambda props: ""}


def _node(node) -> str:
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return escape(str(node))
    plain = node.to_plotly_json()
    kind, namespace, props = plain["type"], plain["namespace"], plain["props"]
    if namespace == "dash_html_components":
        return _html(kind, props)
    if namespace == "dash_bootstrap_components" and kind in DBC:
        return DBC[kind](props)
    if namespace == "dash_core_components":
        if kind in INVISIBLE:
            return ""
        if kind in DCC:
            return DCC[kind](props)
    raise ValueError(f"the first screen cannot draw {namespace}.{kind}")


def to_html(component) -> str:
    """A Dash component tree as static HTML, as Dash's renderer draws it, without ids."""
    return _node(component)


def build_first_screen(state: layout.PageState | None, *, timezone: str,
                       refresh_seconds: int, kept_days: int = 8,
                       replies_sent: bool = True, demo: bool = False) -> str:
    """The first screen as HTML: the header, and with ``state`` (the default view's data,
    parts None when they could not be read) the banners, range bar and cards."""
    if state is None:
        inner = to_html(header.build_header(refresh_seconds, demo=demo))
    else:
        page_header, top = layout.build_first_screen(
            state, timezone=timezone, refresh_seconds=refresh_seconds, kept_days=kept_days,
            replies_sent=replies_sent)
        inner = to_html(page_header) + _tag("main", {"class": layout.MAIN_CLASS},
                                            "".join(map(to_html, top)))
    return f'<div id="{FIRST_SCREEN}">{inner}</div>'



def default_view(query: str) -> bool:
    """The URL asks for the view Dash's layout opens with: 24 h, all locations (the table's
    filters aside, which the cards do not follow)."""
    view = view_state.ViewState.from_search(query)
    return view.range == view_state.ViewState.range and not view.locations


def read_state(services: Services, *, demo: bool) -> layout.PageState:
    """The default view's data now, through the services (scoped to the request's user)."""
    try:
        data, locations = services.dashboard("24h"), services.locations()
    except DataUnavailable:
        data, locations = None, {}
    return layout.PageState(dashboard=data, conversations=None, now=services.clock(),
                            demo=demo, locations=locations)


def signed_out() -> bool:
    """Login is on and nobody is signed in on this request."""
    return hasattr(flask.current_app, "login_manager") and not current_user.is_authenticated


def init_first_screen(app: Dash, services: Services, *, demo: bool = False) -> None:
    """Send the first screen with every page Dash serves (``Dash.interpolate_index``), and
    the page's scripts without the polyfill."""
    interpolate = app.interpolate_index
    settings = services.settings

    def interpolate_index(**parts) -> str:
        parts["scripts"] = POLYFILL.sub("", parts["scripts"])
        if not flask.has_request_context() or signed_out():
            return interpolate(**parts)
        state = (read_state(services, demo=demo)
                 if default_view(flask.request.query_string.decode("latin-1")) else None)
        screen = build_first_screen(
            state, timezone=settings.timezone,
            refresh_seconds=settings.refresh_interval_seconds,
            kept_days=settings.bucket_retention_seconds // 86400,
            replies_sent=settings.outbox_enabled, demo=demo)
        return interpolate(**{**parts, "app_entry": screen + EMPTY_ENTRY})

    app.interpolate_index = interpolate_index

