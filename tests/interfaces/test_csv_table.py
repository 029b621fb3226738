"""timeseries.csv is written without pandas; the bytes must be the ones pandas writes."""

import numpy as np
import pandas as pd

from sim.api import load_scenario, simulate
from sim.interfaces.csv_table import csv_text


def test_a_real_time_series_matches_pandas_byte_for_byte():
    result = simulate(load_scenario("scenarios/mir-2001.yaml"))
    expected = pd.DataFrame(result.columns).to_csv(index=False, float_format="%.9g",
                                                   lineterminator="\n")
    assert csv_text(result.columns) == expected


def test_nan_quotes_and_integers_match_pandas():
    columns = {"name": ["a,b", 'say "hi"', "plain"], "x": np.array([1.5, np.nan, 1e-12]),
               "n": np.array([1, 2, 3]), "tiny": np.array([123456789.123, -0.0, 2.0])}
    expected = pd.DataFrame(columns).to_csv(index=False, float_format="%.9g",
                                            lineterminator="\n")
    assert csv_text(columns) == expected
