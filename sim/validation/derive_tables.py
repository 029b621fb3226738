"""Derive the small validation tables shipped in ``sim/data/decays`` from raw element sets.

Run once by ``iss-deorbit validation --derive RAW_DIR`` (RAW_DIR holds the files listed in
``SOURCES``; they are public element sets and are not shipped). Each history is read and
cleaned as ``calibrate`` reads it; the cases are chosen by a fixed rule, not by their
outcome:

- an object that decayed (``natural``): fit windows of ``NATURAL_FIT_DAYS`` ending
  ``NATURAL_LEADS`` days before its last element set, each used if the history covers it;
  target: that last set's altitude. The table keeps the last ``NATURAL_KEEP_DAYS``.
- a manoeuvring station: its ``longest`` drag-only segments by duration; fit on the first
  ``SEGMENT_FIT_FRACTION`` of the segment; target: the segment's final altitude (the mean of
  its last three sets) -- there is no natural reentry, so the check is "when does it reach
  the altitude it was actually seen at before the next reboost".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.history.altitude_history import AltitudeHistory, history_from_rows
from sim.history.elements import _omm_row
from sim.history.readers import clean, parse_history
from sim.history.segments import drag_segments
from sim.scenario.units import iso_utc

NATURAL_FIT_DAYS = 30.0
NATURAL_LEADS = (90.0, 60.0, 30.0)
NATURAL_KEEP_DAYS = 180.0
SEGMENT_FIT_FRACTION = 0.5
CALIBRATION_SOURCE = "iss2024"
CALIBRATION_TABLE = "iss-2024-2025-history.csv"
CASE_COLUMNS = ("case", "object", "table", "fit_start_utc", "fit_end_utc", "target_alt_km",
                "actual_utc", "check")


@dataclass(frozen=True)
class Source:
    key: str
    object_name: str
    file: str
    kind: str  # "natural" or "segments"
    longest: int = 0
    origin: str = "../shared/data/tle"  # where the public raw file was found


TLE_ANALYSIS = "github.com/mfacchinelli/tleAnalysis"
SOURCES = (
    Source("obj40742", "1998-067GU (NORAD 40742)", "obj40742_2015.tsv", "natural"),
    Source("genesat1", "GeneSat-1 (NORAD 29655)", "genesat1_29655.tsv", "natural",
           origin=f"{TLE_ANALYSIS} files/29655.txt"),
    Source("omid", "Omid (NORAD 33506)", "omid_33506.tsv", "natural",
           origin=f"{TLE_ANALYSIS} files/33506.txt"),
    Source("cosmos2251deb", "Cosmos 2251 debris (NORAD 34393)", "cosmos2251deb_34393.tsv",
           "natural", origin=f"{TLE_ANALYSIS} files/34393.txt"),
    Source("sz11module", "Shenzhou-11 orbital module (NORAD 41868)",
           "sz11_module_41868.tle", "natural",
           origin="github.com/lauratrain99/Re-entry_Analysis TLEs/Shenzhou11.txt"),
    Source("tiangong2", "Tiangong-2 (NORAD 41765)", "tiangong2_2016_2019.tle", "segments", 2),
    Source("iss1998", "ISS 1998-2004 (NORAD 25544)", "iss_1998_2004.tle", "segments", 3),
    Source("iss2024", "ISS 2024-25 (NORAD 25544)", "iss_2024_2025_omm.json", "segments", 2),
)


def read_tle_tsv(text: str, name: str) -> AltitudeHistory:
    """Tab-separated two-line element fields (one line of fields per TLE line)."""
    rows, line1 = [], None
    for raw in text.splitlines():
        f = raw.split("\t")
        if f[0] == "1":
            line1 = f
        elif f[0] == "2" and line1 is not None:
            year, doy = int(line1[3][:2]), float(line1[3][2:])
            year += 2000 if year < 57 else 1900
            epoch = dt.datetime(year, 1, 1) + dt.timedelta(days=doy - 1.0)
            fields = {"EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"), "NORAD_CAT_ID": f[1],
                      "INCLINATION": f[2], "RA_OF_ASC_NODE": f[3], "ECCENTRICITY": "0." + f[4],
                      "ARG_OF_PERICENTER": f[5], "MEAN_ANOMALY": f[6], "MEAN_MOTION": f[7]}
            rows.append(_omm_row(fields, name))
            line1 = None
    return clean(history_from_rows(name, rows))


def _csv_text(hist: AltitudeHistory) -> str:
    out = io.StringIO()
    out.write(f"# derived from {Path(hist.name).name} by `iss-deorbit validation --derive`\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["epoch_utc", "mean_alt_km", "apogee_km", "perigee_km", "inc_deg",
                     "raan_deg"])
    for k in range(len(hist)):
        stamp = iso_utc(hist.day[k])
        writer.writerow([stamp, f"{hist.mean_alt_km[k]:.4f}", f"{hist.apogee_km[k]:.4f}",
                         f"{hist.perigee_km[k]:.4f}", f"{hist.inc_deg[k]:.4f}",
                         f"{hist.raan_deg[k]:.4f}" if np.isfinite(hist.raan_deg[k]) else ""])
    return out.getvalue()


def _natural_cases(src: Source, hist: AltitudeHistory) -> tuple[dict, list]:
    table = f"{src.key}.csv"
    last = hist.day[-1]
    cases = [(f"{src.key}-{int(lead)}d", src.object_name, table,
              iso_utc(last - lead - NATURAL_FIT_DAYS), iso_utc(last - lead),
              f"{hist.mean_alt_km[-1]:.3f}", iso_utc(last), "last element set")
             for lead in NATURAL_LEADS if last - lead - NATURAL_FIT_DAYS >= hist.day[0]]
    return {table: _csv_text(hist.window(last - NATURAL_KEEP_DAYS, None))}, cases


def _segment_cases(src: Source, hist: AltitudeHistory) -> tuple[dict, list]:
    segments = sorted(drag_segments(hist), key=lambda s: s.day[-1] - s.day[0], reverse=True)
    tables, cases = {}, []
    for segment in sorted(segments[:src.longest], key=lambda s: s.day[0]):
        start = segment.day[0]
        key = f"{src.key}-{iso_utc(start)[:10]}"
        fit_end = start + SEGMENT_FIT_FRACTION * (segment.day[-1] - start)
        target = float(np.mean(segment.mean_alt_km[-3:]))
        actual = float(np.mean(segment.day[-3:]))
        tables[f"{key}.csv"] = _csv_text(segment)
        cases.append((key, src.object_name, f"{key}.csv", iso_utc(start), iso_utc(fit_end),
                      f"{target:.3f}", iso_utc(actual), "end of drag-only segment"))
    return tables, cases


def derive(raw_dir: Path, out_dir: Path) -> list[Path]:
    """Write the tables and ``cases.csv`` into ``out_dir``; returns the files written."""
    tables, cases = {}, []
    for src in SOURCES:
        path = raw_dir / src.file
        text = path.read_text(encoding="utf-8")
        hist = read_tle_tsv(text, str(path)) if src.file.endswith(".tsv") \
            else parse_history(text, str(path))
        more, new = (_natural_cases if src.kind == "natural" else _segment_cases)(src, hist)
        tables.update(more)
        cases.extend(new)
        if src.key == CALIBRATION_SOURCE:
            calibration_table = _csv_text(hist)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([CASE_COLUMNS, *cases])
    tables["cases.csv"] = out.getvalue()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(tables.items()):
        (out_dir / name).write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    # the whole cleaned 2024-25 ISS history: what the scenarios' B is calibrated on
    cal_dir = out_dir.parent / "calibrations"
    cal_dir.mkdir(parents=True, exist_ok=True)
    (cal_dir / CALIBRATION_TABLE).write_text(calibration_table, encoding="utf-8")
    return written + [cal_dir / CALIBRATION_TABLE]
