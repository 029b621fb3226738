import math
from pathlib import Path

import pytest

from sim.campaign.environment import coesa76_table, flux_record, msis_table

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
ISS_INC = math.radians(51.64)


@pytest.fixture(scope="session")
def record():
    return flux_record()


@pytest.fixture(scope="session")
def table():
    return msis_table(51.64)


@pytest.fixture(scope="session")
def coesa():
    return coesa76_table()
