"""The station, its propellant tanks and the docked vehicles: mass bookkeeping.

Every burn takes its propellant from named tanks through the rocket equation on the current
total mass; attitude control draws a daily rate; each tank keeps a reserve that burns may not
touch. ``burned + attitude + final = initial + delivered`` holds per tank (tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.core.maneuvers import dv_for_propellant, propellant_for_dv

from sim.scenario.model import ObjectSpec, Scenario, TankSpec
from sim.scenario.units import to_day

# NASA ISS ephemeris header 2024: 473,264 kg, 1,525 m^2 and C_D 2.0 (B = 155 kg/m^2). The ISS
# scenarios take B instead from the product's own fit to the 2024-25 element sets
# (``object.calibration: iss-2024-2025``, B = 141 kg/m^2); the header's value is a variant.
ISS_PRESET = {"mass": 473_264.0, "drag_area": 1525.0, "drag_coefficient": 2.0}
USDV = "usdv"


@dataclass
class Tank:
    name: str
    propellant: float  # kg on board now
    isp: float
    resupply_per_day: float = 0.0
    capacity: float = float("inf")
    resupply_until: float = float("inf")  # absolute day
    attitude_per_day: float = 0.0
    reserve: float = 0.0
    initial: float = 0.0
    delivered: float = 0.0
    burned: float = 0.0
    attitude_used: float = 0.0

    @classmethod
    def from_spec(cls, spec: TankSpec) -> "Tank":
        capacity = spec.capacity if spec.capacity is not None else float("inf")
        until = to_day(spec.resupply_until) if spec.resupply_until else float("inf")
        return cls(spec.name, spec.propellant, spec.isp, spec.resupply / 365.25,
                   max(capacity, spec.propellant), until, spec.attitude, spec.reserve,
                   initial=spec.propellant)

    @property
    def usable(self) -> float:
        return max(self.propellant - self.reserve, 0.0)


@dataclass
class Station:
    dry_mass: float  # everything but the listed tanks' propellant and the USDV
    drag_area: float
    drag_coefficient: float
    fixed_bc: float | None  # when the scenario gives only a ballistic coefficient
    tanks: dict[str, Tank] = field(default_factory=dict)
    docked_mass: float = 0.0  # dry mass of docked vehicles (USDV)
    crewed: bool = True

    @property
    def mass(self) -> float:
        return self.dry_mass + self.docked_mass + sum(t.propellant for t in self.tanks.values())

    @property
    def propellant(self) -> float:
        return sum(t.propellant for t in self.tanks.values())

    @property
    def ballistic_coefficient(self) -> float:
        if self.fixed_bc is not None:
            return self.fixed_bc
        return self.mass / (self.drag_coefficient * self.drag_area)

    @property
    def cd_area(self) -> float:
        return self.mass / self.ballistic_coefficient

    def resupplied(self, tank: Tank, day: float) -> bool:
        """Cargo flights deliver while a crew is aboard, until the tank's end date."""
        return self.crewed and tank.resupply_per_day > 0 and day < tank.resupply_until

    def attitude_rate(self, tank: Tank) -> float:
        """Once docked, the USDV holds the attitude; before that the station's tanks do."""
        if USDV in self.tanks and tank.name != USDV:
            return 0.0
        return tank.attitude_per_day

    def daily_rates(self, day: float) -> dict[str, float]:
        return {n: (t.resupply_per_day if self.resupplied(t, day) else 0.0)
                - self.attitude_rate(t) for n, t in self.tanks.items()}

    def draw_daily(self, day: float, days: float) -> list[str]:
        """Attitude use and deliveries over ``days`` from ``day``.

        Returns the tanks that could not cover their attitude use (ran dry)."""
        dry = []
        for tank in self.tanks.values():
            if self.resupplied(tank, day):
                span = min(days, tank.resupply_until - day)
                amount = min(tank.resupply_per_day * span, tank.capacity - tank.propellant)
                amount = max(amount, 0.0)
                tank.propellant += amount
                tank.delivered += amount
            want = self.attitude_rate(tank) * days
            use = min(want, tank.propellant)
            tank.propellant -= use
            tank.attitude_used += use
            if use < want - 1e-9:
                dry.append(tank.name)
        return dry

    def burn(self, dv: float, tank_names: list[str]) -> tuple[float, float]:
        """Give ``dv`` drawing tanks in order; returns (propellant used, dv achieved)."""
        used, achieved = 0.0, 0.0
        for name in tank_names:
            tank = self.tanks[name]
            if achieved >= dv - 1e-9 or tank.usable <= 0:
                continue
            need = propellant_for_dv(self.mass, dv - achieved, tank.isp)
            take = min(need, tank.usable)
            achieved += dv_for_propellant(self.mass, take, tank.isp)
            used += self.spend(name, take)
        return used, achieved

    def spend(self, tank_name: str, kg: float) -> float:
        """Burn ``kg`` from a tank (the one way propellant leaves a tank for a burn)."""
        tank = self.tanks[tank_name]
        tank.propellant -= kg
        tank.burned += kg
        return kg

    def usable_in(self, tank_names: list[str]) -> float:
        return sum(self.tanks[n].usable for n in tank_names)


def station_from(scenario: Scenario) -> Station:
    spec: ObjectSpec = scenario.object
    base = dict(ISS_PRESET) if spec.preset == "iss" else {}
    for key in ("mass", "drag_area", "drag_coefficient"):
        if getattr(spec, key) is not None:
            base[key] = getattr(spec, key)
    fixed_bc = spec.ballistic_coefficient
    if spec.calibration is not None:  # the fitted B holds at this mass: it fixes C_D A
        if "mass" in base and "drag_area" in base:
            base["drag_coefficient"] = base["mass"] / (base["drag_area"]
                                                       * spec.calibration.ballistic_coefficient)
        else:
            fixed_bc = spec.calibration.ballistic_coefficient
    tanks = {t.name: Tank.from_spec(t) for t in scenario.tanks}
    mass = base.get("mass")
    tank_mass = sum(t.propellant for t in tanks.values())
    # The scenario's mass is everything on board, the listed tanks' propellant included.
    return Station(dry_mass=(mass - tank_mass) if mass is not None else 0.0,
                   drag_area=base.get("drag_area", 1.0),
                   drag_coefficient=base.get("drag_coefficient", 1.0),
                   fixed_bc=fixed_bc, tanks=tanks)
