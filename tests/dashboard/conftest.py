"""Dashboard tests run ensembles of a few samples: the views are under test, not the spread
(the ensemble's statistics are tested in tests/campaign and tests/interfaces)."""

import contextlib
import os

from sim.interfaces.dashboard.precompute import SAMPLES_ENV

TEST_SAMPLES = "8"


@contextlib.contextmanager
def few_samples():
    before = os.environ.get(SAMPLES_ENV)
    os.environ[SAMPLES_ENV] = TEST_SAMPLES
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SAMPLES_ENV, None)
        else:
            os.environ[SAMPLES_ENV] = before
