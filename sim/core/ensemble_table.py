"""The NRLMSIS orbit-mean table (``msis_table``) as the ensemble kernel reads it.

The brackets of the table's nodes (F10.7, F10.7a, Ap, altitude) and the fold of a day's
weights into ln rho at the two altitude nodes around an orbit, written for a kernel that
does this for every sample-day: inverse node spacings worked out once, the ln rho and
seasonal tables raveled and read at unsigned offsets (numba checks every signed index for
wrapping around), and a branch-free bracket where the value jumps across nodes from one day
to the next (a mispredicted branch costs more than the few comparisons).
"""

from __future__ import annotations

import numba
import numpy as np

from .ensemble_inputs import uint
from .msis_table import YEAR_DAYS, MsisTable


@numba.njit(cache=True, inline="always")
def walk(nodes, inv_gap, x, i):
    """(i, w) with nodes[i] < x <= nodes[i + 1], x = nodes[i] (1 - w) + nodes[i + 1] w,
    clamped to the ends (the brackets of ``msis_table.lookup``), walked on from index i;
    ``inv_gap[i]`` = 1 / (nodes[i + 1] - nodes[i]). Indices are unsigned (``uint``): numba
    checks a signed index for wrapping around at every read."""
    n = nodes.size
    if x <= nodes[0]:
        return 0, 0.0
    if x >= nodes[uint(n - 1)]:
        return n - 2, 1.0
    while i > 0 and x <= nodes[uint(i)]:
        i -= 1
    while x > nodes[uint(i + 1)]:
        i += 1
    return i, (x - nodes[uint(i)]) * inv_gap[uint(i)]


@numba.njit(cache=True, inline="always")
def branchless_bracket(nodes, inv_gap, x):
    """``walk`` without branches: the index is the count of inner nodes below x."""
    n = nodes.size
    i = 0
    for j in range(1, n - 1):
        i += x > nodes[uint(j)]
    w = min(max((x - nodes[uint(i)]) * inv_gap[uint(i)], 0.0), 1.0)
    return i, 1.0 if x >= nodes[uint(n - 1)] else w


@numba.njit(cache=True, inline="always")
def altitude_walk(alt_km, inv_gap, h, i):
    """Altitude bracket as ``msis_table.lookup`` takes it: clamped below the first node,
    extrapolated (w > 1) above the last; walked on from index i."""
    if h <= alt_km[0]:
        return 0, 0.0
    top = alt_km.size - 2
    while i > 0 and h <= alt_km[uint(i)]:
        i -= 1
    while i < top and h > alt_km[uint(i + 1)]:
        i += 1
    return i, (h - alt_km[uint(i)]) * inv_gap[uint(i)]


@numba.njit(cache=True, inline="always")
def fold_pair(ih, flat, w):
    """ln rho at altitude nodes ih and ih + 1 for the day's table weights ``w`` = (i_f, wf,
    ifa, wfa, iap, wap, i_d, i_d1, wd): multilinear in F10.7, F10.7a and Ap, linear between
    the seasonal nodes i_d and i_d1. ``flat`` starts with (log_rho and seasonal raveled, their
    strides): one unsigned offset a value, so no index is checked for wrapping around."""
    log_rho, seasonal, st = flat[0], flat[1], flat[2]
    i_f, wf, ifa, wfa, iap, wap, i_d, i_d1, wd = w
    s_alt, s_f, s_fa, z_alt, z_fa = st[0], st[1], st[2], st[3], st[4]
    one = np.uint64(1)
    lo = 0.0
    hi = 0.0
    for c in range(2):
        wc = wfa if c else 1.0 - wfa
        f = np.uint64(ifa + c)
        z0 = np.uint64(ih) * z_alt + f * z_fa
        z1 = z0 + z_alt
        lo += wc * ((1.0 - wd) * seasonal[z0 + np.uint64(i_d)]
                    + wd * seasonal[z0 + np.uint64(i_d1)])
        hi += wc * ((1.0 - wd) * seasonal[z1 + np.uint64(i_d)]
                    + wd * seasonal[z1 + np.uint64(i_d1)])
        for b in range(2):
            wb = wc * (wf if b else 1.0 - wf)
            q0 = np.uint64(ih) * s_alt + np.uint64(i_f + b) * s_f + f * s_fa + np.uint64(iap)
            q1 = q0 + s_alt
            lo += wb * ((1.0 - wap) * log_rho[q0] + wap * log_rho[q0 + one])
            hi += wb * ((1.0 - wap) * log_rho[q1] + wap * log_rho[q1 + one])
    return lo, hi


def season_weights(first_day: int, n: int, n_doy: int) -> tuple[np.ndarray, np.ndarray]:
    """Each day's seasonal node and weight (as ``msis_table.lookup`` places the day of year),
    the same for every sample."""
    pos = ((first_day + np.arange(n)) % YEAR_DAYS) / YEAR_DAYS * n_doy - 0.5
    i_d = np.floor(pos)
    return (i_d.astype(np.int64) % n_doy), pos - i_d


def flat_table(table: MsisTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The table's ln rho and seasonal arrays raveled, and the strides ``fold_pair`` takes."""
    _, n_f, n_fa, n_ap = table.log_rho.shape
    n_doy = table.seasonal.shape[2]
    strides = np.array([n_f * n_fa * n_ap, n_fa * n_ap, n_ap, n_fa * n_doy, n_doy],
                       dtype=np.uint64)
    return (np.ascontiguousarray(table.log_rho, dtype=float).ravel(),
            np.ascontiguousarray(table.seasonal, dtype=float).ravel(), strides)


def inverse_gaps(nodes: np.ndarray) -> np.ndarray:
    """1 / (nodes[i + 1] - nodes[i])."""
    return 1.0 / np.diff(np.asarray(nodes, dtype=float))
