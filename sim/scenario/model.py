"""The scenario schema: what a YAML scenario may say, with units parsed to SI floats.

Every quantity is a string with a unit (``"415 km"``); dates are ISO 8601 (UTC). Unknown
keys are errors. Values hold SI floats after validation (durations in days).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema,
                      model_validator)

from .calibration_ref import CalibrationRef, read_calibration
from .units import KINDS, parse_date, parse_quantity

EARLIEST = dt.datetime(1957, 10, 1)  # first day of CelesTrak's flux history
LATEST = dt.datetime(2100, 1, 1)


def _quantity(kind: str, low: float | None = None, high: float | None = None,
              low_text: str = "", high_text: str = ""):
    """A float field written as a quantity string, with its range and a JSON Schema."""
    def check(value):
        number = parse_quantity(value, kind)
        if low is not None and not number > low:
            raise ValueError(f"must be more than {low_text}")
        if high is not None and not number <= high:
            raise ValueError(f"must be at most {high_text}")
        return number
    example = KINDS[kind][1]
    schema = {"type": "string", "examples": [example],
              "description": f"a {kind.replace('_', ' ')} with its unit, e.g. '{example}'"
                             + (f"; more than {low_text}" if low_text else "")
                             + (f"; at most {high_text}" if high_text else "")}
    return Annotated[float, BeforeValidator(check), WithJsonSchema(schema)]


def _date(value):
    when = parse_date(value)
    if not EARLIEST <= when <= LATEST:
        raise ValueError(f"must lie between {EARLIEST.date()} and {LATEST.date()}")
    return when


Mass = _quantity("mass", 0.0, 5e6, "0 kg", "5000 t")
PropMass = _quantity("mass", -1e-9, 1e6, "or equal to 0 kg", "1000 t")
Area = _quantity("area", 0.0, 1e5, "0 m2", "100000 m2")
Altitude = _quantity("length", 0.0, 2.0e6, "0 km (the surface)", "2000 km")
OrbitAltitude = _quantity("length", 100e3, 2.0e6, "100 km", "2000 km")
StopAltitude = _quantity("length", 60e3, 2.0e6, "60 km", "2000 km")
Inclination = _quantity("angle", -1e-12, 3.1416, "or equal to 0 deg", "180 deg")
Angle = _quantity("angle", -7.0, 7.0, "-360 deg", "360 deg")
Ballistic = _quantity("ballistic", 0.0, 1e5, "0 kg/m2", "100000 kg/m2")
Speed = _quantity("speed", 0.0, 1e4, "0 m/s", "10 km/s")
Force = _quantity("force", 0.0, 1e7, "0 N", "10 MN")
Isp = _quantity("time", 0.0, 1e4, "0 s", "10000 s")
Duration = _quantity("duration", 0.0, 3.7e4, "0 d", "100 years")
Shift = _quantity("duration", -3.7e3, 3.7e3, "-10 years", "10 years")
MassRate = _quantity("mass_rate", -1e-9, 1e4, "or equal to 0 kg/d", "10 t/d")
MassPerYear = _quantity("mass_per_year", -1e-9, 1e6, "or equal to 0 kg/yr", "1000 t/yr")
Date = Annotated[dt.datetime, BeforeValidator(_date),
                 WithJsonSchema({"type": "string", "format": "date-time",
                                 "examples": ["2025-06-01", "2025-06-01T12:00:00Z"],
                                 "description": "UTC date or date-time, ISO 8601"})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ObjectSpec(Strict):
    """The body: mass, drag area and C_D, or a ballistic coefficient m / (C_D A)."""

    preset: Literal["iss"] | None = None
    mass: Mass | None = None
    drag_area: Area | None = None
    drag_coefficient: Annotated[float, Field(gt=0.5, le=5.0)] | None = None
    ballistic_coefficient: Ballistic | None = None
    drag_area_uncrewed: Area | None = None  # after the crew leaves (arrays feathered)
    calibration: Annotated[CalibrationRef, BeforeValidator(read_calibration), WithJsonSchema(
        {"type": "string", "examples": ["iss-2024-2025"], "description": "B from a calibration "
         "(shipped name or calibration.json path), at this mass: sets C_D"})] | None = None

    @model_validator(mode="after")
    def _complete(self):
        if self.calibration is not None and (self.drag_coefficient or self.ballistic_coefficient):
            raise ValueError("give calibration or drag_coefficient/ballistic_coefficient, "
                             "not both")
        if self.ballistic_coefficient is None and self.calibration is None and \
                self.preset is None and None in (
                self.mass, self.drag_area, self.drag_coefficient):
            raise ValueError("give mass, drag_area and drag_coefficient, "
                             "or ballistic_coefficient, or preset: iss")
        return self


class OrbitSpec(Strict):
    """Initial mean orbit: a mean altitude (circular) or apogee and perigee altitudes."""

    mean_altitude: OrbitAltitude | None = None
    apogee: OrbitAltitude | None = None
    perigee: OrbitAltitude | None = None
    inclination: Inclination
    raan: Angle = 0.0
    arg_perigee: Angle = 0.0

    @model_validator(mode="after")
    def _shape(self):
        if (self.mean_altitude is None) == (self.apogee is None or self.perigee is None):
            raise ValueError("give either mean_altitude, or both apogee and perigee")
        if self.apogee is not None and self.perigee is not None and self.perigee > self.apogee:
            raise ValueError("perigee must not be above apogee")
        return self


class AtmosphereSpec(Strict):
    model: Literal["nrlmsis", "coesa76", "exponential"] = "nrlmsis"
    co_rotation: bool = True
    geodetic: bool = True  # altitude above the ellipsoid (False: |r| - R_eq, as simple codes)
    # multiplies the model's density: a model-error factor (ensembles draw it)
    density_scale: Annotated[float, Field(gt=0.05, le=20.0)] = 1.0


class StormSpec(Strict):
    start: Date
    duration: Duration
    ap: Annotated[float, Field(ge=0, le=400)]


LEVEL_SCALES = {"nominal": 1.0, "weak": 0.6, "strong": 1.4}


class SolarSpec(Strict):
    """Departures from CelesTrak's nominal flux: level (weak 0.6 / strong 1.4 times the
    predicted flux above the quiet-Sun floor), or an explicit scale; a timing shift; a
    constant flux; storms."""

    level: Literal["nominal", "weak", "strong"] = "nominal"
    scale: Annotated[float, Field(ge=0.0, le=5.0)] | None = None
    floor: Annotated[float, Field(ge=50.0, le=150.0)] = 65.0
    shift: Shift = 0.0
    constant_f107: Annotated[float, Field(ge=50.0, le=400.0)] | None = None
    constant_ap: Annotated[float, Field(ge=0.0, le=400.0)] | None = None
    forecast_ap: Annotated[float, Field(ge=0.0, le=400.0)] | None = None
    storms: list[StormSpec] = []

    @property
    def effective_scale(self) -> float:
        return self.scale if self.scale is not None else LEVEL_SCALES[self.level]


class TankSpec(Strict):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    propellant: PropMass
    isp: Isp = 300.0
    resupply: MassPerYear = 0.0  # delivered while altitude is maintained
    capacity: PropMass | None = None  # resupply tops the tank up to this
    resupply_until: Date | None = None  # deliveries end (e.g. Progress flights)
    attitude: MassRate = 0.0  # daily draw for attitude control
    reserve: PropMass = 0.0


class ReboostSpec(Strict):
    until: Date | None = None  # reboosts stop (the planner may compute it)
    floor: OrbitAltitude = 410e3
    target: OrbitAltitude = 418e3
    method: Literal["hohmann", "fixed"] = "hohmann"
    delta_v: Speed = 1.5  # per burn, for method: fixed
    tanks: list[str] = []  # drawn in order; default: all but the USDV's
    final_top_up: bool = True  # a last reboost to target when reboosts stop

    @model_validator(mode="after")
    def _band(self):
        if self.target <= self.floor:
            raise ValueError("target must be above floor")
        return self


class UsdvSpec(Strict):
    docking: Date | None = None
    lead_time: Duration | None = None  # docking this long before the final burn
    launch_ready: Date | None = None  # earliest possible docking
    dry_mass: Mass = 14e3
    propellant: PropMass = 16e3
    deorbit_thrusters: Annotated[int, Field(ge=1, le=100)] = 30
    thruster_thrust: Force = 400.0
    isp: Isp = 300.0
    attitude: MassRate = 0.0
    reserve: PropMass = 0.0

    @model_validator(mode="after")
    def _when(self):
        if (self.docking is None) == (self.lead_time is None):
            raise ValueError("give either docking (a date) or lead_time")
        return self


class CrewSpec(Strict):
    altitude: OrbitAltitude | None = 330e3
    date: Date | None = None


class LoweringSpec(Strict):
    start_altitude: OrbitAltitude = 220e3
    start_date: Date | None = None  # start at a date instead, from whatever altitude
    perigees: list[OrbitAltitude] = []  # perigee after each burn, highest first
    spacing: Duration = 1.0


class FinalBurnSpec(Strict):
    """The last burn: to a target perigee, the lowest the propellant allows, or a fixed
    delta-v; ``after`` the last lowering burn (default: the lowering spacing); ``thrust``
    overrides the USDV's total thrust for this burn (e.g. a main engine)."""

    target_perigee: Altitude | Literal["lowest"] = 50e3
    delta_v: Speed | None = None
    after: Duration | None = None
    thrust: Force | None = None
    # burn at once if the perigee decays this low while waiting (it would reenter otherwise)
    guard_perigee: OrbitAltitude = 135e3


class BoostSpec(Strict):
    """A Hohmann boost to a storage orbit when altitude maintenance ends."""

    altitude: OrbitAltitude
    tanks: list[str] = []  # drawn in order; default: all


LatDeg = Annotated[float, Field(ge=-90.0, le=90.0)]
LonDeg = Annotated[float, Field(ge=-180.0, le=360.0)]
# Around Point Nemo (48.9 S, 123.4 W): no authoritative polygon of the South Pacific Ocean
# Uninhabited Area is published; this box (30-62 S, 170-90 W) holds Mir's debris area
# (~40 S 160 W); no land lies inside it and its edge passes ~270 km from the nearest land
# (Rapa, Austral Islands, near 30 S 144 W; checked with the land mask in the tests).
SPOUA_BOX = ((-30.0, -170.0), (-30.0, -90.0), (-62.0, -90.0), (-62.0, -170.0))


class FragmentSpec(Strict):
    """A class of surviving pieces (DAS-style): share of the surviving mass, one piece."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    mass_share: Annotated[float, Field(gt=0.0, le=1.0)]
    piece_mass: Mass
    piece_area: Area
    drag_coefficient: Annotated[float, Field(gt=0.1, le=5.0)] = 1.0


class ReentrySpec(Strict):
    """Where the debris should land and what survives (defaults and their sources:
    sim/core/fragments.py, sim/campaign/reentry_outcome.py)."""

    aim: tuple[LatDeg, LonDeg] = (-48.9, -123.4)  # degrees
    target_zone: list[tuple[LatDeg, LonDeg]] = list(SPOUA_BOX)  # polygon, degrees
    breakup_altitude: _quantity("length", 20e3, 150e3, "20 km", "150 km") = 78e3
    breakup_spread: _quantity("length", -1e-9, 30e3, "or equal to 0 km", "30 km") = 3e3
    phasing_window: _quantity("duration", 0.0, 10.0, "0 d", "10 d") = 1.0
    fragments: list[FragmentSpec] | None = None  # default: the built-in classes
    surviving_mass_fraction: Annotated[float, Field(gt=0.0, le=1.0)] = 0.25
    casualty_area: Area | None = None  # given directly instead of from the fragments
    dispersion_samples: Annotated[int, Field(ge=0, le=2000)] = 150
    seed: Annotated[int, Field(ge=0)] = 2031

    @model_validator(mode="after")
    def _zone(self):
        if len(self.target_zone) < 3:
            raise ValueError("target_zone needs at least 3 (lat, lon) vertices")
        if self.fragments is not None and abs(sum(f.mass_share for f in self.fragments)
                                              - 1.0) > 1e-6:
            raise ValueError("fragments' mass_share must add up to 1")
        return self


class PlanSpec(Strict):
    reentry: Date  # target reentry: the planner finds when reboosts must stop


class Scenario(Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    description: str = ""
    epoch: Date
    end: Date | None = None  # propagation limit (default: 40 years after epoch)
    object: ObjectSpec
    orbit: OrbitSpec
    atmosphere: AtmosphereSpec = AtmosphereSpec()
    solar_activity: SolarSpec = SolarSpec()
    stop_altitude: StopAltitude = 120e3
    tanks: list[TankSpec] = []
    reboost: ReboostSpec | None = None
    boost: BoostSpec | None = None
    usdv: UsdvSpec | None = None
    crew_departure: CrewSpec | None = None
    perigee_lowering: LoweringSpec | None = None
    final_burn: FinalBurnSpec | None = None
    plan: PlanSpec | None = None
    reentry: ReentrySpec = ReentrySpec()

    @model_validator(mode="after")
    def _consistent(self):
        if self.end is not None and self.end <= self.epoch:
            raise ValueError("end must be after epoch")
        names = [t.name for t in self.tanks]
        if len(set(names)) != len(names):
            raise ValueError("tank names must be unique")
        if "usdv" in names:
            raise ValueError("tank name 'usdv' is reserved for the US Deorbit Vehicle")
        needs_mass = self.tanks or self.usdv is not None or self.boost is not None
        if needs_mass and self.object.mass is None and self.object.preset is None:
            raise ValueError("object.mass (or preset: iss) is needed for propellant "
                             "bookkeeping when tanks or usdv are given")
        tank_mass = sum(t.propellant for t in self.tanks)
        if self.object.mass is not None and tank_mass >= self.object.mass:
            raise ValueError("the tanks' propellant must be less than object.mass "
                             "(which includes it)")
        for section in ("reboost", "boost"):
            spec = getattr(self, section)
            unknown = set(spec.tanks) - set(names) if spec is not None else set()
            if unknown:
                raise ValueError(f"{section}.tanks names unknown tank(s) {sorted(unknown)}; "
                                 f"tanks are {names}")
        return self
