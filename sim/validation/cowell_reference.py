"""The same decay through hapsira's ``CowellPropagator`` and through our mean elements.

Osculating is not mean: a "circular" osculating start averages a few km lower over a
revolution. Both sides are therefore compared on orbit averages of |r|: the mean-element run
starts from the Cowell run's first-revolution average, and losses are taken between the first
and the last revolution's averages.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from sim.core.constants import MU_EARTH, R_EARTH
from sim.core.cowell import drag_j2_rhs
from sim.core.decay import propagate_decay
from sim.core.density_field import DensityField

SAMPLES_PER_REV = 180


@dataclass(frozen=True)
class Comparison:
    days: float
    loss_cowell_km: float
    loss_mean_km: float
    seconds_cowell: float
    seconds_mean: float

    @property
    def relative_difference(self) -> float:
        return self.loss_mean_km / self.loss_cowell_km - 1.0

    @property
    def speed_ratio(self) -> float:
        return self.seconds_cowell / self.seconds_mean


@dataclass(frozen=True)
class ReentryComparison:
    days_cowell: float
    days_mean: float
    seconds_cowell: float
    seconds_mean: float

    @property
    def relative_difference(self) -> float:
        return self.days_mean / self.days_cowell - 1.0


def _orbit(alt_km: float, inc_deg: float):
    import astropy.units as u
    from hapsira.bodies import Earth
    from hapsira.twobody import Orbit

    return Orbit.from_classical(Earth, (R_EARTH / 1000 + alt_km) * u.km, 1e-4 * u.one,
                                inc_deg * u.deg, 0 * u.deg, 0 * u.deg, 0 * u.deg)


def _period_s(alt_km: float) -> float:
    return 2 * math.pi * math.sqrt((R_EARTH + alt_km * 1e3) ** 3 / MU_EARTH)


def _mean_state(a_m: float, inc_deg: float) -> np.ndarray:
    return np.array([a_m, 0.0, math.radians(inc_deg), 0.0, 0.0])


def compare_altitude_loss(field: DensityField, bc: float, alt_km: float, inc_deg: float,
                          days: float, corotate: bool = True) -> Comparison:
    """Altitude lost over ``days``: Cowell (DOP853, rtol 1e-11) against mean elements."""
    import astropy.units as u
    from hapsira.twobody.propagation import CowellPropagator

    period = _period_s(alt_km)
    first = np.linspace(0.0, period, SAMPLES_PER_REV, endpoint=False)
    span = days * 86400.0
    tofs = np.concatenate([first, span - period + first])
    prop = CowellPropagator(f=drag_j2_rhs(field, field.first_day, bc, corotate))
    start = time.process_time()
    rr, _ = prop.propagate_many(_orbit(alt_km, inc_deg)._state, tofs * u.s)
    seconds_cowell = time.process_time() - start
    radius = np.linalg.norm(rr.to_value(u.m), axis=1)
    r_first = radius[:SAMPLES_PER_REV].mean()
    r_last = radius[SAMPLES_PER_REV:].mean()
    t_first = field.first_day + period / 2 / 86400.0
    start = time.process_time()
    run = propagate_decay(_mean_state(r_first, inc_deg), bc, field, t_first,
                          t_first + days - period / 86400.0, corotate=corotate)
    seconds_mean = time.process_time() - start
    return Comparison(days, (r_first - r_last) / 1e3, (r_first - run.final[0, 0]) / 1e3,
                      seconds_cowell, seconds_mean)


def compare_time_to(field: DensityField, bc: float, alt_km: float, inc_deg: float,
                    stop_km: float = 120.0, max_days: float = 2000.0,
                    corotate: bool = True) -> ReentryComparison:
    """Days from ``alt_km`` down to ``stop_km``: Cowell's altitude event against mean elements."""
    import astropy.units as u
    from hapsira.twobody.events import AltitudeCrossEvent
    from hapsira.twobody.propagation import CowellPropagator

    event = AltitudeCrossEvent(stop_km, R_EARTH / 1000.0)
    prop = CowellPropagator(events=[event], f=drag_j2_rhs(field, field.first_day, bc, corotate))
    period = _period_s(alt_km)
    first = np.linspace(0.0, period, SAMPLES_PER_REV, endpoint=False)
    start = time.process_time()
    rr, _ = prop.propagate_many(_orbit(alt_km, inc_deg)._state,
                                np.concatenate([first, [max_days * 86400.0]]) * u.s)
    seconds_cowell = time.process_time() - start
    days_cowell = event.last_t.to_value(u.s) / 86400.0
    r_first = np.linalg.norm(rr.to_value(u.m)[:SAMPLES_PER_REV], axis=1).mean()
    t_first = field.first_day + period / 2 / 86400.0
    start = time.process_time()
    run = propagate_decay(_mean_state(r_first, inc_deg), bc, field, t_first,
                          t_first + max_days, stop_perigee_m=stop_km * 1e3, corotate=corotate)
    seconds_mean = time.process_time() - start
    days_mean = run.t_stop[0] - field.first_day
    return ReentryComparison(days_cowell, days_mean, seconds_cowell, seconds_mean)
