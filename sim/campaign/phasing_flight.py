"""The final burn's phasing as the campaign flies it: planned when the lowering is due,
corrected after the last lowering burn, its delta-v drawn from the USDV's tank.

``begin`` (the station has just reached the lowering's start altitude) plans with
``phasing_ahead``: how long to delay the first lowering burn (apogee placement and whole
revolutions), the revolution of the final burn and the phase shift left over. The shift is
bought with a drift: two tangential burns, one now and one just before the final burn,
``v |dt| / (1.5 T)`` in all (rocket equation, USDV tank, ``phasing_burn`` events). It is
flown only if the tank can pay for it and for the burns (else the status says so) and if it
stays within ``final_aim.MAX_PHASING_DV``. ``final_wait`` (after the last lowering burn)
flies the coast to the chosen revolution in Cowell's form, corrects the last kilometres on
simulated drops (a slide along the orbit and the delay, ``final_aim.solve``) and waits until
the ignition: the campaign's final burn, its events and the footprint share that one time.
A scenario with ``reentry.phasing_window: 0 d`` flies its burns as scheduled.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from sim.core.maneuvers import propellant_for_dv
from sim.core.mean_elements import ARGP

from . import phasing
from .deorbit_burns import LOWERED, BurnModel, _engine, _lower_from, lower_perigee
from .final_aim import MAX_PHASING_DV, MAX_SLIDE_S, Aimed, _slide, centre_after, solve
from .final_drop import target_of
from .mission import REENTRY, Mission
from .phasing_ahead import (COAST_MARGIN_S, PhasingOutcome, coast_path, final_burn_at, plan,
                            sized_final)
from .phasing_plan import drift_dv
from .station import USDV
from .vocabulary import EventKind, IssueCode, Phase

# the last correction stays near the plan (the ground-track geometry repeats: a Newton step
# too far lands on the neighbouring revolution's solution)
REFINE_SPAN_S = 900.0
RESIZE_TOLERANCE_S = 1.0  # re-aim if the burn sized at the corrected ignition differs more


def applies(mission: Mission, model: BurnModel) -> bool:
    """The recorded, finite flights that end with a final burn after lowering burns are
    phased (not the planner's root-finding passes, the shortfall sizing, nor flights asked
    to fire as scheduled)."""
    sc = mission.scenario
    return (model == BurnModel.FINITE and mission.timeline.recording and mission.phase_final
            and sc.final_burn is not None and sc.perigee_lowering is not None
            and bool(sc.perigee_lowering.perigees) and USDV in mission.station.tanks)


def _pay(mission: Mission, dv: float, half: str) -> float:
    """One tangential burn of the drift (rocket equation, from the USDV tank)."""
    _, isp = _engine(mission, final=True)
    kg = mission.station.spend(USDV, propellant_for_dv(mission.station.mass, dv, isp))
    mission.dv_cum += dv
    mission.timeline.add_point(mission.day, mission.state, mission.station, Phase.LOWERING,
                               mission.dv_cum)
    mission.timeline.event(mission.day, EventKind.PHASING_BURN, mission.state, dv, kg,
                           drift=half)
    return kg


def _affordable(mission: Mission, outcome: PhasingOutcome) -> PhasingOutcome:
    """The drift if the tank pays for it and the burns and it is a small manoeuvre."""
    usable = mission.station.tanks[USDV].usable
    if outcome.delta_v_m_s > MAX_PHASING_DV:
        mission.flag(IssueCode.PHASING_OVER_LIMIT,
                     f"lining up the ground track would take {outcome.delta_v_m_s:.1f} m/s of "
                     f"phasing, more than the {MAX_PHASING_DV:.0f} m/s allowed: not flown")
        return replace(outcome, flown=False)
    if usable < outcome.need_kg + outcome.propellant_kg:
        if usable >= outcome.need_kg:  # a shortfall of the burns themselves is flagged there
            mission.flag(IssueCode.INSUFFICIENT_PROPELLANT_FOR_PHASING,
                         f"the USDV has {usable:,.0f} kg usable: the burns need "
                         f"{outcome.need_kg:,.0f} kg and lining up the ground track "
                         f"{outcome.propellant_kg:,.0f} kg more "
                         f"({outcome.delta_v_m_s:.1f} m/s); the phasing is not flown")
        return replace(outcome, flown=False)
    return outcome


def begin(mission: Mission, model: BurnModel) -> None:
    """Plan, pay the drift's first burn, wait for the first lowering burn's time."""
    outcome = plan(mission, model)
    if outcome is None:
        return
    mission.apogee_timing = True
    if outcome.flown:
        outcome = _affordable(mission, outcome)
        if not outcome.flown and outcome.without_drift is not None:  # time alone, then
            start, rev, pass_s = outcome.without_drift
            outcome = replace(outcome, start_delay_s=start, revolution=rev, pass_s=pass_s,
                              delay_s=0.0, delta_v_m_s=0.0, propellant_kg=0.0)
    if outcome.flown and outcome.delta_v_m_s > 0:
        half = 0.5 * outcome.delta_v_m_s
        outcome = replace(outcome, paid_dv_m_s=half, paid_kg=_pay(mission, half, "start"))
    mission.phasing = outcome
    if outcome.start_delay_s > 0:
        mission.coast(mission.day + outcome.start_delay_s / 86400.0, 0.0, Phase.LOWERING)


def final_wait(mission: Mission, model: BurnModel) -> str:
    """After the last lowering burn: aim on simulated drops, coast to the ignition, pay the
    drift's closing burn. Returns LOWERED or REENTRY."""
    ph: PhasingOutcome = mission.phasing
    target = target_of(mission.scenario.reentry)
    t_last = mission.day
    guess = t_last + (ph.pass_s + (ph.delay_s if ph.flown else 0.0)) / 86400.0
    duration = sized_final(mission, guess, model).duration_s
    weather = mission.weather_on(t_last)
    burn = final_burn_at(mission, duration, ph.planned_day)
    path = coast_path(burn, target, weather, ph.pass_s + COAST_MARGIN_S)
    passes = phasing.apogee_ignitions(path, float(burn.elements[ARGP]), duration,
                                      argp_rate=float(mission.rates()[ARGP]))
    if not len(passes):
        return REENTRY
    k = int(np.argmin(np.abs(passes - ph.pass_s)))
    speed = float(np.linalg.norm(path.states[0, 3:6]))
    before = (t_last - ph.planned_day) * 86400.0

    def total_dv(delay: float, ignition_s: float) -> float:
        return drift_dv(speed, delay, before + ignition_s) if delay else 0.0

    slide, delay, d, start = _aim(burn, target, weather, path, float(passes[k]), ph, total_dv)
    ignition_s = float(passes[k]) + slide + delay
    final = sized_final(mission, t_last + ignition_s / 86400.0, model)
    if abs(final.duration_s - duration) > RESIZE_TOLERANCE_S:  # as sized at that ignition
        burn = replace(burn, duration_s=final.duration_s)
        slide, delay, d, start = _aim(burn, target, weather, path, float(passes[k]),
                                      replace(ph, delay_s=delay), total_dv)
        ignition_s = float(passes[k]) + slide + delay
    second = max(total_dv(delay, ignition_s) - ph.paid_dv_m_s, 0.0)  # the closing burn
    if mission.coast(t_last + ignition_s / 86400.0, 0.0, Phase.LOWERING) == REENTRY:
        return REENTRY
    second = _closing_burn(mission, second, final.propellant_kg)
    kg = _pay(mission, second, "end") if second > 0 else 0.0
    choice = phasing.PhasingChoice(ignition_s, delay, k, ph.miss_without_phasing_km,
                                   ph.paid_dv_m_s + second)
    start = start.copy()
    start[6] = mission.station.mass  # the mass the final burn starts with
    mission.phasing = replace(ph, revolution=k, delay_s=delay, delta_v_m_s=choice.phasing_dv_m_s,
                              propellant_kg=ph.paid_kg + kg, paid_dv_m_s=choice.phasing_dv_m_s,
                              paid_kg=ph.paid_kg + kg, burn=replace(burn, mass_kg=start[6]),
                              weather=weather, aimed=Aimed(ignition_s, start, choice, path, d))
    return LOWERED


def _closing_burn(mission: Mission, dv: float, final_kg: float) -> float:
    """The drift's closing burn if the tank pays for it and the final burn (burns first):
    else it is not flown and the status says so (the drift's small change of the orbit's
    size is then left in the orbit the final burn starts from)."""
    if dv <= 0:
        return 0.0
    _, isp = _engine(mission, final=True)
    kg = propellant_for_dv(mission.station.mass, dv, isp)
    usable = mission.station.tanks[USDV].usable
    if usable >= kg + final_kg:
        return dv
    mission.flag(IssueCode.INSUFFICIENT_PROPELLANT_FOR_PHASING,
                 f"the drift's closing burn ({dv:.1f} m/s, {kg:,.0f} kg) is not flown: "
                 f"{usable:,.0f} kg usable and the final burn needs {final_kg:,.0f} kg")
    return 0.0


def _aim(burn, target, weather, path, t_pass: float, ph: PhasingOutcome, total_dv):
    """(slide, delay, drop, ignition state): Newton on both around the plan when the drift
    is flown, the slide alone (the planned delay kept) if that leaves the plan's
    neighbourhood, costs more than the limit or the drift is not flown; the pass as it is
    if nothing converges."""
    delay0 = ph.delay_s if ph.flown else 0.0
    if ph.flown:
        solved = solve(burn, target, weather, path, t_pass, delay0)
        if solved is not None:
            (slide, delay), d, start = solved
            if abs(slide) <= MAX_SLIDE_S and abs(delay - delay0) <= REFINE_SPAN_S and \
                    total_dv(delay, t_pass + slide + delay) <= MAX_PHASING_DV:
                return float(slide), float(delay), d, start
    slid = _slide(burn, target, weather, path, t_pass, delay0)
    if slid is not None:
        t, d, start, _ = slid
        return t - t_pass, delay0, d, start
    _, d, start = centre_after(burn, target, weather, path, t_pass, delay0)
    return 0.0, delay0, d, start


def lower_for_final(mission: Mission, model: BurnModel) -> str:
    """The lowering series and the wait for the final burn, phased when it applies (and the
    scenario allows a phasing window). Returns LOWERED, REENTRY or SHORT."""
    if not applies(mission, model):
        return lower_perigee(mission, model)
    if mission.scenario.reentry.phasing_window > 0:
        begin(mission, model)
    if mission.phasing is None:  # flown as scheduled
        mission.phasing = PhasingOutcome(mission.day, 0.0, 0, math.nan, math.nan, 0.0, 0.0,
                                         0.0, 0.0, 0.0, flown=False, planned=False)
        return lower_perigee(mission, model)
    return _lower_from(mission, model, 0, final_wait=lambda m: final_wait(m, model))
