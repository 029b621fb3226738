"""Where it comes down: the footprint of a controlled reentry, the risk of an uncontrolled one.

``footprint_summary`` and ``casualty_summary`` give the ``summary.json`` entries;
``reentry_outcome`` picks one from a finished mission. The footprint is the campaign's own
final burn (its time, state and mass): phased by the campaign when the plan allows
(``phasing_flight``), otherwise flown as scheduled (stated in the summary as
``phase_assumption``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace

import numpy as np

from sim.core.casualty import LIMIT, casualty_area_m2, casualty_expectation, \
    load_population_bands
from sim.core.constants import MU_EARTH
from sim.core.finite_burn import align_to_burn
from sim.core.great_circle import distance_km
from sim.core.mean_elements import ARGLAT
from sim.scenario.reentry_spec import ReentrySpec
from sim.scenario.units import iso_utc

from .final_aim import Aimed, flown_as_scheduled
from .final_drop import FinalBurn, Target, fragment_classes, target_of
from .footprint import TRACK_BEFORE_S, Footprint, footprint
from .footprint_dispersion import Dispersion, disperse
from .vocabulary import EventKind, Issue, IssueCode

PHASE_ASSUMPTION = ("the station's place along its orbit is carried from the epoch (at perigee "
                    "then) by the mean argument of latitude; every USDV burn starts when the "
                    "station reaches its apogee-centred start")
# UN DESA: 7 billion on 31 Oct 2011, 8 billion on 15 Nov 2022; World Population Prospects 2022
# medium variant: 8.5 billion in 2030, 9.7 billion in 2050
UN_WORLD = ((2011.83, 7.0e9), (2022.87, 8.0e9), (2030.5, 8.5e9), (2050.5, 9.7e9))


@dataclass(frozen=True)
class ReentryOutcome:
    summary: dict
    issues: list[Issue] = field(default_factory=list)
    footprint: Footprint | None = None
    dispersion: Dispersion | None = None
    zone: np.ndarray | None = None
    aim: tuple | None = None
    class_names: tuple = ()


def world_population(day: float) -> float:
    year = 1970.0 + day / 365.25
    years, totals = zip(*UN_WORLD)
    return float(np.interp(year, years, totals))


@functools.lru_cache(maxsize=1)
def _bands():
    return load_population_bands()


def casualty_summary(mass_kg: float, inclination_rad: float, day: float,
                     spec: ReentrySpec) -> dict:
    """E_c of a random reentry of ``mass_kg`` from inclination i on ``day``."""
    surviving = spec.surviving_mass_fraction * mass_kg
    if spec.casualty_area is not None:
        area = spec.casualty_area
    else:
        classes = fragment_classes(spec)
        area = casualty_area_m2([c.piece_area_m2 for c in classes],
                                [c.mass_share * surviving / c.piece_mass_kg for c in classes])
    people = world_population(day)
    ec = casualty_expectation(area, inclination_rad, _bands(), people)
    return {"casualty_expectation": float(f"{ec:.4g}"),
            "casualty_area_m2": round(area, 1),
            "casualty_risk": {"one_in": round(1.0 / ec) if ec > 0 else None,
                              "limit": LIMIT, "exceeds_limit": bool(ec > LIMIT),
                              "surviving_mass_kg": round(surviving, 0),
                              "impact_latitudes_deg": round(math.degrees(min(
                                  inclination_rad, math.pi - inclination_rad)), 2),
                              "world_population": people,
                              "population_table": _bands().note}}


def _point(lat, lon, day=None) -> dict:
    out = {"lat_deg": round(float(lat), 4), "lon_deg": round(float(lon), 4)}
    if day is not None:
        out["time_utc"] = iso_utc(float(day))
    return out


def footprint_summary(fp: Footprint, dispersion: Dispersion | None, burn: FinalBurn,
                      target: Target, phasing=None) -> dict:
    """The ``footprint`` entry; ``phasing`` (``phasing_ahead.PhasingOutcome``) adds how the
    campaign lined the burn up."""
    d, choice = fp.drop, fp.aimed.choice
    disp = None if dispersion is None else {
        "samples": dispersion.samples,
        "ellipse_99": {"semi_major_km": round(dispersion.semi_major_km, 1),
                       "semi_minor_km": round(dispersion.semi_minor_km, 1),
                       "major_axis_azimuth_deg": round(dispersion.azimuth_deg, 1)},
        "probability_inside_zone": round(dispersion.probability_inside_zone, 3),
        "min_distance_to_land_km": round(dispersion.min_distance_to_land_km, 1)}
    burn_day = burn.earliest_day + fp.aimed.ignition_s / 86400.0
    out = {
        "centre": _point(*fp.centre), "heel": _point(d.lat[fp.heel], d.lon[fp.heel],
                                                     d.day[fp.heel]),
        "toe": _point(d.lat[fp.toe], d.lon[fp.toe], d.day[fp.toe]),
        "length_km": round(float(fp.along_km[fp.toe] - fp.along_km[fp.heel]), 1),
        "width_km": round(float(np.ptp(fp.cross_km)), 1),
        "inside_target_zone": fp.inside_zone,
        "min_distance_to_land_km": round(fp.min_land_km, 1),
        "aim": _point(*target.aim),
        "centre_to_aim_km": round(float(distance_km(*fp.centre, *target.aim)), 1),
        "burn_start_utc": iso_utc(burn_day),
        "wait_h": round(fp.aimed.ignition_s / 3600.0, 3),
        "revolution": choice.revolution,
        "miss_without_phasing_km": _km(choice.miss_without_phasing_km),
        "phasing_delay_s": round(choice.delay_s, 1),
        "phasing_delta_v_m_s": round(choice.phasing_dv_m_s, 3),
        "entry_100km_utc": iso_utc(d.entry_100km_day),
        "breakup": {**_point(*d.breakup_lat_lon, d.breakup_day),
                    "altitude_km": round(target.breakup_alt_m / 1e3, 2)},
        "fragments": int(len(d.lat)),
        "dispersion": disp,
        "phase_assumption": PHASE_ASSUMPTION}
    if phasing is not None:
        out.update(_phasing_fields(phasing, burn_day, target))
    return {"footprint": out}


def _km(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 1)


def _phasing_fields(ph, burn_day: float, target: Target) -> dict:
    """How the campaign lined up the final burn (hours are against the schedule as written)."""
    scheduled = ph.unphased_final_day if ph.planned else burn_day
    return {
        "wait_h": round((burn_day - scheduled) * 24.0, 3),
        "phased": bool(ph.planned),
        "phasing_flown": bool(ph.flown),
        "phasing_window_d": round(target.window_days, 3),
        "scheduled_final_burn_utc": iso_utc(scheduled),
        "lowering_delay_h": round(ph.start_delay_s / 3600.0, 3),
        "miss_without_phasing_km": _km(ph.miss_without_phasing_km),
        "phasing_propellant_kg": round(ph.propellant_kg, 2)}


def controlled_outcome(burn: FinalBurn, spec: ReentrySpec, weather, aimed: Aimed | None = None,
                       phasing=None) -> ReentryOutcome:
    """The footprint of ``burn``: ``aimed`` as the campaign flew it, or aimed here."""
    target = target_of(spec)
    fp = footprint(burn, target, weather, spec.seed, aimed)
    if fp is None:
        return ReentryOutcome({"footprint": None}, [Issue(
            IssueCode.FOOTPRINT_NOT_COMPUTED,
            "the final burn does not bring the station down to break-up")])
    dispersion = disperse(fp, burn, target, weather, spec.dispersion_samples, spec.seed + 1)
    summary = footprint_summary(fp, dispersion, burn, target, phasing)
    issues = []
    if not fp.inside_zone:
        issues.append(Issue(IssueCode.DEBRIS_OUTSIDE_TARGET_ZONE,
                            "part of the nominal debris footprint falls outside the target "
                            "zone"))
    if fp.min_land_km <= 0.0:
        issues.append(Issue(IssueCode.DEBRIS_ON_LAND,
                            "part of the nominal debris footprint falls on land"))
    return ReentryOutcome(summary, issues, fp, dispersion, target.zone, target.aim,
                          tuple(c.name for c in target.classes))


def final_burn_of(mission) -> tuple[FinalBurn, Aimed, tuple] | None:
    """The final burn as the campaign flew it (its start, duration and mass from the timeline
    and events): phased, from the coast after the last lowering burn; as scheduled, from the
    state the campaign burned from (the phase made to agree with the burn's time), the coast
    before it drawn from the same orbit."""
    start = mission.marks.final_burn
    event = next((e for e in mission.timeline.events if e.kind == EventKind.FINAL_BURN), None)
    data = mission.timeline.arrays()
    if start is None or event is None or not data:
        return None
    k = int(np.nonzero(data["t"] <= start + 1e-9)[0][-1])
    sc = mission.scenario
    mass, duration = float(data["mass"][k]), float(event.details["burn_duration_s"])
    ph = mission.phasing
    target = target_of(sc.reentry)
    if ph is not None and ph.aimed is not None:
        burn = replace(ph.burn, duration_s=duration, mass_kg=mass)
        weather = mission.weather_on(burn.earliest_day)
        aimed = replace(ph.aimed, ignition_s=(start - burn.earliest_day) * 86400.0)
    else:
        aligned = align_to_burn(data["states"][k], duration)
        period = 2.0 * math.pi * math.sqrt(aligned[0] ** 3 / MU_EARTH)
        thrust = sc.final_burn.thrust or sc.usdv.deorbit_thrusters * sc.usdv.thruster_thrust
        burn = FinalBurn(float(start) - TRACK_BEFORE_S / 86400.0, aligned[:5].copy(),
                         float(aligned[ARGLAT]) - 2.0 * math.pi * TRACK_BEFORE_S / period, mass,
                         mission.station.cd_area, thrust, sc.usdv.isp, duration,
                         mission.marks.lowering_start)
        weather = mission.weather_on(float(start))
        aimed = flown_as_scheduled(burn, target, weather, TRACK_BEFORE_S)
    u0 = aimed.u0.copy()
    u0[6] = mass
    return burn, replace(aimed, u0=u0), weather


def reentry_outcome(mission) -> ReentryOutcome:
    """The footprint (controlled reentry) or the casualty risk (uncontrolled) of a run."""
    spec = mission.scenario.reentry
    if mission.reentry_kind == "controlled":
        flown = final_burn_of(mission)
        if flown is not None:
            burn, aimed, weather = flown
            return controlled_outcome(burn, spec, weather, aimed, mission.phasing)
    if mission.reentry_kind == "uncontrolled":
        data = mission.timeline.arrays()
        mass = float(data["mass"][-1]) if data else mission.station.mass
        return ReentryOutcome(casualty_summary(mass, float(mission.state[2]),
                                               mission.reentry_day, spec))
    return ReentryOutcome({})
