"""iss-deorbit: plan and compare the International Space Station's end of life.

Layers (imports flow downwards only, enforced by import-linter):

* ``sim.interfaces`` - CLI, writers, executors, benchmarks; ``sim.interfaces.dashboard``.
* ``sim.api`` - the curated public face: load, simulate, plan (and later ensembles,
  calibration, footprints).
* ``sim.validation`` - references the physics is checked against (the only hapsira user).
* ``sim.campaign`` - the simulation of a campaign: operations, burns, planner, results.
* ``sim.scenario`` - the scenario format: units, schema, safe loader, cited facts.
* ``sim.core`` - physics on plain SI floats and numpy arrays.
"""

__version__ = "0.2.0"
