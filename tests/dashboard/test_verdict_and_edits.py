"""The verdict's wording and the edits' address format, without a browser."""

import datetime as dt

import pytest

from sim.interfaces.dashboard import edits, verdict

NASA = {"status": "controlled_reentry", "reentry_utc": "2031-01-15T08:16:37Z",
        "usdv_docking_utc": "2029-07-12T22:25:40Z", "decay_start_utc": "2026-06-17T05:53:52Z",
        "usdv_propellant_margin_kg": 7605.0, "footprint": {"inside_target_zone": True}}
MUSK = {"status": "usdv_not_ready", "reentry_utc": "2027-02-19T06:05:20Z",
        "usdv_docking_utc": "2025-08-15T03:00:00Z", "decay_start_utc": "2025-02-20T00:00:00Z"}
ENSEMBLE = {"samples": 200, "reentry_utc": {"p5": "2028-01-06T00:00:00Z",
                                            "p50": "2030-11-16T00:00:00Z",
                                            "p95": "2033-03-23T00:00:00Z"},
            "probabilities": {"controlled_reentry": 0.58, "usdv_not_ready": 0.40,
                              "insufficient_propellant": 0.02, "target_met": 0.014},
            "target_reentry_utc": "2031-01-15T00:00:00Z", "target_tolerance_days": 30.0}


@pytest.mark.parametrize("days, words", [(10, "about 10 days"), (240, "about 8 months"),
                                         (1080, "about three years"),
                                         (1260, "about three and a half years"),
                                         (365, "about 12 months")])
def test_durations_read_the_way_people_say_them(days, words):
    assert verdict.span_words(days) == words


def test_infeasible_timelines_lead_with_why_not_the_date():
    v = verdict.verdict("musk-2027", MUSK, {"plan": {"reentry": "2027-02-20"},
                                            "usdv": {"launch_ready": "2028-08-01"}},
                        ready_iso="2028-08-01")
    assert v.feasible is False
    assert v.lead.startswith("**Not feasible as planned**: needs the USDV docked by August "
                             "2025, about three years before it can be ready (August 2028)")
    assert v.lead.index("August 2028") < v.lead.index("2027-02-19")


def test_feasible_timeline_gives_interval_and_odds_in_words():
    v = verdict.verdict("nasa-2030", NASA, {"plan": {"reentry": "2031-01-15"}},
                        ensemble=ENSEMBLE)
    assert v.feasible is True
    assert v.when == "90 % of 200 simulated futures come down between January 2028 and " \
                     "March 2033."
    assert v.odds == "The plan works in 58 % of them (the USDV is not ready in time in 40 %)."
    assert "1 % of the futures come within ±30 days of the planned 2031-01-15" in v.details


def test_plan_and_model_dates_are_told_apart():
    planned_stop = verdict.verdict("x", NASA, {"reboost": {"until": "2026-06-17"}})
    assert "From the plan: reboosts stop 2026-06-17" in planned_stop.provenance
    found_stop = verdict.verdict("x", NASA, {"plan": {"reentry": "2031-01-15"}})
    assert "From the model: reboosts stop 2026-06-17 (the planner's answer" in \
        found_stop.provenance


def test_a_footprint_outside_the_zone_is_not_called_feasible():
    missed = {**NASA, "footprint": {"inside_target_zone": False}}
    assert verdict.verdict("x", missed, {}).feasible is False


def test_uncontrolled_reentry_states_the_casualty_risk_against_the_limit():
    v = verdict.verdict("decay", {"status": "uncontrolled_reentry",
                                  "reentry_utc": "2028-04-24T00:00:00Z",
                                  "casualty_expectation": 0.159}, {})
    assert "casualty risk about 1 in 6 (limit: 1 in 10,000)" in v.lead


def test_an_address_round_trips_every_kind_of_edit():
    state = edits.ViewState(compare=["nasa-2030", "musk-2027"], adjust="musk-2027",
                            view="Where", edits={
                                "nasa-2030": {"usdv.propellant": "12 t",
                                              "solar_activity.level": "strong",
                                              "reboost.until": "2026-09-01",
                                              edits.STORM: edits.storm_text(
                                                  dt.date(2027, 3, 1), 3, 200)},
                                "musk-2027": {"object.drag_coefficient": "2.2"}})
    again = edits.decode(edits.encode(state), {"nasa-2030", "musk-2027"})
    assert again == state


def test_edits_apply_as_scenario_yaml_values():
    raw = {"usdv": {"propellant": {"value": "16.3 t", "source": "usdv-propellant"}},
           "solar_activity": {"storms": [{"start": "2026-01-01", "duration": "2 d", "ap": 80}]}}
    out = edits.apply(raw, {"usdv.propellant": "12 t", "object.drag_coefficient": "2.2",
                            edits.STORM: "2027-03-01/3/200"})
    assert out["usdv"]["propellant"] == "12 t"  # the citation goes with the old value
    assert out["object"]["drag_coefficient"] == 2.2
    assert out["solar_activity"]["storms"][-1] == {"start": "2027-03-01", "duration": "3 d",
                                                   "ap": 200}
    assert len(raw["solar_activity"]["storms"]) == 1  # the original is left as it was


def test_change_line_says_what_changed_and_what_moved():
    raw = {"usdv": {"propellant": "16.3 t"}}
    after = {**NASA, "reentry_utc": "2031-01-27T00:00:00Z", "usdv_propellant_margin_kg": 3300.0}
    line = edits.change_line(raw, {"usdv.propellant": "12 t"}, NASA, after)
    assert line == ("USDV propellant 16.3 t → 12 t ⟶ reentry 11 days later (2031-01-27); "
                    "USDV margin 7,605 → 3,300 kg")
