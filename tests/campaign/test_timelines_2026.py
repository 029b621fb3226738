"""The timelines argued about in 2026, checked against the facts they cite."""

import math

import numpy as np
import pytest

from sim.api import load_scenario, simulate
from sim.core.constants import G0
from sim.scenario.facts import load_facts
from sim.scenario.units import parse_date, to_day

from ..conftest import SCENARIOS

MONTH = 30.4375


def _day(text: str) -> float:
    return to_day(parse_date(text))


@pytest.fixture(scope="module")
def runs():
    names = ("nasa-published-sequence", "roscosmos-2028-start", "senate-2032",
             "decision-2026-12")
    return {name: simulate(load_scenario(SCENARIOS / f"{name}.yaml"), where=False)
            for name in names}


def _legs(summary):
    return summary["active_descent"]["legs"]


@pytest.mark.slow
def test_nasas_published_sequence_keeps_its_dates_by_lowering_the_station(runs):
    s = runs["nasa-published-sequence"].summary
    assert s["status"] == "controlled_reentry"
    crew, to_220 = _legs(s)
    # the milestones NASA published: 330 km when the crew leaves, 220 km for the USDV's burns;
    # the plan meets them to the root-finder's 0.5 m, 50 m is the test's margin
    assert crew["altitude_at_end_km"] == pytest.approx(330.0, abs=0.05)
    assert to_220["altitude_at_end_km"] == pytest.approx(220.0, abs=0.05)
    assert crew["status"] == to_220["status"] == "on_target"
    # drag alone at the solar minimum could not: it would leave the station near 400 km
    assert crew["natural_decay_altitude_km"] > 380.0
    departure = next(e for e in s["events"] if e["kind"] == "crew_departure")
    assert departure["altitude_km"] == pytest.approx(330.0, abs=0.5)
    assert abs(_day(s["crew_departure_utc"]) - _day("2030-07-15")) < 1.0
    reentry = _day(s["reentry_utc"])
    assert _day("2031-01-01") <= reentry <= _day("2031-03-31")  # early 2031
    # about six months from the crew's departure, ~18 months from docking, ~4 days of burns
    assert (reentry - _day(s["crew_departure_utc"])) / MONTH == pytest.approx(6.0, abs=0.3)
    assert (_day(s["final_burn_utc"]) - _day(s["usdv_docking_utc"])) / MONTH == \
        pytest.approx(18.0, abs=0.3)
    assert 2.5 <= _day(s["final_burn_utc"]) - _day(s["lowering_start_utc"]) <= 5.0


@pytest.mark.slow
def test_the_descent_cost_is_positive_bounded_and_the_rocket_equations(runs):
    result = runs["nasa-published-sequence"]
    s = result.summary
    burns = [e for e in s["events"] if e["kind"] == "descent_burn"]
    dv = sum(e["delta_v_m_s"] for e in burns)
    propellant = sum(e["propellant_kg"] for e in burns)
    assert len(burns) == s["descent_burns"] == 38  # 26 + 12 burns, two weeks apart
    assert dv == pytest.approx(s["descent_delta_v_m_s"], abs=0.01)
    assert propellant == pytest.approx(s["descent_propellant_kg"], abs=1.0)
    assert sum(s["active_descent"]["propellant_by_tank_kg"].values()) == \
        pytest.approx(propellant, abs=1.0)
    # Bounds from the rocket equation whatever the tank: the station's mass during the
    # descent lies between its extremes in the time series, each burn is small (dv << Isp g0)
    # and the tanks' Isp lies between 290 and 300 s, so the series costs between
    # m_min (1 - exp(-dv / (300 g0))) and m_max dv / (290 g0).
    cols = result.columns
    days = np.asarray(cols["days_from_epoch"]) + _day(s["epoch_utc"])
    during = (days >= _day(s["active_descent"]["start_utc"])) & \
        (days <= _day(s["lowering_start_utc"]))
    mass = np.asarray(cols["mass_kg"])[during]
    assert mass.min() * (1 - math.exp(-dv / (300 * G0))) <= propellant <= \
        mass.max() * dv / (290 * G0)
    # and the vis-viva ceiling: burns alone from 410 km to 220 km would take 107 m/s
    assert 0 < dv < 107.0


@pytest.mark.slow
def test_roscosmos_descent_starts_in_2028_and_ends_in_2030(runs):
    s = runs["roscosmos-2028-start"].summary
    assert s["status"] == "controlled_reentry"
    leg, = _legs(s)
    assert leg["status"] == "on_target" and s["descent_burns"] > 0
    # drag alone would not do it: the active descent is used, and the run says so
    assert leg["natural_decay_altitude_km"] > 300.0
    start, reentry = _day(s["active_descent"]["start_utc"]), _day(s["reentry_utc"])
    assert s["active_descent"]["start_utc"].startswith("2028")
    assert s["reentry_utc"].startswith("2030")
    # "about two to two and a half years" (TASS, July 2025)
    assert 2.0 <= (reentry - start) / 365.25 <= 2.55
    paid = {n for n, kg in s["active_descent"]["propellant_by_tank_kg"].items() if kg > 0}
    assert paid and paid <= {"visiting", "station"}  # Russian propellant, not the USDV's


@pytest.mark.slow
def test_senate_2032_reenters_after_the_bills_retirement_date_and_says_it_is_not_law(runs):
    s = runs["senate-2032"].summary
    assert s["status"] == "controlled_reentry"
    assert _day(s["reentry_utc"]) > _day("2032-09-30")
    assert abs(_day(s["crew_departure_utc"]) - _day("2032-09-30")) < 1.0
    assert "not law" in " ".join(s["description"].split())
    assert "not law" in load_facts()["senate-authorization-2032"].statement
    assert s["sources"]["active_descent.waypoints.0.date"] == "senate-authorization-2032"


@pytest.mark.slow
def test_decision_of_december_2026_reenters_as_soon_as_the_usdv_can(runs):
    result = runs["decision-2026-12"]
    s = result.summary
    ready = _day("2028-12-01")  # NASA's earliest launch date (fact usdv-launch-ready)
    assert s["status"] == "controlled_reentry"
    assert not any(i["code"] == "usdv_not_ready" for i in s["issues"])
    assert _day(s["usdv_docking_utc"]) >= ready
    # the earliest controlled reentry follows the USDV's readiness within weeks
    assert ready < _day(s["reentry_utc"]) < ready + 45
    # the crew leaves at 330 km on the way down (a model date), before the USDV arrives
    assert _day(s["crew_departure_utc"]) < ready
    assert s["sources"]["usdv.launch_ready"] == "usdv-launch-ready"
    # the Progress propellant (Isp 290 s) pays the descent: each burn is the rocket equation
    # on the station's mass at that moment (the rows are daily and a burn falls on a row; the
    # event rounds the delta-v to 1e-4 m/s, 1.6e-4 of a 0.62 m/s burn). The last burn falls on
    # the docking instant, whose row holds the mass before the 30 t vehicle: it is left out.
    paid = {n for n, kg in s["active_descent"]["propellant_by_tank_kg"].items() if kg > 0}
    assert paid == {"visiting"}
    days = np.asarray(result.columns["days_from_epoch"]) + _day(s["epoch_utc"])
    mass = np.asarray(result.columns["mass_kg"])
    docking = _day(s["usdv_docking_utc"])
    checked = 0
    for burn in (e for e in s["events"] if e["kind"] == "descent_burn"
                 and _day(e["time_utc"]) < docking - 1e-6):
        checked += 1
        before = mass[np.searchsorted(days, _day(burn["time_utc"]), side="right") - 1]
        expected = before * (1 - math.exp(-burn["delta_v_m_s"] / (290 * G0)))
        assert burn["propellant_kg"] == pytest.approx(expected, rel=1e-3)
    assert checked == s["descent_burns"] - 1
