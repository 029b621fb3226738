"""A scenario's ballistic coefficient taken from a calibration (``iss-deorbit calibrate``).

``object.calibration`` names a calibration shipped in ``sim/data/calibrations`` (e.g.
``iss-2024-2025``) or gives the path of a ``calibration.json``. Its
``ballistic_coefficient_kg_m2`` holds at the object's mass: C_D A = mass / B, after which the
mass bookkeeping (propellant, docked vehicles) moves B as usual.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class CalibrationRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    ballistic_coefficient: float  # kg/m^2
    interval_90: tuple[float, float]


def shipped_calibrations() -> list[str]:
    folder = importlib.resources.files("sim") / "data" / "calibrations"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def read_calibration(value) -> CalibrationRef:
    """The B of a shipped calibration name or a calibration.json path (a pydantic validator)."""
    if isinstance(value, CalibrationRef):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a calibration name or the path of a calibration.json")
    shipped = importlib.resources.files("sim") / "data" / "calibrations" / f"{value}.json"
    path = shipped if shipped.is_file() else Path(value)
    if not path.is_file():
        raise ValueError(f"no such calibration; shipped: {', '.join(shipped_calibrations())}, "
                         "or give the path of a calibration.json from `iss-deorbit calibrate`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        bc = float(data["ballistic_coefficient_kg_m2"])
        low, high = (float(x) for x in data["interval_90_kg_m2"])
    except (ValueError, KeyError, TypeError):
        raise ValueError("not a calibration.json (needs ballistic_coefficient_kg_m2 and "
                         "interval_90_kg_m2)") from None
    if not 0.0 < bc < 1e5:
        raise ValueError(f"ballistic_coefficient_kg_m2 = {bc:g}: must be in 0 .. 100000")
    return CalibrationRef(name=str(value), ballistic_coefficient=bc, interval_90=(low, high))
