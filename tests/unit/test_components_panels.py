"""Panel builders and callback functions, called directly with hand-made data (no browser)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import plotly.graph_objects as go
import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

from components import (
    conversation_detail,
    conversations_table,
    header,
    hero_metrics,
    ids,
    layout,
    performance_chart,
    refresh,
)
from components import formatting as fmt
from core.settings import Settings
from services.csv_export import csv_lines
from services.dashboard_models import (
    ConversationQuery,
    ConversationRow,
    ConversationsPage,
    DashboardData,
    Distribution,
    Hero,
    Kpi,
    ResponseTimeKpi,
    TimeSeries,
)
from services.interface import DataUnavailable
from tests.helpers import by_id, texts

NOW = datetime(2026, 3, 2, 18, 42, tzinfo=UTC)
NOW_ISO = NOW.isoformat()
TZ = "America/Los_Angeles"


def sample_data(version: str = "v1", **changes) -> DashboardData:
    buckets = [(NOW - timedelta(hours=h)).replace(minute=0, second=0).isoformat()
               for h in range(3, -1, -1)]
    hero = Hero(
        active_conversations=Kpi(23, 5, 18), qualification_rate=Kpi(0.356, -0.02, 0.376),
        hot_leads=Kpi(16, 0, 16),
        response_time_ms=ResponseTimeKpi(p50=840.0, p95=2100.0, p99=3000.0, samples=176,
                                         delta=-120.0, previous_p50=960.0),
        pipeline_value=Kpi(9_760_000, None, None, "no history kept"),
        commission_potential=Kpi(585_600), appointments_booked=Kpi(8, 2, 6),
        opt_out_rate=Kpi(0.15, 0.05, 0.10))
    data = DashboardData(
        as_of=NOW.isoformat(), stale=False, stale_since=None, version=version, range="24h",
        total_conversations=45, hero=hero, by_temperature={"hot": 16, "warm": 15, "cold": 14},
        by_stage={"new": 2, "offer": 8},
        funnel=Distribution(["new", "condition", "booked"], [45, 38, 8]),
        distributions={
            "price": Distribution(["under $100k", "$100k-200k", "unknown"], [1, 3, 2]),
            "timeline": Distribution(["6+ months", "0-30 days", "unknown"], [1, 4, 2]),
            "motivation": Distribution(["divorce", "other", "medical"], [3, 5, 0])},
        messages=TimeSeries(buckets, {"inbound": [1, 2, 0, 4], "outbound": [1, 2, 0, 4],
                                      "new_conversations": [1, 0, 0, 1]}),
        response_times=TimeSeries(buckets, {"p50": [800, None, None, 900],
                                             "p95": [2000, None, None, 2200],
                                             "samples": [1, 0, 0, 4]}),
        freshness={"kpis": NOW.isoformat(), "distributions": NOW.isoformat(),
                   "trends": NOW.isoformat()})
    return replace(data, **changes)


class FakeServices:
    """Stands in for services.interface.Services; counts calls so tests can prove a tick was
    cheap, and records the commands."""

    def __init__(self, data: DashboardData | Exception, version: str | Exception = "v1",
                 page: ConversationsPage | None = None, detail: dict | None = None) -> None:
        self.data, self._version, self.page, self._detail = data, version, page, detail
        self.settings = Settings()
        self.calls: Counter = Counter()
        self.queries: list[ConversationQuery] = []
        self.paused: list[tuple[str, str, bool]] = []

    def clock(self) -> datetime:
        return NOW

    def version(self, locations=()) -> str:
        self.calls["version"] += 1
        if isinstance(self._version, Exception):
            raise self._version
        return self._version

    def dashboard(self, range_="24h", locations=()) -> DashboardData:
        self.calls["dashboard"] += 1
        if isinstance(self.data, Exception):
            raise self.data
        return replace(self.data, range=getattr(range_, "name", range_))

    def conversations(self, query: ConversationQuery) -> ConversationsPage:
        self.calls["conversations"] += 1
        self.queries.append(query)
        return replace(self.page, page=query.page)

    def export_csv(self, query: ConversationQuery) -> str:
        self.queries.append(query)
        return "".join(csv_lines(self.page.rows))

    def detail(self, location_id: str, contact_id: str) -> dict | None:
        return self._detail

    def set_paused(self, location_id: str, contact_id: str, paused: bool) -> dict | None:
        self.paused.append((location_id, contact_id, paused))
        return self._detail


def row(n: int, **changes) -> ConversationRow:
    base = ConversationRow(
        contact_id=f"c{n}", location_id="loc-1", name=f"Seller {n}", phone="(•••) •••-0123",
        stage="offer", temperature="hot", lead_score=80,
        extracted={"address": None, "price_expectation": 412_000, "timeline_days": 30},
        last_activity_at=(NOW - timedelta(minutes=12)).isoformat(), stalled=False,
        paused=False, next_action="Waiting on offer answer")
    return replace(base, **changes)


def page_of(rows: list[ConversationRow], total: int) -> ConversationsPage:
    return ConversationsPage(rows=rows, page=1, page_size=10, total=total,
                             pages=-(-total // 10), as_of=NOW.isoformat())


# -- hero metrics -------------------------------------------------------------------------
ALL_SPECS = (*hero_metrics.PRIMARY, *hero_metrics.SECONDARY, *hero_metrics.TERTIARY)


def test_cmp001_delta_colour_says_better_or_worse_response_time_inverted():
    spec = {s.name: s for s in ALL_SPECS}
    text, tone, verdict = hero_metrics.delta_view(5, spec["active_conversations"])
    assert (text, verdict) == ("▲ +5 vs prev. 24 h", "better") and "text-success" in tone
    text, tone, verdict = hero_metrics.delta_view(-0.02, spec["qualification_rate"])
    assert (text, verdict) == ("▼ −2.0 pts vs prev. 24 h", "worse") and "text-danger" in tone
    # Faster replies are better: a negative change is green.
    text, tone, verdict = hero_metrics.delta_view(-120.0, spec["response_time_ms"])
    assert (text, verdict) == ("▼ −120 ms vs prev. 24 h", "better") and "text-success" in tone
    text, tone, _ = hero_metrics.delta_view(0.05, spec["opt_out_rate"])
    assert "text-danger" in tone
    assert hero_metrics.delta_view(0, spec["hot_leads"])[0] == "no change vs prev. 24 h"
    # A change that rounds to zero is no change: neutral, never red or green.
    text, tone, verdict = hero_metrics.delta_view(0.01, spec["response_time_ms"])
    assert (text, verdict) == ("no change vs prev. 24 h", "") and "text-body-secondary" in tone
    text, tone, verdict = hero_metrics.delta_view(-0.00001, spec["qualification_rate"])
    assert verdict == "" and "text-danger" not in tone
    assert hero_metrics.delta_view(None, spec["hot_leads"], "no history kept")[0] == \
        "no history kept"


def test_cmp002_hero_cards_show_values_and_say_no_data_yet_instead_of_zeros():
    cards = hero_metrics.build_panel(sample_data().hero, 45)
    assert by_id(cards, ids.kpi_value("active_conversations")).children == "23"
    assert by_id(cards, ids.kpi_value("qualification_rate")).children == "35.6%"
    assert by_id(cards, ids.kpi_value("response_time_ms")).children == "840 ms"
    assert by_id(cards, ids.kpi_value("pipeline_value")).children == "$9.8M"
    assert by_id(cards, ids.kpi_delta("pipeline_value")).children == "no history kept"
    assert "p95 2.1 s" in " ".join(texts(cards))
    empty = hero_metrics.build_panel(sample_data().hero, 0)
    values = [by_id(empty, ids.kpi_value(s.name)).children for s in ALL_SPECS]
    assert values == [fmt.NO_DATA] * 12
    no_replies = replace(sample_data().hero, response_time_ms=ResponseTimeKpi(
        p50=None, p95=None, p99=None, samples=0))
    assert by_id(hero_metrics.build_panel(no_replies, 5),
                 ids.kpi_value("response_time_ms")).children == fmt.NO_DATA


# -- figures ------------------------------------------------------------------------------
def test_cmp003_figures_are_valid_with_height_uirevision_and_local_times():
    raw = performance_chart.build_figures(sample_data(), TZ, "7d")
    assert set(raw) == set(ids.GRAPHS)
    figs = {graph_id: go.Figure(fig) for graph_id, fig in raw.items()}  # Plotly validates
    for graph_id, fig in figs.items():
        assert fig.layout.height, graph_id
        assert fig.layout.uirevision, graph_id
    assert figs[ids.GRAPH_MESSAGES].layout.uirevision == "messages-7d:"
    # Buckets are shown in the team's time zone (Plotly would drop the UTC offset).
    assert figs[ids.GRAPH_MESSAGES].data[0].x[-1] == "2026-03-02 10:00"
    # Sample counts are not drawn as milliseconds.
    assert [t.name for t in figs[ids.GRAPH_RESPONSE_TIME].data] == ["p50 (median)", "p95"]
    timeline = figs[ids.GRAPH_TIMELINE].data[0]
    assert list(timeline.x) == ["0–30 days", "6+ months", "unknown"]
    assert list(figs[ids.GRAPH_MOTIVATION].data[0].y) == ["divorce", "other"]  # top: last


def test_cmp004_empty_figures_say_so_instead_of_zero_axes():
    empty = sample_data(
        messages=TimeSeries(["2026-03-02T18:00:00+00:00"], {"inbound": [0]}),
        funnel=Distribution(["new"], [0]), by_temperature={"hot": 0, "warm": 0, "cold": 0})
    figs = performance_chart.build_figures(empty, TZ)
    for graph_id in (ids.GRAPH_MESSAGES, ids.GRAPH_FUNNEL, ids.GRAPH_TEMPERATURE):
        fig = go.Figure(figs[graph_id])
        assert not fig.data and fig.layout.annotations[0].text.startswith("No "), graph_id
    unavailable = performance_chart.build_figures(None, TZ)
    assert all(go.Figure(f).layout.annotations[0].text == performance_chart.UNAVAILABLE
               for f in unavailable.values())


# -- header -------------------------------------------------------------------------------
def test_cmp005_stale_banner_names_both_times_and_clears_when_fresh():
    stale = sample_data(stale=True, stale_since="2026-03-02T18:47:00+00:00")
    assert header.stale_banner(stale, TZ) == (
        True, "Showing data from 10:42 — Redis unreachable since 10:47")
    assert header.stale_banner(sample_data(), TZ) == (False, "")
    assert header.stale_banner(None, TZ) == (True, header.NO_DATA_BANNER)


def test_cmp006_refresh_choices_default_from_settings():
    values = [o["value"] for o in header.refresh_options(30)]
    assert values == ["10", "30", "60", "300", "0"]
    assert [o["label"] for o in header.refresh_options(30)][-1] == "off"
    assert header.refresh_options(1)[0] == {"label": "every 1 s", "value": "1"}


# -- refresh loop -------------------------------------------------------------------------
def tick(svc: FakeServices, seen, shown, *, trigger=ids.REFRESH_INTERVAL, as_of=NOW_ISO,
         range_=None, visible=True, order=None) -> tuple:
    """One call of the loop; a bare version as ``shown`` means "shown for the 24 h range"."""
    if shown and "@" not in shown and shown != refresh.UNAVAILABLE_KEY:
        shown = f"{shown}@24h"
    return refresh.refresh_outputs(svc, trigger, visible, range_, seen, shown, as_of, order)


def test_cmp007_tick_without_change_returns_no_update_after_one_version_read():
    data = FakeServices(sample_data("v7"), version="v7")
    out = tick(data, "v7", "v7")
    assert out == refresh.NO_CHANGE and all(o is no_update for o in out)
    assert len(out) == len(refresh.OUTPUTS)
    assert data.calls == Counter({"version": 1})


def test_cmp008_tick_with_change_orders_every_panel_to_render():
    data = FakeServices(sample_data("v8"), version="v8")
    out = tick(data, "v7", "v7")
    assert out[:3] == ("v8", "v8@24h", NOW.isoformat())
    assert out[3] == {"n": 1, "range": {"range": "24h", "start": None, "end": None},
                      "locations": [], "new_range": False, "unavailable": False, "had_data": False}
    assert len(out) == len(refresh.OUTPUTS)
    assert data.calls == Counter({"version": 1, "dashboard": 1})
    assert tick(data, "v7", "v7", order=out[3])[3]["n"] == 2  # every order is a change
    # Each panel reads the ordered dashboard: the header, no stale banner.
    assert header.banner_outputs(data, out[3], None) == (False, "", False)
    # Graphs get patches that never touch the axis ranges (the user's zoom).
    charts = performance_chart.chart_outputs(data, out[3])
    assert len(charts) == 1 + len(performance_chart.GRAPHS)
    operations = charts[-1].to_plotly_json()["operations"]
    locations = [op["location"] for op in operations]
    assert ["data"] in locations and ["layout", "uirevision"] in locations
    assert ["layout", "xaxis", "gridcolor"] in locations
    assert not [loc for loc in locations if loc[-1] in ("range", "autorange")]
    assert json.loads(to_json_plotly(charts[-1]))  # what Dash sends is plain JSON
    # A range change starts the graphs afresh: whole figures, the new range's uirevision.
    out = tick(data, "v8", "v8", trigger=ids.STORE_RANGE, range_={"range": "7d"})
    assert out[3]["new_range"] is True and out[3]["range"]["range"] == "7d"
    first_graph = performance_chart.chart_outputs(data, out[3])[1]
    assert go.Figure(first_graph).layout.uirevision == "messages-7d:"


def test_cmp009_cached_cards_lagging_move_only_the_table():
    # The live version moved, but the KPI cache still holds the previous figures.
    data = FakeServices(sample_data("v8"), version="v9")
    out = tick(data, "v8", "v8")
    assert out[0] == "v9" and all(o is no_update for o in out[1:])
    # Next tick: the table has seen v9, the cache still lags: nothing to send at all.
    assert tick(data, "v9", "v8") == refresh.NO_CHANGE
    # The cache caught up: the cards and graphs render, the table version stays.
    data.data = sample_data("v9")
    out = tick(data, "v9", "v8")
    assert out[0] is no_update and out[1] == "v9@24h"


def test_cmp010_refresh_now_and_range_always_render_hidden_tab_never():
    for trigger in (ids.REFRESH_NOW, ids.STORE_RANGE):
        data = FakeServices(sample_data("v1"), version="v1")
        out = tick(data, "v1", "v1", trigger=trigger, range_={"range": "7d"})
        assert out[1] == "v1@7d" and data.calls["dashboard"] == 1
    data = FakeServices(sample_data("v2"), version="v2")
    assert tick(data, "v1", "v1", trigger=ids.STORE_VISIBLE, visible=False) == \
        refresh.NO_CHANGE
    assert not data.calls


def test_cmp022_a_range_the_page_asks_for_but_does_not_show_is_rendered_on_a_tick():
    """A tick and a range change can arrive as one call: the range still renders."""
    data = FakeServices(sample_data("v1"), version="v1")
    out = tick(data, "v1", "v1@24h", range_={"range": "7d"})
    assert out[1] == "v1@7d" and data.calls["dashboard"] == 1
    assert tick(data, "v1", "v1@7d", range_={"range": "7d"}) == refresh.NO_CHANGE


def test_cmp011_old_data_is_rendered_again_even_without_a_new_version():
    data = FakeServices(sample_data("v1"), version="v1")
    old = (NOW - timedelta(seconds=refresh.MAX_AGE_SECONDS + 1)).isoformat()
    out = tick(data, "v1", "v1", as_of=old)
    assert out[1] == "v1@24h" and out[2] == NOW.isoformat() and data.calls["dashboard"] == 1
    # ...unless the data service has nothing newer than what is shown.
    assert tick(data, "v1", "v1", as_of=NOW.isoformat()) == refresh.NO_CHANGE


def test_cmp012_redis_down_shows_stale_banner_once_then_recovers():
    stale = sample_data("v1", stale=True, stale_since=NOW.isoformat())
    data = FakeServices(stale, version=DataUnavailable("down"))
    out = tick(data, "v1", "v1")
    assert out[0] is no_update and out[3]["unavailable"] is False
    opened, text, _ = header.banner_outputs(data, out[3], out[2])
    assert opened is True and "Redis unreachable since" in text
    shown = out[1]
    assert shown.startswith("stale:")
    # Still down: the page says so already, nothing is sent again, even as the data ages.
    old = (NOW - timedelta(hours=1)).isoformat()
    assert tick(data, "v1", shown, as_of=old) == refresh.NO_CHANGE
    back = FakeServices(sample_data("v2"), version="v2")
    out = tick(back, "v1", shown)
    assert out[:2] == ("v2", "v2@24h") and header.banner_outputs(back, out[3], out[2])[0] is False


def test_cmp013_nothing_readable_keeps_what_the_page_shows():
    data = FakeServices(DataUnavailable("down"), version=DataUnavailable("down"))
    out = tick(data, "v1", "v1")
    assert out[1] == refresh.UNAVAILABLE_KEY and out[3]["unavailable"] is True
    assert all(o is no_update for o in (out[0], out[2]))
    opened, text, empty = header.banner_outputs(data, out[3], NOW_ISO)
    assert opened is True and text.startswith("Showing data from 10:42") and empty is no_update
    # Cards and graphs stay as they are.
    with pytest.raises(PreventUpdate):
        performance_chart.chart_outputs(data, out[3])
    first_load = tick(data, None, None, trigger=ids.REFRESH_NOW, as_of=None)
    # Not the first-run "no conversations" message; the charts say no data could be read.
    assert header.banner_outputs(data, first_load[3], None) == (True, header.NO_DATA_BANNER,
                                                                False)
    charts = performance_chart.chart_outputs(data, first_load[3])
    assert charts[0] == "" and all(
        go.Figure(f).layout.annotations[0].text == performance_chart.UNAVAILABLE
        for f in charts[1:])


def test_cmp024_a_panel_keeps_what_it_shows_for_anything_but_a_render_order():
    data = FakeServices(sample_data())
    for order in (None, "x", [], 7):
        with pytest.raises(PreventUpdate):
            refresh.ordered_data(data, order)
    # The store went out of reach between the order and the panel's read: keep what is shown.
    gone = FakeServices(DataUnavailable("down"))
    with pytest.raises(PreventUpdate):
        refresh.ordered_data(gone, refresh.render_order(None, refresh.range_spec(None)))
    # A range from the browser that is not one reads the 24 h dashboard.
    order = {**refresh.render_order(None, refresh.range_spec(None)), "range": {"range": 5}}
    assert refresh.ordered_data(data, order).range == "24h"
    assert refresh.render_order({"n": 10**30}, refresh.range_spec(None))["n"] == 1


# -- conversations table --------------------------------------------------------------------
def test_cmp014_query_from_controls():
    query = conversations_table.query_from(
        2, [{"column_id": "price_expectation", "direction": "asc"}], "hot", "all", True, "  maria ")
    assert query == ConversationQuery(page=3, page_size=10, temperature="hot", stage=None,
                                      stalled=True, q="maria", sort="price_expectation",
                                      order="asc")
    default = conversations_table.query_from(None, [], "all", "bogus", None, "")
    assert default == ConversationQuery()
    unsortable = conversations_table.query_from(0, [{"column_id": "name", "direction": "asc"}],
                                                None, None, False, None)
    assert (unsortable.sort, unsortable.order) == ("last_activity", "desc")


def test_cmp015_rows_are_formatted_masked_and_colour_plus_text():
    record = conversations_table.record(
        row(1, phone="+19095550123", stalled=True, paused=True), NOW)
    assert record == {
        "id": "loc-1/c1", "name": "Seller 1", "phone": "(•••) •••-0123",
        "address": "unknown", "stage": "offer · stalled · paused", "temperature": "hot",
        "lead_score": 80, "price_expectation": "$412,000", "timeline_days": "30 days",
        "last_activity": "12 min ago", "next_action": "Waiting on offer answer",
        "location": "loc-1"}
    assert conversations_table.split_row_id(record["id"]) == ("loc-1", "c1")


def test_cmp016_filter_change_goes_back_to_page_1_paging_keeps_the_page():
    data = FakeServices(sample_data(), page=page_of([row(n) for n in range(10)], total=95))
    svc = data
    out = conversations_table.table_outputs(svc, {f"{ids.TABLE}.page_current"}, 4, None,
                                            "all", "all", False, "")
    assert data.queries[-1].page == 5 and out[1] == 10
    assert out[2] is no_update  # the pager already shows page 5
    assert out[3] == "95 conversations · showing 41–50 · page 5 of 10"
    out = conversations_table.table_outputs(svc, {f"{ids.FILTER_TEMPERATURE}.value"}, 4, None,
                                            "hot", "all", False, "")
    assert data.queries[-1].page == 1 and data.queries[-1].temperature == "hot"
    assert out[2] == 0  # back to page 1
    conversations_table.table_outputs(svc, {f"{ids.STORE_VERSION}.data"}, 4, None, "hot",
                                      "all", False, "")
    assert data.queries[-1].page == 5  # a refresh tick keeps the page


def test_cmp017_empty_states_say_what_to_do():
    svc = FakeServices(sample_data(), page=page_of([], total=0))
    out = conversations_table.table_outputs(svc, set(), 0, None, "all", "all", False, "")
    assert out[0] == [] and out[4] == fmt.EMPTY_STORE
    out = conversations_table.table_outputs(svc, set(), 0, None, "hot", "all", False, "")
    assert out[4] == conversations_table.NO_MATCH


def test_cmp018_export_downloads_the_services_csv_of_the_filtered_rows():
    data = FakeServices(sample_data(), page=page_of([row(1), row(2)], 2))
    download = conversations_table.export_download(data, ConversationQuery(temperature="hot"))
    assert download["filename"] == "conversations-20260302-1842.csv"
    assert download["content"] == "".join(csv_lines([row(1), row(2)]))
    assert data.queries[-1].temperature == "hot"


    class Down(FakeServices):
        def export_csv(self, query: ConversationQuery) -> str:
            raise DataUnavailable("down")

    assert conversations_table.export_download(Down(sample_data()), ConversationQuery()) \
        is no_update


# -- conversation detail ------------------------------------------------------------------
def test_cmp019_detail_shows_fields_score_parts_and_bubbles():
    detail = {
        "name": "Maria", "phone": "+19095550123", "stage": "offer", "temperature": "hot",
        "lead_score": 80, "condition": "major_repairs", "price_expectation": 450_000,
        "motivation": "job_relocation", "timeline_days": 30, "urgency": "high",
        "offer_amount": 338_000, "offer_response": None, "appointment_at": None,
        "commission_potential": 27_000, "paused": False, "stalled": False,
        "score_parts": [{"part": "price_known", "points": 10},
                        {"part": "offer_declined", "points": -10}],
        "transcript": [{"direction": "inbound", "body": "<b>hi</b>", "at": NOW.isoformat()},
                       {"direction": "outbound", "body": "Hello!", "at": NOW.isoformat(),
                        "response_ms": 3.2}],
    }
    body = conversation_detail.build_detail(detail, TZ)
    words = texts(body)
    for expected in ("$450,000", "major repairs", "job relocation", "30 days", "$338,000",
                     "not booked", "+10", "−10", "80 / 100", "<b>hi</b>", "hot"):
        assert expected in words, expected
    assert any("replied in 3.2 ms" in w for w in words)


def test_cmp020_pause_button_flips_what_it_showed():
    svc = FakeServices(sample_data(), detail=None)
    out = conversation_detail.detail_outputs(
        svc, ids.DETAIL_PAUSE, None, {"location_id": "loc-1", "contact_id": "c1",
                                      "paused": False})
    assert svc.paused == [("loc-1", "c1", True)]
    assert out[0] is True and out[2][0].children == conversation_detail.NOT_FOUND
    assert conversation_detail.detail_outputs(svc, ids.DETAIL_PAUSE, None, None) == \
        conversation_detail.NOTHING
    assert conversation_detail.detail_outputs(svc, ids.TABLE, {"row": 0}, None) == \
        conversation_detail.NOTHING
    # A refresh tick reloads the drill-down only while it is open.
    contact = {"location_id": "loc-1", "contact_id": "c1", "paused": True}
    assert conversation_detail.detail_outputs(svc, ids.STORE_VERSION, None, contact,
                                              False) == conversation_detail.NOTHING
    svc._detail = {"name": "Maria", "paused": True, "stage": "offer", "transcript": []}
    reloaded = conversation_detail.detail_outputs(svc, ids.STORE_VERSION, None, contact, True)
    assert reloaded[0] is True and len(svc.paused) == 1  # reading never pauses
    assert reloaded[1] == "Maria" and reloaded[4] == conversation_detail.RESUME_LABEL


# -- layout -------------------------------------------------------------------------------
@pytest.mark.parametrize("state", [
    layout.PageState(sample_data(), page_of([row(1)], 1), NOW, demo=True),
    layout.PageState(None, None, NOW),
    layout.PageState(sample_data(total_conversations=0), page_of([], 0), NOW),
])
def test_cmp021_layout_builds_for_data_no_data_and_first_run(state):
    page = layout.build_page(state, timezone=TZ, refresh_seconds=30)
    for component_id in (ids.REFRESH_INTERVAL, ids.STORE_VERSION, ids.TABLE, ids.HERO,
                         ids.DETAIL, *ids.GRAPHS):
        assert by_id(page, component_id) is not None, component_id
    assert (by_id(page, ids.DEMO_BADGE) is not None) == state.demo
    assert by_id(page, ids.EMPTY_STATE).is_open == (
        state.dashboard is not None and state.dashboard.total_conversations == 0)
    assert by_id(page, ids.STALE_BANNER).is_open == (state.dashboard is None)
    interval = by_id(page, ids.REFRESH_INTERVAL)
    assert (interval.interval, interval.disabled) == (30_000, False)


def test_cmp022_detail_says_how_many_messages_the_transcript_cap_left_out():
    detail = {"stage": "price", "temperature": "cold", "lead_score": 10, "transcript": [],
              "transcript_trimmed": 1204}
    assert "1,204 earlier messages not kept (transcript limit)." in texts(
        conversation_detail.build_detail(detail, "America/Los_Angeles"))
    assert not any("not kept" in text for text in texts(conversation_detail.build_detail(
        {**detail, "transcript_trimmed": 0}, "America/Los_Angeles")))


@pytest.mark.parametrize("row_id", [None, 7, [], {}, "", "loc-1", "/c", "loc 1/c", "l/c/x"])
def test_cmp023_a_row_id_that_is_not_one_opens_nothing(row_id):
    assert conversations_table.split_row_id(row_id) is None
    assert conversations_table.split_row_id("loc-1/c-1") == ("loc-1", "c-1")
