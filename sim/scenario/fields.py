"""Field types of the scenario schema: quantities with units and ranges, dates.

Each is a float (SI; durations in days) or a datetime after validation, written in YAML as a
string with its unit (``"415 km"``) or an ISO 8601 date; each carries its JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

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
    """Every block of a scenario: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
