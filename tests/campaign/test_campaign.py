"""The deorbit campaign: bookkeeping, statuses, phases and the planner."""

import math

import pytest

from sim.scenario.loader import load_scenario, validate_mapping
from sim.campaign.planner import plan_reentry, run_with_plan
from sim.campaign.runner import run_scenario
from sim.scenario.units import to_day

from ..conftest import SCENARIOS


@pytest.fixture(scope="module")
def nasa_result():
    return run_with_plan(load_scenario(SCENARIOS / "nasa-2030.yaml"))


def test_propellant_is_conserved_per_tank(nasa_result):
    # initial + delivered = burned + attitude + final, to 1 kg, for every account
    for name, t in nasa_result.summary["tanks"].items():
        balance = t["initial_kg"] + t["delivered_kg"] - t["burned_kg"] - t["attitude_kg"] - \
            t["final_kg"]
        assert abs(balance) < 1.0, name
    events = nasa_result.summary["events"]
    burned = sum(e["propellant_kg"] for e in events)
    tank_burned = sum(t["burned_kg"] for t in nasa_result.summary["tanks"].values())
    assert burned == pytest.approx(tank_burned, abs=1.0)


def test_time_series_propellant_matches_the_books(nasa_result):
    cols = nasa_result.columns
    final = sum(t["final_kg"] for t in nasa_result.summary["tanks"].values())
    assert cols["propellant_kg"][-1] == pytest.approx(final, abs=1.0)
    mass = cols["mass_kg"]
    assert mass[-1] < max(mass)  # the USDV added mass, the burns took some away


def test_phases_follow_nasas_order(nasa_result):
    s = nasa_result.summary
    order = [s["decay_start_utc"], s["usdv_docking_utc"], s["crew_departure_utc"],
             s["lowering_start_utc"], s["final_burn_utc"], s["reentry_utc"]]
    assert all(order) and order == sorted(order)
    lowering = [e for e in s["events"] if e["kind"] == "perigee_lowering_burn"]
    assert [e["perigee_km"] for e in lowering] == pytest.approx([190, 165, 145], abs=1.0)
    final = next(e for e in s["events"] if e["kind"] == "final_burn")
    assert final["perigee_km"] == pytest.approx(50, abs=5)  # osculating, at burn end
    # USDV docked ~18 months before the final burn (lead time), within the iteration's 0.5 d
    lead = (to_day_iso(s["final_burn_utc"]) - to_day_iso(s["usdv_docking_utc"])) / 30.4375
    assert lead == pytest.approx(18, abs=0.2)


def to_day_iso(text):
    from sim.scenario.units import parse_date
    return to_day(parse_date(text))


def test_the_plan_lands_on_the_target(nasa_result):
    plan = nasa_result.summary["plan"]
    assert plan["status"] == "feasible"
    assert abs(plan["reentry_minus_target_days"]) < 2


def test_not_enough_propellant_is_a_result():
    loaded = load_scenario(SCENARIOS / "musk-2027.yaml", [("usdv.propellant", "8 t")])
    result = run_scenario(loaded)
    s = result.summary
    assert s["status"] == "insufficient_propellant"
    assert s["shortfall_kg"] > 1000
    assert s["fallback"] == "uncontrolled decay"
    assert s["reentry_kind"] == "uncontrolled" or s["reentry_utc"] is None
    assert s["final_burn_utc"] is None


def test_weak_sun_means_slower_decay():
    nominal = run_scenario(load_scenario(SCENARIOS / "iss-natural-decay-2025.yaml"))
    weak = run_scenario(load_scenario(SCENARIOS / "iss-natural-decay-2025.yaml",
                                      [("solar_activity.level", "weak")]))
    assert weak.summary["days_to_reentry"] > nominal.summary["days_to_reentry"] + 30


def test_usdv_without_propellant_for_plan_is_flagged_not_crashed():
    scenario = {"name": "no-usdv", "epoch": "2025-06-01", "object": {"preset": "iss"},
                "orbit": {"mean_altitude": "300 km", "inclination": "51.64 deg"},
                "usdv": {"docking": "2030-01-01"}, "final_burn": {"target_perigee": "50 km"}}
    result = run_scenario(validate_mapping(scenario, "test"))
    assert result.summary["status"] == "usdv_not_docked"
    assert result.summary["reentry_kind"] == "uncontrolled"


def test_plan_reports_when_natural_decay_cannot_make_the_date():
    plan = plan_reentry(load_scenario(SCENARIOS / "musk-2027.yaml"), to_day_iso("2026-06-01"))
    assert plan.status == "infeasible_natural_decay"
    assert plan.details["direct_deorbit_delta_v_m_s"] > 80
    assert plan.details["usdv_ready_by_target"] is False
    assert math.isfinite(plan.details["direct_deorbit_propellant_kg"])


def test_variants_pin_the_nominal_plans_stop_date(nasa_result):
    """The solar variants of nasa-2030 keep the nominal plan's stop date so that they show the
    Sun's effect on the reentry; if the model moves the plan, they must be updated."""
    planned = to_day_iso(nasa_result.summary["plan"]["reboost_stop_utc"])
    for path in sorted(SCENARIOS.glob("nasa-2030-*.yaml")):
        pinned = load_scenario(path).scenario.reboost.until
        assert abs(to_day(pinned) - planned) < 2.0, path.name
