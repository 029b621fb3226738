"""Fragment classes after break-up, flown as point masses with drag to the ground.

A class is what DAS calls a debris object type: how many pieces, the mass, cross-section
area and drag coefficient of one piece (so its ballistic coefficient B = m / (C_D A)). The
default set spans the range of ground-impact speeds The Aerospace Corporation's CORDS gives
for surviving debris, "about 30 km/h for lightweight debris to 300 km/h or more for heavier
objects" (aerospace.org/cords, "How fast will debris be moving when it lands?"): a terminal
speed v at sea level means B = rho0 v^2 / (2 g), i.e. ~4 kg/m^2 at 30 km/h and ~430 kg/m^2
at 300 km/h; the densest class (tanks, rotors, mechanisms) is put at ~1,000 kg/m^2. Light
pieces slow down first and land nearest (the heel), dense ones fly on (the toe).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .descent import STOP_HEIGHT, STOP_SETTLED, Atmosphere, fly
from .terminal_fall import landing

# Stop integrating once the remaining air-relative drift is under this (m); the column's
# fall time does the rest (``terminal_fall``).
SETTLE_DRIFT_M = 1.0


@dataclass(frozen=True)
class FragmentClass:
    name: str
    mass_share: float  # share of the surviving mass in this class (shares sum to 1)
    piece_mass_kg: float
    piece_area_m2: float  # mean cross-section of one piece (casualty area, drag)
    drag_coefficient: float

    @property
    def ballistic_coefficient(self) -> float:
        return self.piece_mass_kg / (self.drag_coefficient * self.piece_area_m2)


# Light to dense. No survivor list has been published for the ISS: the mass shares and piece
# sizes are stated assumptions, sized like the published UARS survivors (26 objects, 532 kg,
# casualty area ~22 m^2: ~20 kg and ~0.1 m^2 a piece) scaled up for a station's racks,
# tanks and mechanisms. The casualty area follows from them and the surviving mass.
DEFAULT_CLASSES = (
    FragmentClass("light panels and insulation", 0.05, 2.0, 0.40, 1.2),   # B ~ 4
    FragmentClass("structure and truss pieces", 0.20, 30.0, 1.20, 1.2),   # B ~ 21
    FragmentClass("boxes, racks and batteries", 0.25, 60.0, 0.60, 1.1),   # B ~ 91
    FragmentClass("heavy equipment", 0.25, 150.0, 0.40, 1.0),             # B ~ 375
    FragmentClass("dense tanks and rotors", 0.25, 300.0, 0.30, 1.0),      # B ~ 1,000
)


@dataclass(frozen=True)
class Impacts:
    """Where each flown fragment lands (inertial positions and the time after break-up)."""

    class_index: np.ndarray  # (n,)
    r_inertial_m: np.ndarray  # (n, 3) at impact
    t_after_breakup_s: np.ndarray  # (n,)


def breakup_kicks(n_per_class: int, n_classes: int, sigma_m_s: float,
                  rng: np.random.Generator) -> np.ndarray:
    """Isotropic velocity kicks (n_classes * n_per_class, 3), the first of each class zero
    (the class's nominal path)."""
    kicks = rng.normal(0.0, sigma_m_s, size=(n_classes, n_per_class, 3))
    kicks[:, 0, :] = 0.0
    return kicks.reshape(-1, 3)


def fly_fragments(breakup_state: np.ndarray, classes, air: Atmosphere, t_breakup_s: float,
                  kicks: np.ndarray, max_fall_s: float = 7200.0,
                  settle_m: float = SETTLE_DRIFT_M) -> Impacts:
    """Fly each class from the break-up state (with its kicks) to the ground.

    ``air`` is the descent's atmosphere (time zero at the burn); ``t_breakup_s`` the break-up
    time on that clock. ``kicks`` has len(classes) * k rows, k per class. ``settle_m`` = 0
    flies every piece to the ground instead of ending settled falls with ``terminal_fall``.
    """
    per_class = len(kicks) // len(classes)
    shifted = Atmosphere(air.cube, air.theta0 + 7.292115e-5 * t_breakup_s,
                         air.day0 + t_breakup_s / 86400.0, air.density_scale)
    index, where, when = [], [], []
    for k, frag in enumerate(classes):
        cd_area = frag.drag_coefficient * frag.piece_area_m2
        for j in range(per_class):
            u0 = breakup_state.copy()
            u0[3:6] += kicks[k * per_class + j]
            u0[6] = frag.piece_mass_kg
            flight = fly(u0, cd_area, shifted, 0.0, max_fall_s, settle_m=settle_m)
            index.append(k)
            if flight.status == STOP_SETTLED:
                r, t = landing(flight.state, flight.t_s, shifted, frag.ballistic_coefficient)
                where.append(r)
                when.append(t)
            else:
                where.append(flight.state[:3])
                when.append(flight.t_s if flight.status == STOP_HEIGHT else math.nan)
    return Impacts(np.array(index), np.array(where), np.array(when))
