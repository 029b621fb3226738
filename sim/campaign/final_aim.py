"""Aim the final burn from a coasting orbit: revolution, slide along the orbit, phase delay.

The coast from the burn's earliest time is flown in Cowell's form (``phasing.coast``); each
candidate ignition is dropped (burn, descent, the lightest and the densest fragment class) and
the footprint centre compared with the aim. Two small knobs remain once the revolution is
chosen: a slide of the ignition along the orbit (moves the centre along the track) and a
delay in reaching the ignition point (the Earth turns by omega dt beneath the same inertial
descent: moves the centre across the track). ``solve`` finds both by Newton's method on
simulated drops; ``aim_final_burn`` is the stand-alone search the API offers for a burn given
by itself (the campaign places the burn with ``phasing_plan`` and uses ``solve`` only for the
last correction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.great_circle import along_cross_km, local_east_north_km

from . import phasing
from .phasing_plan import drift_dv
from .final_drop import AIM_TOLERANCE_KM, Drop, FinalBurn, Target, centre_of, drop, extreme_classes

GROUND_SPEED_KM_S = 7.0  # first guess of how fast the centre moves with the ignition
# m/s: the USDV's ~16 t give ~100 m/s on the station, the lowering and final burns need
# ~50-60 m/s; phasing beyond this would eat the margin (and is not a "small manoeuvre")
MAX_PHASING_DV = 25.0
MAX_SLIDE_S = 1350.0  # a quarter of a low orbit: the burn stays on the apogee half
FD_STEP_S = 20.0  # finite-difference step of the Newton Jacobian (s)
NEWTON_STEPS = 8


@dataclass(frozen=True)
class Aimed:
    """The aimed final burn and its nominal drop (times in s after ``FinalBurn.earliest_day``)."""

    ignition_s: float  # when the burn starts (includes the slide and the delay)
    u0: np.ndarray  # inertial state and mass at ignition
    choice: phasing.PhasingChoice
    path: phasing.CoastPath
    drop: Drop | None


def centre_after(burn: FinalBurn, target: Target, weather, path, t_ign: float, delay: float):
    """Footprint centre (east, north km from the aim) and the drop for an ignition at coast
    time ``t_ign`` reached ``delay`` s later by phasing; (None, None, state) if the burn does
    not bring the station down."""
    start = phasing.state_at(path, t_ign)
    air = burn.air(weather, t_ign + delay)
    d = drop(start, burn, air, burn.thrust(), target.breakup_alt_m,
             extreme_classes(target.classes), np.zeros((2, 3)))
    if d is None:
        return None, None, start
    c_lat, c_lon, _ = centre_of(d)
    e, n = local_east_north_km(c_lat, c_lon, *target.aim)
    return np.array([float(e), float(n)]), d, start


def _jacobian(burn, target, weather, path, t_ign, delay, f):
    steps = (np.array([FD_STEP_S, 0.0]), np.array([0.0, FD_STEP_S]))
    cols = []
    for h in steps:
        g = centre_after(burn, target, weather, path, t_ign + h[0], delay + h[1])[0]
        if g is None:
            return None
        cols.append((g - f) / FD_STEP_S)
    return np.column_stack(cols)


def solve(burn: FinalBurn, target: Target, weather, path, t_rev: float, delay0: float):
    """Newton on (slide along the orbit, phasing delay) with simulated drops, from an
    ignition at coast time ``t_rev`` and a first guess ``delay0`` of the delay.
    Returns (slide, delay), the drop and the ignition state, or None.

    The Jacobian (two more drops) is kept while each step at least halves the miss (the
    centre moves nearly linearly with both over a few hundred seconds) and taken afresh
    otherwise."""
    x = np.array([0.0, delay0])
    f, d, start = centre_after(burn, target, weather, path, t_rev, delay0)
    jac, last = None, math.inf
    for _ in range(NEWTON_STEPS):
        if f is None:
            return None
        miss = float(np.hypot(*f))
        if miss < AIM_TOLERANCE_KM:
            break
        if jac is None or miss > 0.5 * last:
            jac = _jacobian(burn, target, weather, path, t_rev + x[0], x[1], f)
            if jac is None or abs(np.linalg.det(jac)) < 1e-12:
                return None
        last = miss
        x = x - np.linalg.solve(jac, f)
        f, d, start = centre_after(burn, target, weather, path, t_rev + x[0], x[1])
    if f is None:
        return None
    return x, d, start


def along_cross(d: Drop, aim) -> tuple[float, float]:
    """Where the aim lies from the drop's centre: along the track (heel to toe) and across."""
    c_lat, c_lon, _ = centre_of(d)
    along, cross = along_cross_km(np.array([aim[0]]), np.array([aim[1]]), c_lat, c_lon,
                                  d.lat[-1], d.lon[-1])
    return float(along[0]), float(cross[0])


def _slide(burn, target, weather, path, t_rev, delay: float = 0.0):
    """Slide the ignition along the orbit (at most a quarter revolution from apogee) until
    the centre is abeam the aim (secant steps), the phase ``delay`` held; the last good
    descent is kept."""
    limit = MAX_SLIDE_S
    t, f_prev, t_prev, good = t_rev, None, None, None
    for _ in range(8):
        _, d, start = centre_after(burn, target, weather, path, t, delay)
        if d is None:
            break
        along, cross = along_cross(d, target.aim)
        good = (t, d, start, float(math.hypot(along, cross)))
        if abs(along) < AIM_TOLERANCE_KM:
            break
        step = along / GROUND_SPEED_KM_S if f_prev is None or along == f_prev else \
            -along * (t - t_prev) / (along - f_prev)
        new_t = float(np.clip(t + step, t_rev - limit, t_rev + limit))
        if new_t == t:
            break
        t_prev, f_prev, t = t, along, new_t
    return good


def aim_final_burn(burn: FinalBurn, target: Target, weather,
                   max_phasing_dv: float = MAX_PHASING_DV) -> Aimed:
    """Choose the revolution and the ignition time that centre the footprint on the aim, for
    a burn given by itself (the orbit as it is: nothing before the burn can be re-timed).

    Each revolution's burn centred on apogee is simulated; the revolution whose footprint
    track passes nearest the aim is taken and the ignition slid along the orbit until the
    centre is abeam the aim. The rest (the aim's distance off that track) needs phasing: a
    delay dt in reaching the ignition point leaves the inertial descent unchanged and turns
    the Earth by omega dt beneath it. It is applied (Newton on slide and delay with simulated
    descents) only if its delta-v stays within ``max_phasing_dv``; otherwise the miss stays.
    """
    el = burn.elements
    path = phasing.coast_from(el, burn.arg_latitude, burn.mass_kg, burn.cd_area_m2,
                              burn.air(weather),
                              target.window_days * 86400.0, target.breakup_alt_m)
    u0 = path.states[0]
    candidates = phasing.apogee_ignitions(path, float(el[4]), burn.duration_s)
    best = None
    for rev, t_rev in enumerate(candidates if len(candidates) else [0.0]):
        _, d, _ = centre_after(burn, target, weather, path, float(t_rev), 0.0)
        if d is None:
            continue
        along, cross = along_cross(d, target.aim)
        # off-track distance first; a long slide moves the burn far from apogee
        score = abs(cross) + 0.1 * abs(along)
        if best is None or score < best[0]:
            best = (score, rev, float(t_rev))
    slid = None if best is None else _slide(burn, target, weather, path, best[2])
    if slid is None:
        return Aimed(0.0, u0, phasing.PhasingChoice(0.0, 0.0, 0, math.nan, math.nan), path,
                     None)
    t_ign, nominal, start, miss = slid
    rev = best[1]
    solved = solve(burn, target, weather, path, t_ign, 0.0)
    if solved is not None:
        x, d2, start2 = solved
        dv = drift_dv(float(np.linalg.norm(start2[3:6])), x[1],
                      t_ign + x[0] + x[1] + burn.drift_before_s) if x[1] else 0.0
        if dv <= max_phasing_dv:
            return Aimed(t_ign + x[0] + x[1], start2, phasing.PhasingChoice(
                t_ign + x[0] + x[1], float(x[1]), rev, miss, dv), path, d2)
    return Aimed(t_ign, start, phasing.PhasingChoice(t_ign, 0.0, rev, miss, 0.0), path,
                 nominal)


def flown_as_scheduled(burn: FinalBurn, target: Target, weather, ignition_s: float) -> Aimed:
    """The burn as the campaign flew it, unaimed: the coast from ``burn.earliest_day`` to
    ``ignition_s`` and the drop from there."""
    path = phasing.coast_from(burn.elements, burn.arg_latitude, burn.mass_kg, burn.cd_area_m2,
                              burn.air(weather),
                              ignition_s + 2 * phasing.COAST_RECORD_S, target.breakup_alt_m)
    _, d, start = centre_after(burn, target, weather, path, ignition_s, 0.0)
    return Aimed(ignition_s, start, phasing.PhasingChoice(ignition_s, 0.0, 0, math.nan, 0.0),
                 path, d)
