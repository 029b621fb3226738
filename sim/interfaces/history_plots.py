"""Figures for calibration, prediction and the real-decay validation (matplotlib, Agg)."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sim.campaign.calibration import Calibration  # noqa: E402
from sim.campaign.prediction import Prediction  # noqa: E402
from sim.scenario.units import from_day  # noqa: E402

from .plots import _date_axis  # noqa: E402


def _dates(days) -> list[dt.datetime]:
    return [from_day(float(d)) for d in np.atleast_1d(days)]


def calibration_figure(cal: Calibration):
    """Observed mean altitude, each segment's fitted curve and its B."""
    fig, (ax, res) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    hist = cal.history
    ax.plot(_dates(hist.day), hist.mean_alt_km, ".", ms=3, color="#7f7f7f",
            label="observed (element sets)")
    for k, fit in enumerate(cal.segments):
        inside = (hist.day >= fit.start_day) & (hist.day <= fit.end_day)
        days = hist.day[inside]
        ax.plot(_dates(days), fit.model_alt_km, "-", lw=1.6, color="#d62728",
                label="fitted (NRLMSIS 2.1, observed flux)" if k == 0 else None)
        ax.annotate(f"{fit.ballistic_coefficient:.0f}", (from_day(days[0]), fit.model_alt_km[0]),
                    textcoords="offset points", xytext=(0, 6), fontsize=8, color="#d62728")
        res.plot(_dates(days), (hist.mean_alt_km[inside] - fit.model_alt_km) * 1000.0, ".",
                 ms=2, color="#1f77b4")
    low, high = cal.interval_90
    ax.set_title(f"Calibration: B = {cal.ballistic_coefficient:.1f} kg/m\u00b2 "
                 f"(90 %: {low:.0f}-{high:.0f}; numbers: B per segment)")
    ax.set_ylabel("mean altitude a - R_eq (km)")
    ax.legend(loc="best", fontsize=8)
    ax.grid(True, alpha=0.3)
    res.axhline(0.0, color="k", lw=0.8)
    res.set_ylabel("observed - fit (m)")
    _date_axis(res)
    return fig


def prediction_figure(pred: Prediction):
    """The fit window, the nominal decay from its end, and the 90 % interval of the date."""
    fig, ax = plt.subplots(figsize=(10, 5))
    hist = pred.calibration.history
    ax.plot(_dates(hist.day), hist.mean_alt_km, ".", ms=3, color="#7f7f7f",
            label="fit window (observed)")
    ax.plot(_dates(pred.track_days), pred.track_alt_km, "-", color="#d62728",
            label=f"predicted (B = {pred.calibration.ballistic_coefficient:.1f} kg/m\u00b2)")
    low, high = pred.interval_90
    if low is not None and high is not None:
        ax.axvspan(from_day(low), from_day(high), color="#f4c7c3", alpha=0.6,
                   label="90 % interval of the date")
    if pred.predicted_day is not None:
        ax.axvline(from_day(pred.predicted_day), color="k", ls="--", lw=1,
                   label=f"predicted {from_day(pred.predicted_day):%Y-%m-%d}")
    ax.axhline(pred.stop_altitude_km, color="#9467bd", lw=0.8, ls=":",
               label=f"stop: {pred.stop_on} altitude {pred.stop_altitude_km:g} km")
    ax.set_title("Prediction from the end of the fit window")
    ax.set_ylabel("mean altitude a - R_eq (km)")
    ax.legend(loc="best", fontsize=8)
    _date_axis(ax)
    return fig


def validation_figure(rows: list[dict]):
    """Per case: predicted date error and 90 % interval, as % of the prediction span."""
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.6))
    for k, row in enumerate(rows):
        span = row["span_days"]
        err = row["error_pct_of_span"] if row["error_days"] is None or row["error_days"] >= 0 \
            else -row["error_pct_of_span"]
        lo, hi = row["interval_pct"]
        ax.plot([lo, hi], [k, k], "-", color="#1f77b4", lw=3, alpha=0.5,
                label="90 % interval" if k == 0 else None)
        ax.plot([err], [k], "o", color="#d62728" if abs(err) > 10 else "#2ca02c",
                label="prediction error" if k == 0 else None)
        ax.annotate(f"{span:.0f} d", (hi, k), textcoords="offset points", xytext=(4, -3),
                    fontsize=7)
    ax.axvline(0.0, color="k", lw=0.8)
    for x in (-10, -5, 5, 10):
        ax.axvline(x, color="#7f7f7f", lw=0.6, ls=":")
    ax.set_yticks(range(len(rows)), [r["case"] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("predicted minus actual date, % of the prediction span (span in days)")
    ax.set_title("Fit-then-predict on real decays")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(True, axis="x", alpha=0.3)
    return fig
