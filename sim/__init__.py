"""iss-deorbit: plan and compare the International Space Station's end of life.

Layers (imports flow downwards only, enforced by import-linter):

* ``sim.interfaces`` - CLI, writers, benchmarks, dashboard helpers.
* ``sim.campaign`` - scenarios (units parsed here), station operations, results.
* ``sim.core`` - physics on plain SI floats and numpy arrays.
"""

__version__ = "0.1.0"
