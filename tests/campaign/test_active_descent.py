"""The active descent: burn pairs sized backwards from waypoint dates, checked against vis-viva,
the rocket equation, the waypoints themselves and the tanks' limits."""

import math

import pytest

from sim.campaign.active_descent import burn_days
from sim.campaign.runner import run_scenario
from sim.core.constants import G0, MU_EARTH, R_EARTH
from sim.scenario.loader import ScenarioError, validate_mapping
from sim.scenario.units import parse_date, to_day

MASS = 100e3
ISP = 300.0


def _case(**changes) -> dict:
    """A 100 t body at 600 km with a 5 t tank, lowered to 500 km in 20 daily steps. Its
    ballistic coefficient (1e5 kg/m2, ~700 times the ISS's) makes drag negligible: NRLMSIS gives
    ~1e-13 kg/m3 at 500-600 km, so drag lowers the orbit by well under a metre in 20 days."""
    data = {"name": "descent-case", "epoch": "2025-06-01", "end": "2025-07-15",
            "object": {"mass": f"{MASS / 1e3:g} t", "ballistic_coefficient": "100000 kg/m2"},
            "orbit": {"mean_altitude": "600 km", "inclination": "51.64 deg"},
            "tanks": [{"name": "tug", "propellant": "5 t", "isp": f"{ISP:g} s"}],
            "active_descent": {"tanks": ["tug"], "start": "2025-06-01", "spacing": "1 d",
                               "waypoints": [{"altitude": "500 km", "date": "2025-06-21"}]}}
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def _run(data):
    return run_scenario(validate_mapping(data, "<test>"), where=False).summary


@pytest.fixture(scope="module")
def drag_free():
    return _run(_case())


def test_burns_are_counted_back_from_the_waypoint_date():
    assert burn_days(0.0, 20.0, 1.0) == [float(d) for d in range(20)]
    assert burn_days(0.5, 20.0, 7.0) == [6.0, 13.0]  # none before the leg starts
    assert burn_days(3.0, 5.0, 14.0) == [3.0]  # a leg shorter than the spacing: one burn


def test_drag_free_descent_costs_the_circular_speed_difference(drag_free):
    # Many small Hohmann steps between two circular orbits cost, in the limit, the difference
    # of the circular speeds (vis-viva); 20 equal steps of 5 km differ from it by 3e-8
    # (second order in step / radius). The root-finder meets the waypoint to 0.5 m (5e-6 of
    # the 100 km) and drag is negligible (see _case), so 1e-4 is a safe tolerance.
    v_high, v_low = (math.sqrt(MU_EARTH / (R_EARTH + h)) for h in (600e3, 500e3))
    assert drag_free["descent_delta_v_m_s"] == pytest.approx(v_low - v_high, rel=1e-4)
    assert drag_free["descent_burns"] == 20
    leg, = drag_free["active_descent"]["legs"]
    assert leg["status"] == "on_target"
    assert leg["altitude_at_end_km"] == pytest.approx(500.0, abs=0.01)
    assert leg["natural_decay_altitude_km"] == pytest.approx(600.0, abs=0.01)


def test_drag_free_descent_pays_the_rocket_equation_on_the_whole_series(drag_free):
    # Burn after burn on a shrinking mass, the propellant of the series is the rocket equation
    # on the summed delta-v: m0 (1 - exp(-sum dv / (Isp g0))), to rounding (no attitude draw,
    # no deliveries on this tank).
    dv = drag_free["descent_delta_v_m_s"]
    expected = MASS * (1.0 - math.exp(-dv / (ISP * G0)))
    assert drag_free["descent_propellant_kg"] == pytest.approx(expected, abs=0.5)
    assert drag_free["tanks"]["tug"]["burned_kg"] == pytest.approx(expected, abs=0.5)
    burns = [e for e in drag_free["events"] if e["kind"] == "descent_burn"]
    assert sum(e["propellant_kg"] for e in burns) == pytest.approx(expected, abs=0.5)
    assert drag_free["descent_status"] == "on_target" and drag_free["issues"] == []


def test_a_tank_too_small_is_a_shortfall_not_a_success():
    # 300 kg buys ~8.8 m/s of the ~55 m/s the plan needs: the station stops well above 500 km
    summary = _run(_case(**{"tanks": [{"name": "tug", "propellant": "300 kg", "isp": "300 s"}]}))
    assert summary["status"] == "descent_propellant_short"
    assert summary["descent_status"] == "propellant_short"
    leg, = summary["active_descent"]["legs"]
    assert leg["propellant_kg"] == pytest.approx(300.0, abs=0.5)
    assert leg["planned_propellant_kg"] > 1700.0  # ~1.8 t at 100 t for 55 m/s
    assert summary["active_descent"]["shortfall_kg"] == pytest.approx(
        leg["planned_propellant_kg"] - 300.0, abs=1.0)
    assert leg["altitude_at_end_km"] > 580.0  # 8.8 m/s lowers a 600 km orbit by ~16 km
    assert any(i["code"] == "descent_propellant_short" for i in summary["issues"])


def test_a_descent_on_a_usdv_that_never_docks_says_no_burn_could_be_made():
    # the vehicle docks on a lead time before burns that never come: it is never on board
    summary = _run(_case(**{"usdv": {"lead_time": "30 d", "dry_mass": "10 t",
                                     "propellant": "10 t"},
                            "active_descent.tanks": ["usdv"]}))
    assert summary["status"] == "descent_propellant_short"
    leg, = summary["active_descent"]["legs"]
    assert leg["burns"] == 0 and leg["planned_propellant_kg"] is None
    assert summary["active_descent"]["shortfall_kg"] is None  # unknown, not zero
    issue = next(i for i in summary["issues"] if i["code"] == "descent_propellant_short")
    assert "not on board" in issue["message"]


def test_when_drag_alone_gets_there_no_burn_is_flown_and_the_early_arrival_is_said():
    # An ISS-like body (141 kg/m2) at 320 km in mid-2025 (F10.7 ~ 140) loses several hundred
    # metres a day: 300 km comes within weeks, long before a waypoint a year away.
    summary = _run(_case(**{"object.ballistic_coefficient": "141 kg/m2",
                            "orbit.mean_altitude": "320 km", "end": "2026-09-01",
                            "active_descent.waypoints": [{"altitude": "300 km",
                                                          "date": "2026-06-01"}]}))
    leg, = summary["active_descent"]["legs"]
    assert leg["burns"] == 0 and summary["descent_propellant_kg"] == 0.0
    assert leg["status"] == "early" and summary["descent_status"] == "early"
    assert leg["altitude_at_end_km"] == pytest.approx(300.0, abs=0.01)
    reached = to_day(parse_date(leg["end_utc"]))
    assert reached < to_day(parse_date("2026-06-01")) - 30
    assert any(i["code"] == "descent_waypoint_early" for i in summary["issues"])


@pytest.mark.parametrize("changes, fields", [
    ({"active_descent.tanks": ["ghost"]}, "active_descent.tanks.0"),
    ({"active_descent.waypoints": [{"altitude": "500 km", "date": "2025-06-21"},
                                   {"altitude": "550 km", "date": "2025-07-01"}]},
     "waypoints.1.altitude"),
    ({"active_descent.waypoints": [{"altitude": "500 km", "date": "2025-05-01"}]},
     "waypoints.0.date"),
    ({"active_descent.waypoints": [{"altitude": "650 km", "date": "2025-06-21"}]},
     "active_descent.waypoints.0.altitude"),
    ({"reboost": {"until": "2025-07-01", "floor": "590 km", "target": "600 km"}},
     "reboost.until"),
    ({"plan": {"reentry": "2026-01-01"}}, "plan"),
])
def test_inconsistent_descents_are_refused_naming_the_fields(changes, fields):
    with pytest.raises(ScenarioError, match=fields.replace(".", r"\.")):
        validate_mapping(_case(**changes), "<test>")
