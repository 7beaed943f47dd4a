"""Pure Plotly figure builders for the performance charts: data in, figure dict out.

Figures are plain ``{"data": [...], "layout": {...}}`` dicts, which ``dcc.Graph`` takes as they
are: building the same seven figures as ``go.Figure`` objects (property validation on every
update) cost a refresh tick hundreds of milliseconds of server time.

Every figure has an explicit height (no resize loops), a ``uirevision`` (zoom and legend clicks
survive a refresh; changing the range resets them), transparent backgrounds and mid-grey text so
it reads on the light and the dark theme alike, and an explicit empty state instead of axes
with zeros.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from components import formatting as fmt
from services.dashboard_models import Distribution, Heatmap, TimeSeries

Figure = dict
HEIGHT = 300
FONT = "#7d8796"
GRID = "rgba(125, 135, 150, 0.22)"
FONT_FAMILY = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
               "sans-serif")
TEMPERATURE_COLORS = {"hot": "#dc3545", "warm": "#fd7e14", "cold": "#0d6efd"}
PRIMARY = "#0d6efd"
SECONDARY = "#20c997"
ACCENT = "#6f42c1"
SERIES_NAMES = {
    "in": "Inbound messages", "inbound": "Inbound messages",
    "out": "Bot replies", "outbound": "Bot replies",
    "messages": "Messages", "new": "New conversations",
    "new_conversations": "New conversations",
    "p50": "p50 (median)", "p95": "p95",
}
RESPONSE_STYLES = {"p50": {"color": PRIMARY, "width": 2},
                   "p95": {"color": "#fd7e14", "width": 2, "dash": "dot"}}
TIMELINE_ORDER = ("0-30 days", "1-3 months", "3-6 months", "6+ months", "unknown")


def _axis(**extra) -> dict:
    return {"visible": True, "gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID,
            "automargin": True, **extra}


def figure(data: list[dict], uirevision: str, *, height: int = HEIGHT, legend: bool = False,
           xaxis: dict | None = None, yaxis: dict | None = None, **layout) -> Figure:
    """A figure with the dashboard's common layout; ``layout`` adds or overrides keys."""
    return {
        "data": data,
        "layout": {
            "height": height, "uirevision": uirevision,
            "margin": {"l": 56, "r": 16, "t": 12, "b": 40},
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"color": FONT, "family": FONT_FAMILY, "size": 12},
            "showlegend": legend,
            # Below the plot: the toolbar (top right, on hover) never covers it.
            "legend": {"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top",
                       "bgcolor": "rgba(0,0,0,0)"},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
            "xaxis": _axis(**(xaxis or {})), "yaxis": _axis(**(yaxis or {})),
            # Always present, so updating a drawn graph key by key clears an empty state.
            "annotations": [],
            **layout,
        },
    }


def empty_figure(message: str, uirevision: str = "empty", *, height: int = HEIGHT) -> Figure:
    """A figure with no axes that says why it is empty and what to do."""
    return figure(
        [], uirevision, height=height,
        xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "x": 0.5, "y": 0.5,
                      "xref": "paper", "yref": "paper",
                      "font": {"size": 14, "color": FONT}}])


def _local_buckets(buckets: list[str], timezone: str) -> list[str]:
    """Plotly drops UTC offsets, so hand it wall-clock times of the team's zone."""
    zone = ZoneInfo(timezone)
    out = []
    for bucket in buckets:
        at = fmt.parse_time(bucket)
        out.append(at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else bucket)
    return out


def _has_values(values: list) -> bool:
    return any(v not in (None, 0) for v in values)


MESSAGE_STYLES = {
    # Inbound as bars and replies as a line on top, so equal counts never hide one another.
    "inbound": {"type": "bar", "marker": {"color": "rgba(13, 110, 253, 0.55)"}},
    "outbound": {"type": "scatter", "mode": "lines+markers",
                 "line": {"width": 2, "color": SECONDARY}, "marker": {"size": 4}},
    "new_conversations": {"type": "scatter", "mode": "lines",
                          "line": {"width": 2, "color": ACCENT, "dash": "dot"}},
}


def messages_figure(series: TimeSeries, timezone: str, uirevision: str) -> Figure:
    """Inbound messages per hour (bars), bot replies (line) and new conversations (dotted)."""
    if not series.buckets or not any(_has_values(v) for v in series.series.values()):
        return empty_figure("No messages in this range yet", uirevision)
    x = _local_buckets(series.buckets, timezone)
    traces = []
    for name, values in series.series.items():
        label = SERIES_NAMES.get(name, fmt.label(name))
        style = MESSAGE_STYLES.get(name, {"type": "scatter", "mode": "lines"})
        traces.append({**style, "x": x, "y": values, "name": label,
                       "hovertemplate": "%{y}<extra>" + label + "</extra>"})
    return figure(traces, uirevision, legend=True, hovermode="x unified", bargap=0.15,
                  yaxis={"rangemode": "tozero", "title": {"text": "per hour"}})


def response_time_figure(series: TimeSeries, timezone: str, uirevision: str) -> Figure:
    """Bot response time p50 / p95 per hour, in ms; hours without replies are gaps."""
    if not series.buckets or not any(_has_values(series.series.get(p, []))
                                     for p in RESPONSE_STYLES):
        return empty_figure("No bot replies in this range yet", uirevision)
    x = _local_buckets(series.buckets, timezone)
    traces = []
    for name, style in RESPONSE_STYLES.items():  # other series (sample counts) are not ms
        if name not in series.series:
            continue
        label = SERIES_NAMES[name]
        traces.append({"type": "scatter", "mode": "lines+markers", "x": x,
                       "y": series.series[name], "name": label, "connectgaps": False,
                       "marker": {"size": 4}, "line": style,
                       "hovertemplate": "%{y:.1f} ms<extra>" + label + "</extra>"})
    return figure(traces, uirevision, legend=True, hovermode="x unified",
                  yaxis={"rangemode": "tozero", "title": {"text": "ms"}})


def funnel_figure(funnel: Distribution, uirevision: str) -> Figure:
    """How many conversations reached each stage of the qualification flow."""
    if not _has_values(funnel.counts):
        return empty_figure("No conversations yet", uirevision)
    trace = {"type": "funnel", "y": [fmt.label(s) for s in funnel.labels], "x": funnel.counts,
             "customdata": [f"funnel:{s}" for s in funnel.labels],
             "textinfo": "value", "marker": {"color": PRIMARY},
             "connector": {"line": {"color": GRID}},
             "hovertemplate": "%{y}: %{x} (%{percentInitial:.0%} of all)<extra></extra>"}
    # The value axis says nothing the bar labels do not (Plotly hides it for funnels too).
    return figure([trace], uirevision, margin={"l": 8, "r": 8, "t": 8, "b": 8},
                  xaxis={"visible": False})


def temperature_figure(by_temperature: dict[str, int], uirevision: str) -> Figure:
    """Hot / warm / cold as a donut; every slice is labelled with its name, not only a colour."""
    labels = [t for t in ("hot", "warm", "cold") if by_temperature.get(t)]
    if not labels:
        return empty_figure("No scored leads yet", uirevision)
    trace = {"type": "pie", "labels": labels, "values": [by_temperature[t] for t in labels],
             "hole": 0.55, "sort": False,
             "marker": {"colors": [TEMPERATURE_COLORS[t] for t in labels]},
             "textinfo": "label+value", "textposition": "outside",
             "hovertemplate": "%{label}: %{value} (%{percent})<extra></extra>"}
    return figure([trace], uirevision, margin={"l": 16, "r": 16, "t": 24, "b": 24})


def _price_labels(labels: list[str]) -> list[str]:
    """Bare lower bounds ("200000") become ranges ("$200k–300k"); labels that are already
    words ("$100k-200k", "unknown") pass through."""
    bounds = sorted(int(x) for x in labels if x.isdigit())
    upper = dict(zip(bounds, [*bounds[1:], None][:len(bounds)], strict=True))
    pretty = []
    for x in labels:
        if not x.isdigit():
            pretty.append(fmt.label(x).replace("-", "–"))
            continue
        low = int(x)
        high = upper[low]
        low_text = fmt.money_compact(low) if low else "$0"
        pretty.append(f"{low_text}–{fmt.compact(high)}" if high else f"{low_text}+")
    return pretty


def _bars(x: list, y: list, color: str, uirevision: str, axis_title: str,
          segments: list[str] | None = None) -> Figure:
    """Vertical bars; ``segments`` (one per bar) name the conversations a click lists."""
    trace = {"type": "bar", "x": x, "y": y, "marker": {"color": color},
             "hovertemplate": "%{x}: %{y}<extra></extra>"}
    if segments:
        trace["customdata"] = segments
    return figure([trace], uirevision, yaxis={"title": {"text": axis_title}})


def price_figure(prices: Distribution, uirevision: str,
                 bins: list[str] | None = None) -> Figure:
    """Asking prices in bins, unknown last; ``bins`` are the stats bins of the labels."""
    if not _has_values(prices.counts):
        return empty_figure("No asking prices yet", uirevision)
    return _bars(_price_labels(prices.labels), prices.counts, SECONDARY, uirevision, "sellers",
                 [f"price:{b}" for b in bins] if bins else None)


def timeline_figure(timelines: Distribution, uirevision: str) -> Figure:
    """How soon sellers want to sell (0–30 days, 1–3 months, 3–6 months, 6+ months, unknown)."""
    if not _has_values(timelines.counts):
        return empty_figure("No timelines yet", uirevision)
    counts = dict(zip(timelines.labels, timelines.counts, strict=False))
    order = [x for x in TIMELINE_ORDER if x in counts] + [
        x for x in timelines.labels if x not in TIMELINE_ORDER]
    return _bars([x.replace("-", "–") for x in order], [counts[x] for x in order], ACCENT,
                 uirevision, "sellers", [f"timeline:{x}" for x in order])


def motivation_figure(motivations: Distribution, uirevision: str) -> Figure:
    """Why sellers sell, most common on top."""
    pairs = sorted(((c, lbl) for lbl, c in zip(motivations.labels, motivations.counts,
                                                strict=False) if c), reverse=True)
    if not pairs:
        return empty_figure("No motivations yet", uirevision)
    pairs.reverse()  # horizontal bars draw bottom-up
    trace = {"type": "bar", "orientation": "h", "y": [fmt.label(lbl) for _, lbl in pairs],
             "x": [c for c, _ in pairs], "marker": {"color": PRIMARY},
             "customdata": [f"motivation:{lbl}" for _, lbl in pairs],
             "hovertemplate": "%{y}: %{x}<extra></extra>"}
    return figure([trace], uirevision, xaxis={"title": {"text": "sellers"}})


def heatmap_figure(heatmap: Heatmap | None, uirevision: str) -> Figure:
    """Inbound messages by weekday and hour of day (local time): when sellers text."""
    if heatmap is None or not any(any(row) for row in heatmap.counts):
        return empty_figure("No inbound messages in this range yet", uirevision)
    hours = [f"{h % 12 or 12} {'am' if h < 12 else 'pm'}" for h in heatmap.hours]
    trace = {"type": "heatmap", "z": heatmap.counts, "x": hours, "y": heatmap.weekdays,
             "colorscale": [[0, "rgba(13, 110, 253, 0.04)"], [1, PRIMARY]],
             "xgap": 2, "ygap": 2, "showscale": False,
             "hovertemplate": "%{y} %{x}: %{z} messages<extra></extra>"}
    return figure([trace], uirevision, height=260,
                  yaxis={"autorange": "reversed", "showgrid": False},
                  xaxis={"showgrid": False, "tickangle": 0, "nticks": 12})


def appointments_figure(per_day: Distribution, uirevision: str) -> Figure:
    """Appointments booked per day for the coming week."""
    if not _has_values(per_day.counts):
        return empty_figure("No appointments in the coming week", uirevision, height=200)
    trace = {"type": "bar", "x": per_day.labels, "y": per_day.counts,
             "marker": {"color": SECONDARY}, "text": per_day.counts, "textposition": "auto",
             "hovertemplate": "%{x}: %{y} appointments<extra></extra>"}
    return figure([trace], uirevision, height=200,
                  margin={"l": 40, "r": 8, "t": 8, "b": 40},
                  yaxis={"rangemode": "tozero", "tickformat": ",d", "nticks": 5})
