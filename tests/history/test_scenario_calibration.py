"""A scenario cites a calibration for its ballistic coefficient."""

import json

import pytest

from sim.api import ScenarioError, load_scenario
from sim.campaign.station import station_from

BASE = {"name": "cal", "epoch": "2025-06-01", "description": "x",
        "object": {"preset": "iss", "calibration": "iss-2024-2025"},
        "orbit": {"mean_altitude": "415 km", "inclination": "51.64 deg"}}


def test_calibration_sets_b_at_the_scenario_mass():
    station = station_from(load_scenario(BASE).scenario)
    assert station.ballistic_coefficient == pytest.approx(141.4, abs=0.01)
    assert station.drag_area == 1525.0  # C_D carries the fit; the area stays the header's


def test_a_calibration_json_path_works(tmp_path):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"ballistic_coefficient_kg_m2": 100.0,
                                "interval_90_kg_m2": [90.0, 110.0]}))
    data = {**BASE, "object": {"mass": "20 t", "drag_area": "100 m2",
                               "calibration": str(path)}}
    assert station_from(load_scenario(data).scenario).ballistic_coefficient == \
        pytest.approx(100.0)


@pytest.mark.parametrize("obj, needle", [
    ({"preset": "iss", "calibration": "no-such"}, "no such calibration; shipped: iss-2024-2025"),
    ({"preset": "iss", "calibration": "iss-2024-2025", "drag_coefficient": 2.0}, "not both"),
])
def test_bad_calibration_is_invalid_input(obj, needle):
    with pytest.raises(ScenarioError, match="object") as err:
        load_scenario({**BASE, "object": obj})
    assert needle in str(err.value)
