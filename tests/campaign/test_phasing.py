"""Phasing the final burn: ground-track geometry against analytic results, the plan's search,
and one final-burn time with closed propellant books in a whole campaign."""

import math
from datetime import timedelta

import numpy as np
import pytest

from sim.campaign import phasing
from sim.campaign.final_drop import atmosphere_at
from sim.campaign.phasing_plan import Geometry, choose, nodal_day_s
from sim.core.constants import J2, MU_EARTH, OMEGA_EARTH, R_EARTH
from sim.core.descent import fly
from sim.core.frames import ground_point
from sim.core.mean_to_osculating import osculating_state, revolution_means
from sim.core.orbit_state import state_from_elements
from sim.scenario.units import parse_date

INC = math.radians(51.64)
DAY0 = 22290.9  # 2031-01-11, the nasa-2030 lowering
WEATHER = (72.7, 72.6, 9.0)


def _node_crossings(path):
    """Times (s) and longitudes (deg) of the ascending node crossings of a coast."""
    z = path.states[:, 2]
    k = np.nonzero((z[:-1] < 0) & (z[1:] >= 0))[0]
    frac = -z[k] / (z[k + 1] - z[k])
    t = path.t_s[k] + frac * (path.t_s[k + 1] - path.t_s[k])
    r = path.states[k, :3] + frac[:, None] * (path.states[k + 1, :3] - path.states[k, :3])
    _, lon, _ = ground_point(r, DAY0 + t / 86400.0)
    return t, np.asarray(lon)


@pytest.fixture(scope="module")
def coast_400():
    """A day of drag-free two-body + J2 flight from a circular 400 km ISS orbit."""
    air = atmosphere_at(DAY0, WEATHER)
    u0 = np.concatenate([state_from_elements(R_EARTH + 400e3, 0.0, INC, 0.3, 0.0, 0.1),
                         [450e3]])
    no_drag = type(air)(air.cube, air.theta0, air.day0, 0.0)
    return phasing.coast(u0, 1.0, no_drag, 1.2 * 86400.0, 0.0)


def test_ground_track_shifts_west_by_earth_rotation_less_nodal_regression(coast_400):
    # Successive ascending nodes fall -(omega_E - Omega_dot) T apart in longitude, with T the
    # nodal period and Omega_dot = -1.5 n J2 (R/p)^2 cos i (Vallado 4th ed., eq. 9-41). The
    # short-period terms repeat node to node; what is left is the secular rate's O(J2^2)
    # error over one revolution: a few 1e-4 deg. Tolerance 0.002 deg (0.2 km at the equator).
    t, lon = _node_crossings(coast_400)
    period = np.diff(t)
    shift = (np.diff(lon) + 180.0) % 360.0 - 180.0
    a = R_EARTH + 400e3
    n = math.sqrt(MU_EARTH / a**3)
    raan_rate = -1.5 * n * J2 * (R_EARTH / a) ** 2 * math.cos(INC)
    expected = -np.degrees((OMEGA_EARTH - raan_rate) * period)
    assert np.all(np.abs(shift - expected) < 2e-3)
    assert -23.5 < float(np.mean(shift)) < -22.5  # ~23 deg a revolution at 400 km


def test_one_nodal_day_of_revolutions_leaves_at_most_half_a_shift(coast_400):
    # Waiting up to one nodal day D = 2 pi / (omega_E - Omega_dot) (the ground track's repeat
    # cycle at one place on the orbit), some revolution's node lies within half a shift of any
    # longitude: the largest gap between the node longitudes is one shift (~23 deg), plus the
    # ~0.03 deg a revolution the pattern drifts. Tolerance 0.1 deg.
    t, lon = _node_crossings(coast_400)
    a = R_EARTH + 400e3
    n = math.sqrt(MU_EARTH / a**3)
    day = nodal_day_s(-1.5 * n * J2 * (R_EARTH / a) ** 2 * math.cos(INC))
    within = np.sort(lon[t - t[0] <= day] % 360.0)
    gaps = np.diff(np.concatenate([within, [within[0] + 360.0]]))
    shift = abs(float(np.mean((np.diff(lon) + 180.0) % 360.0 - 180.0)))
    assert gaps.max() <= shift + 0.1


def test_mean_elements_become_osculating_with_those_one_revolution_means():
    # finite_burn reads mean elements back as one-revolution means of the osculating a and
    # eccentricity vector; the conversion must give those back: a to 5 m and the perigee
    # radius to 100 m (the fixed point converges to < 1 m; the residual is the eccentricity
    # vector's O(J2^2) mean). Taken as osculating, the same elements are off by the J2
    # short-period term in a, which varies along the orbit as cos 2u (~1 km here, ~6 km at
    # u near 0 or pi): at least 100 times the tolerance.
    air = atmosphere_at(DAY0, WEATHER)
    a, e, argp = R_EARTH + 170e3, 0.0039, 2.1
    el = np.array([a, e, INC, 1.0, argp])
    exact = osculating_state(el, 0.7, 500e3, air)
    a_mean, e_vec = revolution_means(exact, air)
    assert a_mean == pytest.approx(a, abs=5.0)
    assert a_mean * (1 - np.linalg.norm(e_vec)) == pytest.approx(a * (1 - e), abs=100.0)
    naive = np.concatenate([state_from_elements(*el, 0.7), [500e3]])
    assert abs(a - revolution_means(naive, air)[0]) > 500.0


def test_state_between_coast_samples_is_the_flight_itself():
    # state_at flies from the sample before with the coast's own steps, so it equals a flight
    # straight to that time (to rounding: 1 mm) and is continuous across sample boundaries
    air = atmosphere_at(DAY0, WEATHER)
    u0 = osculating_state(np.array([R_EARTH + 170e3, 0.0039, INC, 1.0, 2.1]), 0.7, 5e5, air)
    path = phasing.coast(u0, 3050.0, air, 3000.0, 78e3)
    for t in (437.3, 1199.999, 1200.0, 1200.001, 2519.5):
        direct = fly(u0, 3050.0, air, -1e9, t, dt_max_s=phasing.COAST_STEP_S).state
        assert np.linalg.norm(phasing.state_at(path, t)[:3] - direct[:3]) < 1e-3


def test_choice_finds_the_whole_revolutions_that_line_up_the_track():
    # Passes 0..9 one last-orbit period T3 apart, a pre-lowering period T0 60 s longer. A
    # placement built to need 3 whole revolutions of start delay and pass 2 (after the apogee
    # placement, 1,000 s) leaves no delay; with the start held to one revolution the best
    # the passes can do is a whole multiple of T0 - T3 away.
    t0, t3 = 5330.0, 5270.0
    passes = 1800.0 + t3 * np.arange(10)
    geo = Geometry(passes, np.ones(10, bool), 5, 2 * math.pi / t0, 0.0, 0.0, (0.0, 1e9),
                   np.zeros(10), 7800.0, 3e5)
    alpha = 2 * math.pi * 1000.0 / t0
    tau = passes[2] + 1000.0 + 3 * t0 - passes[5]
    best = choose([(alpha, tau)], geo, 5 * t0)
    assert (best.revolution, best.delay_s) == (2, pytest.approx(0.0, abs=1e-6))
    assert best.start_delay_s == pytest.approx(1000.0 + 3 * t0)
    held = choose([(alpha, tau)], geo, 0.0)
    assert held.start_delay_s == pytest.approx(1000.0)
    assert held.delay_s / (t0 - t3) == pytest.approx(round(held.delay_s / (t0 - t3)), abs=1e-6)


def _fly_and_assemble(loaded):
    from sim.campaign.planner import plan_reentry
    from sim.campaign.results import assemble
    from sim.campaign.runner import fly
    from sim.scenario.units import to_day

    plan = plan_reentry(loaded, to_day(loaded.scenario.plan.reentry))
    until = to_day(parse_date(plan.reboost_stop_utc))
    mission = fly(loaded.scenario, until)
    return mission, assemble(mission, loaded)


@pytest.fixture(scope="module")
def phased_nasa():
    from sim.api import load_scenario
    from tests.conftest import SCENARIOS

    loaded = load_scenario(SCENARIOS / "nasa-2030.yaml",
                           overrides={"reentry.phasing_window": "4 d"})
    return _fly_and_assemble(loaded)


def _utc(text):
    return parse_date(text)


@pytest.mark.slow
def test_one_final_burn_time_in_every_output(phased_nasa):
    mission, result = phased_nasa
    s, fp = result.summary, result.summary["footprint"]
    assert s["status"] == "controlled_reentry" and fp["phasing_flown"]
    # one time: the summary, the footprint, the events (which stamp a burn's end) and the
    # time series (a row at the ignition) agree to the second
    assert s["final_burn_utc"] == fp["burn_start_utc"]
    final = next(e for e in s["events"] if e["kind"] == "final_burn")
    ended = _utc(s["final_burn_utc"]) + timedelta(seconds=final["burn_duration_s"])
    assert abs((_utc(final["time_utc"]) - ended).total_seconds()) <= 1.0
    assert s["final_burn_utc"] in result.columns["time_utc"]
    # the campaign's own descent (120 km) comes after the burn and before the footprint's
    # entry at 100 km, which comes before any impact
    assert _utc(s["final_burn_utc"]) < _utc(s["reentry_utc"]) <= _utc(fp["entry_100km_utc"])
    assert _utc(fp["entry_100km_utc"]) < _utc(fp["toe"]["time_utc"])
    # the phased station is where the footprint flew from: the lowering waited, the burn is
    # on a pass after the last lowering burn
    lowering = [e for e in s["events"] if e["kind"] == "perigee_lowering_burn"]
    assert _utc(lowering[-1]["time_utc"]) < _utc(s["final_burn_utc"])
    assert fp["lowering_delay_h"] <= 4 * 24 + 1.6  # the window (and one revolution)


@pytest.mark.slow
def test_propellant_books_close_with_the_phasing_drawn(phased_nasa):
    mission, result = phased_nasa
    s = result.summary
    for name, tank in s["tanks"].items():  # initial + delivered - used = remaining (0.05 kg
        used = tank["burned_kg"] + tank["attitude_kg"]  # of rounding on four 0.01 kg terms)
        assert tank["initial_kg"] + tank["delivered_kg"] - used == \
            pytest.approx(tank["final_kg"], abs=0.05), name
    by_kind = {}
    for e in s["events"]:
        by_kind[e["kind"]] = by_kind.get(e["kind"], 0.0) + e["propellant_kg"]
    usdv_burns = sum(by_kind.get(k, 0.0) for k in
                     ("perigee_lowering_burn", "phasing_burn", "final_burn"))
    assert usdv_burns == pytest.approx(s["tanks"]["usdv"]["burned_kg"], abs=0.05)
    assert s["phasing_propellant_kg"] == pytest.approx(by_kind["phasing_burn"], abs=0.05)
    assert s["phasing_propellant_kg"] == s["footprint"]["phasing_propellant_kg"]
    # the rocket equation on the drift's delta-v (two burns on ~500 t, Isp 300 s): 1 %
    dv = s["phasing_delta_v_m_s"]
    assert s["phasing_propellant_kg"] == pytest.approx(
        505e3 * (1 - math.exp(-dv / (300 * 9.80665))), rel=0.01)


@pytest.mark.slow
def test_phased_footprint_is_centred_inside_the_zone(phased_nasa):
    _, result = phased_nasa
    fp = result.summary["footprint"]
    # the aim centres the nominal lightest and densest pieces within 2 km; the reported
    # centre is the midpoint of the extreme pieces with their 3 m/s break-up kicks, up to
    # ~1 % of the 1,200 km length away: 25 km
    assert fp["centre_to_aim_km"] < 25.0
    assert fp["inside_target_zone"] and fp["min_distance_to_land_km"] > 1000.0


@pytest.mark.slow
def test_burns_start_at_the_apogee_pass(phased_nasa):
    # the lowering burns after the first (and the final burn) start half a burn before
    # apogee as the mean elements carry the station there (to 0.01 rad: the coast's last
    # step); the first makes its own apogee on the near-circular orbit
    mission, _ = phased_nasa
    rows = mission.timeline.arrays()
    burns = [e for e in mission.timeline.events if e.kind.value == "perigee_lowering_burn"]
    for e in burns[1:]:
        start = e.day - e.details["burn_duration_s"] / 86400.0
        k = int(np.argmin(np.abs(rows["t"] - start)))
        state = rows["states"][k]
        period = 2 * math.pi * math.sqrt(state[0] ** 3 / MU_EARTH)
        centre = state[5] + math.pi * e.details["burn_duration_s"] / period
        assert abs(math.remainder(centre - state[4] - math.pi, 2 * math.pi)) < 0.01


@pytest.fixture(scope="module")
def nominal_nasa():
    from sim.api import load_scenario, simulate
    from tests.conftest import SCENARIOS

    loaded = load_scenario(SCENARIOS / "nasa-2030.yaml")
    return loaded, simulate(loaded).summary


@pytest.mark.slow
def test_nominal_nasa_2030_comes_down_inside_its_zone(nominal_nasa):
    _, s = nominal_nasa
    fp = s["footprint"]
    assert s["status"] == "controlled_reentry" and s["final_burn_utc"] == fp["burn_start_utc"]
    assert fp["inside_target_zone"] and fp["min_distance_to_land_km"] > 500.0
    assert fp["lowering_delay_h"] <= 24 + 1.6


@pytest.mark.slow
def test_a_tank_that_cannot_pay_for_the_phasing_says_so(nominal_nasa):
    # the same run at the start of the lowering, the USDV's reserve raised so that what is
    # usable pays for the burns and half the drift (the mass, so the plan, unchanged): the
    # drift is not flown, the status says why, the burns are flown, the reentry controlled
    from sim.campaign.deorbit_burns import BurnModel, reentry_burn
    from sim.campaign.phasing_ahead import plan
    from sim.campaign.phasing_flight import lower_for_final
    from sim.campaign.results import run_status
    from sim.campaign.runner import _fly
    from sim.campaign.station import USDV
    from sim.scenario.units import to_day

    loaded, s = nominal_nasa
    until = to_day(parse_date(s["plan"]["reboost_stop_utc"]))
    docking = to_day(parse_date(s["usdv_docking_utc"]))
    mission = _fly(loaded.scenario, until, docking, to_lowering=True)
    planned = plan(mission, BurnModel.FINITE)
    assert planned.flown and planned.propellant_kg > 200.0
    tank = mission.station.tanks[USDV]
    tank.reserve = tank.propellant - (planned.need_kg + 0.5 * planned.propellant_kg)
    mission.issues.clear()  # the plan's own notes, if any, come again
    assert lower_for_final(mission, BurnModel.FINITE) == "lowered"
    assert reentry_burn(mission, BurnModel.FINITE)
    assert run_status(mission) == "insufficient_propellant_for_phasing"
    assert mission.reentry_kind == "controlled" and not mission.phasing.flown
    assert not [e for e in mission.timeline.events if e.kind.value == "phasing_burn"]
