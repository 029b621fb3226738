"""Orbit-averaged NRLMSIS 2.1 density, tabulated over (altitude, F10.7, F10.7a, Ap, day of year).

A direct pymsis call costs ~13 us a point and an orbit average needs 48 of them, far too slow
for multi-year runs. The table holds log density averaged along the orbit (latitude and local
solar time, ``msis_atmosphere.orbit_mean_msis``) for one inclination, and is interpolated
multilinearly in log density. Its error against direct averaged calls is measured in the tests.
"""

from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np

from .msis_atmosphere import orbit_mean_msis

ALT_KM = np.concatenate([np.arange(60.0, 200.0, 10.0), np.arange(200.0, 500.0, 25.0),
                         np.arange(500.0, 1001.0, 50.0), [1250.0, 1500.0, 2000.0]])
F107_NODES = np.array([60.0, 75.0, 95.0, 120.0, 150.0, 190.0, 240.0, 300.0])
AP_NODES = np.array([0.0, 5.0, 12.0, 30.0, 80.0, 400.0])
N_DOY_MEAN = 4  # samples for the annual mean: exact for annual and semiannual terms
N_DOY = 24  # nodes of the seasonal correction
AP_SEASONAL = 10.0  # Ap at which the seasonal correction is taken
YEAR_DAYS = 365.25
SHIPPED_INCLINATION_DEG = 51.64


@dataclass(frozen=True)
class MsisTable:
    """ln rho = mean(alt, F10.7, F10.7a, Ap) + seasonal(alt, F10.7a, day of year).

    The seasonal (annual + semiannual) term is taken as separable: MSIS's seasonal variation
    depends mostly on altitude and the flux level, little on daily flux or Ap. That lets the
    day of year have 24 nodes without multiplying the 4-D table; the tests measure the error.
    """

    inclination_deg: float
    alt_km: np.ndarray
    f107: np.ndarray
    f107a: np.ndarray
    ap: np.ndarray
    log_rho: np.ndarray  # (alt, f107, f107a, ap): ln(kg/m^3), annual mean
    seasonal: np.ndarray  # (alt, f107a, doy): ln-density offset from the annual mean

    def log_density(self, alt_km, f107, f107a, ap, doy):
        """ln density (any broadcastable shapes) by multilinear interpolation."""
        args = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                     (alt_km, f107, f107a, ap, doy)))
        out = np.empty(args[0].size)
        _lookup_many(self.log_rho, self.seasonal, self.alt_km, self.f107, self.f107a, self.ap,
                     *(np.ascontiguousarray(x).ravel() for x in args), out)
        return out.reshape(args[0].shape)

    def density(self, alt_km, f107, f107a, ap, doy):
        return np.exp(self.log_density(alt_km, f107, f107a, ap, doy))


def doy_nodes(n_doy: int) -> np.ndarray:
    return (np.arange(n_doy) + 0.5) * YEAR_DAYS / n_doy


def _orbit_mean_grid(inclination_deg, *axes):
    """ln of orbit-mean MSIS on the outer product of (alt, f107, f107a, ap, doy) axes."""
    grids = np.meshgrid(*axes, indexing="ij")
    h, f, fa, a, d = (g.ravel() for g in grids)
    rho = np.empty(h.size)
    chunk = 20000
    for start in range(0, h.size, chunk):
        sl = slice(start, start + chunk)
        rho[sl] = orbit_mean_msis(d[sl], h[sl], f[sl], fa[sl], a[sl],
                                  math.radians(inclination_deg))
    return np.log(rho).reshape(grids[0].shape)


def build_table(inclination_deg: float, alt_km=ALT_KM, f107=F107_NODES, f107a=F107_NODES,
                ap=AP_NODES, progress=None) -> MsisTable:
    """Evaluate the orbit-averaged MSIS density on the grids (~30 s for the defaults).

    ``progress(text)``, if given, is called as each flux level of the seasonal term is done.
    """
    mean = _orbit_mean_grid(inclination_deg, alt_km, f107, f107a, ap,
                            doy_nodes(N_DOY_MEAN)).mean(axis=-1)
    # seasonal term for a steady Sun (f107 = f107a) at Ap = AP_SEASONAL
    layers = []
    for k, fa in enumerate(f107a):
        layers.append(_orbit_mean_grid(inclination_deg, alt_km, [fa], [fa], [AP_SEASONAL],
                                       doy_nodes(N_DOY))[:, 0, 0, 0, :])
        if progress:
            progress(f"  {k + 1}/{len(f107a)} flux levels")
    season = np.stack(layers, axis=1)
    season -= season.mean(axis=-1, keepdims=True)
    as_float = (lambda x: np.asarray(x, dtype=float))
    return MsisTable(inclination_deg, as_float(alt_km), as_float(f107), as_float(f107a),
                     as_float(ap), mean, season)


def save_table(table: MsisTable, path) -> None:
    np.savez_compressed(path, inclination_deg=table.inclination_deg, alt_km=table.alt_km,
                        f107=table.f107, f107a=table.f107a, ap=table.ap,
                        log_rho=table.log_rho.astype(np.float32),
                        seasonal=table.seasonal.astype(np.float32))


def table_file_name(inclination_deg: float) -> str:
    return f"msis_orbit_mean_i{inclination_deg:05.2f}.npz"


def load_table(inclination_deg: float, extra_dirs: tuple[Path, ...] = (),
               tolerance_deg: float = 0.5) -> MsisTable:
    """The table nearest ``inclination_deg`` among the shipped one and ``extra_dirs``.

    Raises LookupError if none lies within ``tolerance_deg`` (0.5 deg changes the latitude
    band's mean density by well under 1 %).
    """
    candidates = [importlib.resources.files("sim") / "data"] + [Path(d) for d in extra_dirs]
    best = None
    for folder in candidates:
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.startswith("msis_orbit_mean_i") and path.name.endswith(".npz"):
                inc = float(path.name[len("msis_orbit_mean_i"):-4])
                if best is None or abs(inc - inclination_deg) < abs(best[0] - inclination_deg):
                    best = (inc, path)
    if best is None or abs(best[0] - inclination_deg) > tolerance_deg:
        raise LookupError(
            f"no orbit-averaged NRLMSIS table within {tolerance_deg} deg of inclination "
            f"{inclination_deg:g} deg; build one with `iss-deorbit build-tables "
            f"--inclination {inclination_deg:g}`")
    with best[1].open("rb") as fh:
        data = np.load(fh)
        return MsisTable(float(data["inclination_deg"]), data["alt_km"], data["f107"],
                         data["f107a"], data["ap"], data["log_rho"].astype(np.float64),
                         data["seasonal"].astype(np.float64))


@numba.njit(cache=True, inline="always")
def _bracket(nodes, x):
    """Index i and weight w so that x ~ nodes[i]*(1-w) + nodes[i+1]*w (clamped to the ends)."""
    n = nodes.size
    if x <= nodes[0]:
        return 0, 0.0
    if x >= nodes[n - 1]:
        return n - 2, 1.0
    i = np.searchsorted(nodes, x) - 1
    return i, (x - nodes[i]) / (nodes[i + 1] - nodes[i])


@numba.njit(cache=True, inline="always")
def _altitude_bracket(alt_nodes, h):
    """Like ``_bracket`` but extrapolating above the last node (below the first: clamped)."""
    if h <= alt_nodes[0]:
        return 0, 0.0
    ih = min(np.searchsorted(alt_nodes, h) - 1, alt_nodes.size - 2)
    return ih, (h - alt_nodes[ih]) / (alt_nodes[ih + 1] - alt_nodes[ih])


@numba.njit(cache=True)
def _doy_bracket(n_doy, doy):
    """Seasonal node and weight of a day of year (nodes at the middles of n_doy bins,
    periodic over the year)."""
    pos = (doy % YEAR_DAYS) / YEAR_DAYS * n_doy - 0.5
    i_d = int(math.floor(pos))
    return i_d, pos - i_d


@numba.njit(cache=True, inline="always")
def _corners(log_rho, seasonal, ih, wh, i_f, wf, ifa, wfa, iap, wap, i_d, wd):
    """The multilinear sum over the bracketing corners. A zero altitude weight skips its
    corners: adding exact zeros changes no bit, and a daily grid sits on the nodes."""
    n_doy = seasonal.shape[2]
    total = 0.0
    for a in range(2):
        wa = wh if a else 1.0 - wh
        if wa == 0.0:
            continue
        for c in range(2):
            wc = wa * (wfa if c else 1.0 - wfa)
            for e in range(2):
                we = wc * (wd if e else 1.0 - wd)
                total += we * seasonal[ih + a, ifa + c, (i_d + e) % n_doy]
            for b in range(2):
                wb = wc * (wf if b else 1.0 - wf)
                for d in range(2):
                    total += wb * (wap if d else 1.0 - wap) * log_rho[ih + a, i_f + b, ifa + c,
                                                                     iap + d]
    return total


@numba.njit(cache=True)
def lookup(log_rho, seasonal, alt_nodes, f_nodes, fa_nodes, ap_nodes, h, f, fa, ap, doy):
    """Multilinear ln density; altitude extrapolates log-linearly past the last node."""
    ih, wh = _altitude_bracket(alt_nodes, h)
    i_f, wf = _bracket(f_nodes, f)
    ifa, wfa = _bracket(fa_nodes, fa)
    iap, wap = _bracket(ap_nodes, ap)
    i_d, wd = _doy_bracket(seasonal.shape[2], doy)
    return _corners(log_rho, seasonal, ih, wh, i_f, wf, ifa, wfa, iap, wap, i_d, wd)


@numba.njit(cache=True)
def table_rows(log_rho, seasonal, alt_nodes, f_nodes, fa_nodes, ap_nodes, f107, f107a, ap,
               doy, out):
    """``lookup`` at every altitude node (``out[day, node]``) for each day's indices, the
    day's brackets found once: the same sums, the same bits, ~3x faster."""
    for day in range(f107.size):
        i_f, wf = _bracket(f_nodes, f107[day])
        ifa, wfa = _bracket(fa_nodes, f107a[day])
        iap, wap = _bracket(ap_nodes, ap[day])
        i_d, wd = _doy_bracket(seasonal.shape[2], doy[day])
        for j in range(alt_nodes.size):
            ih, wh = _altitude_bracket(alt_nodes, alt_nodes[j])
            out[day, j] = _corners(log_rho, seasonal, ih, wh, i_f, wf, ifa, wfa, iap, wap,
                                   i_d, wd)


@numba.njit(cache=True)
def _lookup_many(log_rho, seasonal, alt_nodes, f_nodes, fa_nodes, ap_nodes, h, f, fa, ap, doy,
                 out):
    for k in range(h.size):
        out[k] = lookup(log_rho, seasonal, alt_nodes, f_nodes, fa_nodes, ap_nodes,
                        h[k], f[k], fa[k], ap[k], doy[k])
