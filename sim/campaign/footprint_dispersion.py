"""Dispersion of a footprint: a seeded Monte Carlo over what the plan cannot control.

Each sample re-flies the phased burn and descent with: thrust magnitude (1 sigma 2 %),
pointing (1 sigma 1 deg in pitch and in yaw), ignition time (1 sigma 2 s), a density scale
(log-normal, 1 sigma 15 %: the order of NRLMSIS 2.x's error at these heights, 10-20 %) and
the break-up altitude (normal, the scenario's spread), dropping the lightest and the
densest class. The centres give the 99 % ellipse (chi-square, 2 degrees of freedom: 9.21).
The execution-error sigmas are stated assumptions, not published USDV figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.great_circle import inside_polygon, local_east_north_km

from .final_drop import FinalBurn, Target, centre_of, drop, extreme_classes, land_mask
from .footprint import Footprint

THRUST_SIGMA = 0.02
POINTING_SIGMA_RAD = math.radians(1.0)
IGNITION_SIGMA_S = 2.0
DENSITY_SIGMA = 0.15
CHI2_99_2DOF = 9.2103


@dataclass(frozen=True)
class Dispersion:
    samples: int
    east_km: np.ndarray  # centres about the nominal centre
    north_km: np.ndarray
    semi_major_km: float
    semi_minor_km: float
    azimuth_deg: float  # of the major axis, from north
    probability_inside_zone: float
    min_distance_to_land_km: float
    lat: np.ndarray  # every dispersed impact (lightest and densest class of each sample)
    lon: np.ndarray


def disperse(fp: Footprint, burn: FinalBurn, target: Target, weather, samples: int,
             seed: int) -> Dispersion | None:
    if samples < 3:
        return None
    rng = np.random.default_rng(seed)
    ends = extreme_classes(target.classes)
    lats, lons, east, north, inside = [], [], [], [], []
    for _ in range(samples):
        t_ign = fp.aimed.ignition_s + rng.normal(0.0, IGNITION_SIGMA_S)
        air = burn.air(weather, t_ign, math.exp(rng.normal(0.0, DENSITY_SIGMA)))
        thrust = burn.thrust(0.0, 1.0 + rng.normal(0.0, THRUST_SIGMA),
                             rng.normal(0.0, POINTING_SIGMA_RAD), rng.normal(0.0, POINTING_SIGMA_RAD))
        breakup = target.breakup_alt_m + rng.normal(0.0, target.breakup_spread_m)
        d = drop(fp.aimed.u0, burn, air, thrust, breakup, ends, np.zeros((2, 3)))
        if d is None:
            inside.append(False)
            continue
        c_lat, c_lon, _ = centre_of(d)
        e, n = local_east_north_km(c_lat, c_lon, *fp.centre)
        east.append(float(e))
        north.append(float(n))
        lats.extend(d.lat)
        lons.extend(d.lon)
        inside.append(bool(np.all(inside_polygon(d.lat, d.lon, target.zone))))
    east, north = np.array(east), np.array(north)
    cov = np.cov(np.vstack([east, north]))
    values, vectors = np.linalg.eigh(cov)
    major = vectors[:, 1]
    lat, lon = np.array(lats), np.array(lons)
    return Dispersion(samples, east, north, float(math.sqrt(CHI2_99_2DOF * values[1])),
                      float(math.sqrt(CHI2_99_2DOF * max(values[0], 0.0))),
                      float(math.degrees(math.atan2(major[0], major[1])) % 180.0),
                      float(np.mean(inside)),
                      float(np.min(land_mask().distance_to_land_km(lat, lon))), lat, lon)
