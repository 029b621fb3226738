"""Calibrate the ballistic coefficient B = m / (C_D A) from an observed altitude history.

Each drag-only segment (between manoeuvres) is fitted on its whole altitude curve with the
product's propagator, the NRLMSIS 2.1 orbit-mean table and CelesTrak's observed flux
(``drag_fit``). Where the history carries the node's right ascension the field follows the
node's local time (``node_path``, ``density_field.node_corrected_field``); otherwise it is the
all-local-time mean. B so fitted absorbs the atmosphere model's bias, so it belongs with
NRLMSIS 2.1 (DESIGN 3.9). The segments are combined in ln B, each weighted by the altitude it lost
(what constrains B); the 90 % interval is where B of a further window is expected to lie:
mean +- 1.645 sigma, sigma the weighted scatter between segments when there are at least
``MIN_SEGMENTS_FOR_SCATTER``, else ``DRIFT_PRIOR`` (combined with the fits' own errors).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.density_field import DensityField, msis_table_field, node_corrected_field
from sim.core.space_weather import SolarActivity, daily_weather

from sim.history.altitude_history import AltitudeHistory
from sim.history.segments import Manoeuvre, drag_segments, find_manoeuvres
from sim.scenario.units import iso_utc

from .drag_fit import FitError, SegmentFit, fit_segment, recency_weights
from .environment import flux_record
from .node_path import NodeTrack, node_lst_rows, node_track
from .table_cache import Progress, ensure_correction, ensure_table

Z90 = 1.6448536269514722  # two-sided 90 %
MIN_SEGMENTS_FOR_SCATTER = 3
# 1-sigma drift of ln B between windows when a history cannot measure it: NRLMSIS's density
# error is 10-20 % 1-sigma (DESIGN 3.8), but a fit absorbs its mean bias, leaving the drift;
# the lower end, 0.10. (Measured for comparison: 0.11 between the eight ISS 2024-25 segments.)
DRIFT_PRIOR = 0.10


class CalibrationError(ValueError):
    """No drag-only segment to fit, or no inclination to pick the atmosphere table."""


@dataclass(frozen=True)
class Calibration:
    history_name: str
    inclination_deg: float
    window: tuple[float, float]  # days since 1970 of the first and last set used
    ballistic_coefficient: float  # kg/m^2, combined
    sigma_ln_bc: float  # 1-sigma spread of ln B used for the interval
    interval_90: tuple[float, float]  # kg/m^2
    spread_source: str  # "between-segment scatter" or "prior"
    segments: tuple[SegmentFit, ...]
    manoeuvres: tuple[Manoeuvre, ...]
    history: AltitudeHistory  # the window's observations (for plots)

    @property
    def node_known(self) -> bool:
        """Whether the atmosphere followed the node's local time (the history carries it)."""
        return self.history.node_known

    def as_dict(self) -> dict:
        return {
            "history": self.history_name,
            "window_utc": [iso_utc(self.window[0]), iso_utc(self.window[1])],
            "inclination_deg": round(self.inclination_deg, 4),
            "atmosphere": "nrlmsis 2.1 orbit-mean table, CelesTrak observed flux",
            "node_local_time": ("observed (element sets' right ascension)" if self.node_known
                                else "unknown: mean over all local times"),
            "ballistic_coefficient_kg_m2": round(self.ballistic_coefficient, 2),
            "interval_90_kg_m2": [round(x, 2) for x in self.interval_90],
            "sigma_ln_ballistic_coefficient": round(self.sigma_ln_bc, 4),
            "interval_from": self.spread_source,
            "segments": [segment_dict(s) for s in self.segments],
            "manoeuvres_utc": [{"time_utc": iso_utc(m.day), "change_km": round(m.change_km, 3)}
                               for m in self.manoeuvres],
            "notes": list(self.history.notes),
        }


def segment_dict(fit: SegmentFit) -> dict:
    return {"start_utc": iso_utc(fit.start_day), "end_utc": iso_utc(fit.end_day),
            "element_sets": fit.n_points, "altitude_loss_km": round(fit.loss_km, 3),
            "ballistic_coefficient_kg_m2": round(fit.ballistic_coefficient, 2),
            "fit_sigma_ln": round(fit.sigma_ln_bc, 5), "rms_km": round(fit.rms_km, 4)}


def inclination_of(history: AltitudeHistory, given_deg: float | None) -> float:
    inc = history.inclination_deg if history.inclination_deg is not None else given_deg
    if inc is None:
        raise CalibrationError(f"{history.name}: the history has no inclination; give one "
                               "(--inclination DEG)")
    return inc


def observed_field(inclination_deg: float, first_day: float, last_day: float,
                   activity: SolarActivity = SolarActivity(),
                   progress: Progress | None = None, node: NodeTrack | None = None,
                   path: tuple[np.ndarray, np.ndarray] | None = None) -> DensityField:
    """The daily NRLMSIS field from the CelesTrak record (observed, then forecast) over a span.

    With ``node`` (the observed node) the field is the one the node's local time sees
    (``node_corrected_field``); ``path`` (days, mean altitude km) carries the node's J2
    regression past the last element set. Without it, the all-local-time mean."""
    table = ensure_table(inclination_deg, progress)
    weather = daily_weather(flux_record(), int(math.floor(first_day)) - 1,
                            int(math.ceil(last_day)) + 1, activity)
    field = msis_table_field(table, weather)
    if node is None:
        return field
    lst = node_lst_rows(node, field.first_day, field.log_rho.shape[0], path)
    return node_corrected_field(field, ensure_correction(inclination_deg, progress), weather,
                                lst)


def combine(fits: list[SegmentFit], recency: list[float] | None = None
            ) -> tuple[float, float, str]:
    """Weighted mean of ln B, its 1-sigma spread for a further window, and where it came from.

    Weights: the altitude each segment lost, times its mean ``recency`` weight if given."""
    ln_bc = np.log([f.ballistic_coefficient for f in fits])
    weight = np.array([max(f.loss_km, 1e-3) for f in fits])
    if recency is not None:
        weight = weight * np.maximum(np.asarray(recency), 1e-3)
    mean = float(np.average(ln_bc, weights=weight))
    stat = float(np.sqrt(np.average(np.array([f.sigma_ln_bc for f in fits]) ** 2,
                                    weights=weight)))
    if len(fits) >= MIN_SEGMENTS_FOR_SCATTER:
        n = len(fits)
        scatter = math.sqrt(float(np.average((ln_bc - mean) ** 2, weights=weight)) * n / (n - 1))
        return mean, math.hypot(scatter, stat), "between-segment scatter"
    return mean, math.hypot(DRIFT_PRIOR, stat), "prior"


def _flux_note(history: AltitudeHistory) -> AltitudeHistory:
    """Say so when element sets lie past the shipped record's observed flux: they are fitted
    through CelesTrak's prediction, and B absorbs that prediction's error."""
    last = flux_record().last_observed_day
    later = int(np.count_nonzero(history.day > last + 1))
    if not later:
        return history
    return history.with_note(f"{later} element set(s) after {iso_utc(last)[:10]}, the last "
                             "day of observed flux shipped, are fitted with CelesTrak's "
                             "predicted flux")


def calibrate_history(history: AltitudeHistory, inclination_deg: float | None = None,
                      progress: Progress | None = None, recent: bool = False) -> Calibration:
    """Fit every drag-only segment of ``history`` and combine them (see the module note).

    ``recent``: weight every element set by its place in the window, rising linearly from 0
    at the first to 1 at the last (``drag_fit.recency_weights``), within segments and between
    them. That is the B to predict with: B drifts, and the window's end is where a
    prediction starts. Without it (calibration) every set counts the same."""
    if len(history) < 2:
        raise CalibrationError(f"{history.name}: fewer than two element sets (in the window): "
                               "no drag-only segment to fit")
    inc = inclination_of(history, inclination_deg)
    manoeuvres = find_manoeuvres(history)
    segments = drag_segments(history, manoeuvres)
    if not segments:
        raise CalibrationError(f"{history.name}: no drag-only segment to fit (at least 8 "
                               "element sets over 3 days losing 0.5 km between manoeuvres)")
    field = observed_field(inc, history.day[0], history.day[-1], progress=progress,
                           node=node_track(history, inc))
    fits, recency = [], []
    window_weight = recency_weights(history.day)
    for segment in segments:
        weights = np.interp(segment.day, history.day, window_weight) if recent else None
        try:
            fits.append(fit_segment(segment, field, math.radians(inc), weights))
        except FitError as exc:
            history = history.with_note(f"segment skipped: {exc}")
            continue
        recency.append(float(np.mean(weights)) if recent else 1.0)
    if not fits:
        reasons = "; ".join(n[len("segment skipped: "):] for n in history.notes
                            if n.startswith("segment skipped: "))
        raise CalibrationError(f"{history.name}: no segment could be fitted ({reasons})")
    history = _flux_note(history)
    mean, sigma, source = combine(fits, recency)
    interval = (math.exp(mean - Z90 * sigma), math.exp(mean + Z90 * sigma))
    return Calibration(history.name, inc, (float(history.day[0]), float(history.day[-1])),
                       math.exp(mean), sigma, interval, source, tuple(fits), tuple(manoeuvres),
                       history)
