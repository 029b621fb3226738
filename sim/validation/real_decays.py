"""Fit-then-predict on real decays shipped as small derived tables (``sim/data/decays``).

Each case (``cases.csv``, written by ``derive_tables``) fits B on a window of a real history
and predicts when the object reaches an altitude it was later actually seen at; the error is
in days and as a percentage of the prediction span (fit-window end to the actual date). The
flux over the prediction span is CelesTrak's observed flux (the cases lie in the past), so
these figures measure the drag model, the fit and the B drift, not the flux forecast.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
from dataclasses import dataclass

import numpy as np

from sim.campaign.prediction import Prediction, predict_history
from sim.campaign.table_cache import Progress
from sim.history.readers import parse_history
from sim.scenario.units import iso_utc, parse_date, to_day

TARGETS = {"median_error_pct_max": 5.0, "worst_error_pct_max": 10.0, "inside_90_min": 0.9}


@dataclass(frozen=True)
class Case:
    case: str
    object_name: str
    table: str
    fit_start: float
    fit_end: float
    target_alt_km: float
    actual_day: float
    check: str


@dataclass(frozen=True)
class CaseResult:
    case: Case
    prediction: Prediction

    @property
    def span_days(self) -> float:
        return self.case.actual_day - self.prediction.start_day

    @property
    def error_days(self) -> float | None:
        p = self.prediction.predicted_day
        return None if p is None else p - self.case.actual_day

    @property
    def error_pct(self) -> float | None:
        e = self.error_days
        return None if e is None else 100.0 * abs(e) / self.span_days

    @property
    def inside_90(self) -> bool:
        low, high = self.prediction.interval_90
        return (low is not None and high is not None
                and low <= self.case.actual_day <= high)

    def row(self) -> dict:
        p = self.prediction
        return {"case": self.case.case, "object": self.case.object_name,
                "fit_window_utc": [iso_utc(self.case.fit_start), iso_utc(self.case.fit_end)],
                "target_mean_alt_km": self.case.target_alt_km,
                "fitted_ballistic_coefficient_kg_m2": round(p.calibration.ballistic_coefficient,
                                                            2),
                "predicted_utc": iso_utc(p.predicted_day),
                "interval_90_utc": [iso_utc(d) for d in p.interval_90],
                "actual_utc": iso_utc(self.case.actual_day), "actual_is": self.case.check,
                "span_days": round(self.span_days, 2),
                "error_days": None if self.error_days is None else round(self.error_days, 2),
                "error_pct_of_span": None if self.error_pct is None else round(self.error_pct, 2),
                "inside_90": self.inside_90,
                "node_local_time": p.calibration.node_known}


def _data():
    return importlib.resources.files("sim") / "data" / "decays"


def load_cases() -> list[Case]:
    text = (_data() / "cases.csv").read_text(encoding="utf-8")
    return [Case(r["case"], r["object"], r["table"], to_day(parse_date(r["fit_start_utc"])),
                 to_day(parse_date(r["fit_end_utc"])), float(r["target_alt_km"]),
                 to_day(parse_date(r["actual_utc"])), r["check"])
            for r in csv.DictReader(io.StringIO(text))]


def run_case(case: Case, samples: int = 200, progress: Progress | None = None) -> CaseResult:
    history = parse_history((_data() / case.table).read_text(encoding="utf-8"), case.table)
    prediction = predict_history(history, case.fit_start, case.fit_end,
                                 stop_altitude_km=case.target_alt_km, stop_on="mean",
                                 samples=samples, progress=progress)
    return CaseResult(case, prediction)


def summary(results: list[CaseResult]) -> dict:
    errors = np.array([r.error_pct if r.error_pct is not None else np.inf for r in results])
    inside = sum(r.inside_90 for r in results)
    median, worst = float(np.median(errors)), float(np.max(errors))
    return {"cases": len(results), "median_error_pct": round(median, 2),
            "worst_error_pct": round(worst, 2), "inside_90": inside,
            "targets": TARGETS,
            "targets_met": bool(median <= TARGETS["median_error_pct_max"]
                                and worst <= TARGETS["worst_error_pct_max"]
                                and inside >= TARGETS["inside_90_min"] * len(results))}


def run_validation(samples: int = 200, progress: Progress | None = None,
                   only: str | None = None) -> list[CaseResult]:
    cases = [c for c in load_cases() if only is None or only in c.case]
    return [run_case(c, samples, progress) for c in cases]
