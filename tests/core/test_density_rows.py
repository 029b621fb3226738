"""The daily field's hoisted-bracket builder gives the same bits as point-by-point lookups."""

import numpy as np

from sim.core.density_field import _weather_rows, msis_table_field
from sim.core.msis_table import _lookup_many
from sim.core.space_weather import daily_weather


def test_field_rows_are_bit_identical_to_lookups(record, table):
    weather = daily_weather(record, 19000, 23000)  # 2022-2032: observed, predicted, repeated
    field = msis_table_field(table, weather)
    f107, f107a, ap, doy = _weather_rows(weather)
    n_alt = table.alt_km.size
    grids = [np.repeat(x[:, None], n_alt, axis=1).ravel() for x in (f107, f107a, ap, doy)]
    out = np.empty(len(f107) * n_alt)
    _lookup_many(table.log_rho, table.seasonal, table.alt_km, table.f107, table.f107a,
                 table.ap, np.tile(table.alt_km, len(f107)), *grids, out)
    assert np.array_equal(field.log_rho, out.reshape(len(f107), n_alt))
