"""Static figures with matplotlib: altitude, propellant, solar flux and density, overlays.

Readable at a glance: a title, units on every axis, a legend, dates on the x axis, phases
shaded and events marked. Rendering is deterministic (fixed metadata) so reruns are identical.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .result_files import StoredResult  # noqa: E402
from .atomic import write_atomic_bytes  # noqa: E402

PHASE_COLOURS = {"altitude_maintenance": "#dbe9f6", "natural_decay": "#fdf1d6",
                 "uncrewed_decay": "#f9dfc4", "active_descent": "#e9dcf2",
                 "perigee_lowering": "#f4c7c3",
                 "final_burn": "#e8a29b", "uncontrolled_decay": "#e0e0e0"}
# hex colours: both matplotlib and plotly read them
EVENT_STYLE = {"usdv_docking": ("USDV docks", "#9467bd"),
               "crew_departure": ("crew leaves", "#2ca02c"),
               "reboosts_end": ("reboosts end", "#1f77b4"),
               "final_burn": ("final burn", "#d62728"), "boost": ("boost", "#1f77b4"),
               "reentry": ("reentry", "#000000")}
FORMATS = ("png", "svg", "pdf")


MAX_POINTS = 1500  # per line: enough for the eye, small files


def _thin(frame: pd.DataFrame) -> pd.DataFrame:
    """Every k-th row, plus the last, so long runs plot fast and embed small."""
    step = max(1, len(frame) // MAX_POINTS)
    if step == 1:
        return frame
    keep = frame.index[::step].append(frame.index[-1:])
    return frame.loc[keep.unique()]


def _shade_phases(ax, result: StoredResult) -> None:
    seen = set()
    for phase in result.summary.get("phases", []):
        start, end = pd.Timestamp(phase["start_utc"]), pd.Timestamp(phase["end_utc"])
        colour = PHASE_COLOURS.get(phase["name"], "#eeeeee")
        label = phase["name"].replace("_", " ") if phase["name"] not in seen else None
        seen.add(phase["name"])
        ax.axvspan(start, max(end, start + pd.Timedelta(hours=12)), color=colour, alpha=0.8,
                   lw=0, label=label, zorder=0)


def _mark_events(ax, result: StoredResult) -> None:
    seen = set()
    for event in result.summary.get("events", []):
        if event["kind"] not in EVENT_STYLE:
            continue
        text, colour = EVENT_STYLE[event["kind"]]
        ax.axvline(pd.Timestamp(event["time_utc"]), color=colour, ls="--", lw=1,
                   label=text if text not in seen else None)
        seen.add(text)


def _date_axis(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("date (UTC)")
    ax.grid(True, alpha=0.3)


def _phase_figure(result: StoredResult, height: float, draw, title: str, ylabel: str,
                  legend_at: str):
    """A figure over the run's dates with phases shaded and events marked around ``draw``."""
    fig, ax = plt.subplots(figsize=(10, height))
    _shade_phases(ax, result)
    draw(ax, _thin(result.series))
    _mark_events(ax, result)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.legend(loc=legend_at, fontsize=8, ncol=2)
    _date_axis(ax)
    return fig


def altitude_figure(result: StoredResult):
    def draw(ax, s):
        ax.plot(s["time_utc"], s["apogee_km"], color="tab:gray", lw=0.8, label="apogee")
        ax.plot(s["time_utc"], s["perigee_km"], color="tab:orange", lw=0.8, label="perigee")
        ax.plot(s["time_utc"], s["mean_altitude_km"], color="tab:blue", lw=1.8,
                label="mean altitude")

    reentry = result.summary.get("reentry_utc") or "not within the run"
    return _phase_figure(result, 5.2, draw, f"{result.name}: altitude (reentry {reentry[:10]})",
                         "altitude above the equatorial radius (km)", "lower left")


def propellant_figure(result: StoredResult):
    def draw(ax, s):
        for column in [c for c in s.columns
                       if c.startswith("propellant_") and c != "propellant_kg"]:
            ax.plot(s["time_utc"], s[column], lw=1.5,
                    label=column.removeprefix("propellant_").removesuffix("_kg"))
        ax.plot(s["time_utc"], s["propellant_kg"], color="black", lw=1, ls=":", label="total")

    return _phase_figure(result, 4.5, draw, f"{result.name}: propellant remaining per tank",
                         "propellant (kg)", "upper right")


def flux_figure(result: StoredResult):
    fig, ax = plt.subplots(figsize=(10, 4.5))
    s = _thin(result.series)
    ax.plot(s["time_utc"], s["f107"], color="tab:orange", lw=0.6, alpha=0.7,
            label="F10.7 (daily)")
    ax.plot(s["time_utc"], s["f107a"], color="tab:red", lw=1.6, label="F10.7 (81-day mean)")
    ax.set_ylabel("solar flux F10.7 (sfu)")
    ax2 = ax.twinx()
    ax2.semilogy(s["time_utc"], s["density_kg_m3"], color="tab:blue", lw=1.2,
                 label="density at mean altitude")
    ax2.set_ylabel("orbit-mean density (kg/m³)")
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper right", fontsize=8)
    ax.set_title(f"{result.name}: solar flux and atmospheric density")
    _date_axis(ax)
    return fig


def overlay_figure(results: list[StoredResult]):
    """Mean altitude of several runs on one date axis, cut a year after the last reentry."""
    fig, ax = plt.subplots(figsize=(10, 5.2))
    reentries = [pd.Timestamp(r.summary["reentry_utc"]) for r in results
                 if r.summary.get("reentry_utc")]
    starts = [r.series["time_utc"].iloc[0] for r in results]
    for result in results:
        s = _thin(result.series)
        ax.plot(s["time_utc"], s["mean_altitude_km"], lw=1.6, label=result.name)
        if result.summary.get("reentry_utc"):
            ax.axvline(pd.Timestamp(result.summary["reentry_utc"]), color="gray", lw=0.8, ls=":")
    if reentries:
        ax.set_xlim(min(starts), max(reentries) + pd.Timedelta(days=365))
    ax.set_title("Mean altitude, scenarios compared (dotted: reentry)")
    ax.set_ylabel("mean altitude (km)")
    ax.legend(fontsize=8)
    _date_axis(ax)
    return fig


FIGURES = {"altitude": altitude_figure, "propellant": propellant_figure, "flux": flux_figure}


def _features(result: StoredResult) -> dict | None:
    import json

    path = result.folder / "footprint.geojson"
    if not path.is_file():
        return None
    return {f["properties"]["kind"]: f for f in json.loads(path.read_text())["features"]}


def _xy(feature) -> tuple[list, list]:
    coords = feature["geometry"]["coordinates"]
    coords = coords[0] if feature["geometry"]["type"] == "Polygon" else coords
    return [c[0] for c in coords], [c[1] for c in coords]


def footprint_map_figure(result: StoredResult):
    """Land (0.25-deg mask from global-land-mask / GLOBE), the target zone, the last ground
    track, the dispersed and nominal impacts, heel, toe and aim; None if no footprint."""
    from sim.core.land import load_land_mask

    feats = _features(result)
    if feats is None:
        return None
    mask = load_land_mask()
    fig, ax = plt.subplots(figsize=(10, 5.6))
    lon_c = (np.arange(mask.land.shape[1]) + 0.5) * mask.cell_deg - 180.0
    lat_c = (np.arange(mask.land.shape[0]) + 0.5) * mask.cell_deg - 90.0
    ax.contourf(lon_c, lat_c, mask.land.astype(float), levels=[0.5, 1.5], colors=["#d9cfb8"])
    ax.contour(lon_c, lat_c, mask.land.astype(float), levels=[0.5], colors="#8c7d5e",
               linewidths=0.5)
    x, y = _xy(feats["target_zone"])
    ax.fill(x, y, color="#9ecae1", alpha=0.35, label="target zone")
    x, y = _xy(feats["ground_track"])
    ax.plot(x, y, ".", ms=1.2, color="tab:gray", label="ground track (last revolution)")
    if "dispersed_impacts" in feats:
        x, y = _xy(feats["dispersed_impacts"])
        ax.plot(x, y, ".", ms=2, color="tab:orange", alpha=0.4, label="dispersed impacts")
    x, y = _xy(feats["impacts"])
    ax.plot(x, y, "o", ms=3, color="tab:red", label="nominal impacts")
    for kind, marker in (("heel", "v"), ("toe", "^"), ("aim", "*")):
        px, py = feats[kind]["geometry"]["coordinates"]
        ax.plot(px, py, marker, ms=11 if kind == "aim" else 8, color="black",
                mfc="gold" if kind == "aim" else "white", label=kind)
    fp = result.summary.get("footprint") or {}
    ax.set_xlim(-180, 180)
    ax.set_ylim(-80, 80)
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.set_title(f"{result.name}: debris footprint {fp.get('length_km', '?')} x "
                 f"{fp.get('width_km', '?')} km, inside zone: {fp.get('inside_target_zone')}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower left", fontsize=7, ncol=2)
    ax.text(1.0, -0.1, "land: global-land-mask (MIT) / NOAA GLOBE", transform=ax.transAxes,
            fontsize=6, ha="right", color="gray")
    return fig


def figure_bytes(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"png": {"Software": None}, "svg": {"Date": None},
                "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
    fig.tight_layout()
    fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    plt.close(fig)
    return buffer.getvalue()


def save_figure(fig, path: Path, fmt: str) -> Path:
    data = figure_bytes(fig, fmt)
    write_atomic_bytes(path, lambda fh: fh.write(data))
    return path


def plot_result(result: StoredResult, folder: Path, fmt: str = "png") -> list[Path]:
    paths = [save_figure(make(result), folder / f"{name}.{fmt}", fmt)
             for name, make in FIGURES.items()]
    fig = footprint_map_figure(result)
    if fig is not None:
        paths.append(save_figure(fig, folder / f"footprint_map.{fmt}", fmt))
    if result.ensemble is not None:
        from .fan_chart import fan_figure

        paths.append(save_figure(fan_figure(result), folder / f"ensemble_fan.{fmt}", fmt))
    return paths
