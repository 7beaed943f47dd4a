"""The first screen sent with the page (components/first_screen.py): data in, HTML out; the
same texts, in the same order, as the components Dash renders; missing data shown as missing;
a view other than the default one gets the header alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from components import first_screen, hero_metrics, ids, layout
from components import formatting as fmt
from components.header import NO_DATA_BANNER, TITLE
from services.dashboard_models import (
    DashboardData,
    Distribution,
    Hero,
    Kpi,
    ResponseTimeKpi,
    TimeSeries,
)

NOW = datetime(2026, 3, 2, 18, 42, tzinfo=UTC)
TZ = "America/Los_Angeles"
OPTIONS = {"timezone": TZ, "refresh_seconds": 30, "kept_days": 8, "replies_sent": True}
KPI_VALUES = [ids.kpi_value(spec.name) for _, specs in hero_metrics.ROWS for spec in specs]


class Page(HTMLParser):
    """An HTML fragment as a browser reads it: its texts (options aside) and its elements."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.kpi_values: list[str] = []
        self._open: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag not in first_screen.VOID:
            self._open.append(attributes.get("class", "") if tag != "option" else "option")

    def handle_endtag(self, tag):
        self._open.pop()

    def handle_data(self, data):
        inside = self._open[-1] if self._open else ""
        if inside == "option":
            return
        self.texts.append(data)
        if "kpi-value" in inside.split():
            self.kpi_values.append(data)


def sample_data(**changes) -> DashboardData:
    """The default view's data as the services hand it over (needs_human and counter-offers
    not in it: missing)."""
    hero = Hero(
        active_conversations=Kpi(23, 5, 18), qualification_rate=Kpi(0.356, -0.02, 0.376),
        hot_leads=Kpi(16, 0, 16),
        response_time_ms=ResponseTimeKpi(p50=840.0, p95=2100.0, p99=3000.0, samples=176,
                                         delta=-120.0, previous_p50=960.0),
        pipeline_value=Kpi(9_760_000, None, None, "no history kept"),
        commission_potential=Kpi(585_600), appointments_booked=Kpi(8, 2, 6),
        opt_out_rate=Kpi(0.15, 0.05, 0.10))
    empty = TimeSeries([], {})
    data = DashboardData(
        as_of=NOW.isoformat(), stale=False, stale_since=None, version="v1", range="24h",
        total_conversations=45, hero=hero, by_temperature={}, by_stage={},
        funnel=Distribution([], []), distributions={}, messages=empty, response_times=empty,
        outbox={"enabled": True, "pending": 0, "dead_letters": 2})
    return replace(data, **changes)


def page_state(dashboard=None) -> layout.PageState:
    return layout.PageState(dashboard=dashboard, conversations=None, now=NOW,
                            locations={"loc-1": "North"})


def drawn_texts(components) -> list[str]:
    """The strings Dash draws from these components, in document order (a closed alert draws
    nothing; a radio group draws its options' labels)."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif isinstance(node, str | int | float):
            if str(node):
                found.append(str(node))
        elif isinstance(node, dbc.RadioItems):
            found.extend(option["label"] for option in node.options)
        elif not (isinstance(node, dbc.Alert) and node.is_open is False):
            walk(getattr(node, "children", None) or [])

    walk(components)
    return found


def dash_kpi_values(components) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif hasattr(node, "children"):
            if getattr(node, "id", None) in KPI_VALUES:
                found.append(node.children)
            walk(node.children or [])

    walk(components)
    return found


@pytest.mark.parametrize("data", [sample_data(), None, sample_data(total_conversations=0),
                                  sample_data(stale=True, stale_since=NOW.isoformat())],
                         ids=["data", "unreadable", "first-run", "stale"])
def test_fs001_the_first_screen_draws_what_dash_draws_first(data):
    markup = first_screen.build_first_screen(page_state(data), **OPTIONS)
    page_header, top = layout.build_first_screen(page_state(data), **OPTIONS)
    page = Page(markup)
    assert page.texts == drawn_texts([page_header, *top])
    assert page.kpi_values == dash_kpi_values(top)
    assert len(page.kpi_values) == sum(len(specs) for _, specs in hero_metrics.ROWS)
    assert markup.startswith(f'<div id="{first_screen.FIRST_SCREEN}">')
    # No ids (Dash's elements carry them) and no label pointing at one.
    assert [attrs["id"] for _, attrs in page.elements if "id" in attrs] == [
        first_screen.FIRST_SCREEN]
    assert not any("for" in attrs for _, attrs in page.elements)


def test_fs002_real_figures_and_missing_ones_shown_as_missing():
    data = sample_data()
    shown = Page(first_screen.build_first_screen(page_state(data), **OPTIONS)).kpi_values
    assert (shown[0], shown[3]) == (fmt.compact(16), fmt.compact(23))
    assert shown[1] == fmt.NO_DATA  # needs_human is not in this data: missing, never a 0
    unreadable = Page(first_screen.build_first_screen(page_state(None), **OPTIONS))
    assert set(unreadable.kpi_values) == {fmt.NO_DATA}
    assert NO_DATA_BANNER in unreadable.texts
    assert not any(ch.isdigit() for value in unreadable.kpi_values for ch in value)


def test_fs003_another_view_gets_the_header_alone():
    page = Page(first_screen.build_first_screen(None, **OPTIONS, demo=True))
    assert TITLE in page.texts and "Demo data" in page.texts
    assert page.kpi_values == [] and not any(tag == "main" for tag, _ in page.elements)


@pytest.mark.parametrize(("query", "default"), [
    ("", True), ("seg=hot_action&stage=new", True), ("range=24h", True),
    ("range=nonsense", True), ("location=", True), ("range=7d", False),
    ("range=custom&start=2026-03-01&end=2026-03-02", False), ("location=north", False),
    ("location=north,south&range=24h", False)])
def test_fs004_which_urls_ask_for_the_default_view(query, default):
    assert first_screen.default_view(query) is default


def test_fs005_to_html_escapes_and_draws_attributes_as_react_does():
    markup = first_screen.to_html(html.Div([
        html.Span("<b>&", title='say "hi"', style={"minHeight": "2px", "color": "red"}),
        html.Img(src="/a.svg", alt="", width=28),
        html.Label("x", htmlFor="y", id="z", n_clicks=0),
        dcc.Store(id="s", data=[1]),
        dbc.Button("Go", color="secondary", outline=True, size="sm"),
        dbc.Select(options=[{"label": "a", "value": "1"}, {"label": "b", "value": "2"}],
                   value="2", size="sm"),
    ], className="c", **{"aria-label": "L"}))
    assert markup == (
        '<div class="c" aria-label="L">'
        '<span style="min-height:2px;color:red" title="say &quot;hi&quot;">&lt;b&gt;&amp;'
        '</span><img alt="" src="/a.svg" width="28"><label>x</label>'
        '<button class="btn btn-outline-secondary btn-sm">Go</button>'
        '<select class="form-select form-select-sm"><option value="" disabled hidden></option>'
        '<option value="1">a</option><option value="2" selected>b</option></select></div>')


@pytest.mark.parametrize("component", [
    dcc.Graph(figure={}), dcc.DatePickerRange(className="range-dates"),
    dbc.Offcanvas("x")])
def test_fs006_what_it_cannot_draw_as_dash_does_is_refused(component):
    with pytest.raises(ValueError, match="first screen"):
        first_screen.to_html(html.Div(component))
