"""Station operations before the burns: altitude maintenance, natural decay, USDV docking,
crew departure."""

from __future__ import annotations

import math

from sim.core.constants import MU_EARTH, R_EARTH
from sim.core.maneuvers import hohmann_dv, propellant_for_dv

from sim.scenario.units import iso_utc, to_day

from .mission import MEAN_ALTITUDE, REENTRY, TIME, Mission
from .station import USDV, Tank
from .vocabulary import EventKind, IssueCode, Phase

LOWERING_DUE = "lowering"


def reboost_tanks(mission: Mission) -> list[str]:
    spec = mission.scenario.reboost
    return list(spec.tanks) if spec.tanks else [n for n in mission.station.tanks if n != USDV]


def maintain_altitude(mission: Mission, until_day: float) -> None:
    """Reboost to ``target`` whenever the mean altitude falls to ``floor``, until a date."""
    spec = mission.scenario.reboost
    tanks = reboost_tanks(mission)
    while mission.day < until_day - 1e-9:
        outcome = mission.coast(until_day, spec.floor, Phase.MAINTENANCE)
        if outcome == REENTRY:
            return
        # the last top-up makes the decay start from the target, whatever the stop date
        top_up = outcome == TIME and spec.final_top_up and mission.day >= until_day - 1e-9
        if outcome != MEAN_ALTITUDE and not top_up:
            continue
        if not _reboost(mission, tanks):
            return


def _reboost(mission: Mission, tanks: list[str]) -> bool:
    """One reboost to the target; False (and flagged) when the propellant ran out."""
    spec = mission.scenario.reboost
    r_now, r_target = mission.state[0], R_EARTH + spec.target
    if r_now >= r_target:
        return True
    dv = sum(hohmann_dv(r_now, r_target)) if spec.method == "hohmann" else spec.delta_v
    used, achieved = mission.station.burn(dv, tanks)
    if achieved > 0:
        # a fixed dv raises a by 2 a dv / v (Gauss); Hohmann reaches the target exactly
        gain = (r_target - r_now) * achieved / dv if spec.method == "hohmann" else \
            2.0 * r_now * achieved / math.sqrt(MU_EARTH / r_now)
        mission.state[0] = r_now + gain
        mission.dv_cum += achieved
    mission.timeline.event(mission.day, EventKind.REBOOST, mission.state, achieved, used)
    if achieved < dv - 1e-6:
        mission.flag(IssueCode.REBOOST_PROPELLANT_EXHAUSTED,
                     f"reboost propellant ran out on {iso_utc(mission.day)}: altitude "
                     "maintenance ended early and natural decay began")
        return False
    return True


def boost_to_storage(mission: Mission) -> None:
    """A Hohmann transfer to the storage altitude; short propellant is flagged, not hidden."""
    spec = mission.scenario.boost
    tanks = list(spec.tanks) or list(mission.station.tanks)
    r_now, r_target = mission.state[0], R_EARTH + spec.altitude
    dv = sum(hohmann_dv(r_now, r_target))
    available = mission.station.usable_in(tanks)
    need = propellant_for_dv(mission.station.mass, dv, mission.station.tanks[tanks[0]].isp)
    used, achieved = mission.station.burn(dv, tanks)
    mission.state[0] = r_now + (r_target - r_now) * achieved / dv
    mission.dv_cum += achieved
    mission.marks.boost = mission.day
    mission.timeline.event(mission.day, EventKind.BOOST, mission.state, achieved, used,
                           target_altitude_km=round(spec.altitude / 1e3, 1),
                           delta_v_needed_m_s=round(dv, 2))
    if achieved < dv - 1e-6:
        mission.shortfall_kg = need - available
        mission.flag(IssueCode.INSUFFICIENT_PROPELLANT,
                     f"the boost to {spec.altitude / 1e3:.0f} km needs {dv:.0f} m/s, about "
                     f"{need:,.0f} kg; the tanks hold {available:,.0f} kg usable: the station "
                     f"reached {mission.mean_altitude / 1e3:.0f} km")


def pending_stops(mission: Mission, docking_day: float | None) -> tuple[list, list]:
    """Where a coast must stop for the milestones still ahead: the USDV's docking date and
    the crew's departure (a date or an altitude). Returns (dates, altitudes)."""
    dates, alts = [], []
    if docking_day is not None and mission.marks.usdv_docking is None:
        dates.append(docking_day)
    crew = mission.scenario.crew_departure
    if crew is not None and mission.marks.crew_departure is None:
        if crew.date is not None:
            dates.append(to_day(crew.date))
        elif crew.altitude is not None:
            alts.append(crew.altitude)
    return dates, alts


def settle_milestones(mission: Mission, docking_day: float | None) -> None:
    """Dock the USDV and let the crew go once their date (or altitude) is reached."""
    if docking_day is not None and mission.marks.usdv_docking is None and \
            mission.day >= docking_day - 1e-9:
        dock_usdv(mission)
    crew = mission.scenario.crew_departure
    if crew is None or mission.marks.crew_departure is not None:
        return
    if (crew.date is not None and mission.day >= to_day(crew.date) - 1e-9) or \
            (crew.date is None and crew.altitude is not None and
             mission.mean_altitude <= crew.altitude + 1.0):
        crew_departs(mission)


def dock_usdv(mission: Mission) -> None:
    spec = mission.scenario.usdv
    station = mission.station
    station.docked_mass += spec.dry_mass
    station.tanks[USDV] = Tank(USDV, spec.propellant, spec.isp, attitude_per_day=spec.attitude,
                               reserve=spec.reserve, initial=spec.propellant)
    mission.marks.usdv_docking = mission.day
    mission.timeline.event(mission.day, EventKind.USDV_DOCKING, mission.state,
                           mass_added_kg=spec.dry_mass + spec.propellant)
    ready = spec.launch_ready
    if ready is not None and mission.day < to_day(ready) - 1e-6:
        mission.flag(IssueCode.USDV_NOT_READY,
                     f"the USDV docks on {iso_utc(mission.day)} in this scenario, but it is "
                     f"not ready before {ready.date()}: this timeline needs it "
                     f"{(to_day(ready) - mission.day) / 30.4375:.1f} months earlier")


def crew_departs(mission: Mission) -> None:
    mission.station.crewed = False
    area = mission.scenario.object.drag_area_uncrewed
    if area is not None:
        mission.station.drag_area = area
    mission.marks.crew_departure = mission.day
    mission.timeline.event(mission.day, EventKind.CREW_DEPARTURE, mission.state)


def decay_until_burns(mission: Mission, docking_day: float | None) -> str:
    """Natural decay, handling docking and crew departure, until lowering starts or reentry.

    Returns LOWERING_DUE when the burns are due, or REENTRY / TIME.
    """
    sc = mission.scenario
    lowering = sc.perigee_lowering
    burns_planned = sc.usdv is not None and (lowering is not None or sc.final_burn is not None)
    lowering_alt = (lowering.start_altitude if lowering else 220e3) if burns_planned else 0.0
    while True:
        dates, alts = pending_stops(mission, docking_day)
        dates.append(mission.end_day)
        alts.append(0.0)
        if burns_planned and lowering is not None and lowering.start_date is not None:
            dates.append(to_day(lowering.start_date))
        elif burns_planned:
            alts.append(lowering_alt)
        phase = Phase.DECAY if mission.station.crewed else Phase.UNCREWED
        outcome = mission.coast(min(dates), max(alts), phase)
        if outcome == REENTRY:
            return REENTRY
        settle_milestones(mission, docking_day)
        if burns_planned and lowering is not None and lowering.start_date is not None:
            if mission.day >= to_day(lowering.start_date) - 1e-9:
                return LOWERING_DUE
        elif burns_planned and mission.mean_altitude <= lowering_alt + 1.0:
            return LOWERING_DUE
        if outcome == TIME and mission.day >= mission.end_day - 1e-9:
            return TIME
