"""The footprint of a targeted reentry: the aimed final burn, flown down, the pieces dropped.

Heel and toe are the extreme impacts along the track (light pieces land first, dense ones
last), the width their spread across it; the centre is the midpoint of heel and toe. The
campaign gives the aimed burn (``phasing_flight``); a burn given by itself is aimed here
with ``final_aim.aim_final_burn``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.fragments import breakup_kicks
from sim.core.frames import ground_point
from sim.core.great_circle import along_cross_km, inside_polygon, midpoint

from .final_aim import Aimed, aim_final_burn
from .final_drop import (FinalBurn, Target, atmosphere_at, centre_of, drop,  # noqa: F401
                         extreme_classes, land_mask)

KICK_SIGMA_M_S = 3.0  # break-up velocity spread, 1 sigma per axis (assumed)
KICKS_PER_CLASS = 8
TRACK_BEFORE_S = 1.5 * 5400.0  # ground track drawn this long before the burn


@dataclass(frozen=True)
class Footprint:
    aimed: Aimed
    drop: object  # final_drop.Drop of all classes with their break-up kicks
    along_km: np.ndarray
    cross_km: np.ndarray
    heel: int  # index into drop's impacts
    toe: int
    centre: tuple[float, float]
    inside_zone: bool
    min_land_km: float
    track: np.ndarray  # (n, 2) ground track before the burn and through the descent


def footprint(burn: FinalBurn, target: Target, weather, seed: int = 2031,
              aimed: Aimed | None = None) -> Footprint | None:
    """The nominal footprint of all fragment classes of the ``aimed`` burn (aimed here when
    not given); None if the burn cannot bring the station down."""
    aimed = aimed if aimed is not None else aim_final_burn(burn, target, weather)
    if aimed.drop is None:
        return None
    rng = np.random.default_rng(seed)
    kicks = breakup_kicks(KICKS_PER_CLASS, len(target.classes), KICK_SIGMA_M_S, rng)
    air = burn.air(weather, aimed.ignition_s)
    full = drop(aimed.u0, burn, air, burn.thrust(), target.breakup_alt_m, target.classes, kicks)
    if full is None:
        return None
    light, heavy = extreme_classes(target.classes)
    li, hi = target.classes.index(light), target.classes.index(heavy)
    heel0 = int(np.nonzero(full.class_index == li)[0][0])
    toe0 = int(np.nonzero(full.class_index == hi)[0][0])
    along, cross = along_cross_km(full.lat, full.lon, full.lat[heel0], full.lon[heel0],
                                  full.lat[toe0], full.lon[toe0])
    heel, toe = int(np.argmin(along)), int(np.argmax(along))
    centre = midpoint(full.lat[heel], full.lon[heel], full.lat[toe], full.lon[toe])
    inside = bool(np.all(inside_polygon(full.lat, full.lon, target.zone)))
    land = float(np.min(land_mask().distance_to_land_km(full.lat, full.lon)))
    return Footprint(aimed, full, along, cross, heel, toe, centre, inside, land,
                     _track(aimed, burn, full))


def _track(aimed: Aimed, burn: FinalBurn, full) -> np.ndarray:
    """The coast before the burn (as the phased station flies it: ``delay_s`` later over the
    same orbit) and the descent."""
    path, delay = aimed.path, aimed.choice.delay_s
    on_coast = aimed.ignition_s - delay
    keep = (path.t_s <= on_coast) & (path.t_s >= on_coast - TRACK_BEFORE_S)
    days = burn.earliest_day + (path.t_s[keep] + delay) / 86400.0
    lat, lon, _ = ground_point(path.states[keep, :3], days)
    return np.vstack([np.column_stack([lat, lon]), full.track])
