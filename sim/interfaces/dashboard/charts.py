"""Interactive plotly charts for the dashboard: dates on x, units on every axis."""

from __future__ import annotations

import pandas as pd
import plotly.express as px  # colour palettes only
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.campaign.results import RunResult

from .model import budget_rows
from ..plots import EVENT_STYLE, PHASE_COLOURS

PALETTE = px.colors.qualitative.D3


def frame(result: RunResult) -> pd.DataFrame:
    df = pd.DataFrame(result.columns)
    df["time_utc"] = pd.to_datetime(df["time_utc"], utc=True)
    return df


def _thin(df: pd.DataFrame, limit: int = 2500) -> pd.DataFrame:
    step = max(1, len(df) // limit)
    return df if step == 1 else pd.concat([df.iloc[::step], df.iloc[-1:]]).drop_duplicates()


def _layout(fig, title: str, y_title: str, height: int = 420):
    fig.update_layout(title=title, height=height, margin=dict(l=60, r=20, t=50, b=40),
                      legend=dict(orientation="h", y=-0.18), hovermode="x unified")
    fig.update_xaxes(title_text="date (UTC)")
    fig.update_yaxes(title_text=y_title)
    return fig


def _phases_and_events(fig, result: RunResult) -> None:
    """Shaded phases and dashed event lines, added in one layout update (add_vrect and
    add_vline validate one shape at a time and cost ~10 ms each)."""
    shapes, notes = [], []
    for phase in result.summary.get("phases", []):
        if phase["start_utc"] == phase["end_utc"]:
            continue
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=phase["start_utc"],
                           x1=phase["end_utc"], y0=0, y1=1, line_width=0, opacity=0.35,
                           fillcolor=PHASE_COLOURS.get(phase["name"], "#eeeeee"),
                           layer="below"))
    for event in result.summary.get("events", []):
        if event["kind"] in EVENT_STYLE:
            text, colour = EVENT_STYLE[event["kind"]]
            shapes.append(dict(type="line", xref="x", yref="paper", x0=event["time_utc"],
                               x1=event["time_utc"], y0=0, y1=1,
                               line=dict(color=colour, width=1, dash="dash")))
            notes.append(dict(x=event["time_utc"], xref="x", y=1, yref="paper", text=text,
                              showarrow=False, textangle=-90, font=dict(size=10),
                              xanchor="left", yanchor="top"))
    fig.update_layout(shapes=shapes, annotations=notes)


def altitude_overlay(results: dict[str, RunResult]):
    fig = go.Figure()
    for k, (name, result) in enumerate(results.items()):
        df = _thin(frame(result))
        fig.add_trace(go.Scatter(x=df["time_utc"], y=df["mean_altitude_km"], name=name,
                                 line=dict(color=PALETTE[k % len(PALETTE)], width=2)))
    return _layout(fig, "Mean altitude", "mean altitude (km)")


def altitude_detail(name: str, result: RunResult):
    df = _thin(frame(result))
    fig = go.Figure()
    for column, colour, width in (("apogee_km", "#999999", 1), ("perigee_km", "#ff7f0e", 1),
                                  ("mean_altitude_km", "#1f77b4", 2)):
        fig.add_trace(go.Scatter(x=df["time_utc"], y=df[column], name=column.replace("_km", "")
                                 .replace("_", " "), line=dict(color=colour, width=width)))
    _phases_and_events(fig, result)
    return _layout(fig, f"{name}: altitude, phases and events", "altitude (km)")


def propellant_chart(name: str, result: RunResult):
    df = _thin(frame(result))
    fig = go.Figure()
    for column in [c for c in df.columns if c.startswith("propellant_") and c != "propellant_kg"]:
        fig.add_trace(go.Scatter(x=df["time_utc"], y=df[column],
                                 name=column.removeprefix("propellant_").removesuffix("_kg")))
    _phases_and_events(fig, result)
    return _layout(fig, f"{name}: propellant remaining per tank", "propellant (kg)")


def flux_chart(results: dict[str, RunResult]):
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for k, (name, result) in enumerate(results.items()):
        df = _thin(frame(result))
        colour = PALETTE[k % len(PALETTE)]
        fig.add_trace(go.Scatter(x=df["time_utc"], y=df["f107a"], name=f"{name} F10.7 (81-day)",
                                 line=dict(color=colour)), row=1, col=1)
        fig.add_trace(go.Scatter(x=df["time_utc"], y=df["density_kg_m3"],
                                 name=f"{name} density", line=dict(color=colour, dash="dot")),
                      row=2, col=1)
    fig.update_yaxes(title_text="F10.7 (sfu)", row=1, col=1)
    fig.update_yaxes(title_text="density (kg/m³)", type="log", row=2, col=1)
    fig.update_xaxes(title_text="date (UTC)", row=2, col=1)
    fig.update_layout(title="Solar flux and orbit-mean density at the mean altitude",
                      height=520, margin=dict(l=60, r=20, t=50, b=40),
                      legend=dict(orientation="h", y=-0.15))
    return fig


def budget_chart(results: dict[str, RunResult]):
    rows = [{**row, "scenario": name} for name, r in results.items()
            for row in budget_rows(r.summary)]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    fig = go.Figure()
    for k, (burn, group) in enumerate(df.groupby("burn", sort=False)):
        fig.add_trace(go.Bar(x=group["scenario"], y=group["propellant_kg"], name=burn,
                             customdata=group["delta_v_m_s"], marker_color=PALETTE[k % 10],
                             hovertemplate="%{y:,.0f} kg, Δv %{customdata:.1f} m/s"))
    fig.update_layout(barmode="stack", title="Propellant budget by use (hover: Δv)",
                      height=420, yaxis_title="propellant (kg)", xaxis_title="scenario",
                      margin=dict(l=60, r=20, t=50, b=40))
    return fig


def timeline_chart(results: dict[str, RunResult]):
    """Phases as horizontal bars on a date axis, events as diamonds."""
    fig = go.Figure()
    seen = set()
    for name, r in results.items():
        for p in r.summary.get("phases", []):
            if p["start_utc"] == p["end_utc"]:
                continue
            start, end = pd.Timestamp(p["start_utc"]), pd.Timestamp(p["end_utc"])
            label = p["name"].replace("_", " ")
            fig.add_trace(go.Bar(base=[start], x=[(end - start).total_seconds() * 1000],
                                 y=[name], orientation="h", name=label,
                                 showlegend=label not in seen,
                                 marker_color=PHASE_COLOURS.get(p["name"], "#eeeeee"),
                                 marker_line_color="#888", legendgroup=label,
                                 hovertemplate=f"{label}: {p['start_utc'][:10]} to "
                                               f"{p['end_utc'][:10]}<extra></extra>"))
            seen.add(label)
        for event in r.summary.get("events", []):
            if event["kind"] in EVENT_STYLE and event["kind"] != "reboosts_end":
                text, colour = EVENT_STYLE[event["kind"]]
                fig.add_trace(go.Scatter(x=[event["time_utc"]], y=[name], mode="markers",
                                         marker=dict(symbol="diamond", size=11, color=colour),
                                         name=text, showlegend=text not in seen,
                                         legendgroup=text))
                seen.add(text)
    if not fig.data:
        return None
    fig.update_layout(title="Phases and events", height=180 + 70 * len(results),
                      barmode="overlay", xaxis=dict(type="date", title="date (UTC)"),
                      margin=dict(l=60, r=20, t=50, b=40))
    return fig
