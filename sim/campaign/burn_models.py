"""One USDV burn, sized and flown: finite (the model) or impulsive (its fast limit).

Both forms take the same inputs and return the same ``BurnResult``, so the campaign runs one
sequence whichever is chosen. The burn starts at the planned time and is centred on apogee
(``align_to_burn`` makes the phase agree). A finite burn to a target perigee is sized from the
impulsive Δv and corrected by one secant step on its duration (finite-burn losses are a few
per cent at these durations). ``limit_kg`` caps the propellant: a tank running dry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.constants import G0, MU_EARTH, R_EARTH
from sim.core.density_field import DensityField
from sim.core.finite_burn import align_to_burn, final_burn, retro_burn
from sim.core.maneuvers import (apsis_speed, burn_duration, dv_for_propellant,
                                perigee_change_dv, propellant_for_dv)
from sim.core.mean_elements import ARGLAT, ARGP


@dataclass(frozen=True)
class BurnResult:
    state: np.ndarray  # mean elements after the burn
    duration_s: float
    propellant_kg: float
    dv_m_s: float  # rocket-equation delta-v of the propellant burned
    perigee_m: float  # altitudes after the burn
    apogee_m: float
    reentry_day: float = math.nan  # final burn: when the stop altitude is reached


def _apsides(state: np.ndarray) -> tuple[float, float]:
    return state[0] * (1 + state[1]), state[0] * (1 - state[1])


def _perigee_after(ra: float, rp: float, dv: float) -> float:
    """Perigee radius after a retrograde ``dv`` at apogee (vis-viva)."""
    v = apsis_speed(ra, rp) - dv
    a_new = 1.0 / (2.0 / ra - v * v / MU_EARTH)
    return 2.0 * a_new - ra


def _with_apsides(aligned: np.ndarray, ra: float, rp: float, u: float) -> np.ndarray:
    state = aligned.copy()
    state[0], state[1] = 0.5 * (ra + rp), (ra - rp) / (ra + rp)
    state[ARGLAT] = u
    return state


def _impulsive(state, mass, thrust, isp, dv, limit_kg) -> tuple[BurnResult, float]:
    """An impulsive retrograde burn at apogee; also returns the new perigee radius."""
    dv = min(dv, dv_for_propellant(mass, min(limit_kg, mass * 0.999), isp))
    duration = burn_duration(mass, dv, thrust, isp)
    aligned = align_to_burn(state, duration)
    ra, rp = _apsides(aligned)
    rp_new = _perigee_after(ra, rp, dv)
    after = _with_apsides(aligned, ra, rp_new, (aligned[ARGP] + math.pi) % (2 * math.pi))
    burn = BurnResult(after, duration, propellant_for_dv(mass, dv, isp), dv,
                      rp_new - R_EARTH, ra - R_EARTH)
    return burn, rp_new


def lowering_burn(state: np.ndarray, mass: float, cd_area: float, thrust: float, isp: float,
                  target_m: float, *, field: DensityField, day: float, corotate: bool,
                  finite: bool, limit_kg: float = math.inf, execution: float = 1.0) -> BurnResult:
    """A perigee-lowering burn to ``target_m`` (altitude), at most ``limit_kg`` burned;
    ``execution`` scales the burn as flown against the burn as planned (ensembles)."""
    ra, rp = _apsides(state)
    dv = perigee_change_dv(ra, rp, R_EARTH + target_m)
    if not finite:
        return _impulsive(state, mass, thrust, isp, dv * execution, limit_kg)[0]
    mdot = thrust / (isp * G0)
    duration = min(burn_duration(mass, dv, thrust, isp), limit_kg / mdot)

    def fly(seconds):
        return retro_burn(align_to_burn(state, seconds), mass, cd_area, thrust, isp, seconds,
                          field, day, corotate)

    outcome = fly(duration)
    achieved = outcome.state[0] * (1 - outcome.state[1])
    if math.isinf(limit_kg) and rp - achieved > 0:
        duration *= (rp - R_EARTH - target_m) / (rp - achieved)
        if execution == 1.0:  # else only the burn as executed is flown (below)
            outcome = fly(duration)
    if execution != 1.0:
        duration = min(duration * execution, limit_kg / mdot)
        outcome = fly(duration)
    ra_new, rp_new = _apsides(outcome.state)
    return BurnResult(outcome.state, duration, outcome.propellant_kg, outcome.dv_m_s,
                      rp_new - R_EARTH, ra_new - R_EARTH)


def final_dv(spec, ra: float, rp: float, mass: float, isp: float, usable: float) -> float:
    if spec.delta_v is not None:
        return spec.delta_v
    if spec.target_perigee == "lowest":
        return dv_for_propellant(mass, usable, isp)
    if R_EARTH + spec.target_perigee >= rp:
        return 0.0
    return perigee_change_dv(ra, rp, R_EARTH + spec.target_perigee)


def _time_to_radius(a: float, e: float, r: float) -> float:
    """Seconds from apogee down to radius ``r`` on a Kepler orbit (NaN if never reached)."""
    if e <= 0 or r < a * (1 - e):
        return math.nan
    ecc_anom = 2 * math.pi - math.acos(min(max((1 - r / a) / e, -1.0), 1.0))
    mean_anom = ecc_anom - e * math.sin(ecc_anom)
    return (mean_anom - math.pi) / math.sqrt(MU_EARTH / a**3)


def reentry_burn_result(state: np.ndarray, mass: float, cd_area: float, thrust: float,
                        isp: float, spec, usable: float, *, field: DensityField, day: float,
                        stop_alt_m: float, corotate: bool, finite: bool,
                        limit_kg: float = math.inf, execution: float = 1.0) -> BurnResult:
    """The final burn per ``spec`` (a ``FinalBurnSpec``), then the coast to the stop
    altitude. A zero duration means there is nothing to burn."""
    ra, rp = _apsides(state)
    dv = final_dv(spec, ra, rp, mass, isp, usable)
    if dv <= 0:
        return BurnResult(state, 0.0, 0.0, 0.0, rp - R_EARTH, ra - R_EARTH)
    if not finite:
        burn, rp_new = _impulsive(state, mass, thrust, isp, dv * execution, limit_kg)
        a, e = burn.state[0], burn.state[1]
        coast = _time_to_radius(a, e, R_EARTH + stop_alt_m)
        reentry = day + (0.5 * burn.duration_s + coast) / 86400.0
        return BurnResult(burn.state, burn.duration_s, burn.propellant_kg,
                          burn.dv_m_s, burn.perigee_m, burn.apogee_m, reentry)
    mdot = thrust / (isp * G0)
    duration = min(burn_duration(mass, dv, thrust, isp), limit_kg / mdot)

    def fly(seconds):
        aligned = align_to_burn(state, seconds)
        return final_burn(aligned, mass, cd_area, thrust, isp, seconds, field, day, stop_alt_m,
                          corotate), aligned

    outcome, aligned = fly(duration)
    targeted = spec.target_perigee != "lowest" and spec.delta_v is None
    drop = rp - R_EARTH - outcome.perigee_m
    if targeted and math.isinf(limit_kg) and drop > 0:
        duration *= (rp - R_EARTH - spec.target_perigee) / drop
        if execution == 1.0:  # else only the burn as executed is flown (below)
            outcome, aligned = fly(duration)
    if execution != 1.0:
        duration = min(duration * execution, limit_kg / mdot)
        outcome, aligned = fly(duration)
    after = _with_apsides(aligned, R_EARTH + outcome.apogee_m, R_EARTH + outcome.perigee_m,
                          aligned[ARGLAT])
    return BurnResult(after, outcome.duration_s, outcome.propellant_kg, outcome.dv_m_s,
                      outcome.perigee_m, outcome.apogee_m, outcome.reentry_day)
