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

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sim.campaign.planner import Plan, plan_reentry, run_with_plan
from sim.campaign.results import RunResult as Result
from sim.scenario.loader import (LoadedScenario, ScenarioError, load_scenario as _load_file,
                                 parse_overrides, validate_mapping)
from sim.scenario.units import parse_date, to_day

if TYPE_CHECKING:
    from sim.campaign.calibration import Calibration
    from sim.campaign.ensemble_stats import EnsembleResult
    from sim.campaign.final_drop import FinalBurn
    from sim.campaign.prediction import Prediction
    from sim.campaign.warm_up import WarmUp
    from sim.history.altitude_history import AltitudeHistory

# Names whose modules pull in scipy.stats, scipy.interpolate or the ensemble machinery are
# imported on first use (PEP 562), so a plain `run` does not pay ~0.5 s for them.
_LAZY = {
    "AltitudeHistory": "sim.history.altitude_history",
    "HistoryError": "sim.history.altitude_history",
    "Calibration": "sim.campaign.calibration",
    "CalibrationError": "sim.campaign.calibration",
    "EnsembleResult": "sim.campaign.ensemble_stats",
    "FinalBurn": "sim.campaign.final_drop",
    "Prediction": "sim.campaign.prediction",
    "PredictionError": "sim.campaign.prediction",
    "load_history": "sim.history.readers",
    "WarmUp": "sim.campaign.warm_up",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["AltitudeHistory", "Calibration", "CalibrationError", "EnsembleResult", "FinalBurn",
           "HistoryError", "LoadedScenario", "Plan", "Prediction", "PredictionError", "Result",
           "ScenarioError", "WarmUp", "calibrate", "casualty_risk", "footprint",
           "load_history", "load_scenario", "plan", "predict", "run_ensemble", "simulate",
           "warm_caches"]


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

    Pure: nothing is written but derived data in the user cache (the parsed CelesTrak record,
    the descent's NRLMSIS cube), and the same scenario gives the same result.
    ``Result.summary`` is what ``summary.json`` holds and ``Result.timeseries`` the table
    written as ``timeseries.csv``. ``where=False`` leaves out the footprint (controlled
    reentry) or casualty risk (uncontrolled), ~0.5 s of descent, fragment and dispersion
    flights, for callers that need only dates and propellant.
    """
    return run_with_plan(scenario, where=where)


def plan(scenario: LoadedScenario, reentry: str | None = None) -> Plan:
    """When must reboosts stop for a reentry on ``reentry`` (ISO date; default: the
    scenario's ``plan: reentry:``)?"""
    if scenario.scenario.active_descent is not None:
        raise ScenarioError(f"{scenario.path}: the planner finds when reboosts must stop for "
                            "natural decay to make a date; this scenario's active_descent sets "
                            "its own timeline (run it instead)")
    if reentry is not None:
        target = to_day(parse_date(reentry))
    elif scenario.scenario.plan is not None:
        target = to_day(scenario.scenario.plan.reentry)
    else:
        raise ScenarioError(f"{scenario.path}: give a reentry date or a 'plan: reentry:' field")
    return plan_reentry(scenario, target)


def _history(source: str | Path | AltitudeHistory) -> AltitudeHistory:
    from sim.history.altitude_history import AltitudeHistory
    from sim.history.readers import load_history

    return source if isinstance(source, AltitudeHistory) else load_history(source)


def _day(value: str | None) -> float | None:
    return None if value is None else to_day(parse_date(value))


def calibrate(history: str | Path | AltitudeHistory, window: tuple[str, str] | None = None,
              inclination_deg: float | None = None) -> Calibration:
    """Fit the ballistic coefficient on every drag-only segment of an element-set or
    altitude history (TLE, OMM JSON/XML/CSV, altitude CSV), optionally within ``window``
    (ISO dates). ``Calibration.as_dict()`` is what ``calibration.json`` holds."""
    from sim.campaign.calibration import calibrate_history

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
    from sim.campaign.prediction import predict_history

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
    from sim.campaign.reentry_outcome import controlled_outcome
    from sim.scenario.reentry_spec import ReentrySpec

    spec = ReentrySpec.model_validate(dict(reentry or {}))
    outcome = controlled_outcome(burn, spec, (f107, f107a, ap))
    return {**outcome.summary, "issues": outcome.issues}


def casualty_risk(mass_kg: float, inclination_deg: float, reentry_date: str,
                  reentry: Mapping | None = None) -> dict:
    """Casualty expectation of a random reentry (NASA-STD-8719.14 / DAS method): E_c, the
    casualty area and the comparison with 1:10,000. ``reentry`` may give
    ``surviving_mass_fraction``, ``fragments`` or ``casualty_area`` (e.g. "22 m2")."""
    import math

    from sim.campaign.reentry_outcome import casualty_summary
    from sim.scenario.reentry_spec import ReentrySpec

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
    from sim.campaign.ensemble import plan_jobs, run_chunk
    from sim.campaign.ensemble_stats import combine

    if samples < 1:
        raise ValueError("samples must be at least 1")
    jobs, nominal = plan_jobs(scenario, samples, seed)
    chunks = executor.map(run_chunk, jobs) if executor is not None else \
        [run_chunk(job) for job in jobs]
    return combine(list(chunks), jobs, nominal, scenario)


def warm_caches(progress=None) -> WarmUp:
    """Compile every numba kernel into numba's cache and fill the user cache, so the first
    real run pays no compilation (``iss-deorbit warm``; ``make install`` runs it).

    Flies two short warm-up scenarios (a controlled deorbit with its footprint, an
    uncontrolled decay), each once and as a 2-sample ensemble. ``progress(text)`` is told
    what runs. Idempotent: a second call only loads what the first compiled (~2 s).
    """
    from sim.campaign.warm_up import warm_up

    return warm_up(progress)
