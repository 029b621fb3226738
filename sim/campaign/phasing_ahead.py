"""Plan the final burn's phasing by flying the lowering ahead (a scratch copy of the run).

From the moment the lowering is due: the series as scheduled, the last orbit flown in
Cowell's form to the guard perigee, one reference descent from the pass the unscheduled
campaign would fire on, the placements of the apogee that put the footprint on the aim
(``phasing_plan.placements``, polished on simulated descents from the turned orbit) and the
cheapest timing (``phasing_plan.choose``: the final burn's and the drift's delta-v).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from sim.core.constants import MU_EARTH
from sim.core.great_circle import distance_km
from sim.core.maneuvers import propellant_for_dv
from sim.core.mean_elements import ARGLAT, ARGP, RAAN
from sim.core.orbit_state import rotate_in_plane

from . import phasing
from .burn_models import final_dv
from .deorbit_burns import (LOWERED, BurnModel, _engine, _final, _lower_from, coast_guarded,
                            final_wait_s, scratch_copy)
from .final_aim import MAX_SLIDE_S, Aimed, centre_after, solve
from .final_drop import FinalBurn, Target, centre_of, drop, extreme_classes, target_of
from .mission import Mission
from .phasing_plan import (Geometry, centre_map, choose, closest_approach, drift_dv,
                           placements)
from .station import USDV
from .vocabulary import IssueCode, Phase

COAST_MARGIN_S = 2 * 5400.0  # the Cowell coast runs this far past the last allowed pass
MIN_LEAD_S = 1800.0  # the final burn comes at least this long after the last lowering burn
REVOLUTION_S = 5300.0  # apsides of a pass are read over this much coast before it
VERIFY_PASSES = 3
VERIFIED_S = 30.0  # slide and delay this close to the prediction: kept (~0.3 m/s of drift)


@dataclass(frozen=True)
class PhasingOutcome:
    """The phasing of one run (what ``summary.json`` reports and the footprint flies)."""

    planned_day: float  # the lowering was due (the drift starts here)
    start_delay_s: float  # the first lowering burn waited this long
    revolution: int  # apogee pass of the final burn after the last lowering burn (0: first)
    unphased_final_day: float  # the final burn as scheduled without phasing
    miss_without_phasing_km: float
    pass_s: float  # the planned pass, s after the last lowering burn
    delay_s: float  # the phase shift bought with the drift
    delta_v_m_s: float
    propellant_kg: float
    need_kg: float  # the lowering and final burns (scratch flight)
    flown: bool = True  # False: the drift is not flown (unaffordable, over the limit)
    paid_dv_m_s: float = 0.0  # what the drift's burns have taken so far
    paid_kg: float = 0.0
    planned: bool = True  # False: the final burn flies as scheduled (no phasing)
    without_drift: tuple | None = None  # (start delay s, revolution, pass s) if not flown
    burn: FinalBurn | None = None  # the coast from the last lowering burn
    aimed: Aimed | None = None
    weather: tuple | None = None


def final_burn_at(mission: Mission, duration_s: float, from_day: float) -> FinalBurn:
    """The final burn's inputs from the run as it is now (the coast starts here)."""
    thrust, isp = _engine(mission, final=True)
    s = mission.state
    return FinalBurn(mission.day, s[:5].copy(), float(s[ARGLAT]), mission.station.mass,
                     mission.station.cd_area, thrust, isp, duration_s, from_day)


def coast_path(burn: FinalBurn, target: Target, weather, span_s: float):
    return phasing.coast_from(burn.elements, burn.arg_latitude, burn.mass_kg, burn.cd_area_m2,
                              burn.air(weather), span_s,
                              target.breakup_alt_m)


def sized_final(mission: Mission, day: float, model: BurnModel):
    """The final burn as the campaign would size it at ``day`` (a scratch coast there)."""
    ahead = scratch_copy(mission)
    ahead.coast(day, 0.0, Phase.LOWERING)
    return _final(ahead, ahead.state.copy(), ahead.station.mass, model)


def _final_dv_by_pass(mission: Mission, path, passes: np.ndarray, isp: float) -> np.ndarray:
    """The final burn's delta-v on each pass, from the coast's apsides over the revolution
    that ends there (the burn model's sizing rule, ``burn_models.final_dv``)."""
    r = np.linalg.norm(path.states[:, :3], axis=1)
    out = []
    for t in passes:
        rev = (path.t_s > t - REVOLUTION_S) & (path.t_s <= t)
        out.append(final_dv(mission.scenario.final_burn, float(r[rev].max()),
                            float(r[rev].min()), mission.station.mass, isp,
                            mission.station.tanks[USDV].usable))
    return np.array(out)


@dataclass(frozen=True)
class _Ahead:
    """The lowering flown ahead: the last orbit and its passes."""

    scratch: Mission  # after the last lowering burn
    lowering_kg: float  # the lowering burns' propellant
    need_kg: float  # and the final burn's, as scheduled
    burn: FinalBurn
    weather: tuple
    path: object
    passes: np.ndarray
    ref: int  # the pass the unphased campaign fires on
    allowed: np.ndarray


def _fly_ahead(mission: Mission, model: BurnModel, target: Target,
               start_delay_s: float = 0.0, cube_day: float | None = None) -> _Ahead | None:
    scratch = scratch_copy(mission)
    scratch.apogee_timing = True  # as the phased run will fly it
    burned = scratch.station.tanks[USDV].burned
    if start_delay_s > 0:
        scratch.coast(scratch.day + start_delay_s / 86400.0, 0.0, Phase.LOWERING)
    if _lower_from(scratch, model, 0, final_wait=None) != LOWERED or scratch.day == mission.day:
        return None
    window = target.window_days
    t_last, wait = scratch.day, final_wait_s(scratch)
    ahead = scratch_copy(scratch)
    guarded = coast_guarded(ahead, t_last + wait + window) is not None and \
        ahead.day < t_last + wait - 1e-9
    latest = ahead.day  # the guard perigee or the window's end
    unphased = min(t_last + wait, latest)
    final = sized_final(scratch, unphased, model)
    weather = mission.weather_on(t_last)
    burn = replace(final_burn_at(scratch, final.duration_s, mission.day), cube_day=cube_day)
    path = coast_path(burn, target, weather, (latest - t_last) * 86400.0 + COAST_MARGIN_S)
    passes = phasing.apogee_ignitions(path, float(burn.elements[ARGP]), final.duration_s,
                                      argp_rate=float(scratch.rates()[ARGP]))
    rel = (unphased - t_last) * 86400.0
    if not len(passes) or passes[-1] < rel:
        return None
    ref = int(np.argmax(passes >= rel))
    # any pass from a window before it up to the guard (the pass after it, when the guard
    # brought the final burn forward, as the unphased campaign does)
    last = ref if guarded else int(np.searchsorted(passes, (latest - t_last) * 86400.0))
    allowed = (passes >= rel - window * 86400.0) & (np.arange(len(passes)) <= last)
    lowering = scratch.station.tanks[USDV].burned - burned
    return _Ahead(scratch, lowering, lowering + final.propellant_kg, burn, weather, path,
                  passes, ref, allowed)


def plan(mission: Mission, model: BurnModel) -> PhasingOutcome | None:
    """Fly the lowering ahead and choose the timing (None: nothing to phase)."""
    target = target_of(mission.scenario.reentry)
    ah = _fly_ahead(mission, model, target)
    if ah is None:
        return None
    burn, weather, passes, ref = ah.burn, ah.weather, ah.passes, ah.ref
    _, d_ref, start = centre_after(burn, target, weather, ah.path, float(passes[ref]), 0.0)
    if d_ref is None:
        return None
    c_lat, c_lon, _ = centre_of(d_ref)
    lowered = ah.scratch.rates()
    base = PhasingOutcome(mission.day, 0.0, ref, burn.earliest_day + passes[ref] / 86400.0,
                          float(distance_km(c_lat, c_lon, *target.aim)), float(passes[ref]),
                          0.0, 0.0, 0.0, ah.need_kg, flown=False)
    normal = np.cross(start[:3], start[3:6])
    cmap = centre_map(d_ref, (c_lat, c_lon), normal / np.linalg.norm(normal),
                      float(lowered[RAAN]))

    def turned(alpha: float, tau: float):
        air = burn.air(weather, float(passes[ref]) + tau)
        d = drop(rotate_in_plane(start, alpha), burn, air, burn.thrust(), target.breakup_alt_m,
                 extreme_classes(target.classes), np.zeros((2, 3)))
        return None if d is None else centre_of(d)[:2]

    spots = placements(cmap, target.aim, turned)
    if not spots:
        mission.flag(IssueCode.AIM_OUT_OF_REACH,
                     f"the footprint's centre never reaches the aim's latitude "
                     f"({target.aim[0]:.1f} deg) on this orbit: aimed at its nearest point")
        spots = [closest_approach(cmap, target.aim)]
    _, isp = _engine(mission, final=True)
    speed = math.sqrt(MU_EARTH / mission.state[0])
    before = (burn.earliest_day - mission.day) * 86400.0
    bounds = (MIN_LEAD_S, float(passes[np.nonzero(ah.allowed)[0][-1]]))
    geo = Geometry(passes, ah.allowed, ref, float(mission.rates()[ARGLAT]),
                   float(lowered[ARGP]), float(lowered[RAAN]), bounds,
                   _final_dv_by_pass(ah.scratch, ah.path, passes, isp), speed, before)
    timing, delay = _verified(mission, model, target, spots, geo, burn.earliest_day)
    dv = float(drift_dv(speed, delay, before + timing.start_delay_s +
                        passes[timing.revolution] + delay))
    final = sized_final(ah.scratch, burn.earliest_day + passes[timing.revolution] / 86400.0,
                        model)  # the final burn on the chosen pass (earlier: dearer)
    free = choose(spots, geo, target.window_days * 86400.0, drift=False)
    return replace(base, start_delay_s=timing.start_delay_s, revolution=timing.revolution,
                   pass_s=float(passes[timing.revolution]), delay_s=delay,
                   delta_v_m_s=dv, propellant_kg=propellant_for_dv(mission.station.mass, dv, isp),
                   need_kg=ah.lowering_kg + final.propellant_kg, flown=True,
                   without_drift=(free.start_delay_s, free.revolution,
                                  float(passes[free.revolution])))


def _verified(mission: Mission, model: BurnModel, target: Target, spots, geo,
              cube_day: float):
    """The cheapest timing and its delay as a flight ahead with that timing needs it.

    The lowering flown later puts its perigees elsewhere, so the decay and the arrival
    differ from the prediction (by up to a few hundred seconds), and the map places the
    apogee only roughly. The flight ahead, aimed on simulated drops, gives the slide along
    the orbit and the delay the pass needs; a slide is the same as starting the lowering
    that much later, so the placement is corrected by both and the choice made again.
    """
    window = target.window_days * 86400.0
    timing = choose(spots, geo, window)
    verified = None
    for attempt in range(VERIFY_PASSES):
        check = _aim_flying_ahead(mission, model, target, timing, cube_day)
        if check is None:
            break
        slide, delay = check
        verified = (timing, delay)
        if abs(slide) < VERIFIED_S and abs(delay - timing.delay_s) < VERIFIED_S or \
                attempt == VERIFY_PASSES - 1:
            break
        alpha, tau = spots[timing.spot]
        moved = (alpha + geo.u_rate * slide, tau + slide + delay - timing.delay_s)
        spots = [*spots[:timing.spot], moved, *spots[timing.spot + 1:]]
        timing = choose(spots, geo, window)
    return verified if verified is not None else (timing, timing.delay_s)


def _aim_flying_ahead(mission: Mission, model: BurnModel, target: Target, timing,
                      cube_day: float):
    """(slide, delay) the chosen pass needs after flying the lowering ahead with the chosen
    start (Newton on both with simulated drops; the plan's NRLMSIS cube, whose UT-only terms
    are a few per cent off hours later: the campaign's last correction uses its own), None
    if it does not settle."""
    late = _fly_ahead(mission, model, target, timing.start_delay_s, cube_day)
    if late is None or timing.revolution >= len(late.passes):
        return None
    t_pass = float(late.passes[timing.revolution])
    duration = sized_final(late.scratch, late.burn.earliest_day + t_pass / 86400.0,
                           model).duration_s
    solved = solve(replace(late.burn, duration_s=duration), target, late.weather, late.path,
                   t_pass, timing.delay_s)
    if solved is None or abs(solved[0][0]) > MAX_SLIDE_S:
        return None
    return float(solved[0][0]), float(solved[0][1])
