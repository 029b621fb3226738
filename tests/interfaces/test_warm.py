"""`iss-deorbit warm` leaves nothing for a first run to compile."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "iss-deorbit"

# other scenarios than the warm-up's, every kind of first run: a planned controlled deorbit
# with its footprint, a natural decay, an uncontrolled reentry with its casualty risk, the
# ensembles of each (campaign samples and the sample-axis kernel), a calibration and a
# prediction; then every kernel signature a module of sim compiled in this process
FIRST_RUNS = """
import sys
from numba.core.registry import CPUDispatcher
from sim.api import calibrate, load_scenario, predict, run_ensemble, simulate
for name in ("musk-2027", "iss-natural-decay-2025", "uncontrolled-decay"):
    scenario = load_scenario(f"scenarios/{name}.yaml")
    simulate(scenario)
    run_ensemble(scenario, 3, 1)
calibrate(sys.argv[1], inclination_deg=51.64)
predict(sys.argv[1], samples=4, inclination_deg=51.64)
compiled = [f"{name}.{key}" for name, module in list(sys.modules.items())
            if name.startswith("sim.") for key, value in vars(module).items()
            if isinstance(value, CPUDispatcher) and value.__module__ == name
            and value.stats.cache_misses]
print("compiled:", compiled)
"""


@pytest.mark.slow
def test_after_warm_a_first_run_compiles_nothing(tmp_path):
    # an empty numba cache and user cache of their own, so the test does not depend on (or
    # fill) the caches other tests warmed
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
           "ISS_DEORBIT_CACHE": str(tmp_path / "cache"), "PYTHONWARNINGS": "ignore"}
    warm = subprocess.run([str(EXE), "warm"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert warm.returncode == 0, warm.stderr
    assert re.search(r"warm: [1-9]\d* kernel signatures compiled, 0 already cached",
                     warm.stdout), warm.stdout
    history = tmp_path / "history.csv"  # the ISS's observed decay of October 2024
    rows = [line.split(",")[:2] for line in
            (ROOT / "tests/data/iss_mean_altitude_2024-10.csv").read_text().splitlines()
            if line[:1].isdigit()]
    history.write_text("epoch_utc,mean_alt_km\n" + "".join(f"{d}T00:00:00Z,{h}\n"
                                                             for d, h in rows))
    first = subprocess.run([sys.executable, "-c", FIRST_RUNS, str(history)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("compiled: []"), first.stdout
    assert list((tmp_path / "cache").glob("celestrak-*.npz"))  # the parsed flux record
