"""The scenario schema: what a YAML scenario may say, with units parsed to SI floats.

Every quantity is a string with a unit (``"415 km"``); dates are ISO 8601 (UTC). Unknown
keys are errors. Values hold SI floats after validation (durations in days).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema,
                      model_validator)

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

    @model_validator(mode="after")
    def _complete(self):
        if self.ballistic_coefficient is None and self.preset is None and None in (
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
    density_scale: Annotated[float, Field(gt=0.05, le=20.0)] = 1.0  # model error (ensembles)


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
    # a day-to-day residual: row of the residual bank drawn from this seed (ensembles)
    variability: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]] | None = None

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
    # executed / planned delta-v of each burn in order (dispersions; 1 = as planned)
    burn_execution: list[Annotated[float, Field(gt=0.5, le=1.5)]] = []

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


class PlanSpec(Strict):
    reentry: Date  # target reentry: the planner finds when reboosts must stop


Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Slip = _quantity("duration", -1e-9, 3.7e3, "or equal to 0 d", "10 years")


class UncertaintySpec(Strict):
    """What an ensemble varies (1-sigma values; 0 or false switches a source off). Solar
    amplitude and timing spreads are measured on CelesTrak's history of cycles 19-25; the
    other defaults and their sources are listed in docs/uncertainty.md."""

    solar_amplitude: bool = True  # cycle amplitude above the floor (log-normal)
    solar_timing: bool = True  # cycle timing shift (normal)
    solar_daily: bool = True  # day-to-day AR(1) residual of F10.7 and Ap
    density: Fraction = 0.15  # ln sigma of the density scale factor (model error)
    ballistic: Fraction = 0.10  # ln sigma of the ballistic coefficient
    burn_magnitude: Fraction = 0.02  # delta-v magnitude error of each burn (fraction)
    burn_pointing: Angle = 0.017453292519943295  # pointing error of each burn (1 deg)
    thrust: Fraction = 0.03  # USDV thrust level (fraction)
    usdv_ready_slip: Slip = 182.625  # half-normal scale of the ready-date slip (6 mo)
    docking_slip: Slip = 30.4375  # half-normal scale of the docking slip (1 month)
    crew_departure_slip: Slip = 14.0  # half-normal scale of a dated departure's slip
    target_tolerance: Duration = 30.0  # reentry within this of plan.reentry: target met


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
    uncertainty: UncertaintySpec = UncertaintySpec()

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
