"""Dashboard tests run ensembles of a few samples: the views are under test, not the spread
(the ensemble's statistics are tested in tests/campaign and tests/interfaces)."""

import contextlib
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.interfaces.dashboard.precompute import SAMPLES_ENV

TEST_SAMPLES = "8"
APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


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


@pytest.fixture(scope="module")
def app():
    """The dashboard as it opens, one per test module (modules change its state)."""
    with few_samples():
        at = AppTest.from_file(APP, default_timeout=600).run()
        assert not at.exception, [e.value for e in at.exception]
        yield at
