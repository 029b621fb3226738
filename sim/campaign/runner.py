"""Run a scenario end to end: maintenance, decay, docking, crew departure, burns, reentry."""

from __future__ import annotations

import math

import numpy as np

from sim.core.constants import R_EARTH

from .deorbit_burns import lower_perigee, plan_need_kg, reentry_burn
from .environment import environment_for
from sim.scenario.loader import LoadedScenario
from .mission import REENTRY, Mission
from .operations import (DECAY, MAINTENANCE, boost_to_storage, decay_until_burns,
                         maintain_altitude)
from .results import RunResult, assemble
from sim.scenario.model import OrbitSpec, Scenario
from .station import USDV, station_from
from .timeline import Timeline
from sim.scenario.units import iso_utc, to_day

LEAD_TIME_PASSES = 3  # docking N months before the final burn: fixed-point passes
DOCKING_TOLERANCE_DAYS = 1.0


def initial_state(orbit: OrbitSpec) -> np.ndarray:
    if orbit.mean_altitude is not None:
        a, e = R_EARTH + orbit.mean_altitude, 0.0
    else:
        ra, rp = R_EARTH + orbit.apogee, R_EARTH + orbit.perigee
        a, e = 0.5 * (ra + rp), (ra - rp) / (ra + rp)
    return np.array([a, e, orbit.inclination, orbit.raan, orbit.arg_perigee])


def _new_mission(scenario: Scenario, recording: bool = True) -> Mission:
    env = environment_for(scenario)
    station = station_from(scenario)
    names = list(station.tanks) + ([USDV] if scenario.usdv else [])
    return Mission(scenario=scenario, env=env, station=station,
                   timeline=Timeline(names, recording=recording),
                   state=initial_state(scenario.orbit), day=to_day(scenario.epoch),
                   end_day=float(env.last_day - 1))


def _fly(scenario: Scenario, until_day: float | None, docking_day: float | None,
         recording: bool = True) -> Mission:
    mission = _new_mission(scenario, recording)
    maintaining = scenario.reboost is not None and until_day is not None and \
        until_day > mission.day
    mission.timeline.add_point(mission.day, mission.state, mission.station,
                               MAINTENANCE if maintaining else DECAY, 0.0)
    if maintaining:
        maintain_altitude(mission, until_day)
        mission.timeline.event(mission.day, "reboosts_end", mission.state)
    if scenario.boost is not None:
        boost_to_storage(mission)
        mission.timeline.add_point(mission.day, mission.state, mission.station, DECAY,
                                   mission.dv_cum)
    mission.marks["decay_start"] = mission.day
    outcome = decay_until_burns(mission, docking_day)
    if outcome == "lowering":
        mission.marks["lowering_start"] = mission.day
        _deorbit(mission)
    elif outcome == REENTRY:
        _natural_reentry(mission)
    if math.isnan(mission.reentry_day) and mission.perigee_altitude <= scenario.stop_altitude + 1:
        _natural_reentry(mission)
    return mission


def _deorbit(mission: Mission) -> None:
    usable = mission.station.tanks[USDV].usable if USDV in mission.station.tanks else 0.0
    if USDV not in mission.station.tanks:
        mission.flag("usdv_not_docked", f"the station reached the burn altitude on "
                     f"{iso_utc(mission.day)} with no USDV docked: uncontrolled decay")
    else:
        need = plan_need_kg(mission)
        if need > usable:
            mission.shortfall_kg = need - usable
            mission.flag("insufficient_propellant",
                         f"the burns need about {need:,.0f} kg but the USDV has {usable:,.0f} kg "
                         f"usable (short by {mission.shortfall_kg:,.0f} kg): the station is left "
                         "to an uncontrolled decay")
        elif lower_perigee(mission) != REENTRY and mission.scenario.final_burn is not None:
            if reentry_burn(mission):
                return
    if math.isnan(mission.reentry_day):
        if mission.coast(mission.end_day, 0.0, "uncontrolled_decay") == REENTRY:
            _natural_reentry(mission)


def _natural_reentry(mission: Mission) -> None:
    mission.reentry_day = mission.day
    mission.reentry_kind = "uncontrolled"
    mission.timeline.event(mission.day, "reentry", mission.state, controlled=False)


def _until_day(scenario: Scenario, until_day: float | None) -> float | None:
    if until_day is not None:
        return until_day
    if scenario.reboost is not None and scenario.reboost.until is not None:
        return to_day(scenario.reboost.until)
    return None


def fly(scenario: Scenario, until_day: float | None = None, recording: bool = True,
        docking_guess: float | None = None, passes: int | None = None) -> Mission:
    """The campaign; with a docking lead time, iterate docking = lowering start - lead time
    (from ``docking_guess`` when a caller such as the planner has one)."""
    until = _until_day(scenario, until_day)
    usdv = scenario.usdv
    if usdv is None:
        return _fly(scenario, until, None, recording)
    if usdv.docking is not None:
        return _fly(scenario, until, to_day(usdv.docking), recording)
    # Passes without a docking date are not recorded (they only find one); a pass that
    # confirms its own docking date is the answer.
    docking = docking_guess
    mission = _fly(scenario, until, docking, recording and docking is not None)
    for _ in range(LEAD_TIME_PASSES if passes is None else passes):
        start = mission.marks.get("lowering_start")
        if start is None:
            break
        new_docking = max(start - usdv.lead_time, to_day(scenario.epoch))
        if docking is not None and abs(new_docking - docking) < DOCKING_TOLERANCE_DAYS:
            break
        docking = new_docking
        mission = _fly(scenario, until, docking, recording)
    if recording and not mission.timeline.recording:
        mission = _fly(scenario, until, docking, recording)
    return mission


def run_scenario(loaded: LoadedScenario, until_day: float | None = None,
                 docking_guess: float | None = None) -> RunResult:
    mission = fly(loaded.scenario, until_day, docking_guess=docking_guess)
    return assemble(mission, loaded)
