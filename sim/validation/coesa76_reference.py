"""hapsira's US Standard Atmosphere 1976, the reference the shipped COESA76 table is cut from."""

from __future__ import annotations

import numpy as np

COESA76_ALT_KM = np.arange(0.0, 1000.5, 1.0)


def coesa76_rows(alt_km=COESA76_ALT_KM) -> np.ndarray:
    """(altitude km, density kg/m^3) from hapsira's COESA76 (slow: astropy units per call)."""
    import astropy.units as u
    from hapsira.earth.atmosphere import COESA76

    model = COESA76()
    rho = [model.density(h * u.km).to_value(u.kg / u.m**3) for h in alt_km]
    return np.column_stack([alt_km, rho])
