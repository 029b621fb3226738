"""The station's observed decay between reboosts (Oct-Nov 2024) against our NRLMSIS run."""

import csv
from pathlib import Path

import numpy as np
import pytest

from sim.scenario.loader import validate_mapping
from sim.campaign.runner import run_scenario

DATA = Path(__file__).resolve().parents[1] / "data" / "iss_mean_altitude_2024-10.csv"


def observed():
    with DATA.open() as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return [r["date"] for r in rows], np.array([float(r["mean_altitude_km"]) for r in rows])


def test_iss_decay_october_2024_with_the_ephemeris_ballistic_coefficient():
    dates, alt = observed()
    scenario = {"name": "iss-oct-2024", "epoch": dates[0], "end": dates[-1],
                "object": {"preset": "iss"},  # B = 155 kg/m^2 from NASA's 2024 header
                "orbit": {"mean_altitude": f"{alt[0]} km", "inclination": "51.64 deg"}}
    result = run_scenario(validate_mapping(scenario, "test"))
    model = np.asarray(result.columns["mean_altitude_km"])
    observed_loss = alt[0] - alt[-1]  # 5.34 km in 30 days at F10.7 ~ 200-250
    model_loss = model[0] - model[-1]
    # Loss goes as 1/B, so the observed decay fits B = 155 * model / observed. We measure
    # B_fit = 139 kg/m^2 (141 with direct MSIS calls). NRLMSIS carries ~10-15 % density
    # uncertainty, so the fit must land within 15 % of the header's 155 kg/m^2 and inside the
    # 75-155 kg/m^2 range of NASA's headers; a wrong flux, altitude or density model does not.
    b_fit = 155.2 * model_loss / observed_loss
    assert 155.2 * 0.85 < b_fit < 155.2 * 1.15
    assert 75 <= b_fit <= 160
    assert len(model) == len(alt)
    # the shape follows day by day once scaled to the fitted B (flux changes show up in both)
    scaled = model[0] - (model[0] - model) * observed_loss / model_loss
    assert np.abs(scaled - alt).max() < 0.35  # km
