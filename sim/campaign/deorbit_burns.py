"""The USDV's perigee-lowering series and the final targeted reentry burn.

One burn model: every USDV burn is sized and flown as a finite burn centred on apogee (thrust
and mass flow integrated in Cowell's form, ``sim.core.finite_burn``). Only the planner's
root-finding passes use the impulsive limit of the same burns, for speed; its final run flies
them finite. Burns are paid first: when the tank cannot pay for a burn, what is usable is
burned, the rest of the series is sized with the same model to state the shortfall, and the
station is left to an uncontrolled decay. Propellant leaves the tank through
``Station.spend``, like every other burn.

A burn centred on apogee can only start when the station gets there: in a phased run
(``Mission.apogee_timing``) the campaign coasts on after the planned spacing to the next pass
(less than a revolution), so the station's place along its orbit is carried through the
series, never reset by a burn's date (the final burn's ground track depends on it;
``phasing_flight`` chooses the passes). Burns flown as scheduled (``reentry.phasing_window:
0 d``, the planner's root-finding, validation cases on their historical times) fire at their
times and the phase is made to agree with them (``finite_burn.align_to_burn``).
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import math

import numpy as np

from sim.core.constants import R_EARTH
from sim.core.finite_burn import CIRCULAR_E
from sim.core.maneuvers import burn_duration, perigee_change_dv
from sim.core.mean_elements import ARGLAT, ARGP
from sim.scenario.units import iso_utc

from .burn_models import BurnResult, final_dv, lowering_burn, reentry_burn_result
from .mission import REENTRY, TIME, Mission
from .station import USDV
from .timeline import Timeline
from .vocabulary import EventKind, IssueCode, Phase

LOWERED, SHORT = "lowered", "short"


class BurnModel(enum.Enum):
    FINITE = "finite"
    IMPULSIVE = "impulsive"


def _engine(mission: Mission, final: bool = False) -> tuple[float, float]:
    spec = mission.scenario.usdv
    thrust = spec.deorbit_thrusters * spec.thruster_thrust
    fb = mission.scenario.final_burn
    if final and fb is not None and fb.thrust is not None:
        thrust = fb.thrust
    return thrust, spec.isp


def _field_args(mission: Mission) -> dict:
    return {"field": mission.env.field, "corotate": mission.scenario.atmosphere.co_rotation}


def _executed(mission: Mission) -> float:
    """Executed / planned size of the next burn (``usdv.burn_execution``, drawn by ensembles)."""
    done = sum(e.kind in (EventKind.LOWERING_BURN, EventKind.FINAL_BURN)
               for e in mission.timeline.events)
    factors = mission.scenario.usdv.burn_execution
    return factors[done] if done < len(factors) else 1.0


def _lowering(mission: Mission, state, mass, target, model, limit_kg=math.inf) -> BurnResult:
    thrust, isp = _engine(mission)
    return lowering_burn(state, mass, mission.station.cd_area, thrust, isp, target,
                         day=mission.day, finite=model == BurnModel.FINITE, limit_kg=limit_kg,
                         execution=_executed(mission), **_field_args(mission))


def _apogee_pass_s(mission: Mission, duration_s: float) -> float:
    """Seconds until a burn of ``duration_s`` centred on apogee starts (0 on a near-circular
    orbit, where the burn's centre becomes the apogee)."""
    state = mission.state
    if state[1] < CIRCULAR_E:
        return 0.0
    rates = mission.rates()
    period = 2 * math.pi / rates[ARGLAT]
    target = state[ARGP] + math.pi - math.pi * duration_s / period
    return ((target - state[ARGLAT]) % (2 * math.pi)) / (rates[ARGLAT] - rates[ARGP])


def coast_to_apogee_pass(mission: Mission, duration_s: float, phase: Phase) -> str:
    """Coast to the start of the next burn of ``duration_s`` centred on apogee (phased runs;
    otherwise the burn fires now)."""
    wait = _apogee_pass_s(mission, duration_s) if mission.apogee_timing else 0.0
    if wait <= 0.5:
        return TIME
    return mission.coast(mission.day + wait / 86400.0, 0.0, phase)


def _planned_duration(mission: Mission, final: bool, target_m: float = 0.0) -> float:
    """The impulsive estimate of the next burn's duration (to time its centre on apogee)."""
    thrust, isp = _engine(mission, final)
    ra, rp = _apsides(mission.state)
    mass = mission.station.mass
    if final:
        dv = final_dv(mission.scenario.final_burn, ra, rp, mass, isp,
                      mission.station.tanks[USDV].usable)
    else:
        dv = perigee_change_dv(ra, rp, R_EARTH + target_m)
    return burn_duration(mass, max(dv, 0.0), thrust, isp)


def _apsides(state) -> tuple[float, float]:
    return state[0] * (1 + state[1]), state[0] * (1 - state[1])


def _final(mission: Mission, state, mass, model, limit_kg=math.inf) -> BurnResult:
    thrust, isp = _engine(mission, final=True)
    sc = mission.scenario
    return reentry_burn_result(state, mass, mission.station.cd_area, thrust, isp, sc.final_burn,
                               mission.station.tanks[USDV].usable, day=mission.day,
                               stop_alt_m=sc.stop_altitude, finite=model == BurnModel.FINITE,
                               limit_kg=limit_kg, execution=_executed(mission),
                               **_field_args(mission))


def series_need_kg(mission: Mission, model: BurnModel, first_burn: int = 0) -> float:
    """Propellant the burns from ``first_burn`` on (and the final burn) need, flown on a scratch
    copy of the mission with the same model, schedule and coasts, from a tank that never runs
    dry (its mass is unchanged, so the drag and the burns are the same)."""
    scratch = scratch_copy(mission)  # usable without end; the propellant on board, and so
    tank = scratch.station.tanks[USDV]  # the mass, stay as they are
    before = tank.burned
    if _lower_from(scratch, model, first_burn) == LOWERED and scratch.scenario.final_burn:
        reentry_burn(scratch, model)
    return tank.burned - before


def scratch_copy(mission: Mission) -> Mission:
    """A copy to fly ahead on: nothing recorded, a USDV tank that never runs dry."""
    scratch = dataclasses.replace(
        mission, station=copy.deepcopy(mission.station), state=mission.state.copy(),
        marks=mission.marks.copy(), issues=[],
        timeline=Timeline(mission.timeline.tank_names, recording=False))
    if USDV in scratch.station.tanks:
        scratch.station.tanks[USDV].reserve = -math.inf
    return scratch


def _commit(mission: Mission, burn: BurnResult, kind: EventKind, phase: Phase) -> None:
    if kind == EventKind.FINAL_BURN:
        mission.marks.final_burn = mission.day
    mission.state = burn.state
    mission.day += burn.duration_s / 86400.0
    used = mission.station.spend(USDV, burn.propellant_kg)
    mission.dv_cum += burn.dv_m_s
    mission.timeline.add_point(mission.day, mission.state, mission.station, phase, mission.dv_cum)
    mission.timeline.event(mission.day, kind, mission.state, burn.dv_m_s, used,
                           burn_duration_s=round(burn.duration_s, 1),
                           perigee_km=round(burn.perigee_m / 1e3, 2),
                           apogee_km=round(burn.apogee_m / 1e3, 2))


def _short(mission: Mission, need: float, what: str) -> None:
    usable = mission.station.tanks[USDV].usable
    mission.shortfall_kg = need - usable
    mission.flag(IssueCode.INSUFFICIENT_PROPELLANT,
                 f"the USDV ran dry during the {what} on {iso_utc(mission.day)}: the burns "
                 f"still to fly needed about {need:,.0f} kg but "
                 f"{usable:,.0f} kg was usable (short by {mission.shortfall_kg:,.0f} kg); "
                 "the station is left to an uncontrolled decay")


def _pay_or_burn_dry(mission: Mission, burn: BurnResult, first_burn: int, model: BurnModel,
                     kind: EventKind, phase: Phase, redo) -> bool:
    """Commit ``burn`` if the tank pays for it; else burn what is usable, flag, return False."""
    usable = mission.station.tanks[USDV].usable
    if burn.propellant_kg <= usable + 1e-6:
        _commit(mission, burn, kind, phase)
        return True
    need = burn.propellant_kg if kind == EventKind.FINAL_BURN else \
        series_need_kg(mission, model, first_burn)
    _short(mission, need, kind.value.replace("_", " "))
    if usable > 1.0:
        _commit(mission, redo(usable), kind, phase)
    return False


def lower_perigee(mission: Mission, model: BurnModel) -> str:
    """Burns at apogee to each target perigee, ``spacing`` days apart, then the wait for the
    final burn. Returns LOWERED, REENTRY (the station came down between burns) or SHORT (the
    tank ran dry)."""
    return _lower_from(mission, model, 0)


def final_wait_s(mission: Mission) -> float | None:
    """The planned wait after the last lowering burn (None: no final burn follows)."""
    spec, final = mission.scenario.perigee_lowering, mission.scenario.final_burn
    if spec is None or final is None:
        return None
    return final.after if final.after is not None else spec.spacing


def coast_guarded(mission: Mission, until_day: float) -> str | None:
    """Coast while the perigee stays above the final burn's guard: None if the time came,
    LOWERED if the final burn is brought forward, REENTRY if there is no final burn to bring
    forward."""
    final = mission.scenario.final_burn
    guard = max(final.guard_perigee if final else 0.0, mission.scenario.stop_altitude)
    if mission.coast(until_day, 0.0, Phase.LOWERING, stop_perigee_m=guard) != REENTRY:
        return None
    if final is None or mission.perigee_altitude <= mission.scenario.stop_altitude + 1:
        return REENTRY
    mission.timeline.event(mission.day, EventKind.FINAL_BURN_BROUGHT_FORWARD, mission.state,
                           perigee_km=round(mission.perigee_altitude / 1e3, 2))
    return LOWERED


def nominal_final_wait(mission: Mission) -> str:
    """The wait after the last lowering burn as planned (``after``, or less if the perigee
    falls to the guard), then on to the final burn's apogee pass in a phased run."""
    wait = final_wait_s(mission)
    if wait is None:
        return LOWERED
    if coast_guarded(mission, mission.day + wait) == REENTRY:
        return REENTRY
    if coast_to_apogee_pass(mission, _planned_duration(mission, True), Phase.LOWERING) == REENTRY:
        return REENTRY
    return LOWERED


def _lower_from(mission: Mission, model: BurnModel, first_burn: int,
                final_wait=nominal_final_wait) -> str:
    """The series from burn ``first_burn``; ``final_wait(mission)`` follows the last burn
    flown (None: stop right after it)."""
    spec = mission.scenario.perigee_lowering
    if spec is None:
        return LOWERED
    for k, target in enumerate(spec.perigees):
        if k < first_burn:
            continue
        perigee = mission.perigee_altitude
        if R_EARTH + target >= R_EARTH + perigee:
            mission.flag(IssueCode.BURN_SKIPPED,
                         f"perigee-lowering burn {k + 1} (to {target / 1e3:.0f} km) skipped: "
                         f"the perigee was already at {perigee / 1e3:.0f} km")
            continue
        if coast_to_apogee_pass(mission, _planned_duration(mission, False, target),
                                Phase.LOWERING) == REENTRY:
            return REENTRY
        state, mass = mission.state.copy(), mission.station.mass
        burn = _lowering(mission, state, mass, target, model)
        paid = _pay_or_burn_dry(mission, burn, k, model, EventKind.LOWERING_BURN, Phase.LOWERING,
                                lambda kg: _lowering(mission, state, mass, target, model, kg))
        if not paid:
            return SHORT
        if k == len(spec.perigees) - 1:
            return final_wait(mission) if final_wait is not None else LOWERED
        outcome = coast_guarded(mission, mission.day + spec.spacing)
        if outcome is not None:
            return outcome
    return LOWERED


def reentry_burn(mission: Mission, model: BurnModel) -> bool:
    """The final burn. Returns False (and flags it) when the propellant is short or the burn
    has nothing to do."""
    state, mass = mission.state.copy(), mission.station.mass
    burn = _final(mission, state, mass, model)
    if burn.duration_s <= 0:
        mission.flag(IssueCode.BURN_SKIPPED,
                     f"the final burn was not flown: the perigee "
                     f"({mission.perigee_altitude / 1e3:.0f} km) is already below its target")
        return False
    if not _pay_or_burn_dry(mission, burn, 0, model, EventKind.FINAL_BURN, Phase.FINAL,
                            lambda kg: _final(mission, state, mass, model, kg)):
        return False
    if not math.isnan(burn.reentry_day):
        mission.reentry_day = burn.reentry_day
        mission.reentry_kind = "controlled"
        mission.timeline.event(mission.reentry_day, EventKind.REENTRY, np.array(
            [R_EARTH + mission.scenario.stop_altitude, 0, 0, 0, 0, 0]), controlled=True)
        return True
    mission.flag(IssueCode.FINAL_BURN_TOO_WEAK,
                 f"after the final burn on {iso_utc(mission.day)} the perigee "
                 f"({burn.perigee_m / 1e3:.0f} km) is too high to reenter within two orbits")
    return True

