"""The campaign's typed vocabulary: phases, event kinds, issue codes and the dated marks.

Strings appear only where results are written (their ``value`` is the name in
``summary.json`` and ``timeseries.csv``, a contract); inside the simulation a misspelt name is
an AttributeError, not a silent miss.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields


class Phase(str, enum.Enum):
    MAINTENANCE = "altitude_maintenance"
    DECAY = "natural_decay"
    UNCREWED = "uncrewed_decay"
    ACTIVE_DESCENT = "active_descent"
    LOWERING = "perigee_lowering"
    FINAL = "final_burn"
    UNCONTROLLED = "uncontrolled_decay"


class EventKind(str, enum.Enum):
    REBOOST = "reboost"
    REBOOSTS_END = "reboosts_end"
    BOOST = "boost"
    DESCENT_BURN = "descent_burn"
    DESCENT_WAYPOINT = "descent_waypoint"
    USDV_DOCKING = "usdv_docking"
    CREW_DEPARTURE = "crew_departure"
    PHASING_BURN = "phasing_burn"
    LOWERING_BURN = "perigee_lowering_burn"
    FINAL_BURN_BROUGHT_FORWARD = "final_burn_brought_forward"
    FINAL_BURN = "final_burn"
    REENTRY = "reentry"


class IssueCode(str, enum.Enum):
    """What went wrong or was left out; those in ``STATUS_BY_ISSUE`` also set the run's
    status."""

    INSUFFICIENT_PROPELLANT = "insufficient_propellant"
    USDV_NOT_DOCKED = "usdv_not_docked"
    USDV_NOT_READY = "usdv_not_ready"
    REBOOST_PROPELLANT_EXHAUSTED = "reboost_propellant_exhausted"
    DESCENT_PROPELLANT_SHORT = "descent_propellant_short"
    DESCENT_WAYPOINT_EARLY = "descent_waypoint_early"
    ATTITUDE_TANK_DRY = "attitude_tank_dry"
    BURN_SKIPPED = "burn_skipped"
    FINAL_BURN_TOO_WEAK = "final_burn_too_weak"
    NO_FINAL_BURN = "no_final_burn"
    FOOTPRINT_NOT_COMPUTED = "footprint_not_computed"
    DEBRIS_OUTSIDE_TARGET_ZONE = "debris_outside_target_zone"
    DEBRIS_ON_LAND = "debris_on_land"
    INSUFFICIENT_PROPELLANT_FOR_PHASING = "insufficient_propellant_for_phasing"
    PHASING_OVER_LIMIT = "phasing_delta_v_over_limit"
    AIM_OUT_OF_REACH = "aim_out_of_reach"


STATUS_BY_ISSUE = (IssueCode.INSUFFICIENT_PROPELLANT, IssueCode.USDV_NOT_DOCKED,
                   IssueCode.USDV_NOT_READY, IssueCode.DESCENT_PROPELLANT_SHORT,
                   IssueCode.REBOOST_PROPELLANT_EXHAUSTED,
                   IssueCode.INSUFFICIENT_PROPELLANT_FOR_PHASING)


@dataclass(frozen=True)
class Issue:
    code: IssueCode
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code.value, "message": self.message}


@dataclass
class Marks:
    """When each milestone happened (days since 1970), None until it does."""

    decay_start: float | None = None
    boost: float | None = None
    usdv_docking: float | None = None
    crew_departure: float | None = None
    lowering_start: float | None = None
    final_burn: float | None = None

    def copy(self) -> "Marks":
        return Marks(**{f.name: getattr(self, f.name) for f in fields(self)})
