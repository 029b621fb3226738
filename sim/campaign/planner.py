"""Backward planning: for a target reentry date, when must reboosts stop?

The reentry date grows with the date reboosts stop, so a bracketing root-finder (Brent) on
"reentry(stop) - target" answers it. When even stopping at once is too late, natural decay
cannot make the date: the plan then says how much the deorbit vehicle would have to do
instead (a burn from the altitude the station still has) and whether it has the propellant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sim.core.constants import R_EARTH
from sim.core.maneuvers import perigee_change_dv, propellant_for_dv

from sim.scenario.loader import LoadedScenario
from sim.scenario.units import iso_utc, parse_date, to_day

from .deorbit_burns import BurnModel
from .mission import Mission
from .results import RunResult, assemble
from .runner import fly

NEVER = 1e9  # stands for "no reentry within the run's span" in the root-finding


@dataclass(frozen=True)
class Plan:
    status: str  # feasible | infeasible_natural_decay | target_before_epoch
    target_reentry_utc: str
    reboost_stop_utc: str | None
    result: RunResult | None  # the run with that stop date (dates and propellant; no footprint)
    details: dict
    mission: Mission | None = field(default=None, repr=False)  # the flight behind ``result``

    def as_dict(self) -> dict:
        summary = self.result.summary if self.result else {}
        keys = ("reentry_utc", "decay_start_utc", "usdv_docking_utc", "crew_departure_utc",
                "final_burn_utc", "usdv_propellant_used_kg", "usdv_propellant_margin_kg",
                "reboost_propellant_kg", "mean_f107_during_decay", "status", "issues")
        return {"plan_status": self.status, "target_reentry_utc": self.target_reentry_utc,
                "reboost_stop_utc": self.reboost_stop_utc,
                **{f"run_{k}" if k in ("status", "issues") else k: summary.get(k) for k in keys},
                **self.details}


def _reentry(loaded: LoadedScenario, until_day: float, guess: dict | None = None,
             recording: bool = False):
    """Reentry day for a stop date; ``guess`` carries the last docking day between calls.

    Root-finding passes (not recorded) fly the burns in their impulsive limit: the reentry
    date moves by minutes, the cost by ~40 %; the recorded runs fly them finite."""
    guess = {} if guess is None else guess
    # once a docking date is known, root-finding passes keep its lead time fixed (one pass
    # each, updated as they go); the final run iterates it to convergence
    docking = guess.get("docking")
    passes = 0 if docking is not None and not recording else None
    model = BurnModel.FINITE if recording else BurnModel.IMPULSIVE
    # the planner's flights fire the final burn as scheduled: lining up the ground track moves
    # the date by less than the phasing window and costs ~0.3 s; the run that draws the
    # footprint is phased (run_with_plan)
    mission = fly(loaded.scenario, until_day, recording, docking, passes, model, phased=False)
    marks = mission.marks
    usdv = loaded.scenario.usdv
    if marks.lowering_start is not None and usdv is not None and usdv.lead_time is not None:
        guess["docking"] = marks.lowering_start - usdv.lead_time
    elif marks.usdv_docking is not None:
        guess["docking"] = marks.usdv_docking
    return _reentry_day(mission), mission


def _reentry_day(mission) -> float:
    return NEVER if math.isnan(mission.reentry_day) else mission.reentry_day


def _active_deorbit(loaded: LoadedScenario, mission, target_day: float) -> dict:
    """What a single burn from the altitude on the target date would take (impulsive)."""
    sc = loaded.scenario
    rows = mission.timeline.arrays()
    before = rows["t"] <= target_day
    a = float(rows["states"][before][-1, 0]) if before.any() else float(rows["states"][0, 0])
    final = sc.final_burn.target_perigee if sc.final_burn and \
        sc.final_burn.target_perigee != "lowest" else 50e3
    dv = perigee_change_dv(a, a, R_EARTH + final)
    usdv = sc.usdv
    details = {"altitude_on_target_date_km": round((a - R_EARTH) / 1e3, 1),
               "direct_deorbit_delta_v_m_s": round(dv, 1)}
    if usdv is not None:
        mass = mission.station.mass + (0.0 if mission.marks.usdv_docking is not None else
                                      usdv.dry_mass + usdv.propellant)
        need = propellant_for_dv(mass, dv, usdv.isp)
        usable = usdv.propellant - usdv.reserve
        details.update({"direct_deorbit_propellant_kg": round(need, 0),
                        "usdv_usable_propellant_kg": round(usable, 0),
                        "direct_deorbit_shortfall_kg": round(max(need - usable, 0.0), 0)})
        if usdv.launch_ready is not None:
            details["usdv_launch_ready_utc"] = iso_utc(to_day(usdv.launch_ready))
            details["usdv_ready_by_target"] = to_day(usdv.launch_ready) <= target_day
    return details


def _natural_decay_driven(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario with burns triggered by altitude, not by a date: the question here is
    when natural decay brings the station down to the burn altitude."""
    sc = loaded.scenario
    if sc.perigee_lowering is None or sc.perigee_lowering.start_date is None:
        return loaded
    lowering = sc.perigee_lowering.model_copy(update={"start_date": None})
    return LoadedScenario(sc.model_copy(update={"perigee_lowering": lowering}), loaded.path,
                          loaded.sources, loaded.raw)


def plan_reentry(loaded: LoadedScenario, target_day: float) -> Plan:
    loaded = _natural_decay_driven(loaded)
    sc = loaded.scenario
    epoch = to_day(sc.epoch)
    target = iso_utc(target_day)
    if target_day <= epoch:
        return Plan("target_before_epoch", target, None, None, {})
    guess: dict = {}
    earliest, mission = _reentry(loaded, epoch, guess, recording=True)
    if earliest > target_day:
        details = {"earliest_natural_reentry_utc": iso_utc(earliest if earliest < NEVER else
                                                           float("nan"))}
        details.update(_active_deorbit(loaded, mission, target_day))
        return Plan("infeasible_natural_decay", target, iso_utc(epoch),
                    assemble(mission, loaded, where=False), details, mission)
    latest, _ = _reentry(loaded, target_day, guess)
    if latest <= target_day:
        stop = target_day
    else:
        from scipy.optimize import brentq  # ~0.6 s to import: only when a search is needed

        stop = brentq(lambda u: _reentry(loaded, u, guess)[0] - target_day, epoch, target_day,
                      xtol=1.0)
    _, mission = _reentry(loaded, stop, guess, recording=True)
    result = assemble(mission, loaded, where=False)
    achieved = mission.reentry_day
    return Plan("feasible", target, iso_utc(stop), result,
                {"reentry_minus_target_days": round(achieved - target_day, 2)}, mission)


def run_with_plan(loaded: LoadedScenario, docking_guess: float | None = None,
                  where: bool = True) -> RunResult:
    """Run a scenario; with ``plan: reentry:`` and no ``reboost.until``, plan the stop first.

    ``docking_guess`` (absolute day) starts the docking lead-time iteration near its answer;
    ``where=False`` leaves out the footprint / casualty risk.
    """
    from .runner import run_scenario

    sc = loaded.scenario
    if sc.plan is None:
        return run_scenario(loaded, docking_guess=docking_guess, where=where)
    plan = plan_reentry(loaded, to_day(sc.plan.reentry))
    stop_given = sc.reboost is not None and sc.reboost.until is not None
    burns_on_a_date = sc.perigee_lowering is not None and sc.perigee_lowering.start_date
    if stop_given or plan.result is None or burns_on_a_date:
        # the scenario as written; the plan is reported beside it
        result = run_scenario(loaded, docking_guess=docking_guess, where=where)
    elif where:  # fly the planned stop again, phased, for the footprint or risk
        result = run_scenario(loaded, until_day=to_day(parse_date(plan.reboost_stop_utc)),
                              docking_guess=plan.mission.marks.usdv_docking, where=True)
    else:
        result = assemble(plan.mission, loaded, where=False)
    details = {"status": plan.status, "target_reentry_utc": plan.target_reentry_utc,
               "reboost_stop_utc": plan.reboost_stop_utc, **plan.details}
    return RunResult(result.name, result.columns, {**result.summary, "plan": details},
                     result.reentry)
