"""The descent integrator's step rules, checked by convergence against very short steps.

RK4 with the default steps (5 s, 2 s below 130 km, one drag relaxation time for stiff
fragments) must agree with 0.05 s steps to far below what the footprint reports (0.1 km,
1e-4 deg) and what its uncertainties are (hundreds of km of dispersion).
"""

import math

import numpy as np
import pytest

from sim.core.constants import G0, R_EARTH
from sim.core.descent import Atmosphere, Thrust, fly
from sim.core.descent_atmosphere import msis_cube
from sim.core.frames import earth_rotation_angle
from sim.core.orbit_state import state_from_elements

DAY_2031 = 22293.5  # 2031-01-14 12:00 UTC
FINE_S = 0.05


@pytest.fixture(scope="module")
def air():
    cube = msis_cube(DAY_2031, 75.0, 73.0, 8.0)
    return Atmosphere(cube, float(earth_rotation_angle(DAY_2031)), DAY_2031)


def _state(perigee_km, apogee_km, mass_kg, arg_latitude):
    rp, ra = R_EARTH + perigee_km * 1e3, R_EARTH + apogee_km * 1e3
    elements = ((rp + ra) / 2, (ra - rp) / (ra + rp), math.radians(51.64), 0.3, 1.0)
    return np.concatenate([state_from_elements(*elements, arg_latitude), [mass_kg]])


def test_a_burn_between_steps_keeps_fourth_order(air):
    # 600 km, where drag is negligible, a 4 kN burn starting and ending between steps: RK4 at
    # 5 s steps, with steps landing on the burn's edges and the thrust on or off for a whole
    # step, matches 0.05 s steps to millimetres. Switching the thrust inside a step's stages
    # (the old rule) is first order: 2.2 m off after 20 min here, and 1.3 km at the
    # break-up of the next test.
    u0 = _state(600.0, 600.0, 400e3, 2.0)
    burn = Thrust(4000.0, 4000.0 / (300.0 * G0), 3.3, 577.7)
    coarse = fly(u0, 2000.0, air, 0.0, 1200.0, burn)
    fine = fly(u0, 2000.0, air, 0.0, 1200.0, burn, dt_max_s=FINE_S)
    assert coarse.t_s == fine.t_s == 1200.0
    assert np.linalg.norm(coarse.state[:3] - fine.state[:3]) < 0.05  # m
    assert np.linalg.norm(coarse.state[3:6] - fine.state[3:6]) < 1e-4  # m/s
    assert coarse.state[6] == pytest.approx(fine.state[6], abs=1e-6)  # the same propellant


def test_final_burn_and_fragments_converge(air):
    # a 150 x 230 km orbit, a 25-min burn before apogee, down to a 78 km break-up; then the
    # lightest (B ~ 4 kg/m^2, stiff: it relaxes to terminal speed in a fraction of a second
    # near the ground) and the densest (B ~ 1,000) fragment classes to the ground
    u0 = _state(150.0, 230.0, 400e3, 1.0 + math.pi - 0.6)
    burn = Thrust(4000.0, 4000.0 / (300.0 * G0), 3.3, 1497.7)
    coarse = fly(u0, 2.2 * 900, air, 78e3, 4 * 3600.0, burn)
    fine = fly(u0, 2.2 * 900, air, 78e3, 4 * 3600.0, burn, dt_max_s=FINE_S)
    assert coarse.status == fine.status == 1
    # measured 23 m and 3 ms (5 s steps throughout would be 210 m: the 2 s rule is needed)
    assert np.linalg.norm(coarse.state[:3] - fine.state[:3]) < 60.0
    assert coarse.t_s == pytest.approx(fine.t_s, abs=0.01)
    later = Atmosphere(air.cube, air.theta0 + 7.292115e-5 * fine.t_s,
                       air.day0 + fine.t_s / 86400.0)
    for mass, cd_area in ((2.0, 1.2 * 0.40), (300.0, 1.0 * 0.30)):
        piece = fine.state.copy()
        piece[6] = mass
        a = fly(piece, cd_area, later, 0.0, 7200.0)
        b = fly(piece, cd_area, later, 0.0, 7200.0, dt_max_s=FINE_S)
        assert a.status == b.status == 1
        assert np.linalg.norm(a.state[:3] - b.state[:3]) < 2.0  # measured < 1 m
