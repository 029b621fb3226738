"""The quantity fast path must give astropy's answer to the last bit (it replaces astropy only
for speed), and anything outside its table must still go to astropy."""

import numpy as np
import pytest

from sim.scenario.units import FAST_UNITS, KINDS, QuantityError, _parse_with_astropy, \
    parse_quantity

VALUES = ["0", "1", "415", "51.64", "0.001", "-12.5", "1e3", "2.5E-4", "473264", "16.3",
          "30.4375", "155.25", "7e-12"]


@pytest.mark.parametrize("kind", sorted(FAST_UNITS))
def test_fast_path_equals_astropy_bit_for_bit(kind):
    target, example = KINDS[kind]
    rng = np.random.default_rng(7)
    values = VALUES + [repr(float(x)) for x in rng.uniform(-1e4, 1e4, 40)]
    for unit in FAST_UNITS[kind]:
        for number in values:
            text = f"{number} {unit}"
            assert parse_quantity(text, kind) == _parse_with_astropy(text, kind, target,
                                                                     example), text


def test_units_outside_the_table_still_parse_through_astropy():
    assert parse_quantity("1 lyr", "length") == pytest.approx(9.4607304725808e15)
    assert parse_quantity("3 Mm", "length") == pytest.approx(3e6)
    assert parse_quantity("100 cm", "length") == pytest.approx(1.0)


def test_wrong_dimension_is_refused_with_an_example():
    with pytest.raises(QuantityError, match="is not a length; write e.g. '415 km'"):
        parse_quantity("415 kg", "length")
