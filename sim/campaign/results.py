"""A run's results: the time series and the summary (field names are a contract)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.constants import R_EARTH
from sim.core.space_weather import SOURCE_NAMES
from sim.scenario.loader import LoadedScenario
from sim.scenario.units import iso_utc, to_day

from .active_descent import descent_summary
from .mission import Mission
from .reentry_outcome import ReentryOutcome, reentry_outcome
from .station import USDV
from .vocabulary import STATUS_BY_ISSUE, EventKind, IssueCode


@dataclass(frozen=True)
class RunResult:
    name: str
    columns: dict  # column name -> 1-D array or list, all the same length
    summary: dict  # exactly what summary.json holds
    reentry: ReentryOutcome | None = None  # footprint points for footprint.csv / .geojson

    @property
    def timeseries(self):
        """The time series as a pandas DataFrame (the rows of ``timeseries.csv``)."""
        import pandas as pd

        return pd.DataFrame(self.columns)


def _weather_columns(mission: Mission, t: np.ndarray) -> dict:
    weather = mission.env.weather
    idx = np.clip(np.floor(t - weather.first_day).astype(int), 1, len(weather.f107) - 1)
    return {"f107": weather.f107[idx - 1], "f107a": weather.f107a[idx], "ap": weather.ap[idx]}


def _columns(mission: Mission) -> dict:
    data = mission.timeline.arrays()
    t, states = data["t"], data["states"]
    a, e = states[:, 0], states[:, 1]
    field = mission.env.field
    density = field.density(t, a - R_EARTH)
    cols = {"time_utc": [iso_utc(d) for d in t],
            "days_from_epoch": np.round(t - to_day(mission.scenario.epoch), 6),
            "phase": list(data["phase"]),
            "mean_altitude_km": (a - R_EARTH) / 1e3,
            "perigee_km": (a * (1 - e) - R_EARTH) / 1e3,
            "apogee_km": (a * (1 + e) - R_EARTH) / 1e3,
            "eccentricity": e,
            "raan_deg": np.degrees(states[:, 3]) % 360.0,
            **_weather_columns(mission, t),
            "density_kg_m3": density,
            "mass_kg": data["mass"],
            "propellant_kg": data["tanks"].sum(axis=1)}
    for k, name in enumerate(mission.timeline.tank_names):
        cols[f"propellant_{name}_kg"] = data["tanks"][:, k]
    cols["delta_v_cum_m_s"] = data["dv_cum"]
    return cols


def run_status(mission: Mission) -> str:
    for code in STATUS_BY_ISSUE:
        if mission.has_issue(code):
            return code.value
    if math.isnan(mission.reentry_day):
        return "in_orbit_at_end"
    return f"{mission.reentry_kind}_reentry"


def _tank_summary(mission: Mission) -> dict:
    return {name: {"initial_kg": round(t.initial, 2), "delivered_kg": round(t.delivered, 2),
                   "burned_kg": round(t.burned, 2), "attitude_kg": round(t.attitude_used, 2),
                   "final_kg": round(t.propellant, 2), "reserve_kg": round(t.reserve, 2)}
            for name, t in mission.station.tanks.items()}


def _decay_flux(mission: Mission, cols: dict) -> dict:
    start = mission.marks.decay_start
    end = mission.reentry_day if not math.isnan(mission.reentry_day) else mission.day
    days = np.asarray(cols["days_from_epoch"]) + to_day(mission.scenario.epoch)
    inside = (days >= start) & (days <= end) if start is not None else np.zeros(len(days), bool)
    f = np.asarray(cols["f107"])[inside]
    if not len(f):
        return {"mean_f107_during_decay": None, "min_f107_during_decay": None,
                "max_f107_during_decay": None}
    return {"mean_f107_during_decay": round(float(f.mean()), 1),
            "min_f107_during_decay": round(float(f.min()), 1),
            "max_f107_during_decay": round(float(f.max()), 1)}


def assemble(mission: Mission, loaded: LoadedScenario, where: bool = True) -> RunResult:
    """The run's result; ``where`` adds the footprint or casualty risk (~0.5 s: the descent,
    fragments and a 150-sample dispersion), which callers that only need dates leave out."""
    sc = mission.scenario
    cols = _columns(mission)
    epoch = to_day(sc.epoch)
    marks = mission.marks
    tanks = mission.station.tanks
    events = mission.timeline.events
    reboost_kg = sum(round(e.propellant_kg, 3) for e in events if e.kind == EventKind.REBOOST)
    boost_kg = sum(round(e.propellant_kg, 3) for e in events if e.kind == EventKind.BOOST)
    phasing = [e for e in events if e.kind == EventKind.PHASING_BURN]
    usdv = tanks.get(USDV)
    decay_start = marks.decay_start
    reentry = None if math.isnan(mission.reentry_day) else mission.reentry_day
    maintained_years = ((decay_start or epoch) - epoch) / 365.25
    weather = mission.env.weather
    summary = {
        "scenario": sc.name,
        "description": sc.description,
        "status": run_status(mission),
        "reentry_utc": iso_utc(reentry),
        "days_to_reentry": None if reentry is None else round(reentry - epoch, 3),
        "reentry_kind": mission.reentry_kind or None,
        "epoch_utc": iso_utc(epoch),
        "initial_mean_altitude_km": round(float(cols["mean_altitude_km"][0]), 3),
        "ballistic_coefficient_kg_m2": round(float(
            cols["mass_kg"][0] / mission.station.cd_area), 2) if mission.station.fixed_bc is None
        else mission.station.fixed_bc,
        "atmosphere": sc.atmosphere.model,
        "decay_start_utc": iso_utc(decay_start),
        "months_of_natural_decay": None if reentry is None or decay_start is None else
        round(((marks.lowering_start if marks.lowering_start is not None else reentry)
               - decay_start) / 30.4375, 2),
        "usdv_docking_utc": iso_utc(marks.usdv_docking),
        "crew_departure_utc": iso_utc(marks.crew_departure),
        "lowering_start_utc": iso_utc(marks.lowering_start),
        "final_burn_utc": iso_utc(marks.final_burn),
        "reboost_propellant_kg": round(reboost_kg, 2),
        "reboost_propellant_per_year_kg": round(reboost_kg / maintained_years, 1)
        if maintained_years > 0.05 else None,
        "boost_propellant_kg": round(boost_kg, 2) if sc.boost else None,
        "attitude_propellant_kg": round(sum(t.attitude_used for t in tanks.values()), 2),
        "usdv_propellant_used_kg": round(usdv.burned + usdv.attitude_used, 2) if usdv else None,
        "usdv_propellant_margin_kg": round(usdv.usable, 2) if usdv else None,
        "phasing_delta_v_m_s": round(sum(e.delta_v_m_s for e in phasing), 4),
        "phasing_propellant_kg": round(sum(e.propellant_kg for e in phasing), 2),
        "shortfall_kg": round(mission.shortfall_kg, 1) if mission.shortfall_kg else None,
        "fallback": "uncontrolled decay" if mission.shortfall_kg or mission.has_issue(
            IssueCode.USDV_NOT_DOCKED) else None,
        "total_delta_v_m_s": round(mission.dv_cum, 4),
        **descent_summary(mission),
        **_decay_flux(mission, cols),
        "tanks": _tank_summary(mission),
        "issues": [issue.as_dict() for issue in mission.issues],
        "space_weather": {"file_updated": mission.env.flux_file_updated,
                          "notes": list(weather.notes),
                          "sources_used": sorted({SOURCE_NAMES[s] for s in np.unique(
                              weather.source)})},
        "phases": [{"name": p["name"], "start_utc": iso_utc(p["start_day"]),
                    "end_utc": iso_utc(p["end_day"])} for p in mission.timeline.phases],
        "events": [event.as_dict() for event in mission.timeline.events],
        "sources": loaded.sources,
    }
    outcome = reentry_outcome(mission) if where else ReentryOutcome({})
    summary.update(outcome.summary)
    summary["issues"] = [issue.as_dict() for issue in mission.issues + outcome.issues]
    return RunResult(sc.name, cols, summary, outcome)
