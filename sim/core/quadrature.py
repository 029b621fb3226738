"""How many quadrature nodes an orbit average needs, chosen from the eccentricity.

The averaged drag rates are integrals over the eccentric anomaly E of terms that vary as the
density along the orbit, exp(-(r - r_mean)/H) = exp(x cos E) with x = a e / H. Their exact
values are modified Bessel functions (<exp(x cos E)> = I0(x), <cos E exp(x cos E)> = I1(x)),
so the error of an n-node Gauss-Legendre sum over [0, 2 pi] can be measured exactly for each
x; ``X_LIMITS`` holds, for each node count, the largest x at which both sums stay within
1e-6 of I0(x) (``max_x_for`` recomputes them; a test checks the table).

Rule: an exactly circular orbit needs one node (the integrands do not depend on E; the node
sits at E = pi/2, where cos E = 0, so de/dt is exactly zero as symmetry demands); otherwise the
fewest Gauss-Legendre nodes whose limit covers x = a e / H_MIN, up to the 24 the single-run
kernel has always used. H_MIN = 5 km lies below the orbit-mean NRLMSIS density scale height
everywhere above 80 km, so the rule errs on the side of more nodes. The ISS (e ~ 5e-4,
a e ~ 3.4 km) needs 12 nodes; a circular sample needs 1.

Node arrays are in Gauss-Legendre form on [-1, 1] (E = pi (x + 1), weights summing to 2), the
form ``mean_elements.averaged_rates`` takes, padded to 24 columns with zero weights.
"""

from __future__ import annotations

import math

import numba
import numpy as np

H_MIN = 5.0e3  # m, smallest density scale height the rule allows for
TOLERANCE = 1e-6  # relative error of the orbit averages against the exact Bessel values
NODE_COUNTS = np.array([1, 6, 8, 12, 16, 20, 24])
# Largest x = a e / H for which each node count meets TOLERANCE (measured by max_x_for;
# rounded down). The 1-node rule is exact only at e = 0.
X_LIMITS = np.array([0.0, 0.0021, 0.239, 1.787, 5.03, 13.35, 22.25])
MAX_NODES = 24


def _node_rows():
    xs = np.zeros((NODE_COUNTS.size, MAX_NODES))
    ws = np.zeros((NODE_COUNTS.size, MAX_NODES))
    xs[0, 0], ws[0, 0] = -0.5, 2.0  # E = pi/2
    for level, n in enumerate(NODE_COUNTS[1:], start=1):
        x, w = np.polynomial.legendre.leggauss(int(n))
        xs[level, :n], ws[level, :n] = x, w
    return xs, ws


NODES_X, NODES_W = _node_rows()


@numba.njit(cache=True)
def level_for(a_m, e):
    """Row of ``NODES_X``/``NODES_W`` (and ``NODE_COUNTS``) for semi-major axis ``a_m`` (m)
    and eccentricity ``e``."""
    if e <= 0.0:
        return 0
    x = a_m * e / H_MIN
    for level in range(1, X_LIMITS.size):
        if x <= X_LIMITS[level]:
            return level
    return X_LIMITS.size - 1


def node_count(a_m: float, e: float) -> int:
    """Number of nodes the rule picks for an orbit (a in m)."""
    return int(NODE_COUNTS[level_for(a_m, e)])


def nodes(a_m: float, e: float) -> tuple[np.ndarray, np.ndarray]:
    """Unpadded (x, w) node arrays the rule picks, ready for ``averaged_rates``."""
    level = level_for(a_m, e)
    n = int(NODE_COUNTS[level])
    return NODES_X[level, :n].copy(), NODES_W[level, :n].copy()


def max_x_for(n_nodes: int, tolerance: float = TOLERANCE, x_top: float = 40.0,
              steps: int = 40000) -> float:
    """Largest x (on a grid) up to which n-node Gauss-Legendre meets ``tolerance`` for
    <exp(x cos E)> and <cos E exp(x cos E)> against I0(x), I1(x)."""
    from scipy.special import i0e, i1e

    gx, gw = np.polynomial.legendre.leggauss(n_nodes)
    cos_e = np.cos(math.pi * (gx + 1.0))
    best = 0.0
    for x in np.linspace(x_top / steps, x_top, steps):
        scaled = np.exp(x * (cos_e - 1.0))  # exponentially scaled, as i0e / i1e are
        err0 = abs(0.5 * np.sum(gw * scaled) - i0e(x))
        err1 = abs(0.5 * np.sum(gw * cos_e * scaled) - i1e(x))
        if max(err0, err1) > tolerance * i0e(x):
            break
        best = float(x)
    return best
