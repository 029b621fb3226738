"""The ``reentry:`` block: where the debris should land and what survives the reentry."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .fields import Area, Mass, Strict, _quantity

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
    # how long the plan may wait (lowering start, gaps, final pass) to line up the ground
    # track; 0 d: the burns fly as scheduled (sim/campaign/phasing_flight.py)
    phasing_window: _quantity("duration", -1e-9, 10.0, "or equal to 0 d", "10 d") = 1.0
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
