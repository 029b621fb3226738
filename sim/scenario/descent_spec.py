"""The ``active_descent:`` block: lowering the station with burns before the deorbit burns.

Natural decay sets when the station passes each altitude; a published timeline may not match
it (at solar minimum drag is weak). An active descent holds a timeline anyway: retrograde burn
pairs (each a small Hohmann-like step down, the mirror of a reboost) from named tanks, sized so
the mean altitude meets each waypoint on its date. Rules within the block: waypoints in date
order, each lower than the one before, the first after ``start``. Rules across sections are in
``consistency.check_descent``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .fields import Date, OrbitAltitude, Strict, _quantity

TankName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
# Between burns: a few hours at least (a burn pair takes half an orbit, ~46 min), a year at
# most (a descent with one burn a year is a single burn).
BurnSpacing = _quantity("duration", 0.1, 365.0, "0.1 d", "365 d")


class WaypointSpec(Strict):
    """A milestone of the descent: the mean altitude to reach on a date."""

    altitude: OrbitAltitude
    date: Date


class DescentSpec(Strict):
    """Active lowering: burns every ``spacing`` days from ``start``, scheduled backwards from
    each waypoint's date and all of one size per leg, from ``tanks`` drawn in order (a tank
    name, or ``usdv`` once the deorbit vehicle is docked)."""

    tanks: Annotated[list[TankName], Field(min_length=1, max_length=8)]
    start: Date  # the first burn no earlier than this; reboosts must have stopped by then
    spacing: BurnSpacing = 14.0
    waypoints: Annotated[list[WaypointSpec], Field(min_length=1, max_length=12)]

    @model_validator(mode="after")
    def _order(self):
        previous_date, previous_alt, where = self.start, None, "start"
        for k, point in enumerate(self.waypoints):
            if point.date <= previous_date:
                raise ValueError(f"waypoints.{k}.date ({point.date:%Y-%m-%d}) must be after "
                                 f"{where} ({previous_date:%Y-%m-%d})")
            if previous_alt is not None and point.altitude >= previous_alt:
                raise ValueError(f"waypoints.{k}.altitude ({point.altitude / 1e3:g} km) must "
                                 f"be below waypoints.{k - 1}.altitude "
                                 f"({previous_alt / 1e3:g} km): the descent goes down")
            previous_date, previous_alt, where = point.date, point.altitude, \
                f"waypoints.{k}.date"
        return self
