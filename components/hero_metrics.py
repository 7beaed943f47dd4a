"""Hero metrics: the KPI cards, in order of what the team acts on: hot leads needing action,
conversations needing a human, counter-offers waiting, active conversations; response time and
speed to lead, qualification and offer acceptance rates; appointments booked, pipeline value,
commission potential, opt-out rate. Cards whose figure is a set of conversations are buttons:
a click lists exactly those conversations in the table (``components.view_state``).

The cards are rendered again on each render order of the refresh loop (``components.refresh``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html

from components import formatting as fmt
from components import ids, refresh, view_state
from services.dashboard_models import Hero, Kpi, ResponseTimeKpi
from services.interface import Services


@dataclass(frozen=True)
class KpiSpec:
    name: str                                # attribute of Hero
    title: str
    value: Callable[[float | int], str]      # the figure
    delta: Callable[[float | int], str]      # the magnitude of its change
    higher_is_better: bool = True
    hint: str = ""
    detail: str = ""                         # what the figure counts, under it


def _count(value: float | int) -> str:
    return fmt.compact(value)


def _points(value: float | int) -> str:
    return f"{abs(value) * 100:.1f} pts"


def _magnitude(figure: Callable[[float | int], str]) -> Callable[[float | int], str]:
    """The size of a change in the figure's format (the arrow says its direction)."""
    return lambda value: figure(abs(value))


_money = _magnitude(fmt.money_compact)
_ms = _magnitude(fmt.milliseconds)
_count_delta = _magnitude(_count)


PRIMARY: tuple[KpiSpec, ...] = (
    KpiSpec("hot_leads", "Hot leads needing action", _count, _count_delta,
            hint="Lead score 75+, still open: not qualified, booked, declined or opted out",
            detail="hot and still open"),
    KpiSpec("needs_human", "Needs a human", _count, _count_delta,
            hint="Conversations the bot flagged for a person to take over",
            detail="flagged for a person"),
    KpiSpec("counter_offers", "Counter-offers waiting", _count, _count_delta,
            hint="Sellers who answered the cash offer with a price of their own",
            detail="seller named a price"),
    KpiSpec("active_conversations", "Active conversations", _count, _count_delta,
            hint="Open conversations: not booked, declined or opted out",
            detail="not booked, declined or opted out"),
)
SECONDARY: tuple[KpiSpec, ...] = (
    KpiSpec("response_time_ms", "Response time", fmt.milliseconds, _ms,
            higher_is_better=False,
            hint="Seller's text arriving to the reply accepted by GoHighLevel (median)"),
    KpiSpec("speed_to_lead_ms", "Speed to lead", fmt.milliseconds, _ms,
            higher_is_better=False, hint="A new seller's first text to the first reply (median)",
            detail="first text to first reply"),
    KpiSpec("qualification_rate", "Qualification rate", fmt.percent, _points,
            hint="Share of conversations whose seller accepted the cash offer",
            detail="accepted the cash offer"),
    KpiSpec("offer_acceptance_rate", "Offer acceptance", fmt.percent, _points,
            hint="Accepted offers / offers answered (accepted or declined)",
            detail="of offers answered"),
)
TERTIARY: tuple[KpiSpec, ...] = (
    KpiSpec("appointments_booked", "Appointments booked", _count, _count_delta),
    KpiSpec("pipeline_value", "Pipeline value", fmt.money_compact, _money,
            hint="Asking prices of hot, qualified and booked leads",
            detail="hot, qualified and booked leads"),
    KpiSpec("commission_potential", "Commission potential", fmt.money_compact, _money,
            hint="Pipeline value × commission rate", detail="pipeline × commission rate"),
    KpiSpec("opt_out_rate", "Opt-out rate", fmt.percent, _points, higher_is_better=False,
            hint="Share of conversations that texted STOP", detail="texted STOP"),
)
ROWS = (("kpi-primary", PRIMARY), ("kpi-secondary", SECONDARY), ("kpi-tertiary", TERTIARY))
PROCESSING_TITLE = "Bot processing time"
PROCESSING_DETAIL = "processing only: replies are not sent through GoHighLevel yet"
# Replies go out, but none was accepted by GoHighLevel in the hours shown (a seeded store).
PROCESSING_UNDELIVERED = "processing only: no reply accepted by GoHighLevel in these hours"
DELTA_SUFFIX = " vs prev. 24 h"


def delta_view(delta: float | int | None, spec: KpiSpec,
               note: str | None = None) -> tuple[str, str, str]:
    """(text, css class, verdict) of a change: colour says better or worse, the arrow says
    up or down, so neither depends on colour alone. ``note`` says why there is no delta."""
    if delta is None:
        return note or "no earlier data to compare", "kpi-delta kpi-note text-body-secondary", ""
    if delta == 0 or not any(ch in "123456789" for ch in spec.delta(delta)):
        # +0.0 ms is no change: neutral, never red or green.
        return f"no change{DELTA_SUFFIX}", "kpi-delta text-body-secondary", ""
    better = (delta > 0) == spec.higher_is_better
    arrow = "▲" if delta > 0 else "▼"
    text = f"{arrow} {fmt.signed(delta, spec.delta(delta))}{DELTA_SUFFIX}"
    tone = "kpi-delta kpi-better text-success" if better else "kpi-delta kpi-worse text-danger"
    return text, tone, "better" if better else "worse"


def kpi_card(spec: KpiSpec, value: str, delta: float | int | None, detail: str | None = None,
             *, has_data: bool = True, note: str | None = None,
             title: str | None = None) -> dbc.Col:
    """One card; ``value`` is already formatted. A card whose figure is a set of
    conversations is wrapped in a button that lists them."""
    if has_data:
        text, tone, verdict = delta_view(delta, spec, note)
    else:
        text, tone, verdict = "", "kpi-delta", ""
    body = [
        html.Div(title or spec.title, className="kpi-title", title=spec.hint or None),
        html.Div(value, id=ids.kpi_value(spec.name),
                 className="kpi-value" if has_data else "kpi-value kpi-missing"),
        html.Div(detail or spec.detail, className="kpi-detail text-body-secondary"),
        html.Div(text, id=ids.kpi_delta(spec.name), className=tone,
                 title=f"{verdict} than the previous 24 hours" if verdict else None),
    ]
    card = dbc.Card(dbc.CardBody(body), id=ids.kpi(spec.name), className="kpi-card h-100")
    if spec.name in view_state.CARD_FILTERS:
        card = html.Div(card, id=ids.kpi_filter(spec.name), n_clicks=0, role="button",
                        tabIndex="0", className="kpi-link h-100",
                        title=f"List these conversations: {(title or spec.title).lower()}")
    return dbc.Col(card, xs=6, md=3)


def _plain_card(spec: KpiSpec, kpi: Kpi | None) -> dbc.Col:
    if kpi is None or kpi.value is None:
        return kpi_card(spec, fmt.NO_DATA, None, has_data=False)
    return kpi_card(spec, spec.value(kpi.value), kpi.delta, note=kpi.note)


def _response_card(spec: KpiSpec, rt: ResponseTimeKpi | None, window: str,
                   replies_sent: bool) -> dbc.Col:
    """Response time as the seller feels it when replies go out through GoHighLevel
    (``basis`` "delivered"); until then the bot's processing time, saying so plainly and
    why (replies not sent at all, or none accepted in the hours shown)."""
    delivered = getattr(rt, "basis", None) == "delivered"
    title = spec.title if delivered else PROCESSING_TITLE
    if rt is None or rt.p50 is None or not rt.samples:
        return kpi_card(spec, fmt.NO_DATA, None, f"no replies, {window}", has_data=False,
                        title=title)
    replies = f"{fmt.compact(rt.samples)} {'reply' if rt.samples == 1 else 'replies'}"
    detail = (f"median · p95 {fmt.milliseconds(rt.p95)} · {replies}, {window}" if delivered
              else f"{PROCESSING_UNDELIVERED if replies_sent else PROCESSING_DETAIL} · p95 "
                   f"{fmt.milliseconds(rt.p95)} · {window}")
    return kpi_card(spec, fmt.milliseconds(rt.p50), rt.delta, detail, title=title)


def _speed_card(spec: KpiSpec, speed) -> dbc.Col:
    """Speed to lead (from the outbound issue): ``{"p50", "p95", "delta"}`` or missing."""
    get = speed.get if isinstance(speed, dict) else lambda name: getattr(speed, name, None)
    if speed is None or get("p50") is None:
        return kpi_card(spec, fmt.NO_DATA, None, spec.detail, has_data=False)
    detail = f"{spec.detail} · p95 {fmt.milliseconds(get('p95'))}"
    return kpi_card(spec, fmt.milliseconds(get("p50")), get("delta"), detail)


def build_hero(hero: Hero | None, total_conversations: int | None,
               window: str = "last 24 h", replies_sent: bool = False) -> list:
    """Every row of cards. No conversations at all (or no data) shows "no data yet"
    everywhere instead of zeros that look like measurements. ``window`` names the range the
    response time and appointments cover (the other cards are "now")."""
    empty = hero is None or not total_conversations

    def card(spec: KpiSpec) -> dbc.Col:
        if empty:
            return kpi_card(spec, fmt.NO_DATA, None, has_data=False)
        if spec.name == "response_time_ms":
            return _response_card(spec, hero.response_time_ms, window, replies_sent)
        if spec.name == "speed_to_lead_ms":
            return _speed_card(spec, getattr(hero, "speed_to_lead_ms", None))
        if spec.name == "appointments_booked":
            kpi = hero.appointments_booked
            if kpi.value is None:
                return kpi_card(spec, fmt.NO_DATA, None, has_data=False)
            return kpi_card(spec, spec.value(kpi.value), kpi.delta, f"booked, {window}",
                            note=kpi.note)
        return _plain_card(spec, getattr(hero, spec.name))

    return [dbc.Row([card(spec) for spec in specs], className=f"g-2 g-md-3 kpi-row {name}")
            for name, specs in ROWS]


def build_panel(hero: Hero | None = None, total_conversations: int | None = None,
                window: str = "last 24 h", replies_sent: bool = False) -> html.Section:
    """The hero section as placed in the page; the refresh loop replaces its children."""
    return html.Section(build_hero(hero, total_conversations, window, replies_sent),
                        id=ids.HERO,
                        className="hero", **{"aria-label": "Key metrics"})


def register_callbacks(app: Dash, services: Services) -> None:
    @app.callback(Output(ids.HERO, "children"), Input(ids.STORE_DASHBOARD, "data"),
                  prevent_initial_call=True)
    def show_hero(order):
        data = refresh.ordered_data(services, order)
        if data is None:
            return build_hero(None, None)
        return build_hero(data.hero, data.total_conversations, view_state.window_label(data),
                          services.settings.outbox_enabled)
