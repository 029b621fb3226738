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


def test_a_node_correction_is_built_on_first_use_into_the_cache(tmp_path, monkeypatch):
    """No correction table within 0.5 deg of 30 deg: ``ensure_correction`` builds one into the
    user cache (here a coarse grid built first, then found), never into the package."""
    from sim.core import node_lst_correction as node_lst

    monkeypatch.setenv("ISS_DEORBIT_CACHE", str(tmp_path))
    messages = []
    path = table_cache.build_correction_into(tmp_path, 30.0, messages.append,
                                             alt_km=np.array([200.0, 400.0]),
                                             f107a=np.array([100.0, 150.0]))
    assert path.parent == tmp_path and messages
    table = table_cache.ensure_correction(30.3)
    assert table.inclination_deg == pytest.approx(30.0)
    assert not (importlib.resources.files("sim") / "data" / path.name).is_file()
    # at its nodes the table is the ratio of direct orbit means (to float32 rounding)
    one = node_lst.orbit_mean_at_node(node_lst.doy_nodes()[3], 400.0, 150.0, 150.0,
                                      node_lst.AP_REF, math.radians(30.0), 5.0)
    every = node_lst.orbit_mean_at_node(node_lst.doy_nodes()[3], 400.0, 150.0, 150.0,
                                        node_lst.AP_REF, math.radians(30.0),
                                        node_lst.lst_nodes()).mean()
    assert math.exp(table.log_correction(400.0, 150.0, node_lst.doy_nodes()[3], 5.0)) == \
        pytest.approx(one / every, rel=1e-6)


@pytest.mark.slow
def test_build_tables_command_builds_both_tables_where_runs_look(tmp_path):
    """`iss-deorbit build-tables --inclination` (~35 s): the orbit-mean table and the
    node-local-time correction, both into the cache folder that runs and fits read."""
    import os
    import subprocess
    import sys

    from sim.core import node_lst_correction
    from sim.core.msis_table import table_file_name

    env = {**os.environ, "ISS_DEORBIT_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "sim.interfaces.cli", "build-tables",
                           "--inclination", "28.5"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / table_file_name(28.5)).is_file()
    assert (tmp_path / node_lst_correction.table_file_name(28.5)).is_file()
    assert node_lst_correction.load_table(28.5, (tmp_path,)).inclination_deg == 28.5
