"""The ensemble's fan chart: altitude bands through time and the reentry-date histogram."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .result_files import StoredResult  # noqa: E402


def fan_figure(result: StoredResult):
    """Two panels: mean-altitude percentiles (5-95, 25-75, median) and reentry dates."""
    bands, samples, info = result.bands, result.samples, result.ensemble
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True,
                                      gridspec_kw={"height_ratios": [2, 1]})
    t = bands["time_utc"]
    top.fill_between(t, bands["altitude_p5_km"], bands["altitude_p95_km"], color="#c6dbef",
                     label="5-95 %")
    top.fill_between(t, bands["altitude_p25_km"], bands["altitude_p75_km"], color="#6baed6",
                     label="25-75 %")
    top.plot(t, bands["altitude_p50_km"], color="#08306b", lw=1.5, label="median")
    top.set_ylabel("mean altitude (km)")
    top.set_ylim(bottom=0)
    top.set_title(f"{result.name}: {info['samples']} samples (seed {info['seed']})")
    top.legend(loc="upper right")
    top.grid(alpha=0.3)
    reentry = pd.to_datetime(samples["reentry_utc"].dropna(), utc=True)
    if len(reentry):
        bottom.hist(reentry, bins=60, color="#737373")
    r = info["reentry_utc"]
    for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
        if r.get(key):
            bottom.axvline(pd.Timestamp(r[key]), color="#d62728", ls=style,
                           label=f"{key}: {r[key][:10]}")
    bottom.set_ylabel("samples")
    bottom.set_xlabel("reentry date (UTC)")
    if r.get("p50"):
        bottom.legend(loc="upper right")
    bottom.grid(alpha=0.3)
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    fig.autofmt_xdate()
    return fig
