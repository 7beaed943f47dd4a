"""Issue #14's figures against hand-computed stores: hot leads needing action, segments,
completed-hour changes, ranges, the heatmap, the view in the URL, and the new cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import plotly.graph_objects as go
import pytest
from dash import html, no_update

from components import figures, hero_metrics, ids, view_state
from components import formatting as fmt
from core.keys import LocationKeys
from core.schema import HOUR
from seller_bot.aggregates import (
    Contribution,
    changes_past_hours,
    contribution,
    needs_action,
    segments,
)
from seller_bot.models import Conversation, Message, StageChange, TemperatureChange
from services.dashboard_models import Distribution, Heatmap, Hero, Kpi, ResponseTimeKpi, TimeSeries
from services.metrics_service import heatmap
from services.range_spec import InvalidRange, RangeSpec
from tests.helpers import by_id, texts

T0 = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # a Monday, 9:00 in Los Angeles
KEYS = LocationKeys("loc-1")
TZ = "America/Los_Angeles"


def conversation(stages: list[tuple[str, int]], temps: list[tuple[str, int]],
                 **fields) -> Conversation:
    """A document whose stage and temperature changed at the given minutes after T0."""
    def at(minute: int) -> datetime:
        return T0 + timedelta(minutes=minute)

    return Conversation(
        contact_id="c1", location_id="loc-1", created_at=T0,
        last_activity_at=at(max(m for _, m in stages + temps)),
        stage=stages[-1][0], temperature=temps[-1][0] if temps else "cold",
        stage_history=[StageChange(stage=s, at=at(m)) for s, m in stages],
        temperature_history=[TemperatureChange(temperature=t, at=at(m)) for t, m in temps],
        transcript=[Message(direction="inbound", body="hi", at=T0)], **fields)


def hour_events(part: Contribution, event: str) -> int:
    return sum(v for (key, name), v in part.counters.items()
               if name == event and key.startswith(KEYS.hour(0)[:-1]))


# -- write-time counters ------------------------------------------------------------------
def test_view001_hot_leads_count_only_open_hot_leads_needing_action():
    assert needs_action("offer", "hot") and needs_action("negotiating", "hot")
    for stage in ("qualified", "booked", "declined", "opted_out", "wrong_number", "dead"):
        assert not needs_action(stage, "hot")
    assert not needs_action("offer", "warm")
    # Hot at minute 5 while in "price", qualified at minute 20, booked at 30: needed action
    # from 5 to 20 only, so +1 then -1, and it is not counted now.
    conv = conversation([("new", 0), ("price", 2), ("offer", 10), ("qualified", 20),
                         ("booked", 30)], [("cold", 0), ("hot", 5)],
                        offer_response="accepted")
    part = contribution(conv, KEYS, T0.timestamp() + 3600, 8 * 86400)
    assert part.counters[KEYS.stats, "hot_action"] == 0
    assert part.counters[KEYS.stats, "temp:hot"] == 1
    assert hour_events(part, "hot_action_net") == 0
    minutes = {name: v for (key, name), v in part.counters.items()
               if key == KEYS.minutes(int(T0.timestamp())) and name.startswith("hot_action")}
    assert minutes == {"hot_action_net:05": 1, "hot_action_net:20": -1}
    assert part.counters[KEYS.stats, "offer_response:accepted"] == 1
    still_open = conversation([("new", 0), ("offer", 10)], [("cold", 0), ("hot", 12)])
    part = contribution(still_open, KEYS, T0.timestamp() + 3600, 8 * 86400)
    assert part.counters[KEYS.stats, "hot_action"] == 1
    assert hour_events(part, "hot_action_net") == 1


def test_view002_segments_are_the_sets_behind_each_figure():
    conv = conversation([("new", 0), ("condition", 1), ("price", 2), ("offer", 3),
                         ("declined", 4)], [("warm", 3)], price_expectation=350_000,
                        motivation="divorce", timeline_days=20)
    assert set(segments(conv)) == {
        "funnel:new", "funnel:condition", "funnel:price", "funnel:motivation", "funnel:offer",
        "price:300000", "timeline:0-30 days", "motivation:divorce"}
    open_hot = conversation([("new", 0)], [("hot", 0)])
    assert {"open", "hot_action", "funnel:new", "price:unknown", "timeline:unknown",
            "motivation:unknown"} == set(segments(open_hot))
    part = contribution(open_hot, KEYS, T0.timestamp(), 8 * 86400)
    assert part.entries[KEYS.index("seg:hot_action"), "c1"] == T0.timestamp()


def test_view003_only_changes_to_completed_hours_bump_the_history_version():
    conv = conversation([("new", 0)], [("cold", 0)])
    now = T0.timestamp() + 30 * 60  # still inside T0's hour
    part = contribution(conv, KEYS, now, 8 * 86400)
    assert not changes_past_hours(None, part, KEYS, now)  # a message in the current hour
    assert not changes_past_hours(part, part, KEYS, now + HOUR)  # nothing changed
    later = now + HOUR
    assert changes_past_hours(contribution(conv, KEYS, later, 8 * 86400), None, KEYS, later)


# -- ranges and the heatmap -----------------------------------------------------------------
def test_view004_ranges_cover_the_right_hours():
    now = T0.timestamp() + 1234
    assert RangeSpec.parse("7d").hours(now, TZ) == (T0.timestamp() - 167 * HOUR,
                                                     T0.timestamp())
    custom = RangeSpec.parse("custom", "2026-03-01", "2026-03-01")
    first, last = custom.hours(now, TZ)
    # March 1 in Los Angeles is 08:00 UTC March 1 to 08:00 UTC March 2.
    assert first == datetime(2026, 3, 1, 8, tzinfo=UTC).timestamp()
    assert last == datetime(2026, 3, 2, 7, tzinfo=UTC).timestamp()
    assert custom.label() == "Mar 1"
    for args, parameter in ((("1y",), "range"), (("custom", "x", "2026-03-01"), "start"),
                            (("custom", "2026-03-02", "2026-03-01"), "end"),
                            (("custom", "2026-01-01", "2026-03-01"), "end")):
        with pytest.raises(InvalidRange) as caught:
            RangeSpec.parse(*args)
        assert caught.value.parameter == parameter


def test_view005_heatmap_sums_inbound_by_local_weekday_and_hour():
    buckets = [(T0 + timedelta(hours=h)).isoformat() for h in (0, 1, 24, 6 * 24 + 1)]
    series = TimeSeries(buckets, {"inbound": [3, None, 4, 2], "outbound": [3, 0, 4, 2]})
    grid = heatmap(series, TZ)
    # T0 is Monday 9:00 in Los Angeles: Monday 9, Tuesday 9, and Sunday March 8 11:00 (daylight
    # saving time began that morning: 18:00 UTC is 11:00 PDT, not 10:00).
    assert (grid.counts[0][9], grid.counts[1][9], grid.counts[6][11]) == (3, 4, 2)
    assert sum(map(sum, grid.counts)) == 9
    fig = go.Figure(figures.heatmap_figure(grid, "h"))
    assert fig.data[0].type == "heatmap" and fig.data[0].y[0] == "Mon"
    empty = figures.heatmap_figure(Heatmap(["Mon"], [0], [[0]]), "h")
    assert empty["layout"]["annotations"][0]["text"].startswith("No inbound")


def test_view006_inbound_bars_replies_line_never_hide_each_other():
    series = TimeSeries([T0.isoformat()], {"inbound": [2], "outbound": [2],
                                           "new_conversations": [1]})
    fig = go.Figure(figures.messages_figure(series, TZ, "m"))
    assert [t.type for t in fig.data] == ["bar", "scatter", "scatter"]
    assert fig.layout.legend.y < 0  # below the plot, clear of the toolbar


def test_view007_appointments_per_day_and_bar_segments():
    fig = figures.appointments_figure(Distribution(["Mon Mar 2", "Tue Mar 3"], [2, 0]), "a")
    assert go.Figure(fig).data[0].y == (2, 0)
    bars = figures.timeline_figure(Distribution(["0-30 days", "unknown"], [3, 1]), "t")
    assert bars["data"][0]["customdata"] == ["timeline:0-30 days", "timeline:unknown"]


# -- the view in the URL ------------------------------------------------------------------
def test_view008_url_round_trip_and_bad_values_fall_back():
    state = view_state.ViewState(range="custom", start="2026-03-01", end="2026-03-02",
                                 segment="funnel:offer", temperature="hot")
    assert view_state.ViewState.from_search(state.to_search()) == state
    assert view_state.ViewState().to_search() == ""
    junk = view_state.ViewState.from_search("?range=1y&seg=evil&stage=nope&temperature=hot")
    assert junk == view_state.ViewState(temperature="hot")


def test_view009_clicks_pick_the_conversations_behind_the_figure():
    click = view_state.click_filter
    assert click(ids.kpi_filter("hot_leads"), 1) == {"segment": "hot_action"}
    assert click(ids.kpi_filter("hot_leads"), None) is None  # re-rendered, not clicked
    assert click(ids.kpi_filter("opt_out_rate"), 2) == {"stage": "opted_out"}
    assert click(ids.GRAPH_FUNNEL, {"points": [{"customdata": "funnel:offer"}]}) == {
        "segment": "funnel:offer"}
    assert click(ids.GRAPH_TEMPERATURE, {"points": [{"label": "hot"}]}) == {
        "temperature": "hot"}
    out = view_state.sync_outputs(ids.GRAPH_PRICE, {"points": [{"customdata": "price:300000"}]},
                                  "?range=7d&temperature=cold", "7d", None, None, "cold",
                                  "all", {"range": "7d", "start": None, "end": None}, None)
    # The range stays, the other filters go: the table lists exactly the bar's sellers.
    assert out[0] == "?range=7d&seg=price%3A300000"
    assert out[5] is no_update and out[6] == "price:300000"
    assert out[7] == "all" and out[8] is no_update  # the stage select already says "all"
    assert view_state.segment_title("price:300000") == "Asking price $300k-400k"
    wait = view_state.sync_outputs(ids.RANGE_SELECT, "custom", "", "custom", None, None,
                                   "all", "all", None, None)
    assert wait[0] is no_update and wait[4] is False  # dates shown, URL unchanged yet
    # A card re-rendered by a refresh (its n_clicks back to 0) is no click: nothing changes.
    assert view_state.sync_outputs(ids.kpi_filter("hot_leads"), 0, "?seg=open", None, None,
                                   None, None, None, None, "open") == (no_update,) * 11


# -- cards --------------------------------------------------------------------------------
def hero(**changes) -> Hero:
    base = Hero(active_conversations=Kpi(5), qualification_rate=Kpi(0.5), hot_leads=Kpi(2, 0),
                response_time_ms=ResponseTimeKpi(0.2, 0.4, 0.5, 10, 0.0, 0.2),
                pipeline_value=Kpi(1), commission_potential=Kpi(1),
                appointments_booked=Kpi(3, None, None, "change shown for the 24 h range only"),
                opt_out_rate=Kpi(0.1), offer_acceptance_rate=Kpi(0.75),
                counter_offers=Kpi(1), needs_human=Kpi(4))
    return Hero(**{**base.__dict__, **changes})


def test_view010_processing_time_said_plainly_speed_to_lead_missing():
    rows = html.Div(hero_metrics.build_hero(hero(), 9, "last 7 days"))
    words = " ".join(texts(rows))
    assert hero_metrics.PROCESSING_TITLE in words and "last 7 days" in words
    speed = by_id(rows, ids.kpi_value("speed_to_lead_ms"))
    assert speed.children == fmt.NO_DATA
    assert by_id(rows, ids.kpi_value("needs_human")).children == "4"
    # Clickable cards carry the id the URL callback listens to.
    assert by_id(rows, ids.kpi_filter("hot_leads")) is not None
    assert by_id(rows, ids.kpi_filter("pipeline_value")) is None


def test_view011_processing_time_says_why_replies_are_not_counted_as_delivered():
    def detail(replies_sent: bool) -> str:
        rows = html.Div(hero_metrics.build_hero(hero(), 9, replies_sent=replies_sent))
        card = by_id(rows, ids.kpi("response_time_ms"))
        return " ".join(texts(card))

    assert hero_metrics.PROCESSING_DETAIL in detail(replies_sent=False)
    sent = detail(replies_sent=True)
    assert hero_metrics.PROCESSING_UNDELIVERED in sent
    assert hero_metrics.PROCESSING_DETAIL not in sent
