"""The node's right ascension in histories: read from element sets, from the optional
``raan_deg`` column, absent otherwise; bad values named."""

import numpy as np
import pytest

from sim.history.altitude_history import HistoryError
from sim.history.readers import parse_history

TLE = """ISS (ZARYA)
1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482
"""


def test_element_sets_carry_their_node():
    hist = parse_history(TLE, "iss.tle")
    assert hist.raan_deg[0] == pytest.approx(211.2001, abs=1e-9)


def test_altitude_csv_reads_the_optional_node_column():
    text = ("epoch_utc,mean_alt_km,raan_deg\n2024-10-09T00:00:00Z,418.0,120.5\n"
            "2024-10-10T00:00:00Z,417.9,115.5\n")
    hist = parse_history(text, "h.csv")
    np.testing.assert_allclose(hist.raan_deg, [120.5, 115.5])
    assert hist.node_known


def test_altitude_csv_without_the_column_leaves_the_node_unknown():
    text = "epoch_utc,mean_alt_km\n2024-10-09T00:00:00Z,418.0\n2024-10-10T00:00:00Z,417.9\n"
    hist = parse_history(text, "h.csv")
    assert np.isnan(hist.raan_deg).all() and not hist.node_known


def test_node_outside_0_360_is_named():
    text = "epoch_utc,mean_alt_km,raan_deg\n2024-10-09T00:00:00Z,418.0,400\n"
    with pytest.raises(HistoryError, match=r"h.csv: data row 1: field 'raan_deg' = '400'"):
        parse_history(text, "h.csv")
