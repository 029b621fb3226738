"""Tables for other inclinations live in the user cache, never in the package."""

import importlib.resources
import math

import numpy as np
import pytest

from sim.campaign import table_cache
from sim.core.msis_atmosphere import orbit_mean_msis

COARSE = {"alt_km": np.array([150.0, 250.0, 350.0, 450.0]), "f107": np.array([70.0, 150.0]),
          "f107a": np.array([70.0, 150.0]), "ap": np.array([4.0, 15.0])}


def test_a_table_built_into_the_cache_is_found_there(tmp_path, monkeypatch):
    monkeypatch.setenv("ISS_DEORBIT_CACHE", str(tmp_path))
    assert not table_cache.table_available(30.0)
    messages = []
    path = table_cache.build_into(tmp_path, 30.0, messages.append, **COARSE)
    assert path.parent == tmp_path and messages
    table = table_cache.ensure_table(30.2, messages.append)  # within 0.5 deg: no new build
    assert table.inclination_deg == pytest.approx(30.0)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    package = importlib.resources.files("sim") / "data"
    assert not (package / path.name).is_file()
    # at a node the table is NRLMSIS itself (annual mean + seasonal offset): 5 % covers the
    # separable-season approximation measured for the shipped table (tests/core)
    direct = orbit_mean_msis(np.array([100.0]), np.array([350.0]), np.array([150.0]),
                             np.array([150.0]), np.array([15.0]), math.radians(30.0))[0]
    assert table.density(350.0, 150.0, 150.0, 15.0, 100.0) == pytest.approx(direct, rel=0.05)
