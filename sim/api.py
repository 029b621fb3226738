"""The public face of ``iss-deorbit``: load a scenario, simulate it, plan it.

Everything a script, the command line or the dashboard needs is here; the modules behind it
may change, these names will not. Values cross this boundary as plain Python and numpy (dates
as ISO 8601 UTC strings in the summary), so a result means the same wherever it is used.

>>> from sim.api import load_scenario, simulate
>>> scenario = load_scenario("scenarios/musk-2027.yaml")
>>> result = simulate(scenario)
>>> result.summary["status"]
'usdv_not_ready'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sim.campaign.calibration import Calibration, CalibrationError, calibrate_history
from sim.campaign.ensemble import plan_jobs, run_chunk
from sim.campaign.ensemble_stats import EnsembleResult, combine
from sim.campaign.planner import Plan, plan_reentry, run_with_plan
from sim.campaign.final_drop import FinalBurn
from sim.campaign.prediction import Prediction, PredictionError, predict_history
from sim.campaign.reentry_outcome import casualty_summary, controlled_outcome
from sim.history.altitude_history import AltitudeHistory, HistoryError
from sim.history.readers import load_history
from sim.campaign.results import RunResult as Result
from sim.scenario.reentry_spec import ReentrySpec
from sim.scenario.loader import (LoadedScenario, ScenarioError, load_scenario as _load_file,
                                 parse_overrides, validate_mapping)
from sim.scenario.units import parse_date, to_day

__all__ = ["AltitudeHistory", "Calibration", "CalibrationError", "EnsembleResult", "FinalBurn",
           "HistoryError", "LoadedScenario", "Plan", "Prediction", "PredictionError", "Result",
           "ScenarioError", "calibrate", "casualty_risk", "footprint", "load_history",
           "load_scenario", "plan", "predict", "run_ensemble", "simulate"]


def load_scenario(source: str | Path | Mapping,
                  overrides: Mapping[str, object] | list[str] | None = None) -> LoadedScenario:
    """A validated scenario from a YAML file or an in-memory mapping.

    ``overrides`` changes fields after ``extends`` is resolved: a mapping of dotted paths to
    values (``{"usdv.propellant": "14 t"}``) or ``["usdv.propellant=14 t"]`` as on the command
    line. Raises ``ScenarioError`` with a message naming the file, line, field and value.
    """
    pairs = _override_pairs(overrides)
    if isinstance(source, Mapping):
        if pairs:
            from sim.scenario.loader import set_path

            source = dict(source)
            for key, value in pairs:
                set_path(source, key, value)
        return validate_mapping(dict(source), "<mapping>")
    return _load_file(source, pairs)


def _override_pairs(overrides) -> list[tuple[str, object]]:
    if not overrides:
        return []
    if isinstance(overrides, Mapping):
        return list(overrides.items())
    return parse_overrides(list(overrides))


def simulate(scenario: LoadedScenario, where: bool = True) -> Result:
    """Run the whole campaign; with ``plan: reentry:`` and no stop date, plan it first.

    Pure: no files are read or written beyond the shipped data tables, and the same scenario
    gives the same result. ``Result.summary`` is what ``summary.json`` holds and
    ``Result.timeseries`` the table written as ``timeseries.csv``. ``where=False`` leaves out
    the footprint (controlled reentry) or casualty risk (uncontrolled), ~1 s of descent,
    fragment and dispersion flights, for callers that need only dates and propellant.
    """
    return run_with_plan(scenario, where=where)


def plan(scenario: LoadedScenario, reentry: str | None = None) -> Plan:
    """When must reboosts stop for a reentry on ``reentry`` (ISO date; default: the
    scenario's ``plan: reentry:``)?"""
    if reentry is not None:
        target = to_day(parse_date(reentry))
    elif scenario.scenario.plan is not None:
        target = to_day(scenario.scenario.plan.reentry)
    else:
        raise ScenarioError(f"{scenario.path}: give a reentry date or a 'plan: reentry:' field")
    return plan_reentry(scenario, target)


def _history(source: str | Path | AltitudeHistory) -> AltitudeHistory:
    return source if isinstance(source, AltitudeHistory) else load_history(source)


def _day(value: str | None) -> float | None:
    return None if value is None else to_day(parse_date(value))


def calibrate(history: str | Path | AltitudeHistory, window: tuple[str, str] | None = None,
              inclination_deg: float | None = None) -> Calibration:
    """Fit the ballistic coefficient on every drag-only segment of an element-set or
    altitude history (TLE, OMM JSON/XML/CSV, altitude CSV), optionally within ``window``
    (ISO dates). ``Calibration.as_dict()`` is what ``calibration.json`` holds."""
    hist = _history(history)
    if window is not None:
        hist = hist.window(_day(window[0]), _day(window[1]))
    return calibrate_history(hist, inclination_deg)


def predict(history: str | Path | AltitudeHistory, fit_window: tuple[str, str] | None = None,
            stop_altitude_km: float = 120.0, samples: int = 200,
            inclination_deg: float | None = None, seed: int = 0) -> Prediction:
    """When does it come down? Fit B on ``fit_window`` (ISO dates; default: the whole
    history), propagate from its end with the observed, then forecast, flux to a perigee of
    ``stop_altitude_km``, with a 90 % interval from a seeded ensemble of ``samples``.
    ``Prediction.as_dict()`` is what ``prediction.json`` holds."""
    start, end = fit_window if fit_window is not None else (None, None)
    return predict_history(_history(history), _day(start), _day(end), inclination_deg,
                           stop_altitude_km, "perigee", samples, seed)


def footprint(burn: FinalBurn, f107: float, f107a: float, ap: float,
              reentry: Mapping | None = None) -> dict:
    """The phased debris footprint of a final burn (the ``footprint`` entry of a summary).

    ``burn`` gives the earliest burn time (days since 1970), the mean elements (a m, e, i,
    raan, argp rad), the argument of latitude at that time, mass, C_D A, thrust, Isp and
    duration; the flux indices are the previous day's F10.7, its 81-day mean and the daily
    Ap; ``reentry`` is a scenario ``reentry:`` block (aim, zone, break-up altitude, ...).
    """
    spec = ReentrySpec.model_validate(dict(reentry or {}))
    outcome = controlled_outcome(burn, spec, (f107, f107a, ap))
    return {**outcome.summary, "issues": outcome.issues}


def casualty_risk(mass_kg: float, inclination_deg: float, reentry_date: str,
                  reentry: Mapping | None = None) -> dict:
    """Casualty expectation of a random reentry (NASA-STD-8719.14 / DAS method): E_c, the
    casualty area and the comparison with 1:10,000. ``reentry`` may give
    ``surviving_mass_fraction``, ``fragments`` or ``casualty_area`` (e.g. "22 m2")."""
    import math

    spec = ReentrySpec.model_validate(dict(reentry or {}))
    return casualty_summary(mass_kg, math.radians(inclination_deg),
                            to_day(parse_date(reentry_date)), spec)


def run_ensemble(scenario: LoadedScenario, samples: int, seed: int,
                 executor=None) -> EnsembleResult:
    """A Monte Carlo ensemble of ``samples`` draws of the scenario's ``uncertainty:`` block.

    The nominal plan is run first and its decisions (reboost stop, docking date) are kept;
    each sample then flies the drawn world. ``executor``: anything with
    ``map(function, jobs) -> list of results in order`` (``sim.interfaces.executors`` has
    serial, process-pool and Dask ones); ``None`` runs the chunks here, one after another.
    The same seed gives the same result whatever the executor.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    jobs, nominal = plan_jobs(scenario, samples, seed)
    chunks = executor.map(run_chunk, jobs) if executor is not None else \
        [run_chunk(job) for job in jobs]
    return combine(list(chunks), jobs, nominal, scenario)
