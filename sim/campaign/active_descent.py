"""Active descent: burns that lower the station so its mean altitude meets each waypoint of
``active_descent:`` on its date, planned backwards from those dates.

A leg runs from the previous waypoint (or ``start``) to the next waypoint. Its burns are
``spacing`` days apart counted back from the waypoint's date, and all lower the mean altitude
by the same step. The step is the root of "mean altitude on the date = the waypoint's
altitude", found (Brent) by flying the leg, drag between the burns included, on a scratch copy
of the mission whose tanks never run dry: that flight is the plan and its propellant the
plan's cost. The plan is then flown with the real tanks; what they cannot pay is a shortfall
with its own status, never a silent success. When drag alone brings the station to the
waypoint by its date, the leg flies no burns and says so (and how early it got there).

Each step is a Hohmann-like pair of retrograde impulses half an orbit apart (the mirror of a
reboost): delta-v = Hohmann(r, r - step). Steps are ~0.5-3 m/s, so each impulse lasts ~30 s at
the USDV's 12 kN on ~500 t and ~2 min at a Progress engine's ~3 kN; the cosine loss of a burn
spread over an arc, (omega T)^2 / 24 with omega the orbital rate, is then below 1e-3 of the
delta-v and the impulsive model holds. Propellant leaves the named tanks through ``Station.burn`` (the rocket
equation on the current total mass, tanks drawn in order), like every other burn.
"""

from __future__ import annotations

import copy
import dataclasses
import math

from sim.core.constants import R_EARTH
from sim.core.maneuvers import hohmann_dv, propellant_for_dv
from sim.scenario.units import iso_utc, to_day

from .descent_record import EMPTY_SUMMARY, DescentRecord, LegResult, LegStatus
from .mission import MEAN_ALTITUDE, REENTRY, TIME, Mission
from .operations import crew_departs, dock_usdv
from .timeline import Timeline
from .vocabulary import EventKind, IssueCode, Phase

STEP_TOLERANCE_M = 0.5  # the waypoint's altitude is met to about this (Brent's xtol x burns)
EARLY_DAYS = 1.0  # drag alone reaching a waypoint more than this before its date: "early"
FLOOR_MARGIN_M = 1e3  # a trial step never takes the orbit below stop_altitude + this


def descent_summary(mission: Mission) -> dict:
    """The descent's fields of ``summary.json`` (None when the scenario has none)."""
    record = mission.descent
    return dict(EMPTY_SUMMARY) if record is None else record.summary()


def descend(mission: Mission, docking_day: float | None) -> None:
    """Fly the active descent, leg by leg, from its start date (called after maintenance)."""
    spec = mission.scenario.active_descent
    record = DescentRecord(tuple(spec.tanks), to_day(spec.start))
    mission.descent = record
    before = {name: tank.burned for name, tank in mission.station.tanks.items()}
    _fly_legs(mission, record, docking_day)
    record.by_tank = {name: tank.burned - before.get(name, 0.0)
                      for name, tank in mission.station.tanks.items() if name in spec.tanks}


def _fly_legs(mission: Mission, record: DescentRecord, docking_day: float | None) -> None:
    spec = mission.scenario.active_descent
    phase = Phase.DECAY if mission.station.crewed else Phase.UNCREWED
    first = spec.waypoints[0].altitude
    if coast_with_events(mission, record.start_day, docking_day, first, phase) == REENTRY:
        return
    for k, point in enumerate(spec.waypoints):
        leg = _fly_leg(mission, k, point.altitude, to_day(point.date), docking_day)
        record.legs.append(leg)
        if not math.isnan(mission.reentry_day) or mission.perigee_altitude <= \
                mission.scenario.stop_altitude + 1.0:
            return


def coast_with_events(mission: Mission, until_day: float, docking_day: float | None,
                      stop_alt: float, phase: Phase) -> str:
    """Natural motion to ``until_day`` or down to ``stop_alt`` (mean altitude, m), docking the
    USDV and letting the crew go on the way as ``decay_until_burns`` does. Returns TIME,
    MEAN_ALTITUDE or REENTRY."""
    crew = mission.scenario.crew_departure
    while True:
        dates, alts = [until_day], [stop_alt]
        docking_due = docking_day is not None and mission.marks.usdv_docking is None
        if docking_due:
            dates.append(docking_day)
        crew_pending = crew is not None and mission.marks.crew_departure is None
        if crew_pending and crew.date is not None:
            dates.append(to_day(crew.date))
        elif crew_pending and crew.altitude is not None:
            alts.append(crew.altitude)
        if mission.coast(min(dates), max(alts), phase) == REENTRY:
            return REENTRY
        if docking_due and mission.day >= docking_day - 1e-9:
            dock_usdv(mission)
        if crew_pending and ((crew.date is not None and mission.day >= to_day(crew.date) - 1e-9)
                             or (crew.date is None and crew.altitude is not None and
                                 mission.mean_altitude <= crew.altitude + 1.0)):
            crew_departs(mission)
        if mission.day >= until_day - 1e-9:
            return TIME
        if mission.mean_altitude <= stop_alt + 1.0:
            return MEAN_ALTITUDE


def burn_days(start_day: float, target_day: float, spacing: float) -> list[float]:
    """Burn times counted back from the waypoint's date, one ``spacing`` apart, none before
    the leg starts (one at its start when the leg is shorter than the spacing)."""
    count = int(math.floor((target_day - start_day) / spacing + 1e-9))
    days = [target_day - k * spacing for k in range(count, 0, -1)]
    return days or [start_day]


def _scratch(mission: Mission) -> Mission:
    """A copy to fly trials on: same state, tanks and schedule; nothing recorded."""
    return dataclasses.replace(
        mission, station=copy.deepcopy(mission.station), state=mission.state.copy(),
        marks=mission.marks.copy(), issues=[], descent=None,
        timeline=Timeline(mission.timeline.tank_names, recording=False))


def _step(mission: Mission, step_m: float, unlimited: bool) -> tuple[float, float]:
    """Lower the mean altitude by ``step_m`` with a burn pair from the descent's tanks.

    Returns (delta-v achieved m/s, propellant used kg). A tank that runs dry (or a USDV not yet
    docked) gives a smaller step; ``unlimited`` (trials) pays what the tanks cannot from the
    last tank on board, which goes negative, so a trial flies exactly like the real flight
    while the tanks suffice and states the full need when they do not."""
    station = mission.station
    tanks = [n for n in mission.scenario.active_descent.tanks if n in station.tanks]
    r_now = mission.state[0]
    r_new = max(r_now - step_m, R_EARTH + mission.scenario.stop_altitude + FLOOR_MARGIN_M)
    if r_new >= r_now or not tanks:
        return 0.0, 0.0
    dv = sum(hohmann_dv(r_now, r_new))
    used, achieved = station.burn(dv, tanks)
    if unlimited and achieved < dv:
        last = station.tanks[tanks[-1]]
        used += station.spend(last.name, propellant_for_dv(station.mass, dv - achieved,
                                                           last.isp))
        achieved = dv
    mission.state[0] = r_now - (r_now - r_new) * achieved / dv
    mission.dv_cum += achieved
    return achieved, used


def _fly_burns(mission: Mission, days: list[float], step_m: float, target_day: float,
               docking_day: float | None, unlimited: bool,
               leg: int = 0) -> tuple[int, float, float]:
    """The leg's burns and coasts to its date; returns (burns, delta-v, propellant)."""
    burns, dv_total, used_total = 0, 0.0, 0.0
    for day in days:
        if coast_with_events(mission, day, docking_day, 0.0, Phase.ACTIVE_DESCENT) == REENTRY:
            return burns, dv_total, used_total
        dv, used = _step(mission, step_m, unlimited)
        if dv <= 0:
            continue
        burns += 1
        dv_total += dv
        used_total += used
        mission.timeline.event(mission.day, EventKind.DESCENT_BURN, mission.state, dv, used,
                               leg=leg, step_km=round(step_m / 1e3, 4))
    coast_with_events(mission, target_day, docking_day, 0.0, Phase.ACTIVE_DESCENT)
    return burns, dv_total, used_total


def _trial(mission: Mission, days: list[float], step_m: float, target_day: float,
           docking_day: float | None) -> tuple[float, float, float]:
    """One trial of the leg with tanks that never run dry: the mean altitude on the date (m;
    the stop altitude if the station came down), the propellant (kg) and delta-v (m/s)."""
    scratch = _scratch(mission)
    _, dv, used = _fly_burns(scratch, days, step_m, target_day, docking_day, unlimited=True)
    came_down = not math.isnan(scratch.reentry_day) or \
        scratch.perigee_altitude <= scratch.scenario.stop_altitude + 1.0
    altitude = scratch.scenario.stop_altitude if came_down else scratch.mean_altitude
    return altitude, used, dv


def _solve_step(mission: Mission, days: list[float], target_m: float, target_day: float,
                docking_day: float | None) -> float | None:
    """The step that puts the station at ``target_m`` on the date; None when no step does
    (no tank can burn on the leg)."""
    from scipy.optimize import brentq  # ~0.6 s to import: only when a descent is planned

    def miss(step):
        return _trial(mission, days, step, target_day, docking_day)[0] - target_m

    high = max((mission.mean_altitude - target_m) / len(days), 1.0)
    ceiling = mission.mean_altitude - mission.scenario.stop_altitude
    while miss(high) > 0:
        if high >= ceiling:
            return None
        high = min(2.0 * high, ceiling)
    return brentq(miss, 0.0, high, xtol=max(STEP_TOLERANCE_M / len(days), 1e-3))


def _fly_leg(mission: Mission, k: int, target_m: float, target_day: float,
             docking_day: float | None) -> LegResult:
    days = burn_days(mission.day, target_day, mission.scenario.active_descent.spacing)
    natural = _trial(mission, days, 0.0, target_day, docking_day)[0]
    if natural <= target_m:
        return _drag_alone(mission, k, target_m, target_day, docking_day, natural)
    step = _solve_step(mission, days, target_m, target_day, docking_day)
    _, planned, planned_dv = _trial(mission, days, step, target_day, docking_day) \
        if step is not None else (0.0, math.inf, math.inf)
    burns, dv, used = _fly_burns(mission, days, step or 0.0, target_day, docking_day,
                                 unlimited=False, leg=k)
    short = dv < planned_dv - 1e-6
    if short:
        _flag_short(mission, k, target_m, target_day, step, planned, used)
    status = LegStatus.SHORT if short else LegStatus.ON_TARGET
    return _finish(mission, k, target_m, target_day, natural, burns, dv, used,
                   planned if step is not None else None, status)


def _drag_alone(mission: Mission, k: int, target_m: float, target_day: float,
                docking_day: float | None, natural: float) -> LegResult:
    coast_with_events(mission, target_day, docking_day, target_m, Phase.ACTIVE_DESCENT)
    early = target_day - mission.day
    if early > EARLY_DAYS:
        mission.flag(IssueCode.DESCENT_WAYPOINT_EARLY,
                     f"drag alone brings the station to {target_m / 1e3:g} km on "
                     f"{iso_utc(mission.day)[:10]}, {early:.0f} days before the waypoint's "
                     f"date ({iso_utc(target_day)[:10]}): no descent burns were needed on "
                     "this leg and the milestone comes early")
    status = LegStatus.EARLY if early > EARLY_DAYS else LegStatus.ON_TARGET
    return _finish(mission, k, target_m, target_day, natural, 0, 0.0, 0.0, 0.0, status)


def _flag_short(mission: Mission, k: int, target_m: float, target_day: float,
                step: float | None, planned: float, used: float) -> None:
    tanks = ", ".join(mission.scenario.active_descent.tanks)
    if step is None:
        detail = f"no burn could be made: the tanks ({tanks}) were not on board"
    else:
        detail = (f"the plan needs {planned:,.0f} kg from {tanks} but {used:,.0f} kg could be "
                  f"burned (short by {planned - used:,.0f} kg)")
    mission.flag(IssueCode.DESCENT_PROPELLANT_SHORT,
                 f"active descent leg {k + 1} (to {target_m / 1e3:g} km by "
                 f"{iso_utc(target_day)[:10]}): {detail}; the station reached "
                 f"{mission.mean_altitude / 1e3:.1f} km instead")


def _finish(mission: Mission, k: int, target_m: float, target_day: float, natural: float,
            burns: int, dv: float, used: float, planned: float | None,
            status: LegStatus) -> LegResult:
    leg = LegResult(target_m, target_day, mission.day, mission.mean_altitude, natural, burns,
                    dv, used, planned, status)
    # the leg's totals go in the details: the burns' own events already carry them
    mission.timeline.event(mission.day, EventKind.DESCENT_WAYPOINT, mission.state, leg=k,
                           target_altitude_km=round(target_m / 1e3, 3),
                           target_utc=iso_utc(target_day), status=status.value,
                           leg_delta_v_m_s=round(dv, 3), leg_propellant_kg=round(used, 1))
    return leg
