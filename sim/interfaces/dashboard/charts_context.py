"""Why the dates are what they are: the Sun, the air, the propellant budget, the spread.

The flux chart separates what was measured from what is forecast: measured daily F10.7 from
CelesTrak up to its last observed day, then each scenario's own forecast (the CelesTrak/NOAA
prediction, scaled or shifted by the scenario, then a repeat of the last cycle).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.campaign.environment import flux_record
from sim.scenario.units import iso_utc

from .charts import FONT, Shown, _layout, frame, thin, time_range
from .model import budget_rows

EPOCH = pd.Timestamp("1970-01-01", tz="UTC")


def observed_flux(start: str) -> tuple[pd.DatetimeIndex, np.ndarray, str]:
    """Measured daily F10.7 from ``start`` on, thinned, and the last measured day (ISO)."""
    record = flux_record()
    first = (pd.Timestamp(start, tz="UTC") - EPOCH).days
    last_obs = record.last_observed_day
    keep = (record.day >= first) & (record.day <= last_obs)
    days = record.day[keep]
    step = max(1, len(days) // 400)
    return (EPOCH + pd.to_timedelta(days[::step], unit="D"), record.f107[keep][::step],
            iso_utc(float(last_obs))[:10])


def flux_and_density(shown: list[Shown]):
    """F10.7 (measured, then each scenario's forecast) over the orbit-mean density."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=["Solar flux F10.7 (sfu)",
                                        "Air density at the station's altitude (kg/m³)"])
    start, end = time_range(shown)
    when, f107, last_obs = observed_flux(start)
    fig.add_trace(go.Scatter(x=when, y=f107, name="measured daily F10.7 (CelesTrak)",
                             line=dict(color="#777777", width=1)), row=1, col=1)
    for k, s in enumerate(shown):  # wider lines first: identical forecasts stay visible
        df = thin(frame(s.result))
        ahead = df[df["time_utc"] > last_obs]  # ISO strings sort as dates
        width = 2 + 3 * (len(shown) - 1 - k)
        fig.add_trace(go.Scatter(x=ahead["time_utc"], y=ahead["f107a"],
                                 name=f"{s.label}: forecast (81-day mean)", opacity=0.8,
                                 line=dict(color=s.colour, width=width)), row=1, col=1)
        fig.add_trace(go.Scatter(x=df["time_utc"], y=df["density_kg_m3"],
                                 name=f"{s.label}: density", showlegend=False, opacity=0.8,
                                 line=dict(color=s.colour, width=width)), row=2, col=1)
    for row in (1, 2):
        fig.add_vline(x=pd.Timestamp(last_obs).value / 1e6, row=row, col=1,
                      line=dict(color="#444", width=1))
    fig.add_annotation(x=last_obs, y=1.0, xref="x", yref="y domain", showarrow=False,
                       text="← measured | forecast →", font=dict(size=11), yanchor="bottom")
    fig.update_yaxes(type="log", exponentformat="power", showexponent="all", row=2, col=1,
                     title_text="kg/m³")
    fig.update_yaxes(title_text="sfu", row=1, col=1)
    return _layout(fig, "Solar activity drives the air density that brings the station down",
                   600, (start, end))


def budget(shown: list[Shown]):
    """Propellant by use, stacked per scenario (hover: Δv)."""
    rows = [{**row, "scenario": s.label} for s in shown for row in budget_rows(s.result.summary)]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    fig = go.Figure()
    colours = ("#1f77b4", "#aec7e8", "#ff7f0e", "#d62728", "#9467bd", "#8c564b", "#7f7f7f")
    for k, (burn, group) in enumerate(df.groupby("burn", sort=False)):
        fig.add_trace(go.Bar(x=group["scenario"], y=group["propellant_kg"], name=burn,
                             customdata=group["delta_v_m_s"], marker_color=colours[k % 7],
                             hovertemplate="%{y:,.0f} kg, Δv %{customdata:.1f} m/s"))
    fig.update_layout(barmode="stack", yaxis_title="propellant (kg)", font=FONT)
    return _layout(fig, "Propellant by use", 440)


def _month_bins(dates: list[pd.Timestamp]) -> dict:
    first, last = min(dates), max(dates)
    return dict(start=first.strftime("%Y-%m-01"), end=(last + pd.Timedelta(days=31))
                .strftime("%Y-%m-01"), size="M1")


def reentry_spread(shown: list[Shown]):
    """How many simulated futures come down in each month, split by whether the plan works."""
    have = [s for s in shown if s.spread is not None]
    if not have:
        return None
    fig = go.Figure()
    dates_all = [pd.Timestamp(d) for s in have for d in s.spread.reentry_utc if d]
    if not dates_all:
        return None
    bins = _month_bins(dates_all)
    for s in have:
        for works, opacity, words in ((True, 0.85, "targeted"), (False, 0.35, "plan fails")):
            dates = [d for d, status in zip(s.spread.reentry_utc, s.spread.status)
                     if d and (status == "controlled_reentry") == works]
            if dates:
                fig.add_trace(go.Histogram(x=dates, xbins=bins, name=f"{s.label}: {words}",
                                           marker_color=s.colour, opacity=opacity))
    fig.update_layout(barmode="stack", yaxis_title="simulated futures per month")
    return _layout(fig, "When the station comes down, across simulated futures", 420,
                   time_range(shown))


def today_iso() -> str:
    return dt.date.today().isoformat()
