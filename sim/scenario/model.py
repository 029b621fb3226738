"""The scenario schema: what a YAML scenario may say, with units parsed to SI floats.

Every quantity is a string with a unit (``"415 km"``); dates are ISO 8601 (UTC). Unknown
keys are errors. Values hold SI floats after validation (durations in days).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from .calibration_ref import CalibrationRef, read_calibration
from .consistency import Inconsistent, check_altitudes, check_dates, check_descent, \
    km as _km
from .descent_spec import DescentSpec
from .fields import (EARLIEST, LATEST, Altitude, Angle, Area, Ballistic,  # noqa: F401
                     Date, Duration, Force, Inclination, Isp, Mass, MassPerYear, MassRate,
                     OrbitAltitude, PropMass, Shift, Speed, Strict, StopAltitude, _quantity)
from .reentry_spec import ReentrySpec

# Propellant per kilogram of dry mass a vehicle can plausibly carry. The leanest rocket stages
# flown carry about 25 times their dry mass (propellant mass fraction ~0.96); a spacecraft that
# also docks and manoeuvres carries far less (the USDV about 1.2). Above 30 the numbers are a
# typing error (900 t in a 14 t vehicle), not a design.
MAX_PROPELLANT_PER_DRY_MASS = 30.0


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
    # a day-to-day residual: row of the residual bank drawn from this seed (ensembles)
    variability: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]] | None = None

    @property
    def effective_scale(self) -> float:
        return self.scale if self.scale is not None else LEVEL_SCALES[self.level]


class TankSpec(Strict):
    """A propellant tank. Rules: ``propellant`` at most ``capacity`` (when given);
    ``reserve`` at most ``propellant``."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    propellant: PropMass
    isp: Isp = 300.0
    resupply: MassPerYear = 0.0  # delivered while altitude is maintained
    capacity: PropMass | None = None  # resupply tops the tank up to this
    resupply_until: Date | None = None  # deliveries end (e.g. Progress flights)
    attitude: MassRate = 0.0  # daily draw for attitude control
    reserve: PropMass = 0.0

    @model_validator(mode="after")
    def _fill(self):
        if self.capacity is not None and self.propellant > self.capacity + 1e-9:
            raise ValueError(f"propellant ({self.propellant:g} kg) is more than capacity "
                             f"({self.capacity:g} kg): a tank cannot hold more than it holds")
        if self.reserve > self.propellant + 1e-9:
            raise ValueError(f"reserve ({self.reserve:g} kg) is more than propellant "
                             f"({self.propellant:g} kg)")
        return self


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
    """The US Deorbit Vehicle. Rules: ``docking`` or ``lead_time``, not both; ``reserve`` at
    most ``propellant``; ``propellant`` at most 30 times ``dry_mass`` (a propellant mass
    fraction of 0.97, beyond the leanest rocket stages flown, ~0.96)."""

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
        if self.reserve > self.propellant + 1e-9:
            raise ValueError(f"reserve ({self.reserve:g} kg) is more than propellant "
                             f"({self.propellant:g} kg)")
        if self.propellant > MAX_PROPELLANT_PER_DRY_MASS * self.dry_mass:
            raise ValueError(
                f"propellant ({self.propellant / 1e3:g} t) is more than "
                f"{MAX_PROPELLANT_PER_DRY_MASS:g} times dry_mass ({self.dry_mass / 1e3:g} t); no "
                "vehicle flown carries that much for its own mass")
        return self


class CrewSpec(Strict):
    """When the crew leaves: at a mean ``altitude`` or on a ``date``. Rule: the altitude is
    not below ``perigee_lowering.start_altitude`` (the crew is off before the burns)."""

    altitude: OrbitAltitude | None = 330e3
    date: Date | None = None


class LoweringSpec(Strict):
    """Perigee-lowering burns. Rules: ``perigees`` strictly decreasing, above the scenario's
    ``stop_altitude`` and below ``start_altitude`` (below the initial orbit when the burns
    start on ``start_date`` instead)."""

    start_altitude: OrbitAltitude = 220e3
    start_date: Date | None = None  # start at a date instead, from whatever altitude
    perigees: list[OrbitAltitude] = []  # perigee after each burn, highest first
    spacing: Duration = 1.0

    @model_validator(mode="after")
    def _order(self):
        for k, (high, low) in enumerate(zip(self.perigees, self.perigees[1:])):
            if low >= high:
                raise ValueError(f"perigees must decrease burn by burn: perigees.{k + 1} "
                                 f"({_km(low)}) is not below perigees.{k} ({_km(high)})")
        if self.perigees and self.start_date is None and \
                self.perigees[0] >= self.start_altitude:
            raise ValueError(f"perigees.0 ({_km(self.perigees[0])}) must be below "
                             f"start_altitude ({_km(self.start_altitude)}): a lowering burn "
                             "lowers the perigee")
        return self


class FinalBurnSpec(Strict):
    """The last burn: to a target perigee, the lowest the propellant allows, or a fixed
    delta-v; ``after`` the last lowering burn (default: the lowering spacing); ``thrust``
    overrides the USDV's total thrust for this burn (e.g. a main engine). Rule: a numeric
    ``target_perigee`` is below the last lowering perigee (or below
    ``perigee_lowering.start_altitude`` when there are none)."""

    target_perigee: Altitude | Literal["lowest"] = 50e3
    delta_v: Speed | None = None
    after: Duration | None = None
    thrust: Force | None = None
    # burn at once if the perigee decays this low while waiting (it would reenter otherwise)
    guard_perigee: OrbitAltitude = 135e3


class BoostSpec(Strict):
    """A Hohmann boost to a storage orbit when altitude maintenance ends. Rule: ``altitude``
    is above the initial orbit (its apogee) and above ``reboost.target``."""

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
    """A scenario. Rules across sections (each error names the fields): ``end`` after
    ``epoch``; ``stop_altitude`` below the initial perigee (or mean altitude); storms start
    between ``epoch`` and ``end``; unique tank names, ``usdv`` reserved; the tanks' propellant
    below ``object.mass``; ``reboost.tanks``/``boost.tanks`` name known tanks; the rules of
    ``boost``, ``active_descent``, ``crew_departure``, ``perigee_lowering`` and
    ``final_burn``."""

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
    active_descent: DescentSpec | None = None
    usdv: UsdvSpec | None = None
    crew_departure: CrewSpec | None = None
    perigee_lowering: LoweringSpec | None = None
    final_burn: FinalBurnSpec | None = None
    plan: PlanSpec | None = None
    reentry: ReentrySpec = ReentrySpec()
    uncertainty: UncertaintySpec = UncertaintySpec()

    @model_validator(mode="after")
    def _consistent(self):
        if self.end is not None and self.end <= self.epoch:
            raise Inconsistent(("end", "epoch"), f"end must be after epoch (end "
                               f"{self.end:%Y-%m-%d}, epoch {self.epoch:%Y-%m-%d})")
        names = [t.name for t in self.tanks]
        if len(set(names)) != len(names):
            raise Inconsistent(("tanks",), "tank names must be unique")
        if "usdv" in names:
            raise Inconsistent(("tanks",), "tank name 'usdv' is reserved for the US Deorbit "
                                           "Vehicle")
        needs_mass = self.tanks or self.usdv is not None or self.boost is not None
        if needs_mass and self.object.mass is None and self.object.preset is None:
            raise Inconsistent(("object.mass", "tanks", "usdv"),
                               "object.mass (or preset: iss) is needed for propellant "
                               "bookkeeping when tanks or usdv are given")
        tank_mass = sum(t.propellant for t in self.tanks)
        if self.object.mass is not None and tank_mass >= self.object.mass:
            raise Inconsistent(("tanks", "object.mass"),
                               "the tanks' propellant must be less than object.mass "
                               "(which includes it)")
        for section in ("reboost", "boost"):
            spec = getattr(self, section)
            unknown = set(spec.tanks) - set(names) if spec is not None else set()
            if unknown:
                raise Inconsistent((f"{section}.tanks", "tanks"),
                                   f"{section}.tanks names unknown tank(s) {sorted(unknown)}; "
                                   f"tanks are {names}")
        return self

    @model_validator(mode="after")
    def _physics(self):
        check_dates(self)
        check_altitudes(self)
        check_descent(self)
        return self
