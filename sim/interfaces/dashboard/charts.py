"""The dashboard's time charts: one time axis for every scenario, bands, markers, a zoom.

Every chart of a comparison shares one date range, so a reader compares positions, not
scales. Lines are thinned to a few hundred points (the browser draws what the eye can see and
a rerun stays small); the zoom on the last days is drawn at full resolution, because that is
where the burns are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.campaign.results import RunResult

from ..plots import EVENT_STYLE, PHASE_COLOURS
from .precompute import Spread

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
LINE_POINTS = 300  # per line on a multi-year axis: ~5 days a point, finer than a pixel
ENTRY_KM = 100.0  # the line of each reentry is drawn down to the entry interface
TANK_NAMES = {"usdv": "US Deorbit Vehicle (USDV)", "station": "Station tanks (Zvezda)",
              "visiting": "Visiting vehicles (Progress, Cygnus)"}
FONT = dict(size=13)


@dataclass(frozen=True)
class Shown:
    """One scenario as drawn: its label ("(edited)" included), run, ensemble and colour."""

    label: str
    result: RunResult
    colour: str
    spread: Spread | None = None
    ready_utc: str | None = None  # the USDV's earliest readiness, when the scenario has one


def frame(result: RunResult) -> pd.DataFrame:
    df = pd.DataFrame(result.columns)
    df["time_utc"] = pd.to_datetime(df["time_utc"], utc=True)
    return df


def thin(df: pd.DataFrame, limit: int = LINE_POINTS) -> pd.DataFrame:
    """At most ~``limit`` rows, the last kept; times as short strings and values rounded,
    because a figure's size is mostly digits no reader sees."""
    step = max(1, len(df) // limit)
    out = df if step == 1 else pd.concat([df.iloc[::step], df.iloc[-1:]]).drop_duplicates()
    out = out.copy()
    out["time_utc"] = out["time_utc"].dt.strftime("%Y-%m-%dT%H:%M")
    numeric = out.select_dtypes("number").columns
    out[numeric] = out[numeric].apply(lambda c: c.map(lambda v: float(f"{v:.4g}")))
    return out


def tank_name(column: str) -> str:
    key = column.removeprefix("propellant_").removesuffix("_kg")
    return TANK_NAMES.get(key, key.replace("_", " "))


def time_range(shown: list[Shown]) -> tuple[str, str]:
    """From the earliest epoch to past the latest reentry (or end of run), the ensembles'
    95th percentile included, so every band is seen whole."""
    starts = [s.result.columns["time_utc"][0] for s in shown]
    ends = [s.result.summary.get("reentry_utc") or s.result.columns["time_utc"][-1]
            for s in shown]
    ends += [s.spread.summary["reentry_utc"]["p95"] for s in shown
             if s.spread is not None and (s.spread.summary.get("reentry_utc") or {}).get("p95")]
    last = dt.datetime.fromisoformat(max(ends)[:19]) + dt.timedelta(days=45)
    return min(starts)[:10], last.isoformat()


def _layout(fig, title: str, height: int, x_range=None):
    fig.update_layout(title=dict(text=title, font=dict(size=16)), height=height, font=FONT,
                      margin=dict(l=55, r=15, t=60, b=30), hovermode="closest",
                      legend=dict(orientation="h", yanchor="top", y=-0.08, x=0))
    if x_range:
        fig.update_xaxes(range=list(x_range), type="date")
    return fig


def _titles_left(fig) -> None:
    """Subplot titles to the left, clear of the today / USDV-ready labels at the top."""
    for note in fig.layout.annotations:
        note.update(x=0.0, xanchor="left", font=dict(size=13))


def _today_and_ready(fig, shown: list[Shown], today: str, rows: int = 1) -> None:
    """Vertical lines: today, and each distinct USDV readiness date, with labels."""
    lines = [(today, "today", "#444444", "solid")]
    for ready in sorted({s.ready_utc[:10] for s in shown if s.ready_utc}):
        lines.append((ready, "USDV ready", "#9467bd", "dot"))
    for x, text, colour, dash in lines:
        fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                      line=dict(color=colour, width=1.5, dash=dash))
        fig.add_annotation(x=x, xref="x", y=1.0, yref="paper", text=text, showarrow=False,
                           font=dict(size=11, color=colour), xanchor="left", yanchor="bottom")


def _fan(fig, s: Shown) -> None:
    if s.spread is None:
        return
    x = s.spread.band_time
    for low, high, opacity, words in (("p5", "p95", 0.12, "90 %"), ("p25", "p75", 0.22, "50 %")):
        fig.add_trace(go.Scatter(x=x, y=s.spread.band[high], mode="lines", line=dict(width=0),
                                 hoverinfo="skip", showlegend=False, legendgroup=s.label),
                      row=1, col=1)
        fig.add_trace(go.Scatter(x=x, y=s.spread.band[low], mode="lines", line=dict(width=0),
                                 fill="tonexty", fillcolor=_rgba(s.colour, opacity),
                                 name=f"{s.label}: {words} of futures", legendgroup=s.label,
                                 hoverinfo="skip"), row=1, col=1)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[k:k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _line(fig, s: Shown) -> None:
    df = thin(frame(s.result))
    x, y = list(df["time_utc"]), list(df["mean_altitude_km"])
    reentry = s.result.summary.get("reentry_utc")
    if reentry:  # the last hour of the descent is vertical at this scale: draw it so
        x.append(reentry[:16])
        y.append(ENTRY_KM)
    fig.add_trace(go.Scatter(x=x, y=y, name=s.label, line=dict(color=s.colour, width=2.5),
                             legendgroup=s.label,
                             hovertemplate="%{x|%Y-%m-%d}: %{y:.0f} km<extra>" + s.label
                                           + "</extra>"), row=1, col=1)
    if reentry:
        kind = s.result.summary.get("reentry_kind") or "reentry"
        fig.add_trace(go.Scatter(x=[reentry], y=[ENTRY_KM], mode="markers+text",
                                 marker=dict(symbol="x", size=13, color=s.colour),
                                 text=[f"{kind} reentry {reentry[:10]}"],
                                 textposition="top left", showlegend=False,
                                 legendgroup=s.label, hoverinfo="text"), row=1, col=1)


def _phase_bars(fig, shown: list[Shown]) -> None:
    seen = set()
    for s in shown:
        for p in s.result.summary.get("phases", []):
            if p["start_utc"] == p["end_utc"]:
                continue
            start, end = pd.Timestamp(p["start_utc"]), pd.Timestamp(p["end_utc"])
            label = p["name"].replace("_", " ")
            fig.add_trace(go.Bar(base=[start], x=[(end - start).total_seconds() * 1000],
                                 y=[s.label], orientation="h", name=label,
                                 showlegend=label not in seen, legendgroup="phase " + label,
                                 marker_color=PHASE_COLOURS.get(p["name"], "#cccccc"),
                                 marker_line_color="#777", marker_line_width=0.5,
                                 hovertemplate=f"{s.label}: {label} {p['start_utc'][:10]} to "
                                               f"{p['end_utc'][:10]}<extra></extra>"),
                          row=2, col=1)
            seen.add(label)


def overview(shown: list[Shown], today: str):
    """Mean altitude (with the ensembles' 50 % and 90 % bands) over the phases, on one axis."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22],
                        vertical_spacing=0.04)
    for s in shown:
        _fan(fig, s)
    for s in shown:
        _line(fig, s)
    _phase_bars(fig, shown)
    _today_and_ready(fig, shown, today)
    fig.update_yaxes(title_text="mean altitude (km)", row=1, col=1, rangemode="tozero")
    fig.update_yaxes(autorange="reversed", row=2, col=1)
    fig.update_layout(barmode="overlay", bargap=0.35)
    return _layout(fig, "Altitude until reentry, with the spread of simulated futures",
                   560 + 30 * len(shown), time_range(shown))


def _burn_marks(fig, result: RunResult, row: int) -> None:
    """Burns as shaded spans; labels alternate in height so neighbours never overprint."""
    for k, event in enumerate(e for e in result.summary.get("events", [])
                              if e["kind"] in ("perigee_lowering_burn", "final_burn", "reentry")):
        text, colour = EVENT_STYLE.get(event["kind"], (event["kind"].replace("_", " "),
                                                       "#ff7f0e"))
        x = event["time_utc"]
        fig.add_vline(x=pd.Timestamp(x).value / 1e6, line=dict(color=colour, width=1,
                                                               dash="dash"), row=row, col=1)
        dv = event.get("delta_v_m_s") or 0.0
        label = f"{text} {dv:.1f} m/s" if dv else text
        fig.add_annotation(x=x, y=0.95 - 0.12 * (k % 3), xref=f"x{row if row > 1 else ''}",
                           yref=f"y{row if row > 1 else ''} domain", text=label,
                           showarrow=False, font=dict(size=10, color=colour), xanchor="left")


def last_days(shown: list[Shown], days_before: float = 6.0):
    """The burns and the reentry of each scenario, at full resolution (own date range)."""
    have = [s for s in shown if s.result.summary.get("reentry_utc")]
    if not have:
        return None
    fig = make_subplots(rows=len(have), cols=1, subplot_titles=[s.label for s in have],
                        vertical_spacing=0.12)
    _titles_left(fig)
    for row, s in enumerate(have, start=1):
        end = pd.Timestamp(s.result.summary["reentry_utc"])
        start = end - pd.Timedelta(days=days_before)
        df = frame(s.result)
        df = df[df["time_utc"] >= start]
        for column, colour, width in (("apogee_km", "#999999", 1), ("perigee_km", "#ff7f0e", 1.5),
                                      ("mean_altitude_km", s.colour, 2.5)):
            fig.add_trace(go.Scatter(x=df["time_utc"], y=df[column], mode="lines",
                                     name=column.removesuffix("_km").replace("_", " "),
                                     line=dict(color=colour, width=width),
                                     showlegend=row == 1), row=row, col=1)
        _burn_marks(fig, s.result, row)
        fig.update_yaxes(title_text="altitude (km)", row=row, col=1)
        fig.update_xaxes(range=[start, end + pd.Timedelta(hours=6)], row=row, col=1)
    return _layout(fig, f"The last {days_before:.0f} days: perigee-lowering burns, final burn, "
                        "reentry", 330 * len(have) + 80)


def propellant(shown: list[Shown], today: str):
    """Propellant left in each tank, by its real name, on the common time axis."""
    fig = make_subplots(rows=len(shown), cols=1, shared_xaxes=True,
                        subplot_titles=[s.label for s in shown], vertical_spacing=0.1)
    for row, s in enumerate(shown, start=1):
        df = thin(frame(s.result))
        for k, column in enumerate(c for c in df.columns
                                   if c.startswith("propellant_") and c != "propellant_kg"):
            fig.add_trace(go.Scatter(x=df["time_utc"], y=df[column], name=tank_name(column),
                                     line=dict(color=PALETTE[(k + 2) % len(PALETTE)]),
                                     legendgroup=column, showlegend=row == 1),
                          row=row, col=1)
        fig.update_yaxes(title_text="kg", row=row, col=1, rangemode="tozero")
    _titles_left(fig)
    _today_and_ready(fig, shown, today)
    return _layout(fig, "Propellant left in each tank", 260 * len(shown) + 120,
                   time_range(shown))
