"""Run a scenario end to end: maintenance, decay, docking, crew departure, burns, reentry."""

from __future__ import annotations

import math

import numpy as np

from sim.core.constants import R_EARTH
from sim.scenario.loader import LoadedScenario
from sim.scenario.model import OrbitSpec, Scenario
from sim.scenario.units import iso_utc, to_day

from .active_descent import descend
from .deorbit_burns import LOWERED, BurnModel, reentry_burn
from .environment import environment_for
from .mission import REENTRY, Mission
from .operations import LOWERING_DUE, boost_to_storage, decay_until_burns, maintain_altitude
from .phasing_flight import lower_for_final
from .results import RunResult, assemble
from .station import USDV, station_from
from .timeline import Timeline
from .vocabulary import EventKind, IssueCode, Phase

LEAD_TIME_PASSES = 3  # docking N months before the final burn: fixed-point passes
DOCKING_TOLERANCE_DAYS = 1.0


def initial_state(orbit: OrbitSpec) -> np.ndarray:
    """Mean elements at the epoch; the station starts at its perigee (mean anomaly 0)."""
    if orbit.mean_altitude is not None:
        a, e = R_EARTH + orbit.mean_altitude, 0.0
    else:
        ra, rp = R_EARTH + orbit.apogee, R_EARTH + orbit.perigee
        a, e = 0.5 * (ra + rp), (ra - rp) / (ra + rp)
    return np.array([a, e, orbit.inclination, orbit.raan, orbit.arg_perigee, orbit.arg_perigee])


def _new_mission(scenario: Scenario, recording: bool = True, phased: bool = True) -> Mission:
    env = environment_for(scenario)
    station = station_from(scenario)
    names = list(station.tanks) + ([USDV] if scenario.usdv else [])
    return Mission(scenario=scenario, env=env, station=station,
                   timeline=Timeline(names, recording=recording),
                   state=initial_state(scenario.orbit), day=to_day(scenario.epoch),
                   end_day=float(env.last_day - 1), phase_final=phased)


def _fly(scenario: Scenario, until_day: float | None, docking_day: float | None,
         recording: bool = True, model: BurnModel = BurnModel.FINITE,
         to_lowering: bool = False, phased: bool = True) -> Mission:
    """One flight; ``to_lowering`` stops it when the burns are due (enough to find when
    they start, which is all a docking lead-time pass needs)."""
    mission = _new_mission(scenario, recording, phased)
    maintaining = scenario.reboost is not None and until_day is not None and \
        until_day > mission.day
    mission.timeline.add_point(mission.day, mission.state, mission.station,
                               Phase.MAINTENANCE if maintaining else Phase.DECAY, 0.0)
    if maintaining:
        maintain_altitude(mission, until_day)
        mission.timeline.event(mission.day, EventKind.REBOOSTS_END, mission.state)
    if scenario.boost is not None:
        boost_to_storage(mission)
        mission.timeline.add_point(mission.day, mission.state, mission.station, Phase.DECAY,
                                   mission.dv_cum)
    mission.marks.decay_start = mission.day
    if scenario.active_descent is not None:
        descend(mission, docking_day)
    outcome = decay_until_burns(mission, docking_day)
    if outcome == LOWERING_DUE:
        mission.marks.lowering_start = mission.day
        if to_lowering:
            return mission
        _deorbit(mission, model)
    elif outcome == REENTRY:
        _natural_reentry(mission)
    if math.isnan(mission.reentry_day) and mission.perigee_altitude <= scenario.stop_altitude + 1:
        _natural_reentry(mission)
    return mission


def _deorbit(mission: Mission, model: BurnModel) -> None:
    if USDV not in mission.station.tanks:
        mission.flag(IssueCode.USDV_NOT_DOCKED,
                     f"the station reached the burn altitude on {iso_utc(mission.day)} with no "
                     "USDV docked: uncontrolled decay")
    elif lower_for_final(mission, model) == LOWERED:
        if mission.scenario.final_burn is None:
            mission.flag(IssueCode.NO_FINAL_BURN, "the scenario has no final burn: after the "
                         "perigee-lowering burns the station decays uncontrolled")
        elif reentry_burn(mission, model):
            return
    if math.isnan(mission.reentry_day):
        if mission.coast(mission.end_day, 0.0, Phase.UNCONTROLLED) == REENTRY:
            _natural_reentry(mission)


def _natural_reentry(mission: Mission) -> None:
    mission.reentry_day = mission.day
    mission.reentry_kind = "uncontrolled"
    mission.timeline.event(mission.day, EventKind.REENTRY, mission.state, controlled=False)


def _until_day(scenario: Scenario, until_day: float | None) -> float | None:
    if until_day is not None:
        return until_day
    if scenario.reboost is not None and scenario.reboost.until is not None:
        return to_day(scenario.reboost.until)
    return None


def fly(scenario: Scenario, until_day: float | None = None, recording: bool = True,
        docking_guess: float | None = None, passes: int | None = None,
        model: BurnModel = BurnModel.FINITE, phased: bool = True) -> Mission:
    """The campaign; with a docking lead time, iterate docking = lowering start - lead time
    (from ``docking_guess`` when a caller such as the planner has one). ``phased=False``
    fires the final burn as scheduled instead of lining up its ground track (ensemble
    samples: the date moves by at most the phasing window, the cost is ~0.3 s a run)."""
    until = _until_day(scenario, until_day)
    usdv = scenario.usdv
    if usdv is None:
        return _fly(scenario, until, None, recording, model, phased=phased)
    if usdv.docking is not None:
        return _fly(scenario, until, to_day(usdv.docking), recording, model, phased=phased)
    lowering = scenario.perigee_lowering
    if lowering is not None and lowering.start_date is not None:  # burns on a date: the
        docking = max(to_day(lowering.start_date) - usdv.lead_time, to_day(scenario.epoch))
        return _fly(scenario, until, docking, recording, model, phased=phased)  # no pass
    # Passes fly only to the start of the burns and unrecorded: they find the docking date
    # (the burns start when the decay brings the station down, whatever the burns then do).
    docking = docking_guess
    for _ in range(LEAD_TIME_PASSES if passes is None else passes):
        start = _fly(scenario, until, docking, False, model, to_lowering=True) \
            .marks.lowering_start
        if start is None:
            break
        new_docking = max(start - usdv.lead_time, to_day(scenario.epoch))
        converged = docking is not None and abs(new_docking - docking) < DOCKING_TOLERANCE_DAYS
        docking = new_docking
        if converged:
            break
    return _fly(scenario, until, docking, recording, model, phased=phased)


def run_scenario(loaded: LoadedScenario, until_day: float | None = None,
                 docking_guess: float | None = None, where: bool = True) -> RunResult:
    """The campaign as written (``until_day`` pins the reboost stop); ``where=False`` leaves
    out the footprint / casualty risk (see ``assemble``) and with it the lining-up of the
    final burn's ground track: its dates are then those of the burn as scheduled (within the
    scenario's phasing window of the phased ones)."""
    mission = fly(loaded.scenario, until_day, docking_guess=docking_guess, phased=where)
    return assemble(mission, loaded, where)
