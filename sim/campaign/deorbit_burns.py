"""The USDV's perigee-lowering series and the final targeted reentry burn (finite burns)."""

from __future__ import annotations

import math

import numpy as np

from sim.core.constants import G0, R_EARTH
from sim.core.finite_burn import final_burn, retro_burn
from sim.core.maneuvers import burn_duration, perigee_change_dv, propellant_for_dv

from .mission import REENTRY, Mission
from .station import USDV
from sim.scenario.units import iso_utc

LOWERING, FINAL = "perigee_lowering", "final_burn"


def _engine(mission: Mission) -> tuple[float, float]:
    spec = mission.scenario.usdv
    return spec.deorbit_thrusters * spec.thruster_thrust, spec.isp


def _apsides(state: np.ndarray) -> tuple[float, float]:
    return state[0] * (1 + state[1]), state[0] * (1 - state[1])


def plan_need_kg(mission: Mission) -> float:
    """Propellant for the whole series and the final burn (impulsive estimate, +1 % for
    finite-burn losses), from the current orbit and mass."""
    sc = mission.scenario
    thrust, isp = _engine(mission)
    ra, rp = _apsides(mission.state)
    mass, total = mission.station.mass, 0.0
    targets = [p for p in (sc.perigee_lowering.perigees if sc.perigee_lowering else [])]
    final = sc.final_burn.target_perigee if sc.final_burn else 50e3
    if final != "lowest" and not (sc.final_burn and sc.final_burn.delta_v is not None):
        targets.append(final)
    for target in targets:
        if R_EARTH + target >= rp:
            continue
        dv = perigee_change_dv(ra, rp, R_EARTH + target)
        need = propellant_for_dv(mass, dv, isp) * 1.01
        total, mass, rp = total + need, mass - need, R_EARTH + target
    if sc.final_burn is not None and sc.final_burn.delta_v is not None:
        total += propellant_for_dv(mass, sc.final_burn.delta_v, isp) * 1.01
    return total


def _executed(mission: Mission) -> float:
    """Executed / planned delta-v of the next burn (``usdv.burn_execution``, ensembles)."""
    done = sum(e["kind"] in ("perigee_lowering_burn", "final_burn")
               for e in mission.timeline.events)
    factors = mission.scenario.usdv.burn_execution
    return factors[done] if done < len(factors) else 1.0


def _record(mission: Mission, kind: str, phase: str, used: float, dv: float, **extra) -> None:
    tank = mission.station.tanks[USDV]
    tank.propellant -= used
    tank.burned += used
    mission.dv_cum += dv
    mission.timeline.add_point(mission.day, mission.state, mission.station, phase, mission.dv_cum)
    mission.timeline.event(mission.day, kind, mission.state, dv, used, **extra)


def lower_perigee(mission: Mission) -> str:
    """Burns at apogee to each target perigee, ``spacing`` days apart. Returns REENTRY if the
    station came down between burns, else "done"."""
    spec = mission.scenario.perigee_lowering
    if spec is None:
        return "done"
    thrust, isp = _engine(mission)
    for k, target in enumerate(spec.perigees):
        ra, rp = _apsides(mission.state)
        if R_EARTH + target >= rp:
            continue
        dv = perigee_change_dv(ra, rp, R_EARTH + target)
        duration = burn_duration(mission.station.mass, dv, thrust, isp)
        outcome = retro_burn(mission.state, mission.station.mass, mission.station.cd_area,
                             thrust, isp, duration, mission.env.field, mission.day,
                             mission.scenario.atmosphere.co_rotation)
        achieved = outcome.state[0] * (1 - outcome.state[1])
        if rp - achieved > 0:  # one secant step on duration to land on the target perigee
            duration *= (rp - R_EARTH - target) / (rp - achieved)
            outcome = retro_burn(mission.state, mission.station.mass, mission.station.cd_area,
                                 thrust, isp, duration, mission.env.field, mission.day,
                                 mission.scenario.atmosphere.co_rotation)
        if _executed(mission) != 1.0:  # ensemble hook: the burn as executed, not as planned
            duration *= _executed(mission)
            outcome = retro_burn(mission.state, mission.station.mass, mission.station.cd_area,
                                 thrust, isp, duration, mission.env.field, mission.day,
                                 mission.scenario.atmosphere.co_rotation)
        mission.state = outcome.state
        mission.day += duration / 86400.0
        _record(mission, "perigee_lowering_burn", LOWERING, outcome.propellant_kg,
                outcome.dv_m_s, burn_duration_s=round(duration, 1),
                perigee_km=round(mission.perigee_altitude / 1e3, 2),
                apogee_km=round(mission.apogee_altitude / 1e3, 2))
        final = mission.scenario.final_burn
        if k < len(spec.perigees) - 1:
            wait = spec.spacing
        elif final is not None:
            wait = final.after if final.after is not None else spec.spacing
        else:
            continue
        guard = max(final.guard_perigee if final else 0.0, mission.scenario.stop_altitude)
        if mission.coast(mission.day + wait, 0.0, LOWERING, stop_perigee_m=guard) == REENTRY:
            if final is None or mission.perigee_altitude <= mission.scenario.stop_altitude + 1:
                return REENTRY
            mission.timeline.event(mission.day, "final_burn_brought_forward", mission.state,
                                   perigee_km=round(mission.perigee_altitude / 1e3, 2))
            return "done"
    return "done"


def _final_duration(mission: Mission, thrust: float, isp: float, usable: float) -> float:
    spec = mission.scenario.final_burn
    target = spec.target_perigee
    mdot = thrust / (isp * G0)
    if spec.delta_v is not None:
        return burn_duration(mission.station.mass, spec.delta_v, thrust, isp)
    if target == "lowest":
        return usable / mdot
    ra, rp = _apsides(mission.state)
    if R_EARTH + target >= rp:
        return 0.0
    return burn_duration(mission.station.mass, perigee_change_dv(ra, rp, R_EARTH + target),
                         thrust, isp)


def reentry_burn(mission: Mission) -> bool:
    """The final burn. Returns False (and flags it) when the propellant is short."""
    sc = mission.scenario
    thrust, isp = _engine(mission)
    if sc.final_burn.thrust is not None:
        thrust = sc.final_burn.thrust
    usable = mission.station.tanks[USDV].usable
    duration = _final_duration(mission, thrust, isp, usable)
    if duration <= 0:
        return False
    args = (mission.station.mass, mission.station.cd_area, thrust, isp)
    outcome = final_burn(mission.state, *args, duration, mission.env.field, mission.day,
                         sc.stop_altitude, sc.atmosphere.co_rotation)
    target = sc.final_burn.target_perigee
    if target != "lowest" and sc.final_burn.delta_v is None:
        _, rp = _apsides(mission.state)
        drop = rp - R_EARTH - outcome.perigee_m
        if drop > 0:
            duration *= (rp - R_EARTH - target) / drop
            outcome = final_burn(mission.state, *args, duration, mission.env.field,
                                 mission.day, sc.stop_altitude, sc.atmosphere.co_rotation)
    if _executed(mission) != 1.0:  # ensemble hook: the burn as executed, not as planned
        duration *= _executed(mission)
        outcome = final_burn(mission.state, *args, duration, mission.env.field, mission.day,
                             sc.stop_altitude, sc.atmosphere.co_rotation)
    if outcome.propellant_kg > usable + 1e-6:
        mission.shortfall_kg = outcome.propellant_kg - usable
        mission.flag("insufficient_propellant",
                     f"the final burn ({outcome.dv_m_s:.1f} m/s) needs "
                     f"{outcome.propellant_kg:,.0f} kg but {usable:,.0f} kg is usable "
                     f"(short by {mission.shortfall_kg:,.0f} kg): the station is left to an "
                     "uncontrolled decay")
        return False
    mission.marks["final_burn"] = mission.day
    mission.state = np.array([R_EARTH + 0.5 * (outcome.perigee_m + outcome.apogee_m),
                              (outcome.apogee_m - outcome.perigee_m) /
                              (2 * R_EARTH + outcome.perigee_m + outcome.apogee_m),
                              *mission.state[2:]])
    mission.day += outcome.duration_s / 86400.0
    _record(mission, "final_burn", FINAL, outcome.propellant_kg, outcome.dv_m_s,
            burn_duration_s=round(outcome.duration_s, 1),
            perigee_km=round(outcome.perigee_m / 1e3, 2),
            apogee_km=round(outcome.apogee_m / 1e3, 2))
    if not math.isnan(outcome.reentry_day):
        mission.reentry_day = outcome.reentry_day
        mission.reentry_kind = "controlled"
        mission.timeline.event(mission.reentry_day, "reentry", np.array(
            [R_EARTH + sc.stop_altitude, 0, 0, 0, 0]), controlled=True)
        return True
    mission.flag("final_burn_too_weak",
                 f"after the final burn on {iso_utc(mission.day)} the perigee "
                 f"({outcome.perigee_m / 1e3:.0f} km) is too high to reenter within two orbits")
    return True
