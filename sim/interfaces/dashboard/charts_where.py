"""Where it comes down: the footprint map of a targeted reentry, the casualty risk of an
uncontrolled one.

The map is drawn on plain longitude/latitude axes with the coastline traced from the land mask
that ships with the package, so it needs no map tiles or topology files from the network.
"""

from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go

from sim.core.land import load_land_mask

from ..footprint_files import footprint_geojson
from .charts import FONT, Shown, _layout
from .verdict import casualty_words

LIMIT = 1e-4  # NASA-STD-8719.14 and the US Government practices: 1 in 10,000 per reentry
COAST_CELL_DEG = 1.0  # coastline traced on a 1-degree grid: small to send, plain at this scale
MARGIN_DEG = 25.0


@functools.lru_cache(maxsize=1)
def coastline() -> tuple[np.ndarray, np.ndarray]:
    """Coastline polylines (lon, lat; NaN between lines) traced at 1 degree from the mask."""
    import contourpy

    mask = load_land_mask()
    k = max(1, int(round(COAST_CELL_DEG / mask.cell_deg)))
    rows, cols = (s // k * k for s in mask.land.shape)
    coarse = mask.land[:rows, :cols].reshape(rows // k, k, cols // k, k).mean(axis=(1, 3))
    lon = (np.arange(coarse.shape[1]) + 0.5) * mask.cell_deg * k - 180.0
    lat = (np.arange(coarse.shape[0]) + 0.5) * mask.cell_deg * k - 90.0
    lines = contourpy.contour_generator(lon, lat, coarse).lines(0.5)
    xs, ys = [], []
    for line in lines:
        xs += list(np.round(line[:, 0], 2)) + [np.nan]
        ys += list(np.round(line[:, 1], 2)) + [np.nan]
    return np.array(xs), np.array(ys)


def _features(shown: Shown) -> dict | None:
    if getattr(shown.result, "reentry", None) is None or \
            getattr(shown.result.reentry, "footprint", None) is None:
        return None
    data = footprint_geojson(shown.result)
    return {f["properties"]["kind"]: f for f in data["features"]}


def _xy(feature) -> tuple[list, list]:
    geometry = feature["geometry"]
    coords = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        coords = coords[0]
    elif geometry["type"] == "Point":
        coords = [coords]
    return [c[0] for c in coords], [c[1] for c in coords]


def _window(feats: dict) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for kind in ("target_zone", "impacts", "aim"):
        x, y = _xy(feats[kind])
        xs += x
        ys += y
    return ([max(-180, min(xs) - MARGIN_DEG), min(180, max(xs) + MARGIN_DEG)],
            [max(-90, min(ys) - MARGIN_DEG), min(90, max(ys) + MARGIN_DEG)])


def _inside(x, y, lon_range, lat_range) -> tuple[list, list]:
    keep = [(a, b) for a, b in zip(x, y)
            if lon_range[0] <= a <= lon_range[1] and lat_range[0] <= b <= lat_range[1]]
    step = max(1, len(keep) // 300)
    return [a for a, _ in keep[::step]], [b for _, b in keep[::step]]


def _clipped(x: np.ndarray, y: np.ndarray, lon_range, lat_range) -> tuple[list, list]:
    """The coastline inside the map's window (points outside become line breaks)."""
    inside = (x >= lon_range[0]) & (x <= lon_range[1]) & (y >= lat_range[0]) & \
        (y <= lat_range[1])
    x, y = np.where(inside, x, np.nan), np.where(inside, y, np.nan)
    keep = inside | np.concatenate([[False], inside[:-1]])  # one break after each run
    return [None if v != v else float(v) for v in x[keep]], \
        [None if v != v else float(v) for v in y[keep]]


def footprint_map(shown: Shown):
    """Target zone, last ground track, nominal and dispersed impacts, heel, toe and aim."""
    feats = _features(shown)
    if feats is None:
        return None
    lon_range, lat_range = _window(feats)
    fig = go.Figure()
    cx, cy = _clipped(*coastline(), lon_range, lat_range)
    fig.add_trace(go.Scatter(x=cx, y=cy, mode="lines", line=dict(color="#8c7d5e", width=1),
                             name="coastline", hoverinfo="skip"))
    x, y = _xy(feats["target_zone"])
    fig.add_trace(go.Scatter(x=x, y=y, fill="toself", fillcolor="rgba(158,202,225,0.35)",
                             line=dict(color="#4a90c2"), name="target zone"))
    x, y = _inside(*_xy(feats["ground_track"]), lon_range, lat_range)
    fig.add_trace(go.Scatter(x=x, y=y, mode="markers", marker=dict(size=2, color="#777"),
                             name="ground track (last revolution)"))
    if "dispersed_impacts" in feats:
        x, y = _xy(feats["dispersed_impacts"])
        fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name="impacts, dispersed (99 %)",
                                 marker=dict(size=4, color="#ff7f0e", opacity=0.4)))
    x, y = _xy(feats["impacts"])
    fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name="impacts, nominal",
                             marker=dict(size=6, color="#d62728")))
    for kind, symbol in (("heel", "triangle-down"), ("toe", "triangle-up"), ("aim", "star")):
        x, y = _xy(feats[kind])
        fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name=kind, marker=dict(
            symbol=symbol, size=14 if kind == "aim" else 10, color="gold" if kind == "aim"
            else "white", line=dict(color="black", width=1))))
    fp = shown.result.summary.get("footprint") or {}
    fig.update_xaxes(range=lon_range, title_text="longitude (°)", showgrid=True,
                     constrain="domain")
    fig.update_yaxes(range=lat_range, title_text="latitude (°)", scaleanchor="x",
                     scaleratio=1, showgrid=True, constrain="domain")
    title = (f"{shown.label}: debris footprint {fp.get('length_km', 0):,.0f} km long, "
             f"{'inside' if fp.get('inside_target_zone') else 'OUTSIDE'} the target zone, "
             f"{fp.get('min_distance_to_land_km', 0):,.0f} km from land")
    fig.update_layout(font=FONT, plot_bgcolor="#eaf3fb")
    return _layout(fig, title, 520)


def casualty(shown: list[Shown]):
    """Casualty expectation of each uncontrolled outcome against the 1-in-10,000 limit."""
    rows = [(s.label, s.result.summary["casualty_expectation"]) for s in shown
            if s.result.summary.get("casualty_expectation")]
    if not rows:
        return None
    fig = go.Figure(go.Bar(x=[r[1] for r in rows], y=[r[0] for r in rows], orientation="h",
                           marker_color="#d62728", text=[casualty_words(r[1]) for r in rows],
                           textposition="outside", hovertemplate="%{x:.2g}<extra></extra>"))
    fig.add_vline(x=LIMIT, line=dict(color="black", dash="dash", width=2))
    fig.add_annotation(x=np.log10(LIMIT), y=1.0, yref="paper", text="limit: 1 in 10,000",
                       showarrow=False, xanchor="left", yanchor="bottom")
    fig.update_xaxes(type="log", title_text="expected casualties per reentry",
                     exponentformat="power", range=[-6, 0.3])
    return _layout(fig, "Uncontrolled reentry: risk to people on the ground", 200 + 50 * len(rows))
