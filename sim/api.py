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

from sim.campaign.ensemble import plan_jobs, run_chunk
from sim.campaign.ensemble_stats import EnsembleResult, combine
from sim.campaign.planner import Plan, plan_reentry, run_with_plan
from sim.campaign.results import RunResult as Result
from sim.scenario.loader import (LoadedScenario, ScenarioError, load_scenario as _load_file,
                                 parse_overrides, validate_mapping)
from sim.scenario.units import parse_date, to_day

__all__ = ["EnsembleResult", "LoadedScenario", "Plan", "Result", "ScenarioError",
           "load_scenario", "plan", "run_ensemble", "simulate"]


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


def simulate(scenario: LoadedScenario) -> Result:
    """Run the whole campaign; with ``plan: reentry:`` and no stop date, plan it first.

    Pure: no files are read or written beyond the shipped data tables, and the same scenario
    gives the same result. ``Result.summary`` is what ``summary.json`` holds and
    ``Result.timeseries`` the table written as ``timeseries.csv``.
    """
    return run_with_plan(scenario)


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
