"""How much the orbit-mean NRLMSIS density at one node local time differs from the all-time mean.

The orbit-mean table (``msis_table``) averages over the local solar time of the ascending node:
right for long spans (the ISS's node sweeps all local times in ~60 days), not for a few weeks,
in which an orbit samples its own node's local time only. This module tabulates the ratio

    c(alt, node LST, day of year, F10.7a) = orbit mean at that node LST / mean over node LSTs

from direct NRLMSIS calls (steady Sun, f107 = f107a, Ap = ``AP_REF``), on a periodic grid in
node LST and day of year; ln c is interpolated multilinearly.

Both orbit means are averaged over universal time too: in a day an orbit with its node at one
local time passes over every longitude, and NRLMSIS's longitude and UT terms are not small
(taken at 00:00 UT alone, c would be off by 0.9 % rms against a 2.9 % rms signal). ``N_UT``
= 4 and ``N_U`` = 12 reproduce c from 24 x 24-point means to 1e-4 (measured 3e-5).
"""

from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np

from .constants import FLATTENING, R_EARTH
from .msis_atmosphere import msis_density
from .msis_table import _bracket

ALT_KM = np.array([100.0, 120.0, 140.0, 160.0, 180.0, 200.0, 225.0, 250.0, 300.0, 350.0,
                   400.0, 450.0, 500.0, 600.0, 700.0, 850.0, 1000.0])
F107A_NODES = np.array([70.0, 100.0, 140.0, 190.0, 250.0])
N_LST = 24  # node local-time nodes, 1 h apart
N_DOY = 12  # day-of-year nodes, mid-month
N_U = 12  # points along the orbit (argument of latitude) for one node's orbit mean
N_UT = 4  # universal times over the day (longitudes the orbit passes over)
AP_REF = 10.0
YEAR_DAYS = 365.25
FILE_PREFIX = "msis_node_lst_i"
SHIPPED_INCLINATION_DEG = 51.64


def lst_nodes() -> np.ndarray:
    return np.arange(N_LST) * 24.0 / N_LST


def doy_nodes() -> np.ndarray:
    return (np.arange(N_DOY) + 0.5) * YEAR_DAYS / N_DOY


def node_orbit_points(inclination_rad: float, node_lst_h, n_u: int = N_U):
    """Latitude (deg), local time (h) and ellipsoid drop (km) of ``n_u`` points evenly spaced
    in argument of latitude along a circular orbit whose node is at ``node_lst_h``.

    Shapes: node_lst_h's shape + (n_u,)."""
    u = (np.arange(n_u) + 0.5) * 2.0 * math.pi / n_u
    sin_lat = math.sin(inclination_rad) * np.sin(u)
    lat = np.degrees(np.arcsin(sin_lat))
    dlon_h = np.degrees(np.arctan2(math.cos(inclination_rad) * np.sin(u), np.cos(u))) / 15.0
    lst = np.mod(np.asarray(node_lst_h, dtype=float)[..., None] + dlon_h, 24.0)
    drop_km = R_EARTH * FLATTENING * sin_lat ** 2 / 1000.0
    return np.broadcast_to(lat, lst.shape), lst, np.broadcast_to(drop_km, lst.shape)


def orbit_mean_at_node(day_of_year, radius_alt_km, f107, f107a, ap, inclination_rad,
                       node_lst_h, year=2019, n_u: int = N_U, n_ut: int = N_UT):
    """NRLMSIS density (kg/m^3) averaged along a circular orbit with its node at one local time
    and over the day (``n_ut`` universal times, each point's longitude = (LST - UT) x 15 deg).

    Inputs broadcast together; ``radius_alt_km`` is |r| - R_eq.
    """
    args = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                 (day_of_year, radius_alt_km, f107, f107a, ap, node_lst_h)))
    doy, h, f, fa, a = (x[..., None] for x in args[:5])
    node = args[5]
    lat, lst, drop = node_orbit_points(inclination_rad, node, n_u)
    base = np.datetime64(f"{year}-01-01", "D").astype(np.int64) + np.floor(doy)
    total = 0.0
    for ut_h in (np.arange(n_ut) + 0.5) * 24.0 / n_ut:
        rho = msis_density(base + ut_h / 24.0, (lst - ut_h) * 15.0, lat, h + drop, f, fa, a)
        total = total + rho.mean(axis=-1)
    return total / n_ut


@dataclass(frozen=True)
class NodeLstTable:
    """ln c on the grid (alt, F10.7a, day of year, node LST); periodic in the last two."""

    inclination_deg: float
    alt_km: np.ndarray
    f107a: np.ndarray
    log_c: np.ndarray  # (alt, f107a, N_DOY, N_LST)

    def log_correction(self, alt_km, f107a, doy, node_lst_h):
        """ln c at any broadcastable points, by multilinear interpolation."""
        args = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                     (alt_km, f107a, doy, node_lst_h)))
        out = np.empty(args[0].size)
        for k, (h, fa, d, lst) in enumerate(zip(*(x.ravel() for x in args))):
            out[k] = _lookup(self.log_c, self.alt_km, self.f107a, h, fa, d, lst)
        return out.reshape(args[0].shape)


def build_table(inclination_deg: float, alt_km=ALT_KM, f107a=F107A_NODES) -> NodeLstTable:
    """Direct NRLMSIS orbit means on the grid (~12 s), as ratios to their node-LST mean."""
    inc = math.radians(inclination_deg)
    h, fa, d, lst = np.meshgrid(alt_km, f107a, doy_nodes(), lst_nodes(), indexing="ij")
    rho = orbit_mean_at_node(d, h, fa, fa, AP_REF, inc, lst)
    log_c = np.log(rho / rho.mean(axis=-1, keepdims=True))
    return NodeLstTable(inclination_deg, np.asarray(alt_km, float), np.asarray(f107a, float),
                        log_c)


def table_file_name(inclination_deg: float) -> str:
    return f"{FILE_PREFIX}{inclination_deg:05.2f}.npz"


def save_table(table: NodeLstTable, path) -> None:
    np.savez_compressed(path, inclination_deg=table.inclination_deg, alt_km=table.alt_km,
                        f107a=table.f107a, log_c=table.log_c.astype(np.float32))


def load_table(inclination_deg: float, extra_dirs: tuple[Path, ...] = (),
               tolerance_deg: float = 0.5) -> NodeLstTable:
    """The table nearest ``inclination_deg`` among the shipped one and ``extra_dirs``;
    LookupError if none lies within ``tolerance_deg``."""
    folders = [importlib.resources.files("sim") / "data"] + [Path(d) for d in extra_dirs]
    best = None
    for folder in folders:
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.startswith(FILE_PREFIX) and path.name.endswith(".npz"):
                inc = float(path.name[len(FILE_PREFIX):-4])
                if best is None or abs(inc - inclination_deg) < abs(best[0] - inclination_deg):
                    best = (inc, path)
    if best is None or abs(best[0] - inclination_deg) > tolerance_deg:
        raise LookupError(f"no node-local-time correction table within {tolerance_deg} deg "
                          f"of inclination {inclination_deg:g} deg")
    with best[1].open("rb") as fh:
        data = np.load(fh)
        return NodeLstTable(float(data["inclination_deg"]), data["alt_km"], data["f107a"],
                            data["log_c"].astype(np.float64))


@numba.njit(cache=True)
def _periodic(n, x, period, offset):
    """Node index and weight of ``x`` on ``n`` nodes at (k + offset) * period / n."""
    pos = (x % period) / period * n - offset
    i = int(math.floor(pos))
    return i % n, pos - i


@numba.njit(cache=True)
def _lookup(log_c, alt_nodes, fa_nodes, h, fa, doy, lst):
    """Multilinear ln c; altitude and flux clamped to the grid's ends."""
    ih, wh = _bracket(alt_nodes, h)
    ia, wa = _bracket(fa_nodes, fa)
    n_doy, n_lst = log_c.shape[2], log_c.shape[3]
    i_d, wd = _periodic(n_doy, doy, YEAR_DAYS, 0.5)
    i_l, wl = _periodic(n_lst, lst, 24.0, 0.0)
    total = 0.0
    for a in range(2):
        for b in range(2):
            for c in range(2):
                for e in range(2):
                    w = ((wh if a else 1.0 - wh) * (wa if b else 1.0 - wa)
                         * (wd if c else 1.0 - wd) * (wl if e else 1.0 - wl))
                    if w != 0.0:
                        total += w * log_c[ih + a, ia + b, (i_d + c) % n_doy, (i_l + e) % n_lst]
    return total


@numba.njit(cache=True)
def correction_rows(log_c, alt_nodes, fa_nodes, field_alt_km, f107a, doy, node_lst_h, out):
    """ln c at every altitude of a daily field (``out[day, j]``) from each day's F10.7a,
    day of year and node local time."""
    for day in range(f107a.size):
        for j in range(field_alt_km.size):
            out[day, j] = _lookup(log_c, alt_nodes, fa_nodes, field_alt_km[j], f107a[day],
                                  doy[day], node_lst_h[day])
