"""The mutable state of one campaign run and the coasting step every phase uses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.core.constants import R_EARTH
from sim.core.decay import REACHED_END, STOP_MEAN, STOP_PERIGEE, propagate_decay
from sim.core.mean_elements import N_STATE, averaged_rates

from sim.scenario.model import Scenario
from sim.scenario.units import iso_utc

from .descent_record import DescentRecord
from .environment import Environment
from .station import Station
from .timeline import Timeline
from .vocabulary import Issue, IssueCode, Marks, Phase

SEGMENT_DAYS = 60.0  # bookkeeping (mass, attitude draws) is refreshed at least this often
TIME, MEAN_ALTITUDE, REENTRY = "time", "mean_altitude", "reentry"


@dataclass
class Mission:
    scenario: Scenario
    env: Environment
    station: Station
    timeline: Timeline
    state: np.ndarray  # mean elements (a m, e, i, raan, argp, mean argument of latitude)
    day: float  # absolute days since 1970
    end_day: float
    dv_cum: float = 0.0
    marks: Marks = field(default_factory=Marks)
    issues: list[Issue] = field(default_factory=list)
    reentry_day: float = math.nan
    reentry_kind: str = ""
    shortfall_kg: float = 0.0
    descent: DescentRecord | None = None  # the active descent as flown, when there is one
    phasing: object | None = None  # phasing_ahead.PhasingOutcome of the final burn
    # burns wait for the station to reach their apogee-centred start (phased runs); else
    # they fire at their scheduled times and the phase is made to agree (finite_burn)
    apogee_timing: bool = False
    phase_final: bool = True  # line up the final burn's ground track (False: as scheduled)

    @property
    def mean_altitude(self) -> float:
        return float(self.state[0] - R_EARTH)

    @property
    def perigee_altitude(self) -> float:
        return float(self.state[0] * (1 - self.state[1]) - R_EARTH)

    @property
    def apogee_altitude(self) -> float:
        return float(self.state[0] * (1 + self.state[1]) - R_EARTH)

    def rates(self) -> np.ndarray:
        """Orbit-averaged d(state)/dt now (per second): drag and the J2 drifts."""
        out = np.empty(N_STATE)
        field = self.env.field
        averaged_rates(self.state, self.station.ballistic_coefficient, self.day - field.first_day,
                       field.log_rho, field.alt_m, self.scenario.atmosphere.co_rotation, 1.0,
                       out)
        return out

    def weather_on(self, day: float) -> tuple[float, float, float]:
        """The previous day's F10.7, its 81-day mean and the day's Ap (a descent's indices)."""
        w = self.env.weather
        i = int(np.clip(math.floor(day - w.first_day), 1, len(w.f107) - 1))
        return float(w.f107[i - 1]), float(w.f107a[i]), float(w.ap[i])

    def flag(self, code: IssueCode, message: str) -> None:
        self.issues.append(Issue(code, message))

    def has_issue(self, code: IssueCode) -> bool:
        return any(issue.code == code for issue in self.issues)

    def coast(self, until_day: float, stop_mean_alt_m: float, phase: Phase,
              stop_perigee_m: float | None = None) -> str:
        """Natural motion to ``until_day`` or a stop; returns TIME, MEAN_ALTITUDE or REENTRY
        (REENTRY: the perigee fell to ``stop_perigee_m``, by default the stop altitude)."""
        if stop_perigee_m is None:
            stop_perigee_m = self.scenario.stop_altitude
        until_day = min(until_day, self.end_day)
        first = self.env.field.first_day
        while self.day < until_day - 1e-9:
            seg_end = min(self.day + SEGMENT_DAYS, until_day)
            run = propagate_decay(self.state, self.station.ballistic_coefficient, self.env.field,
                                  self.day - first, seg_end - first,
                                  corotate=self.scenario.atmosphere.co_rotation,
                                  stop_perigee_m=stop_perigee_m,
                                  stop_mean_m=stop_mean_alt_m)
            rates = self.station.daily_rates(self.day)
            self.timeline.add_run(run, first, self.station, phase, self.dv_cum, rates)
            elapsed = run.t_stop[0] + first - self.day
            for name in self.station.draw_daily(self.day, elapsed):
                message = f"tank '{name}' ran dry for attitude control"
                if not any(i.message.startswith(message) for i in self.issues):
                    self.flag(IssueCode.ATTITUDE_TANK_DRY,
                              f"{message} around {iso_utc(self.day + elapsed)}")
            self.state = run.final[0].copy()
            self.day = run.t_stop[0] + first
            if run.status[0] == STOP_PERIGEE:
                return REENTRY
            if run.status[0] == STOP_MEAN:
                return MEAN_ALTITUDE
            assert run.status[0] == REACHED_END
        return TIME
