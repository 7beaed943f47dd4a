"""Hero metrics: the four KPI cards with their change against the previous 24 hours, and a
second row (pipeline value, commission potential, appointments booked, opt-out rate).

Pure builders only: the refresh loop (``components.refresh``) feeds them ``DashboardData``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html

from components import formatting as fmt
from components import ids
from services.dashboard_models import Hero, Kpi, ResponseTimeKpi


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


def _money(value: float | int) -> str:
    return fmt.money_compact(abs(value))


def _ms(value: float | int) -> str:
    return fmt.milliseconds(abs(value))


PRIMARY: tuple[KpiSpec, ...] = (
    KpiSpec("active_conversations", "Active conversations", _count, lambda v: _count(abs(v)),
            hint="Open conversations: not booked, declined or opted out",
            detail="not booked, declined or opted out"),
    KpiSpec("qualification_rate", "Qualification rate", fmt.percent, _points,
            hint="Share of conversations whose seller accepted the cash offer",
            detail="accepted the cash offer"),
    KpiSpec("response_time_ms", "Bot response time", fmt.milliseconds, _ms,
            higher_is_better=False, hint="Median time from inbound SMS to the bot's reply"),
    KpiSpec("hot_leads", "Hot leads", _count, lambda v: _count(abs(v)),
            hint="Lead score 75 or more", detail="lead score 75+"),
)
SECONDARY: tuple[KpiSpec, ...] = (
    KpiSpec("pipeline_value", "Pipeline value", fmt.money_compact, _money,
            hint="Asking prices of hot, qualified and booked leads",
            detail="hot, qualified and booked leads"),
    KpiSpec("commission_potential", "Commission potential", fmt.money_compact, _money,
            hint="Pipeline value × commission rate", detail="pipeline × commission rate"),
    KpiSpec("appointments_booked", "Appointments booked", _count, lambda v: _count(abs(v)),
            detail="in the last 24 h"),
    KpiSpec("opt_out_rate", "Opt-out rate", fmt.percent, _points, higher_is_better=False,
            hint="Share of conversations that texted STOP", detail="texted STOP"),
)
DELTA_SUFFIX = " vs prev. 24 h"


def delta_view(delta: float | int | None, spec: KpiSpec,
               note: str | None = None) -> tuple[str, str, str]:
    """(text, css class, verdict) of a change: colour says better or worse, the arrow says
    up or down, so neither depends on colour alone. ``note`` says why there is no delta."""
    if delta is None:
        return note or "no earlier data to compare", "kpi-delta text-body-secondary", ""
    if delta == 0:
        return f"no change{DELTA_SUFFIX}", "kpi-delta text-body-secondary", ""
    better = (delta > 0) == spec.higher_is_better
    arrow = "▲" if delta > 0 else "▼"
    text = f"{arrow} {fmt.signed(delta, spec.delta(delta))}{DELTA_SUFFIX}"
    tone = "kpi-delta kpi-better text-success" if better else "kpi-delta kpi-worse text-danger"
    return text, tone, "better" if better else "worse"


def kpi_card(spec: KpiSpec, value: str, delta: float | int | None, detail: str | None = None,
             *, has_data: bool = True, note: str | None = None) -> dbc.Col:
    """One card; ``value`` is already formatted."""
    if has_data:
        text, tone, verdict = delta_view(delta, spec, note)
    else:
        text, tone, verdict = "", "kpi-delta", ""
    body = [
        html.Div(spec.title, className="kpi-title", title=spec.hint or None),
        html.Div(value, id=ids.kpi_value(spec.name),
                 className="kpi-value" if has_data else "kpi-value kpi-missing"),
        html.Div(detail or spec.detail, className="kpi-detail text-body-secondary"),
        html.Div(text, id=ids.kpi_delta(spec.name), className=tone,
                 title=f"{verdict} than the previous 24 hours" if verdict else None),
    ]
    return dbc.Col(dbc.Card(dbc.CardBody(body), id=ids.kpi(spec.name), className="kpi-card h-100"),
                   xs=12, sm=6, xl=3)


def _plain_card(spec: KpiSpec, kpi: Kpi | None) -> dbc.Col:
    if kpi is None or kpi.value is None:
        return kpi_card(spec, fmt.NO_DATA, None, has_data=False)
    return kpi_card(spec, spec.value(kpi.value), kpi.delta, note=kpi.note)


def _response_card(spec: KpiSpec, rt: ResponseTimeKpi | None) -> dbc.Col:
    if rt is None or rt.p50 is None or not rt.samples:
        return kpi_card(spec, fmt.NO_DATA, None, "no bot replies in the last 24 h",
                        has_data=False)
    detail = (f"median · p95 {fmt.milliseconds(rt.p95)} · "
              f"{fmt.compact(rt.samples)} {'reply' if rt.samples == 1 else 'replies'}")
    return kpi_card(spec, fmt.milliseconds(rt.p50), rt.delta, detail)


def build_hero(hero: Hero | None, total_conversations: int | None) -> list:
    """Both rows of cards. No conversations at all (or no data) shows "no data yet" everywhere
    instead of zeros that look like measurements."""
    empty = hero is None or not total_conversations

    def card(spec: KpiSpec) -> dbc.Col:
        if empty:
            return kpi_card(spec, fmt.NO_DATA, None, has_data=False)
        if spec.name == "response_time_ms":
            return _response_card(spec, hero.response_time_ms)
        return _plain_card(spec, getattr(hero, spec.name))

    return [
        dbc.Row([card(spec) for spec in PRIMARY], className="g-3 kpi-row kpi-primary"),
        dbc.Row([card(spec) for spec in SECONDARY], className="g-3 kpi-row kpi-secondary mt-0"),
    ]


def build_panel(hero: Hero | None = None, total_conversations: int | None = None) -> html.Section:
    """The hero section as placed in the page; the refresh loop replaces its children."""
    return html.Section(build_hero(hero, total_conversations), id=ids.HERO,
                        className="hero", **{"aria-label": "Key metrics"})
