"""``footprint.csv`` and ``footprint.geojson``: every impact point, the zone, the ground track.

Written beside ``summary.json`` for controlled reentries (nothing otherwise). Coordinates are
geodetic degrees (GeoJSON order: longitude, latitude); numbers are rounded so reruns give
identical bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from sim.campaign.results import RunResult
from sim.scenario.units import iso_utc

from .atomic import write_atomic_bytes


def _write(path: Path, text: str) -> None:
    write_atomic_bytes(path, lambda fh: fh.write(text.encode("utf-8")))


def _fixed(value: float, digits: int) -> str:
    """``value`` to ``digits`` decimals, never as "-0.00": the heel and the toe lie on the
    track by construction, and their along/cross distances of +-1e-13 km (the last bits of
    the geodetic latitude, which numpy's vectorised kernels do not always give the same)
    must not change the file."""
    return f"{round(float(value), digits) + 0.0:.{digits}f}"


def footprint_rows(result: RunResult) -> list[str]:
    outcome = result.reentry
    fp = outcome.footprint
    d = fp.drop
    classes = outcome.class_names
    rows = ["kind,class,lat_deg,lon_deg,time_utc,along_track_km,cross_track_km"]
    for k in range(len(d.lat)):
        rows.append(f"impact,{classes[d.class_index[k]]},{d.lat[k]:.5f},{d.lon[k]:.5f},"
                    f"{iso_utc(float(d.day[k]))},{_fixed(fp.along_km[k], 2)},"
                    f"{_fixed(fp.cross_km[k], 2)}")
    disp = outcome.dispersion
    if disp is not None:
        for lat, lon in zip(disp.lat, disp.lon):
            rows.append(f"dispersed,,{lat:.5f},{lon:.5f},,,")
    return rows


def _feature(geometry: dict, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def footprint_geojson(result: RunResult) -> dict:
    outcome = result.reentry
    fp = outcome.footprint
    d = fp.drop
    zone = [[round(float(lon), 4), round(float(lat), 4)] for lat, lon in outcome.zone]
    feats = [_feature({"type": "Polygon", "coordinates": [zone + zone[:1]]}, kind="target_zone"),
             _feature({"type": "Point", "coordinates": [outcome.aim[1], outcome.aim[0]]},
                      kind="aim"),
             _feature({"type": "LineString", "coordinates": [
                 [round(float(lon), 4), round(float(lat), 4)] for lat, lon in fp.track]},
                 kind="ground_track"),
             _feature({"type": "MultiPoint", "coordinates": [
                 [round(float(lo), 5), round(float(la), 5)] for la, lo in zip(d.lat, d.lon)]},
                 kind="impacts")]
    for name, k in (("heel", fp.heel), ("toe", fp.toe)):
        feats.append(_feature({"type": "Point", "coordinates": [round(float(d.lon[k]), 5),
                                                                round(float(d.lat[k]), 5)]},
                              kind=name, time_utc=iso_utc(float(d.day[k]))))
    if outcome.dispersion is not None:
        feats.append(_feature({"type": "MultiPoint", "coordinates": [
            [round(float(lo), 5), round(float(la), 5)]
            for la, lo in zip(outcome.dispersion.lat, outcome.dispersion.lon)]},
            kind="dispersed_impacts"))
    return {"type": "FeatureCollection", "features": feats}


def write_footprint_files(result: RunResult, folder: Path) -> list[Path]:
    """footprint.csv and footprint.geojson for a controlled reentry (else nothing)."""
    if result.reentry is None or result.reentry.footprint is None:
        return []
    csv_path, geo_path = Path(folder) / "footprint.csv", Path(folder) / "footprint.geojson"
    _write(csv_path, "\n".join(footprint_rows(result)) + "\n")
    _write(geo_path, json.dumps(footprint_geojson(result), indent=1) + "\n")
    return [csv_path, geo_path]

