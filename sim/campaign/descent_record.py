"""The active descent as flown: each leg's outcome and the fields it adds to ``summary.json``.

Altitudes in metres and days since 1970 inside; km and ISO 8601 UTC in the summary.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sim.scenario.units import iso_utc


class LegStatus(str, enum.Enum):
    ON_TARGET = "on_target"  # the waypoint's altitude on its date (by burns or by drag alone)
    EARLY = "early"  # drag alone got there before the date; no burns were needed
    SHORT = "propellant_short"  # the tanks could not pay every planned burn


@dataclass(frozen=True)
class LegResult:
    """One leg of the descent as flown; altitudes in metres, days since 1970."""

    target_altitude_m: float
    target_day: float
    end_day: float  # the leg ended: the waypoint's date, or when drag got there first
    altitude_at_end_m: float
    natural_altitude_m: float  # where drag alone would have left the station on the date
    burns: int
    delta_v_m_s: float
    propellant_kg: float
    planned_kg: float | None  # what the plan burns with tanks that never run dry (None:
    # no tank was on board to plan with)
    status: LegStatus

    def as_dict(self) -> dict:
        return {"target_altitude_km": round(self.target_altitude_m / 1e3, 3),
                "target_utc": iso_utc(self.target_day), "end_utc": iso_utc(self.end_day),
                "altitude_at_end_km": round(self.altitude_at_end_m / 1e3, 3),
                "natural_decay_altitude_km": round(self.natural_altitude_m / 1e3, 3),
                "burns": self.burns, "delta_v_m_s": round(self.delta_v_m_s, 3),
                "propellant_kg": round(self.propellant_kg, 1),
                "planned_propellant_kg": None if self.planned_kg is None else
                round(self.planned_kg, 1),
                "status": self.status.value}


@dataclass
class DescentRecord:
    """The descent as flown, leg by leg (kept on the mission for the summary)."""

    tanks: tuple[str, ...]
    start_day: float
    legs: list[LegResult] = field(default_factory=list)
    by_tank: dict[str, float] = field(default_factory=dict)  # kg burned from each tank

    @property
    def status(self) -> str:
        for status in (LegStatus.SHORT, LegStatus.EARLY):
            if any(leg.status == status for leg in self.legs):
                return status.value
        return LegStatus.ON_TARGET.value

    def summary(self) -> dict:
        return {"descent_burns": sum(leg.burns for leg in self.legs),
                "descent_delta_v_m_s": round(sum(leg.delta_v_m_s for leg in self.legs), 3),
                "descent_propellant_kg": round(self.propellant_kg, 1),
                "descent_status": self.status, "active_descent": self._details()}

    @property
    def propellant_kg(self) -> float:
        return sum(leg.propellant_kg for leg in self.legs)

    @property
    def planned_kg(self) -> float | None:
        """The plan's propellant; None when a leg had no tank on board to plan with."""
        if any(leg.planned_kg is None for leg in self.legs):
            return None
        return sum(leg.planned_kg for leg in self.legs)

    def _details(self) -> dict:
        planned = self.planned_kg
        short = self.status == LegStatus.SHORT.value and planned is not None
        return {"tanks": list(self.tanks), "start_utc": iso_utc(self.start_day),
                "planned_propellant_kg": None if planned is None else round(planned, 1),
                "propellant_by_tank_kg": {name: round(kg, 1)
                                          for name, kg in sorted(self.by_tank.items())},
                "shortfall_kg": round(max(planned - self.propellant_kg, 0.0), 1) if short else None,
                "legs": [leg.as_dict() for leg in self.legs]}


EMPTY_SUMMARY = {"descent_burns": None, "descent_delta_v_m_s": None,
                 "descent_propellant_kg": None, "descent_status": None, "active_descent": None}
