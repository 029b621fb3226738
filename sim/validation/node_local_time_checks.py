"""Checks of the node-local-time correction outside the validation cases (offline, a few s).

    python -m sim.validation.node_local_time_checks build    # rebuild sim/data/msis_node_lst_i51.64.npz
    python -m sim.validation.node_local_time_checks scatter RAW_DIR  # ln B scatter, with/without node
    python -m sim.validation.node_local_time_checks phase HOURS  # validation, node time shifted

``scatter``: B fitted on every drag-only segment of each raw history (RAW_DIR holds the files
of ``sim.validation.derive_tables.SOURCES``; 1998-067GU in 20-day windows), once with the
node's local time and once with the all-local-time mean; a correction that captures real
physics should lower the scatter of ln B between segments. ``phase``: a diagnostic only, the
validation with the node's local time shifted by HOURS (6 h puts the 12-h wave in opposite
phase); it must do worse than the unshifted correction if the phase is right.
"""

import dataclasses
import sys
from pathlib import Path

import numpy as np

from sim.campaign import calibration
from sim.campaign.calibration import calibrate_history
from sim.campaign.table_cache import build_correction_into
from sim.history.readers import load_history
from sim.validation.derive_tables import SOURCES, read_tle_tsv

DATA = Path(__file__).resolve().parents[1] / "data"


def _segment_fits(history, natural: bool):
    if not natural:
        return list(calibrate_history(history).segments)
    fits = []
    for start in np.arange(history.day[0], history.day[-1] - 20.0, 20.0):
        fits += list(calibrate_history(history.window(start, start + 20.0)).segments)
    return fits


def scatter(raw_dir: Path) -> None:
    for src in SOURCES:
        path = raw_dir / src.file
        text = path.read_text(encoding="utf-8")
        hist = read_tle_tsv(text, str(path)) if src.file.endswith(".tsv") \
            else load_history(path)
        for label, h in (("all-local-time mean", dataclasses.replace(hist, raan_deg=None)),
                         ("node local time", hist)):
            fits = _segment_fits(h, src.kind == "natural")
            ln_bc = np.log([f.ballistic_coefficient for f in fits])
            weight = np.array([f.loss_km for f in fits])
            mean = np.average(ln_bc, weights=weight)
            spread = np.sqrt(np.average((ln_bc - mean) ** 2, weights=weight))
            print(f"{src.key:10s} {label:20s} {len(fits):3d} fits  B {np.exp(mean):7.1f}  "
                  f"weighted sd of ln B {spread:.4f}")


def phase(hours: float) -> None:
    from sim.validation.real_decays import run_validation, summary

    original = calibration.node_lst_rows
    calibration.node_lst_rows = lambda *a, **k: (original(*a, **k) + hours) % 24.0
    results = run_validation(samples=50)
    print("errors (% of span):", [round(r.error_pct, 1) for r in results])
    print(summary(results))


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(build_correction_into(DATA, 51.64, print))
    elif sys.argv[1] == "scatter":
        scatter(Path(sys.argv[2]))
    else:
        phase(float(sys.argv[2]))
